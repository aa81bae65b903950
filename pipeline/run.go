package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"complaints/catalog"
	"complaints/ingest"
	"complaints/internal/termtext"
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
			ingestErr = fmt.Errorf("%d of %d files failed to ingest (see the summary)", n, len(s.Files))
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
			return s, errors.Join(ingestErr, errors.New("the warehouse holds no complaints yet: ingest some exports first"))
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
	if s.Report, err = e.Report(ctx, w, s.Period, o.Lang, o.ReportOut); err != nil {
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
	if s.Dashboard, err = e.Dashboard(ctx, w, AddMonths(s.Period, -(months-1)), s.Period, o.Lang, o.DashOut, false); err != nil {
		return s, err
	}
	return s, ingestErr
}

// PrintIngest writes the per-file table: read = accepted + rejected, and what happened to each file.
func PrintIngest(out io.Writer, files []ingest.FileResult) {
	if len(files) == 0 {
		fmt.Fprintln(out, "no files to ingest")
		return
	}
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "file\tsource\tformat\tread\taccepted\trejected\tresult\t")
	var read, acc, rej int
	for _, f := range files {
		result := "landed"
		switch {
		case f.Err != nil:
			result = "FAILED: " + oneLine(f.Err.Error())
		case f.Skipped:
			result = "skipped: " + f.SkipReason
		case f.BatchID > 0:
			result = fmt.Sprintf("landed as batch %d", f.BatchID)
		}
		if f.MissingFromSnapshot > 0 {
			result += fmt.Sprintf("; %d ids missing from this full snapshot (listed)", f.MissingFromSnapshot)
		}
		if f.MovedTo != "" {
			result += "; moved to " + ingest.ScrubFileName(f.MovedTo)
		}
		if f.Flagged > 0 && f.Err == nil {
			result += "; " + catalog.Msg("msg_csv_invalid_text_rows", f.Flagged).Error()
		}
		enc := f.Format
		if f.Encoding != "" {
			enc += "/" + f.Encoding
			if f.EncodingGuessed {
				enc = catalog.Msg("msg_csv_encoding_guessed", enc).Error()
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%d\t%s\t\n", termtext.Clean(f.Path), termtext.Clean(f.Source), enc, f.Read, f.Accepted, f.Rejected, termtext.Clean(result))
		read += f.Read
		acc += f.Accepted
		rej += f.Rejected
	}
	fmt.Fprintf(tw, "total\t\t\t%d\t%d\t%d\t\t\n", read, acc, rej)
	tw.Flush()
	for _, f := range files {
		for _, n := range f.Notes {
			fmt.Fprintf(out, "note: %s: %s\n", termtext.Clean(f.Path), termtext.Clean(n.Error()))
		}
	}
}

// PrintSummary writes the end-of-run summary.
func PrintSummary(out io.Writer, s *Summary) {
	if s.Files != nil {
		PrintIngest(out, s.Files)
	}
	if r := s.Normalize; r != nil {
		fmt.Fprintf(out, "\nnormalised: %d records (%d complaints that count, %d duplicates linked, %d non-complaint work orders); %d unmapped values\n",
			r.Complaints, r.Countable, r.Duplicates, r.NonComplaint, r.Unmapped)
		switch {
		case r.Full:
			fmt.Fprintf(out, "  rebuilt from all %d landed rows\n", r.Versions)
		case r.Rederived == 0:
			fmt.Fprintln(out, "  nothing new since the last normalise (no batch, no change to the corrections): tables unchanged")
		default:
			fmt.Fprintf(out, "  re-derived the complaints of %d landed rows (new batches and corrections)\n", r.Rederived)
		}
	}
	if s.Report != "" {
		fmt.Fprintf(out, "report (%s): %s\n", s.Period, s.Report)
	}
	if s.Filing != 0 {
		fmt.Fprintf(out, "filing %d recorded: the figures of %s as submitted\n", s.Filing, s.Period)
	}
	if s.Dashboard != "" {
		fmt.Fprintf(out, "dashboard:      %s\n", s.Dashboard)
	}
}

func oneLine(s string) string {
	s = strings.ReplaceAll(s, "\n", " ")
	if r := []rune(s); len(r) > 160 {
		s = string(r[:157]) + "..."
	}
	return s
}
