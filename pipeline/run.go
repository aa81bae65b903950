package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"

	"complaints/catalog"
	"complaints/dashboards"
	"complaints/ingest"
	"complaints/internal/termtext"
	"complaints/reports"
	"complaints/rootcause"
	"complaints/transform"
	"complaints/warehouse"
)

// Summary is what a run did, printed at its end.
type Summary struct {
	Files     []ingest.FileResult
	Normalize *transform.Result
	Period    string
	Report    string
	Dashboard string
	Filing    int64 // the filing recorded for the report (RunOptions.RecordFiling), 0 for none
}

// Failed counts the files that failed.
func (s *Summary) Failed() int {
	n := 0
	for _, f := range s.Files {
		if f.Err != nil {
			n++
		}
	}
	return n
}

// RunOptions select what Run does.
type RunOptions struct {
	Period     string   // "YYYY-MM"; empty means the latest complete month in the data
	Files      []string // explicit files; empty means every configured source
	Lang       string
	ReportOut  string
	DashOut    string
	Months     int // dashboard months ending at Period (default 13)
	SkipIngest bool
	// RecordFiling stores the report's figures as filed (as `report --record-filing`).
	RecordFiling bool
	// AdoptKey: as `ingest --adopt-key` (ingest.Options.AdoptKey).
	AdoptKey bool
	// AllowIncomplete writes the outputs of an incomplete period (they say so) instead of refusing it
	// (CheckCoverage).
	AllowIncomplete bool
}

// Run ingests, normalises, and writes the report and the dashboard for a period. Files that fail are listed in
// the summary and make the returned error non-nil, after the outputs are written from what did land.
func (e *Env) Run(ctx context.Context, w *warehouse.Warehouse, o RunOptions) (*Summary, error) {
	s := &Summary{}
	var ingestErr error
	if !o.SkipIngest {
		opts := e.IngestOptions(false)
		opts.AdoptKey = o.AdoptKey
		var err error
		if len(o.Files) > 0 {
			s.Files, err = ingest.IngestFiles(ctx, w, opts, o.Files, "")
		} else {
			s.Files, err = ingest.IngestSources(ctx, w, opts)
		}
		if err != nil {
			return s, err
		}
		if n := s.Failed(); n > 0 {
			ingestErr = catalog.Errorf("msg_cli_files_failed_summary", n, len(s.Files))
		}
	}
	res, err := e.Normalize(ctx, w)
	if err != nil {
		return s, err
	}
	s.Normalize = res
	s.Period = o.Period
	if s.Period == "" {
		p, ok, err := LatestCompleteMonth(ctx, w.DB)
		if err != nil {
			return s, err
		}
		if !ok {
			return s, errors.Join(ingestErr, catalog.Errorf("msg_cli_no_complaints"))
		}
		s.Period = p
	}
	if _, err := ParseMonth(s.Period); err != nil {
		return s, err
	}
	if err := e.CheckCoverage(ctx, w.DB, s.Period, o.AllowIncomplete); err != nil {
		if ingestErr != nil {
			err = errors.Join(ingestErr, err)
		}
		return s, err
	}
	// the report and the dashboard show the same findings: worked out once
	findings, err := rootcause.ForMonth(ctx, w.DB, rootcause.Options{Period: s.Period, Customers: e.Customers()},
		e.Lang(o.Lang), e.Config.Resolve(e.Config.Remediation))
	if err != nil {
		return s, err
	}
	if s.Report, err = e.Report(ctx, w, s.Period, o.Lang, o.ReportOut, func(r *reports.Options) { r.Findings = findings }); err != nil {
		return s, err
	}
	if o.RecordFiling {
		if s.Filing, err = e.RecordFiling(ctx, w, nil, s.Period, s.Report); err != nil {
			return s, err
		}
	}
	months := o.Months
	if months <= 0 {
		months = 13
	}
	if s.Dashboard, err = e.Dashboard(ctx, w, AddMonths(s.Period, -(months-1)), s.Period, o.Lang, o.DashOut, false,
		func(d *dashboards.Options) { d.Findings = findings }); err != nil {
		return s, err
	}
	return s, ingestErr
}

// PrintIngest writes the per-file table: read = accepted + rejected, and what happened to each file. The table
// keeps to TableWidth columns: files by their base name (shortened in the middle past fileWidth), numbers
// right-aligned, the result wrapped; the notes under it name the file by its path.
func PrintIngest(out io.Writer, files []ingest.FileResult) {
	if len(files) == 0 {
		fmt.Fprintln(out, catalog.Msg("msg_cli_no_files"))
		return
	}
	t := &table{right: []bool{false, false, false, true, true, true}, shrink: []int{0, 1}}
	for _, k := range []string{"msg_cli_col_file", "msg_cli_col_source", "msg_cli_col_format", "msg_cli_col_read",
		"msg_unchanged_col_landed", "msg_cli_col_rejected", "msg_cli_col_result"} {
		t.head = append(t.head, catalog.Msg(k).Error())
	}
	// read = landed + unchanged + rejected: the unchanged rows (equal to the newest version of their id, seen
	// but not landed again) are said in the result column, where there are any
	var read, landed, unch, rej int
	for _, f := range files {
		result := catalog.Msg("msg_cli_landed").Error()
		switch {
		case f.Err != nil:
			result = catalog.Msg("msg_cli_failed", oneLine(f.Err.Error())).Error()
		case f.Skipped:
			result = catalog.Msg("msg_cli_skipped", f.SkipReason).Error()
		case f.BatchID > 0:
			result = catalog.Msg("msg_cli_landed_batch", f.BatchID).Error()
		}
		// a file that failed landed nothing and recorded no row as seen, whatever it read before failing
		fileLanded, fileUnch := f.Accepted-f.Unchanged, f.Unchanged
		if f.Err != nil {
			fileLanded, fileUnch = 0, 0
		}
		if fileUnch > 0 {
			result += "; " + catalog.Msg("msg_unchanged_rows", fileUnch).Error()
		}
		if f.MissingFromSnapshot > 0 {
			result += "; " + catalog.Msg("msg_cli_missing_snapshot", f.MissingFromSnapshot).Error()
		}
		if f.MovedTo != "" { // done/<name> or failed/<name>: the inbox is the folder the user named
			moved := filepath.Join(filepath.Base(filepath.Dir(f.MovedTo)), filepath.Base(f.MovedTo))
			result += "; " + catalog.Msg("msg_cli_moved_to", ingest.ScrubFileName(moved)).Error()
		}
		if f.Flagged > 0 && f.Err == nil {
			result += "; " + catalog.Msg("msg_csv_invalid_text_rows", f.Flagged).Error()
		}
		enc := f.Format
		if f.Encoding != "" {
			enc += "/" + f.Encoding
			if f.EncodingGuessed { // in the result column, which wraps
				result += "; " + catalog.Msg("msg_csv_encoding_guessed", enc).Error()
			}
		}
		t.add(shorten(termtext.Clean(filepath.Base(f.Path)), fileWidth), shorten(termtext.Clean(f.Source), sourceWidth), termtext.Clean(enc),
			strconv.Itoa(f.Read), strconv.Itoa(fileLanded), strconv.Itoa(f.Rejected), termtext.Clean(result))
		read += f.Read
		landed += fileLanded
		unch += fileUnch
		rej += f.Rejected
	}
	total := ""
	if unch > 0 {
		total = catalog.Msg("msg_unchanged_rows", unch).Error()
	}
	t.add(catalog.Msg("msg_cli_total").Error(), "", "", strconv.Itoa(read), strconv.Itoa(landed), strconv.Itoa(rej), total)
	t.write(out, TableWidth)
	for _, f := range files {
		for _, n := range f.Notes {
			note := catalog.Msg("msg_cli_note", termtext.Clean(f.Path), termtext.Clean(n.Error())).Error()
			fmt.Fprintln(out, strings.Join(wrap(note, TableWidth-2), "\n  "))
		}
	}
}

// fileWidth and sourceWidth are the most display columns a file name and a source name take in the ingest table.
const (
	fileWidth   = 28
	sourceWidth = 16
)

// PrintSummary writes the end-of-run summary.
func PrintSummary(out io.Writer, s *Summary) {
	if s.Files != nil {
		PrintIngest(out, s.Files)
	}
	if r := s.Normalize; r != nil {
		fmt.Fprintf(out, "\n%s\n", strings.Join(wrap(catalog.Msg("msg_cli_normalised", r.Complaints, r.Countable, r.Duplicates, r.NonComplaint, r.Unmapped).Error(), TableWidth-2), "\n  "))
		switch {
		case r.Full:
			fmt.Fprintf(out, "  %s\n", catalog.Msg("msg_cli_rebuilt", r.Versions))
		case r.Rederived == 0:
			fmt.Fprintf(out, "  %s\n", catalog.Msg("msg_cli_unchanged"))
		default:
			fmt.Fprintf(out, "  %s\n", catalog.Msg("msg_cli_rederived", r.Rederived))
		}
	}
	if s.Report != "" {
		fmt.Fprintln(out, catalog.Msg("msg_cli_report", s.Period, s.Report))
	}
	if s.Filing != 0 {
		fmt.Fprintln(out, catalog.Msg("msg_cli_filing", s.Filing, s.Period))
	}
	if s.Dashboard != "" {
		fmt.Fprintln(out, catalog.Msg("msg_cli_dashboard", s.Dashboard))
	}
}

func oneLine(s string) string {
	s = strings.ReplaceAll(s, "\n", " ")
	if r := []rune(s); len(r) > 160 {
		s = string(r[:157]) + "..."
	}
	return s
}
