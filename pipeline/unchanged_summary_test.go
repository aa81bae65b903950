package pipeline

import (
	"bytes"
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
