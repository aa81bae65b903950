package main

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strconv"

	"github.com/spf13/cobra"

	"complaints/catalog"
	"complaints/internal/atomicfile"
	"complaints/readmodel"
)

func newBranchesCmd(g *globals) *cobra.Command {
	c := &cobra.Command{
		Use:     "branches",
		Short:   "Work on the branch master (code, name, aliases, parent, province)",
		Example: "  complaints branches suggest --out branches-draft.csv",
	}
	var out string
	suggest := &cobra.Command{
		Use:   "suggest",
		Short: "Write a draft branch master with the province each branch's records agree on",
		Long: `suggest writes a draft branch master (the branches file's columns, and a note column saying why) from
the normalised records: every unit of the current branch master, and every exported branch text the master
does not map. A unit without a province gets the one that at least 90% of its records with a province of
their own name (at least 5 such records). Head-office units (信用卡中心, 远程银行, 总行, 电子银行, 私人银行,
票据中心 ...) and units whose records spread over provinces without a 90% majority are left without a
province. A province the master already gives is kept (the note says when the records disagree). Review the
draft, then name it under branches: in complaints.yaml; normalize gives every record without a province the
province of its branch. Rows are sorted by code; the same warehouse writes the same file.`,
		Example: `  complaints branches suggest                          # the draft on standard output
  complaints branches suggest --out branches-draft.csv
  complaints --warehouse /data/complaints.duckdb branches suggest --out /tmp/draft.csv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			_, w, err := g.open(cmd, true)
			if err != nil {
				return err
			}
			defer w.Close()
			ctx := cmd.Context()
			master, err := readmodel.LoadBranchMaster(ctx, w.DB)
			if err != nil {
				return err
			}
			evidence, err := readmodel.LoadBranchEvidence(ctx, w.DB)
			if err != nil {
				return err
			}
			if len(evidence) == 0 && len(master) == 0 {
				return catalog.Errorf("msg_provinces_suggest_no_complaints")
			}
			lang := catalog.Lang()
			isCode := func(c string) bool { _, ok := catalog.Lookup("province", c); return ok }
			label := func(c string) string { return catalog.Label("province", c, lang) }
			draft := readmodel.DraftBranchMaster(master, evidence, isCode, label)
			b, learned, none, kept := draftCSV(draft, label)
			dest := out
			if out == "" {
				dest = "-"
				if _, err := cmd.OutOrStdout().Write(b); err != nil {
					return err
				}
			} else if err := atomicfile.Write(out, b); err != nil {
				return err
			}
			fmt.Fprintln(cmd.ErrOrStderr(), catalog.Msg("msg_provinces_suggest_summary", dest, len(draft), learned, none, kept))
			return nil
		},
	}
	suggest.Flags().StringVar(&out, "out", "", "write the draft to this file (default: standard output)")
	c.AddCommand(suggest)
	return c
}

// draftCSV writes the draft as a branches file (UTF-8 with a BOM) with a note column, and counts its rows by
// outcome.
func draftCSV(draft []readmodel.DraftUnit, label func(string) string) (b []byte, learned, none, kept int) {
	var buf bytes.Buffer
	buf.WriteString("\ufeff")
	cw := csv.NewWriter(&buf)
	cw.Write([]string{"code", "name", "aliases", "parent", "province_code", "province_name", "valid_from", "valid_to", "successor", "note"})
	pct := func(n, of int64) string {
		return strconv.FormatFloat(float64(n)*100/float64(max(of, 1)), 'f', 1, 64) + "%"
	}
	name := label
	for _, d := range draft {
		v := d.Verdict
		top := v.TopRecords
		var note *catalog.Message
		switch {
		case d.Kept:
			kept++
			note = catalog.Msg("msg_provinces_note_kept")
			if v.Reason == "learned" && v.Province != d.ProvinceCode && name(v.Province) != d.ProvinceName {
				note = catalog.Msg("msg_provinces_note_kept_disagree", d.WithProvince, pct(top, d.WithProvince), name(v.Province))
			}
		case v.Reason == "learned":
			learned++
			note = catalog.Msg("msg_provinces_note_learned", d.WithProvince, top, name(v.Province), pct(top, d.WithProvince))
		case v.Reason == "head_office":
			none++
			note = catalog.Msg("msg_provinces_note_head_office", v.Word)
		case v.Reason == "spread":
			none++
			note = catalog.Msg("msg_provinces_note_spread", readmodel.ProvinceAgreementPct, name(v.Top), d.WithProvince, pct(top, d.WithProvince))
		case v.Reason == "too_few":
			none++
			note = catalog.Msg("msg_provinces_note_too_few", d.WithProvince, readmodel.ProvinceMinRecords)
		default:
			none++
			note = catalog.Msg("msg_provinces_note_none")
		}
		text := note.Error()
		if d.New {
			text = catalog.Msg("msg_provinces_note_new", text).Error()
		}
		u := d.MasterUnit
		cw.Write([]string{u.Code, u.Name, u.Aliases, u.Parent, u.ProvinceCode, u.ProvinceName, u.ValidFrom, u.ValidTo, u.Successor, text})
	}
	cw.Flush()
	return buf.Bytes(), learned, none, kept
}
