package reports

import (
	"archive/zip"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"complaints/readmodel"
)

// printTool finds an external program the print test needs: a missing one skips the test, or fails it where env
// is set to 1 (CI).
func printTool(t *testing.T, env string, names ...string) string {
	t.Helper()
	for _, name := range names {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv(env) == "1" {
		t.Fatalf("%s is not on PATH and %s=1", names[0], env)
	}
	t.Skipf("%s is not on PATH", names[0])
	return ""
}

// printedBook is one workbook of TestPrintedWorkbooks: how it was asked for and what each printed page must say.
type printedBook struct {
	name, period, lang string
	opts               Options
	branch             bool     // written from a --branch copy of GZ001
	header             []string // on every page
	pageOf             *regexp.Regexp
	xlsx               string
	sheets             []string
}

// TestPrintedWorkbooks prints each kind of workbook of the two-month fixture (monthly, quarterly, annual, a
// --branch copy, English) to PDF with LibreOffice, with 宋体 aliased to a font of the same advance widths
// (testdata/print-fonts.conf), and checks what a clerk filing the paper would: every page carries the header
// (institution, report, period; the branch for a branch copy) and the footer (sheet name, page N of M, generated
// at); the page count is bounded; no page names a command-line flag; no serif font stands in for a missing bold
// one; the cover has its sign-off block; and no cell is cut (cutCells: text width against column width, counted
// in half-width characters with a Chinese character as two).
func TestPrintedWorkbooks(t *testing.T) {
	soffice := printTool(t, "COMPLAINTS_REQUIRE_LIBREOFFICE", "soffice", "libreoffice")
	pdftotext := printTool(t, "COMPLAINTS_REQUIRE_LIBREOFFICE", "pdftotext")
	pdffonts := printTool(t, "COMPLAINTS_REQUIRE_LIBREOFFICE", "pdffonts")
	fontsConf, err := filepath.Abs(filepath.Join("testdata", "print-fonts.conf"))
	if err != nil {
		t.Fatal(err)
	}
	// The font the pages are measured in: 宋体's advance widths (docs/decisions.md, "Printing").
	cmd := exec.Command(printTool(t, "COMPLAINTS_REQUIRE_LIBREOFFICE", "fc-match"), "-f", "%{family}", FontFamily)
	cmd.Env = append(os.Environ(), "FONTCONFIG_FILE="+fontsConf)
	if out, err := cmd.Output(); err != nil || !strings.Contains(string(out), "Noto Sans Mono CJK SC") {
		t.Fatalf("fc-match %s under testdata/print-fonts.conf gives %q (%v): install fonts-noto-cjk", FontFamily, out, err)
	}

	db := landFixture(t, true)
	zhPage := regexp.MustCompile(`第 (\d+) 页，共 (\d+) 页`)
	enPage := regexp.MustCompile(`Page (\d+) of (\d+)`)
	stamp := "2026-11-01 08:00"
	signOff := SignOff{Preparer: "张三", Phone: "020-12345678"}
	books := []*printedBook{
		{name: "monthly", period: "2026-10", lang: "zh", opts: Options{SignOff: signOff},
			header: []string{"示例银行", "消费投诉统计月报", "报告期：2026-10"}, pageOf: zhPage},
		{name: "quarterly", period: "2026-Q4", lang: "zh", header: []string{"示例银行", "报告期：2026-Q4"}, pageOf: zhPage},
		{name: "annual", period: "2026", lang: "zh", header: []string{"示例银行", "报告期：2026"}, pageOf: zhPage},
		{name: "english", period: "2026-10", lang: "en",
			header: []string{"示例银行", "Monthly consumer complaint statistics", "2026-10"}, pageOf: enPage},
		{name: "branch", period: "2026-10", lang: "zh", branch: true,
			header: []string{"示例银行", "广州天河支行", "报告期：2026-10"}, pageOf: zhPage},
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "in")
	if err := os.MkdirAll(in, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, b := range books {
		if b.branch { // the scope a --branch copy states (scope.Open); the tables stay the bank's, which is all printing needs
			if _, err := db.Exec(`INSERT INTO warehouse_scope VALUES ('branch', 'GZ001'), ('branch_name', '广州天河支行'), ('subtree', 'GZ001')`); err != nil {
				t.Fatal(err)
			}
		}
		f, out := writeE2E(t, db, b.lang, b.period, b.opts)
		b.sheets = f.GetSheetList()
		for _, c := range cutCells(t, f) {
			t.Errorf("%s: %s", b.name, c)
		}
		checkFonts(t, b.name, out)
		if b.branch {
			for _, sheet := range b.sheets {
				if !titleNames(t, f, sheet, "广州天河支行 (GZ001)") {
					t.Errorf("branch: sheet %s does not name the branch in its title block", sheet)
				}
			}
		}
		b.xlsx = filepath.Join(in, b.name+".xlsx")
		data, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(b.xlsx, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	conv := filepath.Join(dir, "pdf")
	args := []string{"-env:UserInstallation=file://" + filepath.Join(dir, "profile"), "--headless", "--norestore",
		"--nolockcheck", "--convert-to", "pdf", "--outdir", conv}
	for _, b := range books {
		args = append(args, b.xlsx)
	}
	cmd = exec.Command(soffice, args...)
	cmd.Env = append(os.Environ(), "HOME="+dir, "FONTCONFIG_FILE="+fontsConf)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	flag := regexp.MustCompile(`--[a-z]`)
	for _, b := range books {
		pdf := filepath.Join(conv, b.name+".pdf")
		text, err := exec.Command(pdftotext, "-layout", pdf, "-").Output()
		if err != nil {
			t.Fatalf("%s: pdftotext: %v", b.name, err)
		}
		pages := strings.Split(strings.TrimSuffix(string(text), "\f"), "\f")
		// At least a page a sheet; at most two a sheet on average: the fixture's tables are short and fit to the
		// page width (the cover with its definitions takes three).
		t.Logf("%s: %d pages, %d sheets", b.name, len(pages), len(b.sheets))
		if len(pages) < len(b.sheets) || len(pages) > 2*len(b.sheets) {
			t.Errorf("%s: %d printed pages for %d sheets", b.name, len(pages), len(b.sheets))
		}
		sheetAt := 0 // the sheets print in order, each on one page or more
		for i, p := range pages {
			for _, h := range append(b.header, stamp) {
				if !strings.Contains(p, h) {
					t.Errorf("%s page %d: no %q in its header or footer", b.name, i+1, h)
				}
			}
			m := b.pageOf.FindStringSubmatch(p)
			if m == nil || m[1] != strconv.Itoa(i+1) || m[2] != strconv.Itoa(len(pages)) {
				t.Errorf("%s page %d: footer page number %q, want page %d of %d", b.name, i+1, m, i+1, len(pages))
			}
			for sheetAt < len(b.sheets) && !footerNames(p, b.sheets[sheetAt], b.pageOf) {
				sheetAt++
			}
			if sheetAt == len(b.sheets) {
				t.Errorf("%s page %d: its footer names no sheet in order", b.name, i+1)
				break
			}
			if loc := flag.FindStringIndex(p); loc != nil {
				t.Errorf("%s page %d names a command-line flag: %q", b.name, i+1, p[loc[0]:min(loc[1]+20, len(p))])
			}
		}
		var cover string
		for _, p := range pages {
			if footerNames(p, b.sheets[0], b.pageOf) {
				cover += p
			}
		}
		if !strings.Contains(cover, signOffLabel(b.lang)) {
			t.Errorf("%s: the cover has no sign-off block (%q)", b.name, signOffLabel(b.lang))
		}
		if b.name == "monthly" && (!strings.Contains(cover, "张三") || !strings.Contains(cover, "020-12345678")) {
			t.Errorf("monthly: the sign-off block does not show the configured preparer and telephone")
		}
		fonts, err := exec.Command(pdffonts, pdf).Output()
		if err != nil {
			t.Fatalf("%s: pdffonts: %v", b.name, err)
		}
		if strings.Contains(string(fonts), "Serif") {
			t.Errorf("%s: a serif font stands in for the workbook's font:\n%s", b.name, fonts)
		}
	}
}

func signOffLabel(lang string) string {
	if lang == "en" {
		return "Prepared by"
	}
	return "填报人"
}

// footerNames says whether a printed page's footer (the line with the page number) starts with sheet's name.
func footerNames(page, sheet string, pageOf *regexp.Regexp) bool {
	for _, l := range strings.Split(page, "\n") {
		if pageOf.MatchString(l) {
			return strings.HasPrefix(strings.TrimSpace(l), sheet+" ")
		}
	}
	return false
}

// titleNames says whether a cell of the sheet's first eight rows (its title block; the cover's lines of scope)
// contains s.
func titleNames(t *testing.T, f *excelize.File, sheet, s string) bool {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range rows[:min(8, len(rows))] {
		for _, v := range row {
			if strings.Contains(v, s) {
				return true
			}
		}
	}
	return false
}

// checkFonts: every font of the workbook's styles is FontFamily, the default one included.
func checkFonts(t *testing.T, name, xlsx string) {
	t.Helper()
	z, err := zip.OpenReader(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	defer z.Close()
	for _, f := range z.File {
		if f.Name != "xl/styles.xml" {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		fonts := regexp.MustCompile(`(?s)<font>.*?</font>`).FindAllString(string(b), -1)
		if len(fonts) == 0 {
			t.Errorf("%s: styles.xml has no font", name)
		}
		for _, x := range fonts {
			if !strings.Contains(x, `<name val="`+FontFamily+`"`) {
				t.Errorf("%s: a style's font is not %s: %s", name, FontFamily, x)
			}
		}
	}
}

// lineHeight is the height in points one line of 11-point text takes, with room for a CJK font's taller lines.
const lineHeight = printLineHeight

// cutCells lists the cells of f whose text does not fit, counted in half-width characters (a Chinese or other
// wide character as two, scaled by the font's size over 11 points) against Excel's column width (in widths of
// the digit 0 of the 11-point default font, which in 宋体 is half a Chinese character):
//   - a cell that does not wrap must fit its column (its merge's columns); a text cell may run on over the empty
//     cells to its right, as Excel and Calc draw it; numbers never do;
//   - a wrapping cell must fit the lines its row's height holds (lineHeight), where the height is fixed (a
//     merged cell, or a row given a height); other rows grow with their text.
//
// Hidden columns are not printed and not checked.
func cutCells(t *testing.T, f *excelize.File) []string {
	t.Helper()
	var out []string
	for _, sheet := range f.GetSheetList() {
		merges, err := f.GetMergeCells(sheet)
		if err != nil {
			t.Fatal(err)
		}
		type area struct{ r1, c1, r2, c2 int }
		mergeOf := map[[2]int]area{}
		for _, m := range merges {
			c1, r1, _ := excelize.CellNameToCoordinates(m.GetStartAxis())
			c2, r2, _ := excelize.CellNameToCoordinates(m.GetEndAxis())
			for r := r1; r <= r2; r++ {
				for c := c1; c <= c2; c++ {
					mergeOf[[2]int{r, c}] = area{r1, c1, r2, c2}
				}
			}
		}
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		lastCol := 0
		for _, row := range rows {
			lastCol = max(lastCol, len(row))
		}
		width := func(c int) float64 {
			if v, _ := f.GetColVisible(sheet, colName(c)); !v {
				return 0
			}
			w, _ := f.GetColWidth(sheet, colName(c))
			return w
		}
		height := func(r int) (float64, bool) {
			h, _ := f.GetRowHeight(sheet, r)
			return h, h != 15 // excelize's default for a row with no height of its own
		}
		for ri, row := range rows {
			r := ri + 1
			for ci, v := range row {
				c := ci + 1
				if v == "" || width(c) == 0 {
					continue
				}
				styleID, _ := f.GetCellStyle(sheet, cellName(r, c))
				st, _ := f.GetStyle(styleID)
				size := 11.0
				if st != nil && st.Font != nil && st.Font.Size > 0 {
					size = st.Font.Size
				}
				wrap := st != nil && st.Alignment != nil && st.Alignment.WrapText
				avail, lines := width(c), 1.0
				m, merged := mergeOf[[2]int{r, c}]
				if merged {
					if m.r1 != r || m.c1 != c {
						continue
					}
					avail = 0
					for x := m.c1; x <= m.c2; x++ {
						avail += width(x)
					}
					var h float64
					for y := m.r1; y <= m.r2; y++ {
						hy, _ := height(y)
						h += hy
					}
					lines = math.Floor(h / lineHeight * 11 / size)
				} else if h, fixed := height(r); fixed {
					lines = math.Floor(h / lineHeight * 11 / size)
				} else if wrap {
					continue // the row grows with its text
				}
				typ, _ := f.GetCellType(sheet, cellName(r, c))
				if !wrap && !merged && (typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString || typ == excelize.CellTypeUnset) {
					for x := c + 1; x <= lastCol; x++ { // text runs on over empty cells, within the printed columns
						if _, in := mergeOf[[2]int{r, x}]; in || (x-1 < len(row) && row[x-1] != "") {
							break
						}
						avail += width(x)
					}
				}
				need := wrappedLines(v, avail*11/size-1)
				if !wrap {
					need = 1
					if float64(displayWidth(v))*size/11 > avail {
						need = math.Inf(1)
					}
				}
				if need > math.Max(lines, 1) {
					out = append(out, fmt.Sprintf("%s!%s %q (%d half-widths at %gpt) does not fit: width %.1f, %g line(s)",
						sheet, cellName(r, c), v, displayWidth(v), size, avail, math.Max(lines, 1)))
				}
			}
		}
	}
	return out
}

// TestHeaderFooterText: the page header names institution, report and period, the footer the sheet, the page
// and the generation time; an & from config is doubled, never read as a header code.
func TestHeaderFooterText(t *testing.T) {
	p, err := readmodel.ParsePeriod("2026-10")
	if err != nil {
		t.Fatal(err)
	}
	w := &workbook{lang: "zh", period: p, opts: Options{Institution: "A&B银行", GeneratedAt: generatedAt}}
	header, footer := w.headerFooter()
	if want := "&LA&&B银行&C消费投诉统计月报&R报告期：2026-10"; header != want {
		t.Errorf("header %q, want %q", header, want)
	}
	if want := "&L&A&C第 &P 页，共 &N 页&R生成于 2026-11-01 08:00:00 (北京时间)"; footer != want {
		t.Errorf("footer %q, want %q", footer, want)
	}
}
