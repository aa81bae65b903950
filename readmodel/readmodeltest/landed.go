package readmodeltest

import (
	"context"
	"testing"
	"time"

	"complaints/ingest"
	"complaints/transform"
	"complaints/warehouse"
)

// Landed ingests files into a new in-memory warehouse with ingest's own detection (a file whose header is a
// built-in profile's, such as the CFPB's, is read through that profile), normalises it and returns it, closed when
// the test ends. Any file that fails to land fails the test.
func Landed(t testing.TB, paths ...string) *warehouse.Warehouse {
	t.Helper()
	ctx := context.Background()
	w, err := warehouse.Open(ctx, warehouse.Options{Path: ":memory:", Threads: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	opts := ingest.Options{HMACKey: []byte("k"), Now: func() time.Time { return time.Date(2026, 11, 1, 9, 0, 0, 0, warehouse.Beijing) }}
	res, err := ingest.IngestFiles(ctx, w, opts, paths, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res {
		if r.Err != nil {
			t.Fatal(r.Err)
		}
	}
	if _, err := transform.Normalize(ctx, w, transform.Options{}); err != nil {
		t.Fatal(err)
	}
	return w
}
