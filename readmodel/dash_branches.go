package readmodel

import (
	"context"
	"database/sql"
	"sort"
)

// DashBranchFigures are one branch's figures of a month for the dashboard's branch view: received that month, the
// month before and a year before (mart_dimension_month), and the timeliness sheet's clocks of the month
// (LoadTimeliness: closed on time on the regulatory clock, of those whose flag is known; overdue at the month's end).
type DashBranchFigures struct {
	Branch                                  string // complaints.branch (a branch master code, or the exported text), "" when none
	Received, ReceivedPrev, ReceivedYearAgo int64
	RegulatoryOnTime, RegulatoryKnown       int64
	OverdueAtEnd                            int64
}

// LoadDashBranches reads every branch's figures of month m, in branch order.
func LoadDashBranches(ctx context.Context, db *sql.DB, m Month) ([]DashBranchFigures, error) {
	by := map[string]*DashBranchFigures{}
	get := func(b string) *DashBranchFigures {
		if by[b] == nil {
			by[b] = &DashBranchFigures{Branch: b}
		}
		return by[b]
	}
	sums, err := DashSumDimensions(ctx, db, m-12, m, "branch", "month")
	if err != nil {
		return nil, err
	}
	for _, s := range sums {
		switch s.Keys[1] {
		case m.String():
			get(s.Keys[0]).Received += s.Received
		case (m - 1).String():
			get(s.Keys[0]).ReceivedPrev += s.Received
		case (m - 12).String():
			get(s.Keys[0]).ReceivedYearAgo += s.Received
		}
	}
	rows, err := LoadTimeliness(ctx, db, Period{Kind: Monthly, Start: m, Len: 1})
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		f := get(r.Branch)
		f.RegulatoryOnTime += r.RegulatoryOnTime
		f.RegulatoryKnown += r.RegulatoryKnown
		f.OverdueAtEnd += r.RegulatoryOverdue
	}
	out := make([]DashBranchFigures, 0, len(by))
	for _, f := range by {
		out = append(out, *f)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Branch < out[j].Branch })
	return out, nil
}

// Per10k is n complaints per 10,000 personal customers; false without a customer count.
func Per10k(n, customers int64) (float64, bool) {
	if customers <= 0 {
		return 0, false
	}
	return float64(n) * 10000 / float64(customers), true
}
