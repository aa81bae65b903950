package pipeline

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"complaints/catalog"
	"complaints/ingest"
	"complaints/internal/textwidth"
)

// TestIngestTableFitsTheTerminal: with long file names (Chinese and Latin), a long source name and long results,
// the ingest summary keeps to 80 display columns in both languages (a full-width character counts 2), numbers
// right-aligned under their headings, and loses no word of a result.
func TestIngestTableFitsTheTerminal(t *testing.T) {
	files := []ingest.FileResult{
		{Path: "exports/广州分行_信用卡中心_客户投诉登记簿_2026年10月_最终版_修订.xlsx", Source: "guangzhou_branch_walkin_register", Format: "xlsx", Read: 123456, Accepted: 123000, Rejected: 456, BatchID: 12},
		{Path: "/sftp/complaints/inbox/hotline_export_full_snapshot_20261105_0600_part2.csv", Source: "hotline", Format: "csv", Encoding: "gb18030", EncodingGuessed: true,
			Read: 7, Accepted: 7, BatchID: 13, MissingFromSnapshot: 42, Flagged: 3, MovedTo: "/sftp/complaints/inbox/done/hotline_export_full_snapshot_20261105_0600_part2.csv"},
		{Path: "letters.csv", Source: "letters", Format: "csv", Encoding: "utf-8", Read: 10, Rejected: 10,
			Err: errors.New("the file rejects 10 of its 10 rows (more than the 20% ingest.max_reject_rate allows): nothing was landed; see the rejects with sources check")},
	}
	for _, lang := range []string{"zh", "en"} {
		catalog.SetLang(lang)
		var out bytes.Buffer
		PrintIngest(&out, files)
		s := out.String()
		lines := strings.Split(strings.TrimSuffix(s, "\n"), "\n")
		for _, l := range lines {
			if w := textwidth.Of(l); w > 80 {
				t.Errorf("%s: line %d columns wide: %q", lang, w, l)
			}
		}
		// the right edge of "read" in the heading is the right edge of every row's count
		head := lines[0]
		edge := textwidth.Of(head[:strings.Index(head, catalog.Msg("msg_cli_col_read").Error())+len(catalog.Msg("msg_cli_col_read").Error())])
		for _, n := range []string{"123456", "7", "10"} {
			found := false
			for _, l := range lines[1:] {
				if i := strings.Index(l, " "+n+" "); i >= 0 && textwidth.Of(l[:i+1+len(n)]) == edge {
					found = true
				}
			}
			if !found {
				t.Errorf("%s: %s is not right-aligned under the read heading (edge %d):\n%s", lang, n, edge, s)
			}
		}
		flat := strings.Join(strings.Fields(s), "") // a result wraps at a space or inside Chinese text
		for _, want := range []string{catalog.Msg("msg_cli_missing_snapshot", 42).Error(), catalog.Msg("msg_csv_invalid_text_rows", 3).Error(),
			"nothing was landed; see the rejects with sources check", "广州", ".xlsx", "done/hotline_export_full_snapshot_20261105_0600_part2.csv",
			catalog.Msg("msg_csv_encoding_guessed", "csv/gb18030").Error()} {
			if !strings.Contains(flat, strings.Join(strings.Fields(want), "")) {
				t.Errorf("%s: the table lost %q:\n%s", lang, want, s)
			}
		}
	}
	catalog.SetLang("zh")
}

func TestWrapAndShorten(t *testing.T) {
	for _, c := range []struct {
		s     string
		width int
	}{{"landed as batch 12; 42 ids missing from this full snapshot (listed)", 20}, {"已入库，批次 12；本次全量快照缺少 42 个编号（已列出）", 15}, {"x", 1}} {
		got := wrap(c.s, c.width)
		for _, l := range got {
			if textwidth.Of(l) > c.width {
				t.Errorf("wrap(%q, %d): line %q too wide", c.s, c.width, l)
			}
		}
		if strings.ReplaceAll(strings.Join(got, ""), " ", "") != strings.ReplaceAll(c.s, " ", "") {
			t.Errorf("wrap(%q) lost text: %q", c.s, got)
		}
	}
	if s := shorten("广州分行_信用卡中心_客户投诉登记簿_2026年10月.xlsx", 28); textwidth.Of(s) > 28 || !strings.HasSuffix(s, ".xlsx") || !strings.HasPrefix(s, "广州") {
		t.Errorf("shorten: %q (%d columns)", s, textwidth.Of(s))
	}
}
