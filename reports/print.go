package reports

import (
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/xuri/excelize/v2"

	"complaints/warehouse"
)

// SignOff is the cover's sign-off block: who prepared, reviewed and answers for the workbook, a contact telephone
// and the filing date (config sign_off). An empty field prints as a blank line to sign or fill in by hand.
type SignOff struct {
	Preparer, Reviewer, Head, Phone, Date string
}

// signOffBlock writes the sign-off block at the foot of the cover, from row r.
func (w *workbook) signOffBlock(g *grid, r int) {
	st := w.st
	g.Text(r, 1, w.t("prt_sign_off"), st.section)
	r++
	so := w.opts.SignOff
	for _, x := range []struct{ key, value string }{
		{"prt_preparer", so.Preparer}, {"prt_reviewer", so.Reviewer}, {"prt_head", so.Head},
		{"prt_phone", so.Phone}, {"prt_filing_date", so.Date},
	} {
		g.Text(r, 1, w.t(x.key), st.label)
		g.Text(r, 2, x.value, st.text) // bordered: an empty one is the line to sign on
		g.Merge(r, 2, r, coverCols)
		g.heights[r] = 24
		r++
	}
}

// withBranch is a sheet title that names a branch copy's branch, for the sheets without an institution line.
func (w *workbook) withBranch(title string) string {
	if b := w.scope.BranchLabel(w.lang); b != "" {
		return title + " " + b
	}
	return title
}

// pageSetup prints a sheet on A4 landscape, one page wide, with the table header repeated, and gives every page
// the workbook's header (institution, with a branch copy's branch; report; period) and footer (sheet, page N of M, generated at).
func (w *workbook) pageSetup(f *excelize.File, sheet, printTitles string) error {
	size, orientation, wide, tall, fit := 9, "landscape", 1, 0, true
	if err := f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Size: &size, Orientation: &orientation, FitToWidth: &wide, FitToHeight: &tall}); err != nil {
		return fmt.Errorf("sheet %q: page layout: %w", sheet, err)
	}
	if err := f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return fmt.Errorf("sheet %q: fit to page: %w", sheet, err)
	}
	if printTitles != "" {
		if err := f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", RefersTo: quoteSheet(sheet) + "!" + printTitles, Scope: sheet}); err != nil {
			return fmt.Errorf("sheet %q: print titles: %w", sheet, err)
		}
	}
	header, footer := w.headerFooter()
	if err := f.SetHeaderFooter(sheet, &excelize.HeaderFooterOptions{OddHeader: header, OddFooter: footer}); err != nil {
		return fmt.Errorf("sheet %q: header and footer: %w", sheet, err)
	}
	return nil
}

// headerFooter are the page header and footer of every sheet, in Excel's header codes (&L &C &R sections, &A the
// sheet's name, &P and &N the page and the page count). Text from config or data has its & doubled and is cut
// short enough that a field stays under Excel's 255 characters.
func (w *workbook) headerFooter() (header, footer string) {
	header = "&L" + hfText(w.opts.Institution, 80) + "&C" + hfText(w.title(), 60) + "&R" + hfText(w.kv("period", w.period.String()), 40)
	generated := w.t("prt_generated") + " " + warehouse.WallClockText(w.opts.GeneratedAt) + " (" + w.t("beijing_time") + ")"
	footer = "&L&A&C" + w.t("prt_page_of") + "&R" + hfText(generated, 60)
	return header, footer
}

// hfText is text for a header or footer: at most n characters, & written as &&.
func hfText(s string, n int) string {
	if r := []rune(s); len(r) > n {
		s = string(r[:n-1]) + "…"
	}
	return strings.ReplaceAll(s, "&", "&&")
}

// printLineHeight is the height in points a line of 11-point text takes in a row: 宋体 needs 14.25, a CJK font
// standing in for it (LibreOffice's) up to 16.
const printLineHeight = 16

// fitForPrint makes every cell of g print whole, measured as displayWidth counts (a Chinese character two
// columns, the width of two digits in 宋体), scaled by the style's font size:
//   - a cell that does not wrap and is wider than its column widens a column of fixed width (up to maxColWidth),
//     unless it is text that runs on over empty cells to its right; one wider still wraps (its style's twin);
//   - a merged text wider than its merge wraps;
//   - a wrapping cell whose row cannot grow by itself (a merge, or a row given a height) gets the height its
//     lines take.
func (g *grid) fitForPrint(st *styles) {
	size := func(x cell) float64 { return max(st.size[x.style], 11) }
	keys := make([][2]int, 0, len(g.cells))
	for k := range g.cells {
		keys = append(keys, k)
	}
	sortCells(keys)
	widths := g.columnWidths()
	for _, k := range keys {
		x := g.cells[k]
		if g.merged[k] || st.wraps[x.style] || g.hidden[k[1]] {
			continue
		}
		need := float64(displayWidth(x.shown))*size(x)/11 + 1
		if need <= widths[k[1]] || (x.kind == cellText && need <= g.runOn(k, widths)) {
			continue
		}
		if _, fixed := g.widths[k[1]]; fixed && need <= maxColWidth {
			g.widths[k[1]], widths[k[1]] = need, need
			continue
		}
		if twin, ok := st.wrapOf[x.style]; ok && x.kind == cellText {
			x.style = twin
			g.cells[k] = x
		}
	}
	for _, a := range g.mergeAreas() {
		k := [2]int{a[0], a[1]}
		x, ok := g.cells[k]
		if !ok || x.shown == "" {
			continue
		}
		var w float64
		for c := a[1]; c <= a[3]; c++ {
			w += widths[c]
		}
		if !st.wraps[x.style] {
			if float64(displayWidth(x.shown))*size(x)/11+1 <= w {
				continue
			}
			twin, ok := st.wrapOf[x.style]
			if !ok || x.kind != cellText {
				continue
			}
			x.style = twin
			g.cells[k] = x
		}
		g.fitHeight(a[0], a[2], x.shown, w, size(x))
	}
	for _, k := range keys {
		x := g.cells[k]
		if _, fixed := g.heights[k[0]]; g.merged[k] || !fixed || !st.wraps[x.style] {
			continue
		}
		g.fitHeight(k[0], k[0], x.shown, widths[k[1]], size(x))
	}
}

// fitHeight raises the height of rows r1..r2 (the last one) to what text wrapped into width takes, up to the
// highest row Excel allows.
func (g *grid) fitHeight(r1, r2 int, text string, width, size float64) {
	need := wrappedLines(text, width*11/size-1) * printLineHeight * size / 11
	var have float64
	for r := r1; r <= r2; r++ {
		h, ok := g.heights[r]
		if !ok {
			h = 15
		}
		have += h
	}
	if need > have {
		last, ok := g.heights[r2]
		if !ok {
			last = 15
		}
		g.heights[r2] = min(last+need-have, excelize.MaxRowHeight) // a taller row is refused; it prints cut
	}
}

// runOn is the width a text cell at k may take: its column's and those of the empty, unmerged cells to its right.
func (g *grid) runOn(k [2]int, widths map[int]float64) float64 {
	w := widths[k[1]]
	for c := k[1] + 1; c <= g.maxCol; c++ {
		if _, full := g.cells[[2]int{k[0], c}]; full || g.merged[[2]int{k[0], c}] {
			break
		}
		w += widths[c]
	}
	return w
}

// mergeAreas are g's merges as (first row, first column, last row, last column).
func (g *grid) mergeAreas() [][4]int {
	var out [][4]int
	for _, m := range g.merges {
		c1, r1, _ := excelize.CellNameToCoordinates(m[0])
		c2, r2, _ := excelize.CellNameToCoordinates(m[1])
		out = append(out, [4]int{r1, c1, r2, c2})
	}
	return out
}

func sortCells(keys [][2]int) {
	slices.SortFunc(keys, func(a, b [2]int) int {
		if a[0] != b[0] {
			return a[0] - b[0]
		}
		return a[1] - b[1]
	})
}

// wrappedLines is how many lines s takes wrapped into width columns (displayWidth): a Latin word is not broken
// unless longer than a line, a wide character may start a line, a line break starts one.
func wrappedLines(s string, width float64) float64 {
	width = max(width, 2)
	lines := 0.0
	for _, para := range strings.Split(s, "\n") {
		lines++
		used := 0.0
		for _, tok := range wrapTokens(para) {
			w := float64(displayWidth(tok))
			if used > 0 && used+w > width {
				lines++
				used = 0
				tok = strings.TrimLeft(tok, " ")
				w = float64(displayWidth(tok))
			}
			for w > width {
				lines++
				w -= width
			}
			used += w
		}
	}
	return lines
}

// wrapTokens splits text into what wrapping keeps together: each wide character alone, each Latin word with the
// space before it.
func wrapTokens(s string) []string {
	var out []string
	var cur strings.Builder
	for _, r := range s {
		wide := displayWidth(string(r)) == 2
		if (wide || unicode.IsSpace(r)) && cur.Len() > 0 {
			out = append(out, cur.String())
			cur.Reset()
		}
		if wide {
			out = append(out, string(r))
			continue
		}
		cur.WriteRune(r)
	}
	if cur.Len() > 0 {
		out = append(out, cur.String())
	}
	return out
}
