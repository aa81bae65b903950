package readmodel

// Readers of the timeliness sheet (issue "Excel regulator reports", 时效): the clocks of the complaints closed in a
// period and of those open at its end, by complaint class and branch. No mart holds the clocks by class and branch,
// so this file queries complaints with the definitions of transform/models/40_marts.sql (mart_base: primary
// complaints, not "not accepted"; closed: status closed with a valid reply date in the period; open at end and
// overdue at end as the stock join there, none for a month past the newest export's, which has no mart row).
// reports.TestTimelinessMatchesTheMart checks that its totals equal the mart's.

import (
	"context"
	"database/sql"
	"fmt"
)

// TimelinessRow is one (complaint class, branch) group of a period.
type TimelinessRow struct {
	Class  string // general, complex, or "missing" (type missing: held to the general limit)
	Branch string // complaints.branch (a branch master code, or the exported text), "" when none
	// closed in the period and their clocks
	Closed, InternalOnTime, RegulatoryOnTime int64
	InternalKnown, RegulatoryKnown           int64 // closed whose flag on each clock is known: the rates' denominators
	WorkingDaysSum                           int64 // working days after receipt up to the reply date (average = / Closed)
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
	a.OpenAtEnd += b.OpenAtEnd
	a.InternalOverdue += b.InternalOverdue
	a.RegulatoryOverdue += b.RegulatoryOverdue
	return a
}

// LoadTimeliness reads the clocks of period p by complaint class and branch; groups with nothing closed and
// nothing open at the end are left out.
func LoadTimeliness(ctx context.Context, db *sql.DB, p Period) ([]TimelinessRow, error) {
	first, last := p.Start.FirstDay(), (p.End() + 1).FirstDay()
	rows, err := db.QueryContext(ctx, `
		WITH b AS (
		    SELECT *, (status = 'closed' AND replied_date IS NOT NULL AND replied_date BETWEEN p_first AND p_last) AS closed_in,
		           (received_date <= p_last AND (replied_date IS NULL OR replied_date > p_last)
		            AND status <> 'withdrawn' AND NOT reply_date_invalid
		            -- as the mart: no stock for a month past the newest export's (the mart has no row for it)
		            AND EXISTS (SELECT 1 FROM mart_category_month WHERE month = date_trunc('month', p_last))) AS open_end,
		           p_last
		    FROM complaints, (SELECT CAST(? AS DATE) AS p_first, CAST(? AS DATE) - 1 AS p_last)
		    WHERE is_complaint AND is_primary AND status <> 'not_accepted'
		)
		SELECT coalesce(complaint_class, 'missing'), coalesce(branch, ''),
		       count(*) FILTER (WHERE closed_in),
		       count(*) FILTER (WHERE closed_in AND internal_on_time),
		       count(*) FILTER (WHERE closed_in AND regulatory_on_time),
		       count(*) FILTER (WHERE closed_in AND internal_on_time IS NOT NULL),
		       count(*) FILTER (WHERE closed_in AND regulatory_on_time IS NOT NULL),
		       coalesce(sum(working_days_to_reply) FILTER (WHERE closed_in), 0)::BIGINT,
		       count(*) FILTER (WHERE open_end),
		       count(*) FILTER (WHERE open_end AND internal_deadline < p_last),
		       count(*) FILTER (WHERE open_end AND regulatory_deadline < p_last)
		FROM b
		GROUP BY ALL
		HAVING count(*) FILTER (WHERE closed_in OR open_end) > 0
		ORDER BY ALL`, first, last)
	if err != nil {
		return nil, fmt.Errorf("read complaints (timeliness %s): %w", p, err)
	}
	defer rows.Close()
	var out []TimelinessRow
	for rows.Next() {
		var r TimelinessRow
		if err := rows.Scan(&r.Class, &r.Branch, &r.Closed, &r.InternalOnTime, &r.RegulatoryOnTime, &r.InternalKnown, &r.RegulatoryKnown, &r.WorkingDaysSum,
			&r.OpenAtEnd, &r.InternalOverdue, &r.RegulatoryOverdue); err != nil {
			return nil, fmt.Errorf("read complaints (timeliness %s): %w", p, err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read complaints (timeliness %s): %w", p, err)
	}
	return out, nil
}

// LoadBranchLabels maps each branch master code to its name (the name of the unit's newest record); an empty map
// without a branch master. A user sees a branch by this name, else by the code or exported text it is held as.
func LoadBranchLabels(ctx context.Context, db *sql.DB) (map[string]string, error) {
	rows, err := db.QueryContext(ctx, `
		SELECT code, arg_max(name, coalesce(valid_to, DATE '9999-12-31'))
		FROM branch_master WHERE name IS NOT NULL AND trim(name) <> '' GROUP BY code`)
	if err != nil {
		return nil, fmt.Errorf("read branch_master: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var code, name string
		if err := rows.Scan(&code, &name); err != nil {
			return nil, fmt.Errorf("read branch_master: %w", err)
		}
		out[code] = name
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read branch_master: %w", err)
	}
	return out, nil
}
