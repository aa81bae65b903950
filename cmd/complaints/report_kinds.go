package main

import (
	"fmt"

	"complaints/reports"
	"complaints/reports/marts"
)

// checkReportKind checks report's --kind and --format against the period (a usage error, exit 2).
func checkReportKind(period, kind, format string) error {
	p, err := marts.ParsePeriod(period)
	if err != nil {
		return usageError{err}
	}
	switch kind {
	case "", reports.KindMonthly, reports.KindQuarterly:
	case reports.KindAnnual:
		if p.Kind != marts.Yearly {
			return usageError{fmt.Errorf("--kind annual needs a year period (e.g. --period %d), not %s", p.Start.Year(), period)}
		}
	default:
		return usageError{fmt.Errorf("--kind %q: use monthly, quarterly or annual", kind)}
	}
	switch format {
	case "", reports.FormatXLSX, reports.FormatCSV:
	default:
		return usageError{fmt.Errorf("--format %q: use xlsx or csv", format)}
	}
	return nil
}
