// Package reports writes the regulator workbooks (Excel, excelize) of domain.md section 7 for a month, quarter,
// half-year or year: cover (source files and the definition of every figure), summary (section 6 figures with
// previous period, MoM, same period a year earlier, YoY, or for a year the year before once, and a 13-month trend,
// by quarter for a quarter or half-year; periods.go), R1 by business category, R2 cause x
// business category, R3 by province and branch (with the regulator's per-branch and per-customer measures when the
// bank supplies denominators), by intake channel, timeliness by complaint type and branch (时效), root causes (a
// month), data quality, and the open list (未办结清单, the overdue first, streamed, continued on further sheets past Excel's
// row limit). The annual kind (Options.Kind) adds the public disclosure after the cover (disclosure.go); Format csv
// writes every sheet as a CSV file instead (csvexport.go). Branches are shown by the branch master's name.
// Every sheet is laid out for print (print.go): one font, the same page header and footer, cells that print
// whole, and the cover's sign-off block.
//
// It owns layouts, styles, number formats and the formulas of totals and shares; labels come from the catalogue
// (catalog.Text, catalog.Label) in Chinese or English. It reads only marts, the quality tables and the
// batches/rejects tables (through readmodel) and never computes a figure a mart defines: it sums a mart's
// monthly rows over the period (flows add up; stocks are the first month's open at start and the last month's open
// and overdue at end) and takes the ratios of section 6 (rates, share, MoM, YoY).
//
// Every text that comes from data (file names, codes, reasons) is written as a string cell, never a formula.
// The same data and Options.GeneratedAt give byte-identical files (see canonicalPackage).
package reports
