package rootcause

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// martDDL creates mart_control_chart: one row per (period analysed, series, month) of every series tested in a
// period, with its centre and limits; rule4, p_value and flagged are set on the period's own row only.
const martDDL = `CREATE TABLE IF NOT EXISTS mart_control_chart (
    period       DATE NOT NULL,      -- the period the chart was computed for (first day of the month)
    series_kind  VARCHAR NOT NULL,   -- business_category / cause / branch / business_channel
    series_key   VARCHAR NOT NULL,   -- the code (or branch name); parts joined with ' x '
    month        DATE NOT NULL,
    count        BIGINT NOT NULL,
    centre       DOUBLE NOT NULL,
    ucl          DOUBLE,             -- NULL for sparse series (baseline mean < 5: Poisson test only)
    lcl          DOUBLE,
    rule1        BOOLEAN,
    rule4        BOOLEAN,
    p_value      DOUBLE,
    flagged      BOOLEAN,
    PRIMARY KEY (period, series_kind, series_key, month)
)`

// WriteMart stores the findings' control charts in mart_control_chart (created if missing), replacing the rows of
// the same period, in one transaction.
func WriteMart(ctx context.Context, db *sql.DB, f *Findings) error {
	if _, err := db.ExecContext(ctx, martDDL); err != nil {
		return fmt.Errorf("rootcause: creating mart_control_chart: %w", err)
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM mart_control_chart WHERE period = CAST(? AS DATE)`, monthStart(f.Period)); err != nil {
		return err
	}
	first := len(f.Months) - 1 - f.Options.BaselineMonths
	const cols = 12
	var args []any
	var rows []string
	flush := func() error {
		if len(rows) == 0 {
			return nil
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO mart_control_chart VALUES `+strings.Join(rows, ","), args...)
		rows, args = rows[:0], args[:0]
		return err
	}
	ph := "(CAST(? AS DATE)," + strings.Repeat("?,", 1) + "?,CAST(? AS DATE)," + strings.TrimSuffix(strings.Repeat("?,", cols-4), ",") + ")"
	for _, c := range f.Charts {
		for i := first; i < len(f.Months); i++ {
			var ucl, lcl, r1, r4, pv, fl any
			if !c.Sparse {
				ucl, lcl, r1 = c.UCL, c.LCL, c.Rule1Months[i]
			}
			if i == len(f.Months)-1 {
				pv, fl = c.PValue, c.Flagged
				if !c.Sparse {
					r4 = c.Rule4
				}
			}
			args = append(args, monthStart(f.Period), c.Key.Kind, c.Key.String(), monthStart(f.Months[i]),
				c.Counts[i], c.Centre, ucl, lcl, r1, r4, pv, fl)
			rows = append(rows, ph)
			if len(rows) == 400 {
				if err := flush(); err != nil {
					return fmt.Errorf("rootcause: writing mart_control_chart: %w", err)
				}
			}
		}
	}
	if err := flush(); err != nil {
		return fmt.Errorf("rootcause: writing mart_control_chart: %w", err)
	}
	return tx.Commit()
}
