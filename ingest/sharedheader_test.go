package ingest

import "testing"

// TestProfileColumnsShareAHeader: two profile columns may name one header (status and outcome both read the
// CFPB's "Company response to consumer"); where the header text appears twice, the second profile column
// still takes the second column, and synonyms never take a column a profile column claimed.
func TestProfileColumnsShareAHeader(t *testing.T) {
	p := &Profile{Columns: map[string]string{"outcome": "Company response to consumer", "status": "Company response to consumer"}}
	cm := resolveColumns([]string{"Complaint ID", "Company response to consumer", "Status"}, p)
	if cm.Index["outcome"] != 1 || cm.Index["status"] != 1 {
		t.Errorf("outcome -> %d, status -> %d; want both 1", cm.Index["outcome"], cm.Index["status"])
	}
	cm = resolveColumns([]string{"结果", "结果"}, &Profile{Columns: map[string]string{"outcome": "结果", "status": "结果"}})
	if cm.Index["outcome"] != 0 || cm.Index["status"] != 1 {
		t.Errorf("duplicated header: outcome -> %d, status -> %d; want 0 and 1", cm.Index["outcome"], cm.Index["status"])
	}
}
