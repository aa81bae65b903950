package ingest

import (
	"io"
	"regexp"
	"strings"
	"testing"
	"time"

	"complaints/warehouse"
)

var wallClockText = regexp.MustCompile(`^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$`)

// FuzzParseDate: no panic; a parsed date is valid Beijing wall-clock text that parses back to itself.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2026-10-05", "2026/10/05", "2026年10月5日", "05/10/2026", "13/10/2026", "46000", "46000.5",
		"2026-10-05T09:30:00Z", "2026-10-05T09:30:00+08:00", "２０２６－１０－０５", "1900-01-01", "60", "2026-02-29", "20261005"} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, raw string, serials bool) {
		var hint string
		got, ok := parseDateText(raw, nil, serials, false, &hint)
		if !ok {
			return
		}
		if !wallClockText.MatchString(got) {
			t.Fatalf("parseDateText(%q) = %q: not YYYY-MM-DD HH:MM:SS", raw, got)
		}
		tm, err := time.ParseInLocation("2006-01-02 15:04:05", got, warehouse.Beijing)
		if err != nil || warehouse.WallClockText(tm) != got {
			t.Fatalf("parseDateText(%q) = %q: not a valid date (%v)", raw, got, err)
		}
		var hint2 string
		again, ok := parseDateText(got, nil, serials, false, &hint2)
		if !ok || again != got {
			t.Fatalf("parseDateText(%q) = %q, but parseDateText(%q) = %q %v", raw, got, got, again, ok)
		}
		// year-last dates: the same rules (read as settled or ambiguous, never panicking)
		m := &mapper{dates: &dateEvidence{}}
		if txt, st := m.yearLastText(raw); st == yearSettled && !wallClockText.MatchString(txt) {
			t.Fatalf("yearLastText(%q) = %q", raw, txt)
		}
	})
}

// FuzzParseAmount: no panic; the canonical text of an amount reads back to itself.
func FuzzParseAmount(f *testing.F) {
	for _, s := range []string{"1234.5", "１２３４．５", "1万", "1.5万元", "(100)", "1.234,50", "1,234", "12,5", "¥1,200", "RMB 88.00",
		"人民币500元", "-0", "1,2345", "(-5)", "0.001万", "1e5", "..", ",", "万万"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		c, ok := parseAmount(raw)
		if !ok {
			return
		}
		again, ok := parseAmount(c)
		if !ok || again != c {
			t.Fatalf("parseAmount(%q) = %q, but parseAmount(%q) = %q %v", raw, c, c, again, ok)
		}
	})
}

// FuzzHeaderMapping: arbitrary header cells (a tab between cells, a newline between rows) through the header
// finder, the column mapping and the duplicate-header rule: no panic, and a mapped column is inside the header.
func FuzzHeaderMapping(f *testing.F) {
	for _, s := range []string{"工单编号\t受理时间\t投诉内容", "截至2026年10月31日\n工单编号\t受理时间\t投诉内容\t投诉内容",
		"complaint id\treceived at\tnarrative\tnarrative", "\t\t\n\n", "编号\t编号\t编号", "工单编号\t受理时间\n\t时间"} {
		f.Add(s, "")
		f.Add(s, "投诉内容#2")
	}
	f.Fuzz(func(t *testing.T, text, profileCol string) {
		var rows []rawRow
		for i, line := range strings.Split(text, "\n") {
			rows = append(rows, rawRow{Num: i + 1, Fields: strings.Split(line, "\t")})
		}
		i := 0
		next := func() (rawRow, error) {
			if i >= len(rows) {
				return rawRow{}, io.EOF
			}
			i++
			return rows[i-1], nil
		}
		var p *Profile
		if profileCol != "" {
			p = &Profile{Name: "p", Columns: map[string]string{"narrative": profileCol, "source_id": profileCol}}
		}
		header, _, _, _, err := findHeader(next, p)
		if err != nil {
			return
		}
		cm := resolveColumns(header, p)
		for field, c := range cm.Index {
			if c < 0 || c >= len(header) {
				t.Fatalf("%s mapped to column %d of %d", field, c, len(header))
			}
		}
		duplicateHeaders("f.csv", header, cm)
		newMapper("f.csv", &table{Header: header, next: func() (rawRow, error) { return rawRow{}, io.EOF }}, p, []byte("k"))
	})
}
