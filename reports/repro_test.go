package reports

import (
	"archive/zip"
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// TestReproducibleBytes: the same data and the same GeneratedAt (the SOURCE_DATE_EPOCH time) give byte-identical
// workbooks, whenever and from whichever warehouse they are written.
func TestReproducibleBytes(t *testing.T) {
	var outs [][]byte
	for i := range 2 {
		db := land(t, e2eRows)
		if i == 1 {
			time.Sleep(1100 * time.Millisecond) // a zip or docProps time taken from the clock would differ now
		}
		_, out := writeE2E(t, db, "zh", "2026-Q3", Options{Branches: 10})
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		outs = append(outs, b)
	}
	if !bytes.Equal(outs[0], outs[1]) {
		t.Errorf("two runs over the same data gave different bytes: entries %v", differingEntries(t, outs[0], outs[1]))
	}
	z, err := zip.NewReader(bytes.NewReader(outs[0]), int64(len(outs[0])))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range z.File {
		if f.Modified.After(time.Date(1981, 1, 1, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("zip entry %s carries time %v", f.Name, f.Modified)
		}
		if f.Name == "docProps/core.xml" {
			rc, _ := f.Open()
			b, _ := io.ReadAll(rc)
			rc.Close()
			if !bytes.Contains(b, []byte("2026-11-01T00:00:00Z")) {
				t.Errorf("core.xml does not carry GeneratedAt: %s", b)
			}
		}
	}
}

// TestLibreOfficeRecalculates has LibreOffice recalculate every formula from scratch and compares the results with
// the values the workbook carries. The copy it converts has the cached values of formula cells removed and a
// profile that tells Calc to always recalculate OOXML files on load.
func TestLibreOfficeRecalculates(t *testing.T) {
	soffice := ""
	for _, name := range []string{"soffice", "libreoffice"} {
		if p, err := exec.LookPath(name); err == nil {
			soffice = p
			break
		}
	}
	if soffice == "" {
		if os.Getenv("COMPLAINTS_REQUIRE_LIBREOFFICE") == "1" {
			t.Fatal("LibreOffice (soffice) is not on PATH and COMPLAINTS_REQUIRE_LIBREOFFICE=1")
		}
		t.Skip("LibreOffice (soffice) is not on PATH")
	}
	// Three workbooks: the quarter of the 19-row fixture (with the bulletin measures), and the two-month fixture's
	// October (timeliness by type and branch) and its annual kind (the disclosure).
	db := land(t, e2eRows)
	fx := landFixture(t, true)
	type book struct {
		orig *excelize.File
		out  string
	}
	var books []book
	for _, x := range []struct {
		db     *sql.DB
		period string
		opts   Options
	}{{db, "2026-Q3", Options{Branches: 500, PersonalCustomers: 20_000_000}}, {fx, "2026-10", Options{}}, {fx, "2026", Options{}}} {
		orig, out := writeE2E(t, x.db, "zh", x.period, x.opts)
		books = append(books, book{orig, out})
	}
	dir := t.TempDir()
	var stripped []string
	counts := map[string]int{}
	for i, b := range books {
		p := filepath.Join(dir, "in", fmt.Sprintf("stripped%d.xlsx", i))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		n := stripCachedValues(t, b.out, p)
		if n < 30 {
			t.Fatalf("workbook %d: only %d cached formula values removed", i, n)
		}
		counts[p] = n
		stripped = append(stripped, p)
	}
	profile := filepath.Join(dir, "profile")
	writeRecalcProfile(t, profile)
	conv := filepath.Join(dir, "out")
	args := append([]string{"-env:UserInstallation=file://" + profile, "--headless", "--norestore", "--nolockcheck",
		"--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", conv}, stripped...)
	cmd := exec.Command(soffice, args...)
	cmd.Env = append(os.Environ(), "HOME="+dir)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, b)
	}
	sheetsWithFormulas := map[string]bool{}
	for i, b := range books {
		re, err := excelize.OpenFile(filepath.Join(conv, filepath.Base(stripped[i])))
		if err != nil {
			t.Fatalf("open LibreOffice's output: %v", err)
		}
		defer re.Close()
		checked := 0
		orig := b.orig
		for _, sheet := range orig.GetSheetList() {
			rows, _ := orig.GetRows(sheet)
			for r := range rows {
				for c := range 30 {
					cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
					fm, _ := orig.GetCellFormula(sheet, cell)
					if fm == "" {
						continue
					}
					sheetsWithFormulas[sheet] = true
					want := get(t, orig, sheet, cell)
					got, _ := re.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
					if !sameNumber(got, want) {
						t.Errorf("workbook %d %s!%s = %s: LibreOffice gives %q, the workbook %q", i, sheet, cell, fm, got, want)
					}
					checked++
				}
			}
		}
		if checked != counts[stripped[i]] {
			t.Errorf("workbook %d: compared %d formula cells, stripped %d", i, checked, counts[stripped[i]])
		}
	}
	for _, sheet := range []string{"业务类别", "时效", "年度投诉情况", "地区机构"} {
		if !sheetsWithFormulas[sheet] {
			t.Errorf("no formula of %s was recalculated", sheet)
		}
	}
}

var cachedValue = regexp.MustCompile(`(<f>[^<]*</f>)<v>[^<]*</v>`)

// stripCachedValues copies an xlsx with the cached value of every formula cell removed, and returns how many.
func stripCachedValues(t *testing.T, in, out string) int {
	t.Helper()
	z, err := zip.OpenReader(in)
	if err != nil {
		t.Fatal(err)
	}
	defer z.Close()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	n := 0
	for _, f := range z.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		if strings.HasPrefix(f.Name, "xl/worksheets/sheet") {
			n += len(cachedValue.FindAll(b, -1))
			b = cachedValue.ReplaceAll(b, []byte("$1"))
		}
		w, err := zw.Create(f.Name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(b)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return n
}

// writeRecalcProfile makes a LibreOffice user profile whose Calc always recalculates Excel 2007+ files on load
// (Tools > Options > Calc > Formula > Recalculation on file load: Always).
func writeRecalcProfile(t *testing.T, dir string) {
	t.Helper()
	user := filepath.Join(dir, "user")
	if err := os.MkdirAll(user, 0o755); err != nil {
		t.Fatal(err)
	}
	xcu := `<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
`
	if err := os.WriteFile(filepath.Join(user, "registrymodifications.xcu"), []byte(xcu), 0o644); err != nil {
		t.Fatal(err)
	}
}

var _ = context.Background

func differingEntries(t *testing.T, a, b []byte) []string {
	read := func(x []byte) map[string]string {
		z, err := zip.NewReader(bytes.NewReader(x), int64(len(x)))
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]string{}
		for i, f := range z.File {
			rc, _ := f.Open()
			c, _ := io.ReadAll(rc)
			rc.Close()
			out[f.Name] = string(rune('0'+i%10)) + string(c)
		}
		return out
	}
	ma, mb := read(a), read(b)
	var diff []string
	for k, v := range ma {
		if mb[k] != v {
			diff = append(diff, k)
		}
	}
	return diff
}
