package pipeline

import "complaints/reports"

// ReportOption sets a further option of Env.Report.
type ReportOption func(*reports.Options)

// ReportKind sets the report's kind (monthly, quarterly, annual; "" = from the period's form).
func ReportKind(kind string) ReportOption { return func(o *reports.Options) { o.Kind = kind } }

// ReportFormat sets the report's format (xlsx, or csv: a folder of CSV files).
func ReportFormat(format string) ReportOption { return func(o *reports.Options) { o.Format = format } }

// reportName is the default output of a report: report-<period>.xlsx, or the folder report-<period> for CSV.
func reportName(period, format string) string {
	if format == reports.FormatCSV {
		return "report-" + period
	}
	return "report-" + period + ".xlsx"
}
