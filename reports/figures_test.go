package reports

import (
	"cmp"
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"complaints/catalog"
	"complaints/readmodel"
)

// TestEveryCountIsItsList proves the one definition of the figures: for every count of the workbook (the summary,
// R1 by category and total, R2 cause by category, R3 by province and branch, the intake channels, the timeliness
// sheet by complaint type and branch), the list of that figure (readmodel.ListRows) holds exactly the complaints
// counted. The fixture has a duplicate group holding a regulator referral (O3 O4), withdrawn complaints, invalid
// reply dates, complaints open past both deadlines and a month past the newest export (2026-12: no stocks).
func TestEveryCountIsItsList(t *testing.T) {
	db := landFixture(t, true)
	ctx := context.Background()
	names, err := readmodel.LoadBranchLabels(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	zh := func(key string) string { return catalog.Text(key, "zh") }
	label := func(dim, code string) string { return catalog.Label(dim, code, "zh") }
	branch := func(r readmodel.ListRow) string {
		if r.Branch == "" {
			return zh("rpt_not_recorded")
		}
		if n, ok := names[r.Branch]; ok {
			return n
		}
		return r.Branch
	}
	all := func(readmodel.ListRow) bool { return true }
	for _, period := range []string{"2026-09", "2026-10", "2026-Q4", "2026-11", "2026-12"} {
		t.Run(period, func(t *testing.T) {
			f, _ := writeE2E(t, db, "zh", period, Options{})
			lists := map[string][]readmodel.ListRow{}
			list := func(figure string) []readmodel.ListRow {
				if rs, ok := lists[figure]; ok {
					return rs
				}
				rs, err := readmodel.ListRows(ctx, db, readmodel.ListOptions{Period: period, Figure: figure})
				if err != nil {
					t.Fatal(err)
				}
				lists[figure] = rs
				return rs
			}
			fig := func(figure string) colSpec { return colSpec{figure, all} }
			c := checker{t: t, f: f, list: list, total: zh("total"), optional: map[string]bool{
				zh("rpt_helper_regulatory_known"): true, zh("rpt_helper_internal_known"): true}}
			for _, cat := range append(catalog.Dimension("business_category"), catalog.Code{Code: "unmapped"}) {
				c.optional[label("business_category", cat.Code)] = true
			}

			// the summary: one row per figure, the period's count in column B
			for key, figure := range map[string]string{"received": "received", "received_regulator": "received_regulator",
				"received_major": "received_major", "closed": "closed", "rpt_closed_0_15": "closed_0_15",
				"rpt_closed_16_30": "closed_16_30", "rpt_closed_31_60": "closed_31_60", "rpt_closed_over_60": "closed_over_60",
				"rpt_open_at_start": "open_at_start", "rpt_open_at_end": "open_at_end", "rpt_overdue_at_end": "overdue_at_end",
				"rpt_repeat_complaints": "repeat_complaints"} {
				row := c.find(zh("sheet_summary"), 1, zh(key), 1)
				want := int64(len(list(figure)))
				if p, _ := readmodel.ParsePeriod(period); key == "rpt_repeat_complaints" && p.Len > 1 {
					// a longer period's repeat figures are the sums of its months' (def_repeat_complaints)
					want = 0
					for m := p.Start; m <= p.End(); m++ {
						rs, err := readmodel.ListRows(ctx, db, readmodel.ListOptions{Period: m.String(), Figure: figure})
						if err != nil {
							t.Fatal(err)
						}
						want += int64(len(rs))
					}
				}
				if got := c.int(zh("sheet_summary"), 2, row); got != want {
					t.Errorf("summary %s: %d counted, %d listed", key, got, want)
				}
			}
			r1 := map[string]colSpec{}
			for key, figure := range map[string]string{"rpt_open_at_start": "open_at_start", "received": "received",
				"received_regulator": "received_regulator", "received_major": "received_major", "closed": "closed",
				"rpt_closed_0_15": "closed_0_15", "rpt_closed_16_30": "closed_16_30", "rpt_closed_31_60": "closed_31_60",
				"rpt_closed_over_60": "closed_over_60", "rpt_overdue_at_end": "overdue_at_end", "rpt_open_at_end": "open_at_end",
				"rpt_helper_regulatory_on_time": "closed_regulatory_on_time", "rpt_helper_internal_on_time": "closed_internal_on_time",
				"rpt_helper_regulatory_known": "closed_regulatory_known", "rpt_helper_internal_known": "closed_internal_known"} {
				r1[zh(key)] = fig(figure)
			}
			c.table(zh("sheet_r1"), 3, 1, r1, func(r readmodel.ListRow) string { return label("business_category", r.Category) })

			r2 := map[string]colSpec{zh("total"): fig("received")}
			for _, cat := range catalog.Dimension("business_category") {
				r2[label("business_category", cat.Code)] = colSpec{"received", func(r readmodel.ListRow) bool { return r.Category == cat.Code }}
			}
			r2[label("business_category", "unmapped")] = colSpec{"received", func(r readmodel.ListRow) bool { return r.Category == "unmapped" }}
			c.table(zh("sheet_r2"), 3, 1, r2, func(r readmodel.ListRow) string { return label("cause", r.Cause) })

			r3 := zh("rpt_sheet_r3")
			c.table(r3, c.find(r3, 1, zh("rpt_province"), 3), 1, map[string]colSpec{zh("received"): fig("received")},
				func(r readmodel.ListRow) string {
					if r.Province == "" {
						return zh("rpt_not_recorded")
					}
					return label("province", r.Province)
				})
			c.table(r3, c.find(r3, 5, zh("rpt_branch"), 3), 5, map[string]colSpec{zh("received"): fig("received")}, branch)

			c.table(zh("rpt_sheet_channels"), 3, 1, map[string]colSpec{zh("received"): fig("received")},
				func(r readmodel.ListRow) string { return label("intake_channel", r.IntakeChannel) })
			// regulator referral is one figure: R1's 其中：监管转送 is the intake table's regulator-referral row
			if n := len(list("received_regulator")); n > 0 {
				row := c.find(zh("rpt_sheet_channels"), 1, label("intake_channel", "regulator_referral"), 4)
				if got := c.int(zh("rpt_sheet_channels"), 2, row); got != int64(n) {
					t.Errorf("intake channels: %d on the regulator-referral row, %d regulator-referred", got, n)
				}
			}

			tl := zh("rk_sheet_timeliness")
			timeliness := map[string]colSpec{}
			for key, figure := range map[string]string{"closed": "closed", "rk_internal_on_time": "closed_internal_on_time",
				"rk_regulatory_on_time": "closed_regulatory_on_time", "rpt_open_at_end": "open_at_end",
				"rk_internal_overdue_at_end": "internal_overdue_at_end", "rpt_overdue_at_end": "overdue_at_end",
				"rpt_helper_internal_known": "closed_internal_known", "rpt_helper_regulatory_known": "closed_regulatory_known"} {
				timeliness[zh(key)] = fig(figure)
			}
			c.table(tl, c.find(tl, 1, zh("rk_complaint_type"), 3), 1, timeliness, func(r readmodel.ListRow) string {
				if r.Class == "" {
					return zh("list_type_missing")
				}
				return label("complaint_class", r.Class)
			})
			c.table(tl, c.find(tl, 1, zh("rpt_branch"), 3), 1, timeliness, branch)
		})
	}
	// the lists know every figure the macro defines
	figures := map[string]bool{}
	for _, months := range [][2]string{{"2025-01-01", "2026-12-01"}, {"2026-10-01", "2026-10-01"}} {
		rows, err := db.QueryContext(ctx, `SELECT DISTINCT figure FROM figure_members(CAST(? AS DATE), CAST(? AS DATE))`, months[0], months[1])
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var f string
			if err := rows.Scan(&f); err != nil {
				t.Fatal(err)
			}
			figures[f] = true
		}
		rows.Close()
	}
	for _, f := range readmodel.ListFigures {
		if !figures[f] {
			t.Errorf("ListFigures has %s, which the fixture never yields (or figure_members does not define)", f)
		}
		delete(figures, f)
	}
	for f := range figures {
		t.Errorf("figure_members yields %s, which readmodel.ListFigures lacks", f)
	}
	// the list's filters select what the tables group by
	for _, figure := range []string{"received", "closed", "open_at_end"} {
		all, err := readmodel.ListRows(ctx, db, readmodel.ListOptions{Period: "2026-Q4", Figure: figure})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range all {
			for name, o := range map[string]readmodel.ListOptions{
				"category": {Category: r.Category}, "cause": {Cause: r.Cause}, "intake channel": {IntakeChannel: r.IntakeChannel},
				"province": {Province: r.Province}, "class": {Class: cmp.Or(r.Class, "missing")},
			} {
				if o.Province == "" && name == "province" {
					continue // "" is no filter
				}
				o.Period, o.Figure = "2026-Q4", figure
				got, err := readmodel.ListRows(ctx, db, o)
				if err != nil {
					t.Fatal(err)
				}
				want := 0
				for _, x := range all {
					if (o.Category == "" || x.Category == o.Category) && (o.Cause == "" || x.Cause == o.Cause) &&
						(o.IntakeChannel == "" || x.IntakeChannel == o.IntakeChannel) && (o.Province == "" || x.Province == o.Province) &&
						(o.Class == "" || cmp.Or(x.Class, "missing") == o.Class) {
						want++
					}
				}
				if len(got) != want {
					t.Errorf("%s %s %+v: %d listed, %d among all", figure, name, o, len(got), want)
				}
			}
		}
	}
	// the fixture reaches what the test is about: a moved regulator referral, and no stock past the newest export
	moved, err := readmodel.LoadChannelMoves(ctx, db, mustPeriod(t, "2026-10"))
	if err != nil || moved != 1 {
		t.Errorf("October's complaints moved to the regulator-referral row: %d (%v), want 1 (O3 through O4)", moved, err)
	}
	for _, x := range []struct {
		period, figure string
		want           int
	}{{"2026-11", "open_at_end", 6}, {"2026-12", "open_at_start", 0}, {"2026-12", "open_at_end", 0}, {"2026-Q4", "open_at_end", 0}} {
		rs, err := readmodel.ListRows(ctx, db, readmodel.ListOptions{Period: x.period, Figure: x.figure})
		if err != nil || len(rs) != x.want {
			t.Errorf("%s %s: %d listed (%v), want %d", x.period, x.figure, len(rs), err, x.want)
		}
	}
}

func mustPeriod(t *testing.T, s string) readmodel.Period {
	t.Helper()
	p, err := readmodel.ParsePeriod(s)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// colSpec is what a column of a sheet's table counts: the members of a figure that keep holds.
type colSpec struct {
	figure string
	keep   func(readmodel.ListRow) bool
}

type checker struct {
	t     *testing.T
	f     *excelize.File
	list  func(figure string) []readmodel.ListRow
	total string
	// optional are the headers a table may lack: the known-clock helpers (only with unknown flags), R2's
	// categories without complaints
	optional map[string]bool
}

func (c checker) cell(sheet string, col, row int) string {
	c.t.Helper()
	name, _ := excelize.CoordinatesToCellName(col, row)
	v, err := c.f.GetCellValue(sheet, name, excelize.Options{RawCellValue: true})
	if err != nil {
		c.t.Fatalf("%s!%s: %v", sheet, name, err)
	}
	return v
}

func (c checker) int(sheet string, col, row int) int64 {
	c.t.Helper()
	v := c.cell(sheet, col, row)
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		name, _ := excelize.CoordinatesToCellName(col, row)
		c.t.Fatalf("%s!%s = %q: not a count", sheet, name, v)
	}
	return n
}

// find is the first row from `from` whose cell in col is text.
func (c checker) find(sheet string, col int, text string, from int) int {
	c.t.Helper()
	for r := from; r < from+200; r++ {
		if c.cell(sheet, col, r) == text {
			return r
		}
	}
	c.t.Fatalf("%s: no %q in column %d", sheet, text, col)
	return 0
}

// table checks a table whose header is at row header and whose row labels are in labelCol, down to its total row:
// every cell under a header of cols holds the number of listed complaints of the column's figure kept by it whose
// label (rowLabel) is the row's (all of them on the total row), and no listed complaint has a label the table
// lacks.
func (c checker) table(sheet string, header, labelCol int, cols map[string]colSpec, rowLabel func(readmodel.ListRow) string) {
	c.t.Helper()
	byCol := map[int]colSpec{}
	found := map[string]bool{}
	for col := labelCol + 1; c.cell(sheet, col, header) != ""; col++ { // up to the table's last column
		if s, ok := cols[c.cell(sheet, col, header)]; ok {
			byCol[col] = s
			found[c.cell(sheet, col, header)] = true
		}
	}
	for h := range cols { // every column asked for is checked, except the optional ones (helpers, categories)
		if !found[h] && !c.optional[h] {
			c.t.Errorf("%s: no column %q at row %d", sheet, h, header)
		}
	}
	labels := map[string]bool{}
	totalSeen := false
	for r := header + 1; !totalSeen; r++ {
		l := c.cell(sheet, labelCol, r)
		if l == "" {
			c.t.Fatalf("%s: the table of row %d has no total row", sheet, header)
		}
		totalSeen = l == c.total
		labels[l] = true
		for col, s := range byCol {
			var want int64
			for _, x := range c.list(s.figure) {
				if s.keep(x) && (totalSeen || rowLabel(x) == l) {
					want++
				}
			}
			if got := c.int(sheet, col, r); got != want {
				c.t.Errorf("%s row %q column %q: %d counted, %d listed", sheet, l, c.cell(sheet, col, header), got, want)
			}
		}
	}
	for _, s := range byCol {
		for _, x := range c.list(s.figure) {
			if s.keep(x) && !labels[rowLabel(x)] {
				c.t.Errorf("%s: %s lists %s (%q), a row the table lacks", sheet, s.figure, strings.TrimPrefix(x.Key, "hotline:"), rowLabel(x))
			}
		}
	}
}
