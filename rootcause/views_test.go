package rootcause

import (
	"fmt"
	"testing"
)

// TestViews: the causes view keeps the top causes by complaints over the months and sums the rest; the channel
// view lists every channel, most first; FlaggedSeries lists each ranked series once, in rank order, with the
// months its findings tested; NoData is before the data's first month.
func TestViews(t *testing.T) {
	months := []string{"2026-08", "2026-09", "2026-10"}
	var cells []cell
	add := func(m int, cause, channel string, n int) {
		cells = append(cells, cell{month: m, category: "loans", cause: cause, bizChannel: channel, n: n})
	}
	add(1, "a", "mobile_app", 5)
	add(2, "a", "mobile_app", 50)
	add(1, "b", "branch_counter", 8)
	add(2, "b", "branch_counter", 8)
	add(1, "c", "branch_counter", 3)
	add(2, "d", "branch_counter", 1)
	f := &Findings{Months: months, series: buildSeries(cells, len(months), nil), firstData: "2026-09"}
	if got := fmt.Sprint(f.CauseView(2)); got != "[{a [0 5 50] false [] []} {b [0 8 8] false [] []} { [0 3 1] true [] []}]" {
		t.Errorf("cause view %s", got)
	}
	if got := fmt.Sprint(f.ChannelView()); got != "[{mobile_app [0 5 50] false [] []} {branch_counter [0 11 9] false [] []}]" {
		t.Errorf("channel view %s", got)
	}
	if got := fmt.Sprint(f.TotalCounts()); got != "[0 16 59]" {
		t.Errorf("total %s", got)
	}
	a := Key{Kind: KindCause, Parts: []string{"a"}}
	f.Ranked = []Finding{{Type: FindingEmerging, Key: a, Months: months[2:]}, {Type: FindingPeer, Key: Key{Kind: KindBranch, Parts: []string{"x"}}, Months: months[1:]},
		{Type: FindingRising, Key: a, Months: months[1:]}}
	got := f.FlaggedSeries()
	if len(got) != 2 || got[0].Key.id() != a.id() || fmt.Sprint(got[0].Types, got[0].Tested) != "[emerging rising] [false true true]" ||
		fmt.Sprint(got[1].Types, got[1].Tested) != "[peer] [false true true]" {
		t.Errorf("flagged series %+v", got)
	}
	if !f.NoData("2026-08") || f.NoData("2026-09") {
		t.Error("NoData")
	}
}
