// Package list writes the complaints behind a figure of the reports (CSV, XLSX): the rows readmodel's list
// selects (figure_members, the one definition of every figure), so that every number of a report can be traced to
// its records. Only masked personal data is written (customer_name_masked, customer_phone_masked, and an id that
// landed keyed as its masked form, source_id_masked); no customer key.
package list

import (
	"fmt"

	"complaints/readmodel"
)

// Formats a list can be written in.
const (
	CSV  = "csv"
	XLSX = "xlsx"
)

// MaxSheetRows is the number of data rows per worksheet (Excel's 1,048,576 rows less the header); the list
// continues on a next sheet past it. A variable so that a test can lower it.
var MaxSheetRows = 1048575

// Options select the records (readmodel.ListOptions) and the output.
type Options struct {
	readmodel.ListOptions
	Format string // csv (default) or xlsx
	Lang   string // zh (default) or en
	// Institution heads the xlsx list's title block with the period, the figure and the filters.
	Institution string
	// SourceLabels are the sources' names as their profiles' label: gives them (source system -> label).
	SourceLabels map[string]string
}

// Row is one listed complaint.
type Row = readmodel.ListRow

// Validate checks the options and fills the defaults.
func (o *Options) Validate() error {
	if err := o.ListOptions.Validate(); err != nil {
		return err
	}
	switch o.Format {
	case "":
		o.Format = CSV
	case CSV, XLSX:
	default:
		return fmt.Errorf("format %q: use csv or xlsx", o.Format)
	}
	return nil
}
