package pipeline

import (
	"context"
	"database/sql"
	"time"

	"complaints/catalog"
	"complaints/readmodel"
	"complaints/warehouse"
)

// ParseMonth checks a "YYYY-MM" period and returns its first day.
func ParseMonth(period string) (time.Time, error) {
	t, err := time.Parse("2006-01", period)
	if err != nil {
		return time.Time{}, catalog.Errorf("msg_cli_period_month", period)
	}
	return t, nil
}

// PreviousMonth is the month before now's (Beijing) month, the default period of a monthly run.
func PreviousMonth(now time.Time) string {
	b := now.In(warehouse.Beijing)
	return time.Date(b.Year(), b.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, -1, 0).Format("2006-01")
}

// AddMonths shifts a "YYYY-MM" period.
func AddMonths(period string, n int) string {
	t, err := ParseMonth(period)
	if err != nil {
		return period
	}
	return t.AddDate(0, n, 0).Format("2006-01")
}

// LatestCompleteMonth is the last month the data covers in full: the month of the newest receipt date if that
// date is the month's last day, else the month before. ok is false for an empty warehouse.
func LatestCompleteMonth(ctx context.Context, db *sql.DB) (period string, ok bool, err error) {
	var last sql.NullTime
	if err := db.QueryRowContext(ctx, "SELECT max(received_date) FROM complaints WHERE is_complaint").Scan(&last); err != nil {
		return "", false, catalog.Errorf("msg_cli_latest_month", err)
	}
	if !last.Valid {
		return "", false, nil
	}
	d := last.Time
	first := time.Date(d.Year(), d.Month(), 1, 0, 0, 0, 0, time.UTC)
	if d.AddDate(0, 0, 1).Month() != d.Month() {
		return first.Format("2006-01"), true, nil
	}
	return first.AddDate(0, -1, 0).Format("2006-01"), true, nil
}

// CheckCoverage refuses an incomplete period (readmodel.Coverage.Refusal: the period, the missing or short
// sources, the newest complete month) unless allow is set; then it logs the warning and the outputs carry it.
// Coverage is judged bank-wide: a --branch copy holds the warehouse's coverage, so a branch's zero in a complete
// month passes.
func (e *Env) CheckCoverage(ctx context.Context, db *sql.DB, period string, allow bool) error {
	p, err := readmodel.ParsePeriod(period)
	if err != nil {
		return err
	}
	c, err := readmodel.LoadCoverage(ctx, db, p)
	if err != nil {
		return err
	}
	refusal := c.Refusal()
	if refusal == nil {
		return nil
	}
	if !allow {
		return refusal
	}
	catalog.Warn(e.logger(), catalog.Msg("msg_coverage_allowed", c.Sentence))
	return nil
}
