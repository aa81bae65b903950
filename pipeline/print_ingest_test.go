package pipeline

import (
	"bytes"
	"strings"
	"testing"

	"complaints/catalog"
	"complaints/ingest"
)

// The ingest summary says when an encoding was guessed and how many rows had invalid text replaced.
func TestPrintIngestSaysGuessedEncodingAndFlaggedRows(t *testing.T) {
	var out bytes.Buffer
	PrintIngest(&out, []ingest.FileResult{
		{Path: "a.csv", Format: "csv", Encoding: "gb18030", EncodingGuessed: true, Read: 3, Accepted: 3, BatchID: 1},
		{Path: "b.csv", Format: "csv", Encoding: "utf-8", Read: 5, Accepted: 5, Flagged: 2, BatchID: 2},
	})
	lines := strings.Split(out.String(), "\n")
	if want := catalog.Msg("msg_csv_encoding_guessed", "csv/gb18030").Error(); !strings.Contains(lines[1]+lines[2], want) {
		t.Errorf("a.csv lines %q lack %q", lines[1:3], want)
	}
	// b.csv's result wraps within its column: its lines up to the total row, joined
	var b []string
	for _, l := range lines[2:] {
		if strings.HasPrefix(l, catalog.Msg("msg_cli_total").Error()) {
			break
		}
		b = append(b, strings.TrimSpace(l))
	}
	if want := catalog.Msg("msg_csv_invalid_text_rows", 2).Error(); !strings.Contains(strings.ReplaceAll(strings.Join(b, ""), " ", ""), strings.ReplaceAll(want, " ", "")) {
		t.Errorf("b.csv lines %q lack %q", b, want)
	}
	if strings.Contains(lines[2], catalog.Msg("msg_csv_encoding_guessed", "csv/utf-8").Error()) {
		t.Errorf("b.csv encoding is not guessed: %q", lines[2])
	}
}
