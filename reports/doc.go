// Package reports writes the regulator workbooks (Excel, excelize): the monthly report of domain.md section 7
// with its cover (definitions and source files), summary, R1 by business category and data-quality sheets.
//
// It owns layouts, styles, number formats and the formulas of totals and shares; labels come from the catalogue
// (catalog.Text, catalog.Label) in Chinese or English. It reads only marts and the batches/rejects tables
// (through reports/marts) and never computes a figure a mart defines: it sums a mart's monthly rows over the
// period and takes the ratios of section 6 (share, MoM, YoY).
//
// Every text that comes from data (file names, codes, reasons) is written as a string cell, never a formula.
package reports
