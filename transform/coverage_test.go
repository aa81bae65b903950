package transform

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"complaints/catalog"
	"complaints/readmodel"
)

// TestSourceCoverage works coverage by hand on two sources (domain.md section 5, Coverage). hot delivers 20
// complaints a month from 2026-01 to 2026-08 (as of 2026-08-31) but 9 in 2026-04 and 4 in 2026-06; web delivers 2
// a month from 2026-01 to 2026-07 (as of 2026-07-31), so its export for 2026-08 never arrived. Then: 2025-12 is no
// data; 2026-04 is complete (9 is under half the median of 20, but a Poisson count of mean 20 is 9 or fewer with
// probability 0.005: noise, not lost rows); 2026-05 and 2026-07 are complete; 2026-06 is short of hot (4 against a
// median of 20: probability 1.7e-5); 2026-08 misses web (median 2); 2026-09 misses both; 2026-12, past every row,
// misses both; the newest complete month is 2026-07.
func TestSourceCoverage(t *testing.T) {
	var rows []landed
	for m := 1; m <= 8; m++ {
		n := map[int]int{4: 9, 6: 4}[m]
		if n == 0 {
			n = 20
		}
		for i := range n {
			rows = append(rows, landed{batch: 1, source: "hot", id: fmt.Sprintf("H%d-%d", m, i), typ: "投诉",
				received: fmt.Sprintf("2026-%02d-%02d 10:00:00", m, 1+i), channel: "电话", category: "信用卡", cause: "收费", status: "处理中"})
		}
		if m <= 7 {
			for i := range 2 {
				rows = append(rows, landed{batch: 2, source: "web", id: fmt.Sprintf("W%d-%d", m, i), typ: "投诉",
					received: fmt.Sprintf("2026-%02d-2%d 10:00:00", m, i), channel: "网络", category: "信用卡", cause: "收费", status: "处理中"})
			}
		}
	}
	w := setup(t, rows)
	ctx := context.Background()
	for _, s := range []string{`UPDATE batches SET export_as_of = TIMESTAMP '2026-08-31 00:00:00' WHERE batch_id = 1`,
		`UPDATE batches SET export_as_of = TIMESTAMP '2026-07-31 00:00:00' WHERE batch_id = 2`} {
		if _, err := w.DB.Exec(s); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := Normalize(ctx, w, Options{}); err != nil {
		t.Fatal(err)
	}
	cov := func(month string) readmodel.Coverage {
		t.Helper()
		p, err := readmodel.ParsePeriod(month)
		if err != nil {
			t.Fatal(err)
		}
		c, err := readmodel.LoadCoverage(ctx, w.DB, p)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	gaps := func(c readmodel.Coverage) string {
		var out []string
		for _, g := range c.Gaps {
			out = append(out, fmt.Sprintf("%s %s %s %d/%v", g.Month, g.Source, g.Status, g.Received, g.Median))
		}
		return strings.Join(out, ", ")
	}
	for _, tc := range []struct {
		month    string
		complete bool
		gaps     string
	}{
		{"2026-04", true, ""},
		{"2026-05", true, ""},
		{"2026-06", false, "2026-06 hot short 4/20"},
		{"2026-07", true, ""},
		{"2026-08", false, "2026-08 web missing 0/2"},
		{"2026-09", false, "2026-09 hot missing 0/20, 2026-09 web missing 0/2"},
		{"2026-12", false, "2026-12 hot missing 0/0, 2026-12 web missing 0/0"},
		{"2026-Q3", false, "2026-08 web missing 0/2, 2026-09 hot missing 0/20, 2026-09 web missing 0/2"},
	} {
		c := cov(tc.month)
		if c.Complete() != tc.complete || gaps(c) != tc.gaps {
			t.Errorf("%s: complete %v gaps %q, want %v %q", tc.month, c.Complete(), gaps(c), tc.complete, tc.gaps)
		}
		if !c.HasComplete || c.NewestComplete.String() != "2026-07" {
			t.Errorf("%s: newest complete month %s (%v), want 2026-07", tc.month, c.NewestComplete, c.HasComplete)
		}
	}
	before := cov("2025-12")
	if before.Complete() || !before.NoData || !before.IsNoData(before.Period.Start) || before.IsNoData(before.FirstMonth) {
		t.Errorf("2025-12: complete %v, no data %v, want incomplete and no data", before.Complete(), before.NoData)
	}
	err := cov("2026-08").Refusal()
	if !catalog.HasKey(err, "msg_coverage_refused") {
		t.Fatalf("refusal of 2026-08: %v", err)
	}
	en := catalog.Localize(err, "en")
	for _, want := range []string{"2026-08", `"web"`, "2026-07", "median of the previous 6 months: 2"} {
		if !strings.Contains(en, want) {
			t.Errorf("refusal %q lacks %q", en, want)
		}
	}
	if cov("2026-07").Refusal() != nil {
		t.Error("a complete month is refused")
	}
}
