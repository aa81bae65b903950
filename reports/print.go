package reports

import (
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"

	"complaints/warehouse"
)

// SignOff is the cover's sign-off block: who prepared, reviewed and answers for the workbook, a contact telephone
// and the filing date (config sign_off). An empty field prints as a blank line to sign or fill in by hand.
type SignOff struct {
	Preparer, Reviewer, Head, Phone, Date string
}

// signOffBlock writes the sign-off block on the cover from row r and returns the row after it.
func (w *workbook) signOffBlock(g *grid, r int) int {
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
	return r
}

// pageSetup prints a sheet on A4 landscape, one page wide, with the table header repeated, and gives every page
// the workbook's header (institution and branch, report, period) and footer (sheet, page N of M, generated at).
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
	institution := w.opts.Institution
	if b := w.scope.BranchLabel(w.lang); b != "" {
		institution += " " + b
	}
	header = "&L" + hfText(institution, 80) + "&C" + hfText(w.title(), 60) + "&R" + hfText(w.kv("period", w.period.String()), 40)
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
