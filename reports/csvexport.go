package reports

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"complaints/internal/atomicfile"
	"complaints/readmodel"
	"complaints/reports/list"
)

// CSVFiles are the files WriteMonthly writes with Format csv, in sheet order: one per sheet of the workbook (its
// cells as they read, formulas as their values, ratios as fractions), then the overdue and open list.
//
// Where they go: when Out ends in .xlsx or .csv they are named files beside it (<stem>-01-<sheet>.csv ...);
// otherwise Out is a folder (created) holding 01-<sheet>.csv ...
func CSVFiles(out string, sheets []string) []string {
	dir, prefix := out, ""
	if ext := strings.ToLower(filepath.Ext(out)); ext == ".xlsx" || ext == ".csv" {
		dir = filepath.Dir(out)
		prefix = strings.TrimSuffix(filepath.Base(out), filepath.Ext(out)) + "-"
	}
	files := make([]string, len(sheets))
	for i, s := range sheets {
		files[i] = filepath.Join(dir, fmt.Sprintf("%s%02d-%s.csv", prefix, i+1, csvName(s)))
	}
	return files
}

// writeCSVs writes every grid, then the open list, as UTF-8-with-BOM CSV files (CSVFiles).
func (w *workbook) writeCSVs(grids []sheetSpec) error {
	names := make([]string, 0, len(grids)+1)
	for _, x := range grids {
		names = append(names, x.g.name)
	}
	names = append(names, w.t("rk_sheet_open"))
	files := CSVFiles(w.opts.Out, names)
	if err := os.MkdirAll(filepath.Dir(files[0]), 0o755); err != nil {
		return fmt.Errorf("csv: %w", err)
	}
	for i, x := range grids {
		var buf bytes.Buffer
		if err := x.g.writeCSV(&buf); err != nil {
			return fmt.Errorf("csv %s: %w", x.g.name, err)
		}
		if err := atomicfile.Write(files[i], buf.Bytes()); err != nil {
			return err
		}
	}
	var buf bytes.Buffer
	cw, err := list.NewCSVWriter(&buf)
	if err != nil {
		return err
	}
	cols := list.OpenColumns
	header := list.Header(cols, w.lang)
	row := make([]any, len(cols))
	for i, h := range header {
		row[i] = h
	}
	if err := cw.Write(row); err != nil {
		return err
	}
	err = readmodel.EachListRow(w.kd.ctx, w.kd.db, w.openListOptions(), func(r list.Row) error {
		for i, c := range cols {
			row[i] = c.Value(r, w.lang)
		}
		return cw.Write(row)
	})
	if err != nil {
		return fmt.Errorf("csv %s: %w", names[len(names)-1], err)
	}
	if err := cw.Flush(); err != nil {
		return err
	}
	return atomicfile.Write(files[len(files)-1], buf.Bytes())
}

// writeCSV writes the grid's rows, every one as wide as the sheet (empty rows kept, so that row numbers match the
// sheet): text through the list's
// neutralising CSV writer, counts as integers, ratios and means as numbers, formulas as their values.
func (g *grid) writeCSV(buf *bytes.Buffer) error {
	cw, err := list.NewCSVWriter(buf)
	if err != nil {
		return err
	}
	row := make([]any, g.maxCol)
	for r := 1; r <= g.maxRow; r++ {
		for c := 1; c <= g.maxCol; c++ {
			row[c-1] = nil
			x, ok := g.cells[[2]int{r, c}]
			if !ok {
				continue
			}
			switch x.kind {
			case cellText:
				row[c-1] = x.text
			case cellInt:
				row[c-1] = int64(x.num)
			case cellFloat:
				row[c-1] = x.num
			case cellFormula:
				row[c-1] = x.cached
			}
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	return cw.Flush()
}
