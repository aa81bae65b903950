package rootcause

import (
	"math"
	"testing"
	"time"

	"complaints/catalog"
)

// handWorked is a bank of 13 months (2025-10 .. 2026-10, the period) with a constant volume of 200 complaints a
// month: branch GD001 (天河支行) has 10 service_quality complaints a month, then 20 from 2026-08 (months 10-12);
// a cause nobody had before (pricing_fees) appears in the period only, 15 at GD001. The rest of the volume is
// filler at GD002 (payment_settlement x other).
func handWorked() (*Findings, seriesSet) {
	months := make([]string, 13)
	for i := range months {
		months[i] = monthAdd("2025-10", i)
	}
	var cells []cell
	for i := range months {
		x, nw := 10, 0
		if i >= 10 {
			x = 20
		}
		if i == 12 {
			nw = 15
		}
		cells = append(cells,
			cell{month: i, category: "credit_card", cause: "service_quality", branch: "GD001", bizChannel: "branch_counter", n: x},
			cell{month: i, category: "payment_settlement", cause: "other", branch: "GD002", bizChannel: "online_banking", n: 200 - x - nw})
		if nw > 0 {
			cells = append(cells, cell{month: i, category: "credit_card", cause: "pricing_fees", branch: "GD001", bizChannel: "branch_counter", n: nw})
		}
	}
	s := buildSeries(cells, len(months), map[string]string{"GD001": "天河支行"})
	o := Options{Period: months[12]}.withDefaults()
	f := &Findings{Period: o.Period, Options: o, Months: months}
	analyzeSeries(f, s, months, months[0], o)
	return f, s
}

func monthAdd(m string, n int) string {
	t, _ := time.Parse("2006-01", m)
	return t.AddDate(0, n, 0).Format("2006-01")
}

func rankedOf(f *Findings, typ string, k Key) *Finding {
	for i, fd := range f.Ranked {
		if fd.Type == typ && fd.Key.id() == k.id() {
			return &f.Ranked[i]
		}
	}
	return nil
}

// TestExcessByHand: the rising finding of 天河支行 x service attitude expects 10 a month (200 x 100/2000) over
// 2026-08..10, observes 60: excess 30 since 2026-08 (3 months), rise +100%, and its sentence is msg_excess_run
// with those words; the ranking puts the largest excess first.
func TestExcessByHand(t *testing.T) {
	f, _ := handWorked()
	k := Key{Kind: KindBranchCause, Parts: []string{"GD001", "service_quality"}, Names: []string{"天河支行", ""}}
	fd := rankedOf(f, FindingRising, k)
	if fd == nil {
		t.Fatalf("no rising finding for %v; ranked: %+v", k, f.Ranked)
	}
	if fd.Observed != 60 || !near(fd.Expected, 30, 1e-9) || !near(fd.Excess, 30, 1e-9) {
		t.Errorf("observed %d expected %.3f excess %.3f, want 60, 30, 30", fd.Observed, fd.Expected, fd.Excess)
	}
	if fd.FirstMonth != "2026-08" || fd.RunMonths != 3 || fd.New || fd.Rise == nil || !near(*fd.Rise, 1, 1e-9) {
		t.Errorf("first %s run %d new %v rise %v, want 2026-08, 3, false, 1", fd.FirstMonth, fd.RunMonths, fd.New, fd.Rise)
	}
	want := catalog.Msg("msg_excess_window", "天河支行 × "+catalog.Label("cause", "service_quality", "zh"), "2026年8月", 3, 30, "10.0", 3, 60).In("zh")
	if fd.Sentence["zh"] != want || fd.Sentence["en"] == "" {
		t.Errorf("sentence %q, want %q", fd.Sentence["zh"], want)
	}
	if len(f.Ranked) != f.Discoveries {
		t.Errorf("%d ranked findings, %d discoveries", len(f.Ranked), f.Discoveries)
	}
	for i := 1; i < len(f.Ranked); i++ {
		if f.Ranked[i].Excess > f.Ranked[i-1].Excess {
			t.Errorf("not ranked by excess: %v", f.Ranked)
		}
	}
	rf := rankedOf(f, FindingRecurring, k)
	if rf == nil || rf.Observed != 90 || !near(rf.Expected, 60, 1e-9) || rf.FirstMonth != "2026-08" ||
		rf.Sentence["zh"] != catalog.Msg("msg_excess_recurring", "天河支行 × "+catalog.Label("cause", "service_quality", "zh"), "2026年8月", 3, 30, "10.0", 6).In("zh") {
		t.Errorf("recurring finding %+v", rf)
	}
	rc := findRecurring(f, k)
	if rc == nil || !rc.Elevated || rc.FirstSeen != "2026-08" {
		t.Errorf("recurring %+v: want elevated, first seen 2026-08 (the first month of the excess)", rc)
	}
}

// TestNewSeriesIsNew: a cause with nothing in its baseline is "new" (no rise, never +Inf), since the period.
func TestNewSeriesIsNew(t *testing.T) {
	f, _ := handWorked()
	k := Key{Kind: KindCause, Parts: []string{"pricing_fees"}}
	fd := rankedOf(f, FindingEmerging, k)
	if fd == nil {
		t.Fatalf("no emerging finding for the new cause; ranked: %+v", f.Ranked)
	}
	if !fd.New || fd.Rise != nil || fd.Expected != 0 || fd.FirstMonth != "2026-10" || fd.Observed != 15 {
		t.Errorf("new %v rise %v expected %v first %s observed %d", fd.New, fd.Rise, fd.Expected, fd.FirstMonth, fd.Observed)
	}
	if want := catalog.Msg("msg_excess_new", catalog.Label("cause", "pricing_fees", "en"), "Oct 2026", 15).In("en"); fd.Sentence["en"] != want {
		t.Errorf("sentence %q, want %q", fd.Sentence["en"], want)
	}
	for _, e := range f.Emerging {
		if e.Key.id() == k.id() && (!e.New || e.Rise != 0 || math.IsInf(e.Rise, 0)) {
			t.Errorf("emerging %+v: want new without a rise", e)
		}
	}
}

// TestOpenActionIsNotNew: an open action on the new cause marks its findings under remediation, never new.
func TestOpenActionIsNotNew(t *testing.T) {
	f, _ := handWorked()
	ApplyRemediation(f, []Action{{Cause: "pricing_fees", Action: "复核收费公示", Status: "进行中", Due: "2026-12-31"}})
	n := 0
	for _, fd := range f.Ranked {
		if fd.Key.Kind == KindCause && fd.Key.Parts[0] == "pricing_fees" || fd.Key.Kind == KindBranchCause && fd.Key.Parts[1] == "pricing_fees" {
			n++
			if fd.New || !fd.UnderRemediation || fd.Sentence["zh"] == catalog.Msg("msg_excess_new", KeyLabel(fd.Key, "zh"), "2026年10月", 15).In("zh") {
				t.Errorf("%v: new %v under remediation %v, sentence %q", fd.Key, fd.New, fd.UnderRemediation, fd.Sentence["zh"])
			}
		}
	}
	for _, e := range f.Emerging {
		if e.Key.Parts[0] == "pricing_fees" && (e.New || !e.UnderRemediation) {
			t.Errorf("emerging %v still new", e.Key)
		}
	}
	if n == 0 {
		t.Fatal("no finding of the new cause")
	}
}

// TestRemediationEffectByHand: 10 a month for 6 months, action done in month 7, then 2 a month for 5 months: the
// drop is significant (P(X <= 10 | 70, 5/11) is tiny); 9 a month after is not.
func TestRemediationEffectByHand(t *testing.T) {
	months := make([]string, 12)
	complete := make([]bool, 12)
	for i := range months {
		months[i] = monthAdd("2025-11", i)
		complete[i] = true
	}
	a := Action{Cause: "service_quality", Action: "培训", Status: "完成", Due: months[6] + "-15"}
	counts := func(after int) []int {
		c := make([]int, 12)
		for i := range c {
			c[i] = 10
			if i > 6 {
				c[i] = after
			}
		}
		c[6] = 100 // the action's own month counts on neither side
		return c
	}
	e := remediationEffect(a, months, counts(2), complete)
	if e == nil || e.BeforeMonths != 6 || e.AfterMonths != 5 || e.Before != 60 || e.After != 10 || !near(e.BeforeRate, 10, 1e-9) || !near(e.AfterRate, 2, 1e-9) {
		t.Fatalf("effect %+v", e)
	}
	if !e.Significant || e.P > 1e-6 {
		t.Errorf("drop 10 -> 2 a month: p %g significant %v", e.P, e.Significant)
	}
	if e.Sentence["zh"] != catalog.Msg("msg_excess_remedy_drop", a.Due, "10.0", "2.0", 6, 5).In("zh") {
		t.Errorf("sentence %q", e.Sentence["zh"])
	}
	e = remediationEffect(a, months, counts(9), complete)
	if e == nil || e.Significant || e.P < 0.2 {
		t.Errorf("drop 10 -> 9 a month: %+v, want not significant", e)
	}
	// finished in month 4 although due in month 7: the comparison splits at the completion day's month
	a.Completed = months[3] + "-20"
	c := counts(2)
	c[4], c[5], c[6] = 2, 2, 2
	e = remediationEffect(a, months, c, complete)
	if e == nil || e.Date != a.Completed || e.BeforeMonths != 3 || e.AfterMonths != 8 || e.Before != 30 || e.After != 16 {
		t.Errorf("effect of an action completed before its due day: %+v", e)
	}
	a.Completed = ""
	// through ApplyRemediation: the hand-worked rise with an action done in 2026-02 shows no drop
	f, _ := handWorked()
	ApplyRemediation(f, []Action{{Branch: "天河支行", Cause: "service_quality", Action: "培训", Status: "done", Due: "2026-02-15"}})
	fd := rankedOf(f, FindingRising, Key{Kind: KindBranchCause, Parts: []string{"GD001", "service_quality"}, Names: []string{"天河支行", ""}})
	if fd == nil || fd.Effect == nil || fd.Effect.Before != 40 || fd.Effect.After != 110 || fd.Effect.Significant || fd.UnderRemediation {
		t.Errorf("effect %+v", fd)
	}
}
