package ingest_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"complaints/ingest"
	"complaints/transform"
	"complaints/warehouse"
)

// Work-order types: a call-centre export mixes complaints with enquiries, suggestions and praise. Ingest lands
// the type as exported (record_type, text); normalise maps 投诉/咨询/建议/表扬 to complaint/enquiry/suggestion/
// praise and counts only complaints.
func TestWorkOrderTypesLandAndNormalise(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	w, err := warehouse.Open(ctx, warehouse.Options{Path: filepath.Join(dir, "w.duckdb"), Threads: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	csv := "工单编号,工单类型,受理时间,业务类别,处理状态\n" +
		"T1,投诉,2026-10-03 09:00,信用卡,处理中\n" +
		"T2,咨询,2026-10-03 10:00,信用卡,已办结\n" +
		"T3,建议,2026-10-03 11:00,借记卡,已办结\n" +
		"T4,表扬,2026-10-03 12:00,借记卡,已办结\n" +
		"T5, 投诉 ,2026-10-04 12:00,贷款,处理中\n" +
		"T6,,2026-10-05 12:00,贷款,处理中\n"
	p := filepath.Join(dir, "hotline_20261031.csv")
	if err := os.WriteFile(p, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	now := func() time.Time { return time.Date(2026, 11, 5, 9, 0, 0, 0, warehouse.Beijing) }
	res, err := ingest.IngestFiles(ctx, w, ingest.Options{HMACKey: []byte("k"), Now: now}, []string{p}, "")
	if err != nil || res[0].Err != nil || res[0].Accepted != 6 {
		t.Fatalf("%+v %v", res, err)
	}
	landed := query(t, w, "SELECT source_id || '=' || coalesce(record_type, 'NULL') FROM landed_rows ORDER BY source_id")
	if got, want := strings.Join(landed, " "), "T1=投诉 T2=咨询 T3=建议 T4=表扬 T5=投诉 T6=NULL"; got != want {
		t.Errorf("landed record_type: %s, want %s", got, want)
	}
	nr, err := transform.Normalize(ctx, w, transform.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	got := query(t, w, "SELECT source_id || '=' || record_type || '/' || is_complaint FROM complaints ORDER BY source_id")
	// A row with no type is a complaint (the export is a complaint log unless it says otherwise).
	want := "T1=complaint/true T2=enquiry/false T3=suggestion/false T4=praise/false T5=complaint/true T6=complaint/true"
	if strings.Join(got, " ") != want {
		t.Errorf("normalised: %s\nwant        %s", strings.Join(got, " "), want)
	}
	if nr.NonComplaint != 3 {
		t.Errorf("non-complaint work orders = %d, want 3", nr.NonComplaint)
	}
}

func query(t *testing.T, w *warehouse.Warehouse, q string) []string {
	t.Helper()
	rs, err := w.DB.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()
	var out []string
	for rs.Next() {
		var s string
		if err := rs.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}
