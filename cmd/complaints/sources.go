package main

import (
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/goccy/go-yaml"
	"github.com/spf13/cobra"

	"complaints/catalog"
	"complaints/ingest"
	"complaints/internal/termtext"
)

func newSourcesCmd(g *globals) *cobra.Command {
	c := &cobra.Command{
		Use:     "sources",
		Short:   "Inspect export files and source profiles before ingesting",
		Example: "  complaints sources check exports/hotline_20261020.csv",
	}
	var profile string
	check := &cobra.Command{
		Use:   "check FILE",
		Short: "Show how a file would be read and mapped, with sample rows and foreseen problems; writes nothing",
		Long: `check prints the detected format, encoding, delimiter, sheet and header row, the column mapping (mapped,
unmapped, missing required), five sample rows as they would land (personal data already keyed and masked),
the rows that would be rejected, one sentence each (row, column, the value as it would be stored, why), the
profile it used as YAML to paste under sources: in complaints.yaml (the profile's keys, the format, encoding,
delimiter and header row found, every mapped column), and the problems it foresees. A header the profile names
that the file lacks is a refusal naming the closest header, unless the field is optional. It writes nothing. It exits 1 whenever
ingest would refuse the file (no header, missing columns, too many rejects, unreadable), 0 when it would land.`,
		Example: `  complaints sources check exports/hotline_20261020.csv
  complaints sources check --profile hotline new_export.csv
  complaints sources check ~/Downloads/complaints.csv          # a CFPB extract: the built-in cfpb profile`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			env, err := g.env()
			if err != nil {
				return err
			}
			opts := env.IngestOptions(true)
			var p *ingest.Profile
			if profile != "" {
				for i := range opts.Profiles {
					if opts.Profiles[i].Name == profile {
						p = &opts.Profiles[i]
					}
				}
				if p == nil {
					for _, b := range ingest.BuiltinProfiles() {
						if b.Name == profile {
							b := b
							p = &b
						}
					}
				}
				if p == nil {
					return usageError{catalog.Errorf("msg_cli_profile_unknown", profile)}
				}
			} else {
				p = profileByGlob(opts, args[0])
			}
			rep, err := ingest.Check(cmd.Context(), args[0], p, opts)
			if rep != nil {
				printCheck(cmd.OutOrStdout(), rep)
				if err == nil && rep.Refused != nil {
					err = catalog.Errorf("msg_misc_check_refused", rep.Path)
				}
			}
			return err
		},
	}
	check.Flags().StringVar(&profile, "profile", "", "read the file with this source profile (default: the profile whose glob matches, else header synonyms)")
	c.AddCommand(check)
	return c
}

// profileByGlob finds the configured profile whose glob matches the file, as ingest does.
func profileByGlob(opts ingest.Options, path string) *ingest.Profile {
	abs, _ := filepath.Abs(path)
	for i, p := range opts.Profiles {
		if p.Glob == "" {
			continue
		}
		pattern := p.Glob
		if !filepath.IsAbs(pattern) {
			pattern = filepath.Join(opts.BaseDir, pattern)
		}
		if ok, _ := filepath.Match(pattern, abs); ok {
			return &opts.Profiles[i]
		}
	}
	return nil
}

// rejectSentence is a reject as one sentence: the row, the column and the value as it would be stored (masked
// where personal, as Reject.RawValue is) and why; never the row's id, which may be keyed with a throw-away key
// here.
func rejectSentence(rj ingest.Reject) *catalog.Message {
	switch {
	case rj.Column != "" && rj.RawValue != "":
		return catalog.Msg("msg_profiles_reject_row_value", rj.Row, rj.Column, rj.RawValue, rj.Reason)
	case rj.Column != "":
		return catalog.Msg("msg_profiles_reject_row_column", rj.Row, rj.Column, rj.Reason)
	}
	return catalog.Msg("msg_profiles_reject_row", rj.Row, rj.Reason)
}

// provinceShare states the accepted rows that would land without a province, and where normalise takes one from.
func provinceShare(r *ingest.CheckReport) *catalog.Message {
	pct := strconv.FormatFloat(float64(r.NoProvince)*100/float64(r.Accepted), 'f', 1, 64) + "%"
	var then *catalog.Message
	_, branch := r.Mapping["branch"]
	switch {
	case r.NoProvince > 0 && !branch:
		then = catalog.Msg("msg_provinces_check_no_branch")
	case !r.ProvinceColumn:
		then = catalog.Msg("msg_provinces_check_no_column")
	case r.NoProvince > 0:
		then = catalog.Msg("msg_provinces_check_some_empty")
	}
	tail := ""
	if then != nil {
		tail = then.Error()
	}
	return catalog.Msg("msg_provinces_check_share", r.NoProvince, r.Accepted, pct, tail)
}

// contentSnippet is the profile lines that pin the columns mapped by their values (`columns: {field: header}`),
// "" when none was.
func contentSnippet(r *ingest.CheckReport) string {
	cols := map[string]string{}
	for f, by := range r.MappedBy {
		if by == "content" {
			cols[f] = r.Mapping[f]
		}
	}
	if len(cols) == 0 {
		return ""
	}
	b, err := yaml.MarshalWithOptions(cols, yaml.Flow(true))
	if err != nil {
		return ""
	}
	return "columns: " + strings.TrimSpace(string(b))
}

func printCheck(out io.Writer, r *ingest.CheckReport) {
	C := termtext.Clean // everything below comes from the file: shown escaped, never acting on the terminal
	fmt.Fprintln(out, catalog.Msg("msg_cli_check_file", C(r.Path)))
	prof := r.Profile
	if prof == "" {
		prof = catalog.Msg("msg_cli_check_no_profile").Error()
	}
	fmt.Fprintln(out, catalog.Msg("msg_cli_check_source", C(r.Source), prof))
	enc := r.Encoding
	if r.EncodingGuessed {
		enc = catalog.Msg("msg_csv_encoding_guessed", enc).Error()
	}
	fmt.Fprintln(out, catalog.Msg("msg_cli_check_format", r.Format, enc, r.Delimiter, C(r.Sheet), r.HeaderRow))
	if r.AsOf != "" {
		fmt.Fprintln(out, catalog.Msg("msg_cli_check_as_of", r.AsOf))
	}
	fmt.Fprintln(out, catalog.Msg("msg_cli_check_rows", r.Read, r.Accepted, r.Rejected))
	if r.Accepted > 0 {
		fmt.Fprintf(out, "             %s\n", provinceShare(r))
	}
	fmt.Fprintf(out, "\n%s\n", catalog.Msg("msg_cli_check_mapping"))
	fields := make([]string, 0, len(r.Mapping))
	for f := range r.Mapping {
		fields = append(fields, f)
	}
	sort.Strings(fields)
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	for _, f := range fields {
		fmt.Fprintf(tw, "  %s\t<- %s\t(%s)\n", f, C(r.Mapping[f]), r.MappedBy[f])
	}
	tw.Flush()
	if snippet := contentSnippet(r); snippet != "" {
		fmt.Fprintf(out, "  %s\n    %s\n", catalog.Msg("msg_content_pin"), C(snippet))
	}
	if len(r.Unmapped) > 0 {
		fmt.Fprintf(out, "  %s\n", catalog.Msg("msg_cli_check_not_landed", C(strings.Join(r.Unmapped, ", "))))
	}
	for _, p := range r.Personal {
		fmt.Fprintf(out, "  %v\n", p)
	}
	for i, s := range r.Samples {
		fmt.Fprintf(out, "\n%s\n", catalog.Msg("msg_cli_check_sample_row", i+1))
		keys := make([]string, 0, len(s))
		for k := range s {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
		for _, k := range keys {
			v := s[k]
			if len([]rune(v)) > 60 {
				v = string([]rune(v)[:57]) + "..."
			}
			fmt.Fprintf(tw, "  %s\t%s\n", k, C(v))
		}
		tw.Flush()
	}
	if len(r.Rejects) > 0 {
		fmt.Fprintf(out, "\n%s\n", catalog.Msg("msg_cli_check_rejects"))
		for _, rj := range r.Rejects {
			fmt.Fprintf(out, "  %s\n", C(rejectSentence(rj).Error()))
		}
	}
	if r.Used != nil {
		if b, err := yaml.Marshal([]ingest.Profile{*r.Used}); err == nil {
			fmt.Fprintf(out, "\n%s\n", catalog.Msg("msg_profiles_used"))
			for _, l := range strings.Split(strings.TrimRight(string(b), "\n"), "\n") {
				fmt.Fprintf(out, "  %s\n", C(l))
			}
		}
	}
	if len(r.Problems) > 0 {
		fmt.Fprintf(out, "\n%s\n", catalog.Msg("msg_cli_check_problems"))
		for _, p := range r.Problems {
			fmt.Fprintf(out, "  - %s\n", C(p))
		}
	} else {
		fmt.Fprintf(out, "\n%s\n", catalog.Msg("msg_cli_check_no_problems"))
	}
}
