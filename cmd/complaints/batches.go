package main

import (
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"complaints/catalog"
	"complaints/ingest"
)

func newBatchesCmd(g *globals) *cobra.Command {
	c := &cobra.Command{
		Use:   "batches",
		Short: "List the landed batches (one per ingested file); `batches remove N` takes one back out",
		Long: `batches lists every batch the warehouse holds or held: id, source, file, the export's as-of date,
when it was ingested, rows read/accepted/rejected, and when it was removed, if it was.`,
		Example: `  complaints batches
  complaints batches remove 7 --dry-run
  complaints batches remove 7 --reason "wrong export, resent as hotline_20261105b.csv"`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			_, w, err := g.open(cmd, true)
			if err != nil {
				return err
			}
			defer w.Close()
			bs, err := ingest.ListBatches(cmd.Context(), w)
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if len(bs) == 0 {
				fmt.Fprintln(out, catalog.Msg("msg_poison_batches_none"))
				return nil
			}
			tw := tabwriter.NewWriter(out, 2, 4, 2, ' ', 0)
			fmt.Fprintln(tw, catalog.Msg("msg_unchanged_batches_header"))
			for _, b := range bs {
				asOf, removed := "-", ""
				if b.AsOf != nil {
					asOf = b.AsOf.Format("2006-01-02")
				}
				if b.RemovedAt != nil {
					removed = catalog.Msg("msg_poison_batches_removed_at", b.RemovedAt.Format("2006-01-02 15:04")).Error()
				}
				// read = landed + unchanged + rejected
				fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%d\t%d\t%d\t%d\t%s\n", b.ID, b.Source, b.File, asOf,
					b.IngestedAt.Format("2006-01-02 15:04"), b.Read, b.Accepted-b.Unchanged, b.Unchanged, b.Rejected, removed)
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			for _, b := range bs {
				if len(b.Content) > 0 {
					fmt.Fprintln(out, catalog.Msg("msg_content2_batch", b.ID, contentColumnsText(b.Content)))
				}
			}
			return nil
		},
	}
	c.AddCommand(newBatchesRemoveCmd(g))
	return c
}

// contentColumnsText lists the fields a batch mapped by content: field <- "header", with ("word") when a header
// word cued it.
func contentColumnsText(cs []ingest.ContentColumn) string {
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = fmt.Sprintf("%s <- %q", c.Field, c.Header)
		if c.Word != "" {
			parts[i] += fmt.Sprintf(" (%q)", c.Word)
		}
	}
	return strings.Join(parts, ", ")
}

func newBatchesRemoveCmd(g *globals) *cobra.Command {
	var dryRun, force bool
	var reason string
	c := &cobra.Command{
		Use:   "remove N",
		Short: "Take batch N back out of the warehouse (its rows, rejects and snapshot listing), recorded in batch_removals",
		Long: `remove deletes batch N's landed rows, rejects and missing-from-snapshot rows and its batches row in one
transaction, and records the removal (batch, source, file, sha256, rows, time, user, --reason) in
batch_removals. The same file can then be ingested again. A batch with complaints received in a period
recorded as filed (report --record-filing) is refused unless --force. Reports and dashboards refuse to run
until the next normalise, which rebuilds the derived tables without the batch.`,
		Example: `  complaints batches remove 7 --dry-run        # what would go, and whether a filed period is touched
  complaints batches remove 7 --reason "export had the wrong month"
  complaints batches remove 7 --force           # even though its complaints fall in a filed period
  complaints normalize                          # then rebuild`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := strconv.ParseInt(args[0], 10, 64)
			if err != nil || id <= 0 {
				return usageError{catalog.Errorf("msg_poison_batch_id", args[0])}
			}
			env, w, err := g.open(cmd, false)
			if err != nil {
				return err
			}
			defer w.Close()
			r, err := ingest.RemoveBatch(cmd.Context(), w, id, ingest.RemoveOptions{DryRun: dryRun, Force: force, Reason: reason, Now: env.Now})
			out := cmd.OutOrStdout()
			if err != nil {
				if r != nil && dryRun {
					fmt.Fprintln(out, catalog.Msg("msg_poison_batch_would_remove", r.Batch.ID, r.Batch.Source, r.Batch.File, r.Rows, r.Rejects, r.Missing))
				}
				return err
			}
			b := r.Batch
			key := "msg_poison_batch_removed"
			if r.DryRun {
				key = "msg_poison_batch_would_remove"
			}
			fmt.Fprintln(out, catalog.Msg(key, b.ID, b.Source, b.File, r.Rows, r.Rejects, r.Missing))
			if r.Unchanged > 0 || r.Promoted > 0 {
				fmt.Fprintln(out, catalog.Msg("msg_unchanged_batch_removed", r.Unchanged, r.Promoted))
			}
			if len(r.Filed) > 0 {
				fmt.Fprintln(out, catalog.Msg("msg_poison_batch_filed_forced", strings.Join(r.Filed, ", ")))
			}
			return nil
		},
	}
	c.Flags().BoolVar(&dryRun, "dry-run", false, "say what would be removed; remove nothing")
	c.Flags().BoolVar(&force, "force", false, "remove even when its complaints fall in a period recorded as filed")
	c.Flags().StringVar(&reason, "reason", "", "why, recorded in batch_removals")
	return c
}
