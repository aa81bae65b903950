package rootcause

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// WriteMart stores the findings' control charts in mart_control_chart (warehouse migration 010): one row per
// (period, series, month) over the baseline and the period, with the chart type ('c' or 'u'), the month's limits
// in the chart's units and, for u-charts, the customers (in 10,000s) and the rate; rule4, p_value and flagged are
// set on the period's own row only. The rows of the same period are replaced, in one transaction.
func WriteMart(ctx context.Context, db *sql.DB, f *Findings) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM mart_control_chart WHERE period = CAST(? AS DATE)`, monthStart(f.Period)); err != nil {
		return err
	}
	first := len(f.Months) - 1 - f.Options.BaselineMonths
	const cols = 16
	var args []any
	var rows []string
	flush := func() error {
		if len(rows) == 0 {
			return nil
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO mart_control_chart (period, series_kind, series_key, month, count,
  centre, ucl, lcl, rule1, rule4, p_value, flagged, chart_type, customers_10k, rate, series_label) VALUES `+strings.Join(rows, ","), args...)
		rows, args = rows[:0], args[:0]
		return err
	}
	ph := "(CAST(? AS DATE)," + strings.Repeat("?,", 1) + "?,CAST(? AS DATE)," + strings.TrimSuffix(strings.Repeat("?,", cols-4), ",") + ")"
	for _, c := range f.Charts {
		for i := first; i < len(f.Months); i++ {
			var ucl, lcl, r1, r4, pv, fl, cust, rate, label any
			if !c.Sparse {
				ucl, lcl, r1 = c.UCLs[i], c.LCLs[i], c.Rule1Months[i]
			}
			if c.Type == ChartU {
				cust, rate = c.Customers[i], c.Rates[i]
			}
			if len(c.Key.Names) > 0 {
				label = c.Key.NamedString()
			}
			if i == len(f.Months)-1 {
				pv, fl = c.PValue, c.Flagged
				if !c.Sparse {
					r4 = c.Rule4
				}
			}
			args = append(args, monthStart(f.Period), c.Key.Kind, c.Key.String(), monthStart(f.Months[i]),
				c.Counts[i], c.Centre, ucl, lcl, r1, r4, pv, fl, c.Type, cust, rate, label)
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

// NamedString is the key as String writes it with each part that has a display name (a branch master's name,
// Key.Names) shown by that name: the series label the mart stores for a person to recognise the branch.
func (k Key) NamedString() string {
	parts := make([]string, len(k.Parts))
	for i, p := range k.Parts {
		parts[i] = p
		if i < len(k.Names) && k.Names[i] != "" {
			parts[i] = k.Names[i]
		}
	}
	return strings.Join(parts, " x ")
}
