package readmodel

// Readers of the timeliness sheet (时效): the clocks of the complaints closed in a
// period and of those open at its end, by complaint class and branch. No mart holds the clocks by class and branch,
// so this file selects the members of the figures (figure_members over complaint_figures, which
// transform/models/40_figures.sql defines). reports.TestTimelinessMatchesTheMart checks that its totals equal the
// mart's.

import (
	"context"
	"database/sql"
	"fmt"

	"complaints/internal/sqlrows"
)

// TimelinessRow is one (complaint class, branch) group of a period.
type TimelinessRow struct {
	Class  string // general, complex, "missing" (type missing: held to the general limit), or "no_clock" (a source without reply dates: no limit applies)
	Branch string // complaints.branch (a branch master code, or the exported text), "" when none
	// closed in the period and their clocks
	Closed, InternalOnTime, RegulatoryOnTime int64
	InternalKnown, RegulatoryKnown           int64 // closed whose flag on each clock is known: the rates' denominators
	WorkingDaysSum                           int64 // working days after receipt up to the reply date (average = / DaysKnown)
	DaysKnown                                int64 // closed with working days (not those of a source without reply dates)
	// stocks at the period's last day E
	OpenAtEnd         int64
	InternalOverdue   int64 // open at E with the internal deadline before E
	RegulatoryOverdue int64 // open at E with the regulatory deadline before E (the summary's overdue at end)
}

// Add sums two rows' figures (keys are kept from a).
func (a TimelinessRow) Add(b TimelinessRow) TimelinessRow {
	a.Closed += b.Closed
	a.InternalOnTime += b.InternalOnTime
	a.RegulatoryOnTime += b.RegulatoryOnTime
	a.InternalKnown += b.InternalKnown
	a.RegulatoryKnown += b.RegulatoryKnown
	a.WorkingDaysSum += b.WorkingDaysSum
	a.DaysKnown += b.DaysKnown
	a.OpenAtEnd += b.OpenAtEnd
	a.InternalOverdue += b.InternalOverdue
	a.RegulatoryOverdue += b.RegulatoryOverdue
	return a
}

// LoadTimeliness reads the clocks of period p by complaint class and branch (the records of a source without reply
// dates are class "no_clock" in complaint_figures, whatever their type); groups with nothing closed and
// nothing open at the end are left out.
func LoadTimeliness(ctx context.Context, db *sql.DB, p Period) ([]TimelinessRow, error) {
	out, err := sqlrows.Query(ctx, db, func(r *TimelinessRow) []any {
		return []any{&r.Class, &r.Branch, &r.Closed, &r.InternalOnTime, &r.RegulatoryOnTime, &r.InternalKnown,
			&r.RegulatoryKnown, &r.WorkingDaysSum, &r.DaysKnown, &r.OpenAtEnd, &r.InternalOverdue, &r.RegulatoryOverdue}
	}, `
		SELECT complaint_class, branch,
		       count(*) FILTER (WHERE figure = 'closed'),
		       count(*) FILTER (WHERE figure = 'closed_internal_on_time'),
		       count(*) FILTER (WHERE figure = 'closed_regulatory_on_time'),
		       count(*) FILTER (WHERE figure = 'closed_internal_known'),
		       count(*) FILTER (WHERE figure = 'closed_regulatory_known'),
		       coalesce(sum(working_days) FILTER (WHERE figure = 'closed'), 0)::BIGINT,
		       count(working_days) FILTER (WHERE figure = 'closed'),
		       count(*) FILTER (WHERE figure = 'open_at_end'),
		       count(*) FILTER (WHERE figure = 'internal_overdue_at_end'),
		       count(*) FILTER (WHERE figure = 'overdue_at_end')
		FROM figure_members(CAST(? AS DATE), CAST(? AS DATE))
		WHERE figure IN ('closed', 'closed_internal_on_time', 'closed_regulatory_on_time', 'closed_internal_known',
		                 'closed_regulatory_known', 'open_at_end', 'internal_overdue_at_end', 'overdue_at_end')
		GROUP BY ALL
		ORDER BY ALL`, p.Start.FirstDay(), p.End().FirstDay())
	if err != nil {
		return nil, fmt.Errorf("read complaint_figures (timeliness %s): %w", p, err)
	}
	return out, nil
}

// LoadChannelMoves counts the complaints received in period p that the intake-channel table counts on the
// regulator-referral row although their own channel is another: their merged duplicate group holds a regulator
// referral (domain.md section 5).
func LoadChannelMoves(ctx context.Context, db *sql.DB, p Period) (int64, error) {
	var n int64
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM figure_members(CAST(? AS DATE), CAST(? AS DATE))
		WHERE figure = 'received' AND intake_channel <> own_intake_channel`, p.Start.FirstDay(), p.End().FirstDay()).Scan(&n); err != nil {
		return 0, fmt.Errorf("read complaint_figures (intake channels %s): %w", p, err)
	}
	return n, nil
}

// LoadBranchLabels maps each branch master code to its name (the view branch_labels: the name of the unit's newest
// record); an empty map without a branch master. A user sees a branch by this name, else by the code or exported
// text it is held as.
func LoadBranchLabels(ctx context.Context, db *sql.DB) (map[string]string, error) {
	out, err := sqlrows.Map[string, string](ctx, db, `SELECT code, name FROM branch_labels`)
	if err != nil {
		return nil, fmt.Errorf("read branch_labels: %w", err)
	}
	return out, nil
}
