package readmodel

// Readers of the marts that only the dashboards use. Every identifier here starts with Dash so that this file can
// grow beside the reports' readers without name clashes.

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"complaints/catalog"
	"complaints/internal/sqlrows"
)

// DashMonthFigures are mart_category_month's figures of one month summed over business categories: flows
// (received ... satisfied) and the month-end stocks (open and overdue at end), which add up over categories
// because every category's stock is taken on the same day.
type DashMonthFigures struct {
	Received, Closed                                      int64
	ReceivedRegulator                                     int64
	Closed0To15, Closed16To30, Closed31To60, ClosedOver60 int64
	ClosedDaysUnknown                                     int64 // closed without handling days (sources without reply dates)
	RegulatoryOnTime, InternalOnTime                      int64
	RegulatoryKnown, InternalKnown                        int64 // closed whose flag on each clock is known: the rates' denominators
	HandlingDaysSum                                       int64
	SatisfactionRecorded, Satisfied                       int64
	OpenAtEnd, OverdueAtEnd                               int64
}

// LoadDashMonthFigures reads mart_category_month for the months from..to, summed over business categories.
func LoadDashMonthFigures(ctx context.Context, db *sql.DB, from, to Month) (map[Month]DashMonthFigures, error) {
	type row struct {
		month Month
		f     DashMonthFigures
	}
	out := map[Month]DashMonthFigures{}
	err := sqlrows.Each(ctx, db, func(r *row) []any {
		f := &r.f
		return []any{&r.month, &f.Received, &f.Closed, &f.ReceivedRegulator, &f.Closed0To15, &f.Closed16To30,
			&f.Closed31To60, &f.ClosedOver60, &f.RegulatoryOnTime, &f.InternalOnTime, &f.HandlingDaysSum,
			&f.SatisfactionRecorded, &f.Satisfied, &f.OpenAtEnd, &f.OverdueAtEnd, &f.RegulatoryKnown, &f.InternalKnown,
			&f.ClosedDaysUnknown}
	}, func(r row) error {
		out[r.month] = r.f
		return nil
	}, `
		SELECT strftime(month, '%Y-%m'), sum(received)::BIGINT, sum(closed)::BIGINT, sum(received_regulator)::BIGINT,
		       sum(closed_0_15)::BIGINT, sum(closed_16_30)::BIGINT, sum(closed_31_60)::BIGINT, sum(closed_over_60)::BIGINT,
		       sum(closed_regulatory_on_time)::BIGINT, sum(closed_internal_on_time)::BIGINT, sum(handling_days_sum)::BIGINT,
		       sum(satisfaction_recorded)::BIGINT, sum(satisfied)::BIGINT, sum(open_at_end)::BIGINT, sum(overdue_at_end)::BIGINT,
		       (sum(closed) - sum(closed_regulatory_unknown))::BIGINT, (sum(closed) - sum(closed_internal_unknown))::BIGINT,
		       sum(closed_days_unknown)::BIGINT
		FROM mart_category_month
		WHERE month BETWEEN CAST(? AS DATE) AND CAST(? AS DATE)
		GROUP BY month ORDER BY month`, from.FirstDay(), to.FirstDay())
	if err != nil {
		return nil, fmt.Errorf("read mart_category_month %s..%s: %w", from, to, err)
	}
	return out, nil
}

// DashRepeatFigures are mart_month's repeat-complainant figures of one month.
type DashRepeatFigures struct {
	Received, RepeatCustomers, RepeatComplaints int64
}

// LoadDashRepeats reads mart_month's repeat-complainant figures for the months from..to.
func LoadDashRepeats(ctx context.Context, db *sql.DB, from, to Month) (map[Month]DashRepeatFigures, error) {
	type row struct {
		month Month
		f     DashRepeatFigures
	}
	out := map[Month]DashRepeatFigures{}
	err := sqlrows.Each(ctx, db, func(r *row) []any {
		return []any{&r.month, &r.f.Received, &r.f.RepeatCustomers, &r.f.RepeatComplaints}
	}, func(r row) error {
		out[r.month] = r.f
		return nil
	}, `
		SELECT strftime(month, '%Y-%m'), received, repeat_customers, repeat_complaints
		FROM mart_month
		WHERE month BETWEEN CAST(? AS DATE) AND CAST(? AS DATE)
		ORDER BY month`, from.FirstDay(), to.FirstDay())
	if err != nil {
		return nil, fmt.Errorf("read mart_month %s..%s: %w", from, to, err)
	}
	return out, nil
}

// DashDimensionColumns are the columns of mart_dimension_month that DashSumDimensions groups by; "month" groups by
// month ("YYYY-MM").
var DashDimensionColumns = []string{"month", "intake_channel", "business_channel", "business_category", "cause",
	"complaint_class", "branch", "province"}

// DashDimensionSum is one group of mart_dimension_month: its keys in the order asked for and the sums.
type DashDimensionSum struct {
	Keys             []string
	Received, Closed int64
}

// DashSumDimensions sums mart_dimension_month over the months from..to, grouped by the columns by (from
// DashDimensionColumns). Groups come in key order.
func DashSumDimensions(ctx context.Context, db *sql.DB, from, to Month, by ...string) ([]DashDimensionSum, error) {
	if len(by) == 0 {
		return nil, fmt.Errorf("mart_dimension_month: no grouping column")
	}
	cols := make([]string, len(by))
	for i, c := range by {
		ok := false
		for _, known := range DashDimensionColumns {
			ok = ok || c == known
		}
		if !ok {
			return nil, fmt.Errorf("mart_dimension_month has no column %q to group by", c)
		}
		cols[i] = c
		if c == "month" {
			cols[i] = "strftime(month, '%Y-%m')"
		}
	}
	list := strings.Join(cols, ", ")
	q := `SELECT ` + list + `, sum(received)::BIGINT, sum(closed)::BIGINT FROM mart_dimension_month
		WHERE month BETWEEN CAST(? AS DATE) AND CAST(? AS DATE)`
	q += ` GROUP BY ` + list + ` ORDER BY ` + list
	out, err := sqlrows.Query(ctx, db, func(s *DashDimensionSum) []any {
		s.Keys = make([]string, len(by))
		dest := make([]any, 0, len(by)+2)
		for i := range s.Keys {
			dest = append(dest, &s.Keys[i])
		}
		return append(dest, &s.Received, &s.Closed)
	}, q, from.FirstDay(), to.FirstDay())
	if err != nil {
		return nil, fmt.Errorf("read mart_dimension_month %s..%s: %w", from, to, err)
	}
	return out, nil
}

// DashBranchUnit is one unit of branch_master as the dashboards show it: its code, its name ("" when the master
// has none) and its aliases.
type DashBranchUnit struct {
	Code, Name string
	Aliases    []string
}

// ResolveBranch turns a branch as a person writes it (a code, a name or an alias of the master, compared after
// catalog.Normalize) into the code the marts hold. A text no unit claims is returned as given (the marts hold
// the exported text of branches the master does not know); a text that names two or more units is returned as
// given with ok false.
func ResolveBranch(units []DashBranchUnit, text string) (code string, ok bool) {
	text = strings.TrimSpace(text)
	for _, u := range units {
		if u.Code == text {
			return u.Code, true
		}
	}
	n := catalog.Normalize(text)
	var codes []string
	for _, u := range units {
		for _, s := range append([]string{u.Code, u.Name}, u.Aliases...) {
			if s != "" && catalog.Normalize(s) == n {
				codes = append(codes, u.Code)
				break
			}
		}
	}
	switch len(codes) {
	case 0:
		return text, true
	case 1:
		return codes[0], true
	}
	return text, false
}

// DashBranchUnits reads branch_master, one unit per code: its name (the view branch_labels) and every alias of any of its rows. Empty when the config names no branches file.
func DashBranchUnits(ctx context.Context, db *sql.DB) ([]DashBranchUnit, error) {
	type row struct {
		u       DashBranchUnit
		aliases string
	}
	var out []DashBranchUnit
	err := sqlrows.Each(ctx, db, func(r *row) []any { return []any{&r.u.Code, &r.u.Name, &r.aliases} }, func(r row) error {
		u := r.u
		for _, a := range strings.FieldsFunc(r.aliases, func(r rune) bool { return r == '|' || r == ';' || r == '；' }) {
			if a = strings.TrimSpace(a); a != "" {
				u.Aliases = append(u.Aliases, a)
			}
		}
		out = append(out, u)
		return nil
	}, `SELECT m.code, coalesce(any_value(l.name), ''), coalesce(string_agg(m.aliases, '|'), '')
		FROM branch_master m LEFT JOIN branch_labels l USING (code)
		WHERE nullif(trim(m.code), '') IS NOT NULL GROUP BY m.code ORDER BY m.code`)
	if err != nil {
		return nil, fmt.Errorf("read branch_master: %w", err)
	}
	return out, nil
}
