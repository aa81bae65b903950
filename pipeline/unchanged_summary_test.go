package pipeline

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"complaints/catalog"
	"complaints/ingest"
)

// The ingest summary reads read = landed + unchanged + rejected: the landed column counts the rows landed as
// versions, and the result column (and the total's) says how many were unchanged.
func TestPrintIngestSaysUnchangedRows(t *testing.T) {
	catalog.SetLang("en")
	var out bytes.Buffer
	PrintIngest(&out, []ingest.FileResult{
		{Path: "crm_20261130.csv", Format: "csv", Encoding: "utf-8", Read: 10, Accepted: 9, Unchanged: 7, Rejected: 1, BatchID: 2},
	})
	s := strings.Join(strings.Fields(out.String()), " ")
	if !strings.Contains(s, "10 2 1") {
		t.Errorf("counts read 10, landed 2, rejected 1 missing:\n%s", out.String())
	}
	want := strings.Join(strings.Fields(catalog.Msg("msg_unchanged_rows", 7).Error()), " ")
	if strings.Count(s, want) != 2 {
		t.Errorf("%q not said for the file and the total:\n%s", want, out.String())
	}
}

// A file that failed landed nothing: its row says so whatever it had read and recognised before failing, and
// the total counts none of it.
func TestPrintIngestFailedFileLandedNothing(t *testing.T) {
	catalog.SetLang("en")
	var out bytes.Buffer
	PrintIngest(&out, []ingest.FileResult{
		{Path: "crm_20261130.csv", Format: "csv", Encoding: "utf-8", Read: 10, Accepted: 9, Unchanged: 7, Rejected: 1, BatchID: 2},
		{Path: "crm_20261231.csv", Format: "csv", Encoding: "utf-8", Read: 20, Accepted: 20, Unchanged: 15, Err: errors.New("out of memory")},
	})
	s := strings.Join(strings.Fields(out.String()), " ")
	if !strings.Contains(s, "crm_20261231.csv csv/utf-8 20 0 0") || !strings.Contains(s, "30 2 1") {
		t.Errorf("the failed file should show read 20, landed 0, and the total read 30, landed 2:\n%s", out.String())
	}
	want := strings.Join(strings.Fields(catalog.Msg("msg_unchanged_rows", 7).Error()), " ")
	if strings.Count(s, want) != 2 || strings.Contains(s, strings.Join(strings.Fields(catalog.Msg("msg_unchanged_rows", 15).Error()), " ")) {
		t.Errorf("only the landed file's unchanged rows should be said:\n%s", out.String())
	}
}
