package dashboards

import "complaints/internal/numfmt"

// grouped writes a count with thousands separators (1,234,567), as the workbook's #,##0 shows it.
func grouped(n int64) string { return numfmt.Grouped(n) }
