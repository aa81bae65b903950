package reports

import (
	"context"
	"encoding/csv"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"complaints/catalog"
	"complaints/readmodel"
	"complaints/readmodel/readmodeltest"
)

// cfpbExtracts are the shared CFPB extracts (domain.md section 9): one in the classic MM/DD/YYYY form, one cut
// off mid-row.
var cfpbExtracts = []string{
	filepath.Join("..", "testdata", "public", "cfpb", "consumer_complaints_2016_349rows.csv"),
	filepath.Join("..", "testdata", "public", "cfpb", "complaints_2012_2023_truncated_at_1MiB.csv"),
}

// cfpbMonth counts, straight from the extracts' text, what the workbook of month (YYYY-MM) must show: the
// complaints received in it, those of them with a Closed response, those closed with Timely response Yes, and
// the received by State and by Company.
type cfpbMonth struct {
	received, closed, onTime int
	byState, byCompany       map[string]int
}

func readCFPBMonth(t *testing.T, month string) cfpbMonth {
	t.Helper()
	m := cfpbMonth{byState: map[string]int{}, byCompany: map[string]int{}}
	for _, path := range cfpbExtracts {
		fh, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		r := csv.NewReader(fh)
		r.FieldsPerRecord = -1
		header, err := r.Read()
		if err != nil {
			t.Fatal(err)
		}
		col := map[string]int{}
		for i, h := range header {
			col[h] = i
		}
		for {
			rec, err := r.Read()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil || len(rec) != len(header) { // the row cut off by the truncated download is rejected
				break
			}
			d := rec[col["Date received"]]
			if tm, err := time.Parse("01/02/2006", d); err == nil {
				d = tm.Format("2006-01-02")
			}
			if !strings.HasPrefix(d, month) {
				continue
			}
			m.received++
			m.byState[rec[col["State"]]]++
			m.byCompany[rec[col["Company"]]]++
			if resp := rec[col["Company response to consumer"]]; strings.HasPrefix(resp, "Closed") || resp == "Untimely response" {
				m.closed++
				if rec[col["Timely response?"]] == "Yes" {
					m.onTime++
				}
			}
		}
		fh.Close()
	}
	return m
}

// TestCFPBMonthlyWorkbook: both shared CFPB extracts, ingested through the built-in profile and normalised,
// give a monthly workbook as domain.md section 9 says: closed = the month's complaints with a Closed response
// (counted in the month of receipt: the export has no reply date), on time from "Timely response?", nothing
// overdue, duration bands and handling days "not recorded", the companies as branches and US states as regions;
// and every count is its figure's list.
func TestCFPBMonthlyWorkbook(t *testing.T) {
	ctx := context.Background()
	w := readmodeltest.Landed(t, cfpbExtracts...)
	db := w.DB
	zh := func(key string) string { return catalog.Text(key, "zh") }
	for _, month := range []string{"2023-07", "2016-09"} {
		t.Run(month, func(t *testing.T) {
			want := readCFPBMonth(t, month)
			if want.closed == 0 || want.closed == want.received || (want.onTime == want.closed && month == "2023-07") {
				t.Fatalf("%s: the extracts no longer reach the case (received %d, closed %d, on time %d)", month, want.received, want.closed, want.onTime)
			}
			f, _ := writeE2E(t, db, "zh", month, Options{})
			lists := map[string][]readmodel.ListRow{}
			c := checker{t: t, f: f, total: zh("total"), list: func(figure string) []readmodel.ListRow {
				if rs, ok := lists[figure]; ok {
					return rs
				}
				rs, err := readmodel.ListRows(ctx, db, readmodel.ListOptions{Period: month, Figure: figure})
				if err != nil {
					t.Fatal(err)
				}
				lists[figure] = rs
				return rs
			}, optional: map[string]bool{}}
			sum := zh("sheet_summary")
			value := func(key string) string { return c.cell(sum, 2, c.find(sum, 1, zh(key), 1)) }
			count := func(key string) int64 { return c.int(sum, 2, c.find(sum, 1, zh(key), 1)) }
			if got := count("received"); got != int64(want.received) {
				t.Errorf("received %d, want %d", got, want.received)
			}
			if got := count("closed"); got != int64(want.closed) {
				t.Errorf("closed %d, want %d (the month's complaints with a Closed response)", got, want.closed)
			}
			if got := count("rpt_overdue_at_end"); got != 0 {
				t.Errorf("overdue at end %d, want 0 (no clock applies)", got)
			}
			if got, w := value("rpt_on_time_regulatory"), float64(want.onTime)/float64(want.closed); !sameNumber(got, strconv.FormatFloat(w, 'f', -1, 64)) {
				t.Errorf("regulatory on-time rate %s, want %d/%d", got, want.onTime, want.closed)
			}
			if got := value("rpt_on_time_internal"); got != zh("no_base") {
				t.Errorf("internal on-time rate %q, want %q (no internal clock)", got, zh("no_base"))
			}
			for _, key := range []string{"rpt_closed_0_15", "rpt_closed_16_30", "rpt_closed_31_60", "rpt_closed_over_60"} {
				if got := value(key); got != zh("rpt_not_recorded") {
					t.Errorf("summary %s = %q, want %q", key, got, zh("rpt_not_recorded"))
				}
			}
			if got := value("rpt_avg_handling_days"); got != zh("rpt_not_recorded") {
				t.Errorf("summary average handling days %q, want %q", got, zh("rpt_not_recorded"))
			}
			// R1: counts are their lists; the bands and average days of every row read "not recorded"
			r1 := zh("sheet_r1")
			cols := map[string]colSpec{}
			for key, figure := range map[string]string{"rpt_open_at_start": "open_at_start", "received": "received",
				"closed": "closed", "rpt_overdue_at_end": "overdue_at_end", "rpt_open_at_end": "open_at_end",
				"rpt_helper_regulatory_on_time": "closed_regulatory_on_time", "rpt_helper_regulatory_known": "closed_regulatory_known",
				"rpt_helper_internal_known": "closed_internal_known"} {
				cols[zh(key)] = colSpec{figure, func(readmodel.ListRow) bool { return true }}
			}
			c.table(r1, r1Header, 1, cols, func(r readmodel.ListRow) string { return catalog.Label("business_category", r.Category, "zh") })
			totalRow := c.find(r1, 1, zh("total"), r1Header)
			for r := r1Header + 1; r <= totalRow; r++ {
				if closed := c.int(r1, r1Closed, r); closed == 0 {
					continue
				}
				for _, col := range []int{r1Band0, r1Band16, r1Band31, r1Band60, r1AvgDays} {
					if got := c.cell(r1, col, r); got != zh("rpt_not_recorded") {
						t.Errorf("R1 row %q column %d = %q, want %q", c.cell(r1, 1, r), col, got, zh("rpt_not_recorded"))
					}
				}
			}
			if note := c.cell(r1, 1, totalRow+2); !strings.Contains(note, "CFPB") {
				t.Errorf("R1 note %q: want the note on closed complaints without reply dates", note)
			}
			// R3: regions are US states by name under a State heading, branches are the companies
			r3 := zh("rpt_sheet_r3")
			c.table(r3, c.find(r3, 1, zh("rpt_us_state"), 3), 1, map[string]colSpec{zh("received"): {"received", func(readmodel.ListRow) bool { return true }}},
				func(r readmodel.ListRow) string {
					if r.Province == "" {
						return zh("rpt_not_recorded")
					}
					return catalog.Label("province", r.Province, "zh")
				})
			if got := c.cell(r3, 1, 3); got != zh("rpt_by_us_state") {
				t.Errorf("R3 section title %q, want %q", got, zh("rpt_by_us_state"))
			}
			for state, name := range map[string]string{"CA": "加利福尼亚州", "FL": "佛罗里达州", "TX": "得克萨斯州"} {
				row := c.find(r3, 1, name, 3)
				if got := c.int(r3, 2, row); got != int64(want.byState[state]) {
					t.Errorf("R3 %s: %d, want %d from the extracts", name, got, want.byState[state])
				}
			}
			// 时效: no time limit applies, so they have their own row, not type missing; its total is R1's closed
			tl := zh("rk_sheet_timeliness")
			if row := c.find(tl, 1, zh("rk_no_time_limit"), tlClassHeader); c.int(tl, tlClosed, row) != int64(want.closed) {
				t.Errorf("timeliness no-limit row: closed %d, want %d", c.int(tl, tlClosed, row), want.closed)
			} else if got := c.cell(tl, tlAvgWorkdays, row); got != zh("rpt_not_recorded") {
				t.Errorf("timeliness no-limit row: average working days %q, want %q", got, zh("rpt_not_recorded"))
			}
			tlTotal := c.find(tl, 1, zh("total"), tlClassHeader)
			for r := tlClassHeader + 1; r < tlTotal; r++ {
				if c.cell(tl, 1, r) == zh("list_type_missing") {
					t.Errorf("timeliness: a type-missing row (row %d) for complaints without a clock", r)
				}
			}
			if got := c.int(tl, tlClosed, tlTotal); got != c.int(r1, r1Closed, totalRow) {
				t.Errorf("timeliness total closed %d, want R1's %d", got, c.int(r1, r1Closed, totalRow))
			}
			branchHeader := c.find(r3, 5, zh("rpt_branch"), 3)
			c.table(r3, branchHeader, 5, map[string]colSpec{zh("received"): {"received", func(readmodel.ListRow) bool { return true }}},
				func(r readmodel.ListRow) string { return r.Branch })
			for r := branchHeader + 1; c.cell(r3, 5, r) != zh("total"); r++ {
				if name := c.cell(r3, 5, r); c.int(r3, 6, r) != int64(want.byCompany[name]) {
					t.Errorf("R3 branch %q: %d, want %d complaints of that Company", name, c.int(r3, 6, r), want.byCompany[name])
				}
			}
		})
	}
	// the data-quality checks flag none of them as closed without a reply date, nor their clocks as missing
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM consistency_issues WHERE check_code IN ('closed_without_reply', 'calendar_year_missing', 'type_missing')`).Scan(&n); err != nil || n != 0 {
		t.Errorf("%d consistency issues on CFPB complaints (%v), want 0", n, err)
	}
}

// TestCFPBDisclosureRegionsAreStates: the annual disclosure of a warehouse holding the CFPB extracts heads its
// region ranking with US states, in Chinese and English, and says nothing of provinces (its footnote on the
// complaints without a region included).
func TestCFPBDisclosureRegionsAreStates(t *testing.T) {
	w := readmodeltest.Landed(t, cfpbExtracts...)
	for _, lang := range []string{"zh", "en"} {
		f, _ := writeE2E(t, w.DB, lang, "2016", Options{})
		s := catalog.Text("rk_sheet_disclosure", lang)
		rows, err := f.GetRows(s)
		if err != nil {
			t.Fatal(err)
		}
		section, heading := -1, ""
		for i, r := range rows {
			if len(r) > 0 && r[0] == catalog.Text("rk_disclosure_by_region", lang) {
				section = i
			}
			if section >= 0 && i == section+1 && len(r) > 0 {
				heading = r[0]
			}
		}
		if section < 0 {
			t.Fatalf("%s: no region section in the disclosure", lang)
		}
		if want := catalog.Text("rpt_us_state", lang); heading != want {
			t.Errorf("%s: region heading %q, want %q", lang, heading, want)
		}
		if got := rows[section+2][0]; got == "" || strings.ContainsAny(got, "省市") {
			t.Errorf("%s: first ranked region %q, want a US state", lang, got)
		}
		for _, r := range rows[section:] {
			for _, cell := range r {
				if strings.Contains(cell, "省份") || strings.Contains(strings.ToLower(cell), "province") {
					t.Errorf("%s: the region section speaks of provinces: %q", lang, cell)
				}
			}
		}
	}
}
