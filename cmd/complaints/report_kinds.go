package main

import "complaints/reports"

// checkReportKind checks report's --kind and --format against the period (a usage error, exit 2).
func checkReportKind(period, kind, format string) error {
	if err := reports.CheckKind(period, kind, format); err != nil {
		return usageError{err}
	}
	return nil
}
