package reports

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"complaints/internal/atomicfile"
	"complaints/reports/list"
)

// CSVFiles are the files WriteMonthly writes with Format csv, in sheet order: one per sheet of the workbook (its
// visible cells as they read: formulas as their values, ratios as the percentage shown), then the overdue and
// open list.
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
		if err := x.g.writeCSV(&buf, w.st); err != nil {
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
	err = list.Each(w.kd.ctx, w.kd.db, w.openListOptions(), func(r list.Row) error {
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

// writeCSV writes the grid's rows as the sheet reads them, every row as wide as the sheet's visible columns (empty
// rows kept, so that row numbers match the sheet; the hidden helper columns that formulas read left out): text
// through the list's neutralising CSV writer, counts as integers, other numbers and formulas' values as their
// cell's style shows them (a ratio as 12.3%, which a spreadsheet reads back as a number).
func (g *grid) writeCSV(buf *bytes.Buffer, st *styles) error {
	cw, err := list.NewCSVWriter(buf)
	if err != nil {
		return err
	}
	var cols []int
	for c := 1; c <= g.maxCol; c++ {
		if !g.hidden[c] {
			cols = append(cols, c)
		}
	}
	row := make([]any, len(cols))
	for r := 1; r <= g.maxRow; r++ {
		for i, c := range cols {
			row[i] = nil
			x, ok := g.cells[[2]int{r, c}]
			if !ok {
				continue
			}
			switch x.kind {
			case cellText:
				row[i] = x.text
			case cellInt:
				row[i] = int64(x.num)
			case cellFloat:
				row[i] = st.shownNumber(x.style, x.num)
			case cellFormula:
				row[i] = x.cached
				if v, ok := x.cached.(float64); ok {
					row[i] = st.shownNumber(x.style, v)
				}
			}
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	return cw.Flush()
}

// shownNumber is a number of a sheet as its cell's style shows it, rounded as a spreadsheet rounds (half away
// from zero): a ratio as the percentage (12.3%), a difference of rates with its unit (1.2个百分点, −0.5个百分点), days
// with one decimal, a u-chart rate with three, a count whole; other numbers as they are.
func (st *styles) shownNumber(style int, v float64) list.Number {
	switch style {
	case st.ratio, st.totalRatio:
		return list.Number(fixed(v*100, 1) + "%")
	case st.points:
		// text with its unit, so a leading sign must not make a spreadsheet read a formula: a negative difference
		// takes the minus sign U+2212, a positive none
		return list.Number(strings.Replace(fixed(v, 1), "-", "\u2212", 1) + st.pointsUnit)
	case st.days, st.totalDays:
		return list.Number(fixed(v, 1))
	case st.rate3:
		return list.Number(fixed(v, 3))
	case st.count, st.totalCount:
		return list.Number(fixed(v, 0))
	}
	return list.Number(strconv.FormatFloat(v, 'f', -1, 64))
}

// fixed writes v with d decimals, rounded half away from zero as Excel and LibreOffice show it.
func fixed(v float64, d int) string {
	r := roundHalfAway(v, d)
	if r == 0 {
		r = 0 // no "-0.0"
	}
	return strconv.FormatFloat(r, 'f', d, 64)
}

func roundHalfAway(v float64, d int) float64 {
	p := math.Pow(10, float64(d))
	// the decimal written (7.25 is held as 7.25000000000000000) decides, not the binary's last bits
	s, _ := strconv.ParseFloat(strconv.FormatFloat(v*p, 'f', 9, 64), 64)
	return math.Round(s) / p
}
