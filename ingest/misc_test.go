package ingest

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// TestCancelAtCommitKeepsLandedBatch: a cancellation arriving just before or just after COMMIT (SIGTERM during
// it) leaves a committed batch reported as landed, moved to done/, and stops the run before the next file.
func TestCancelAtCommitKeepsLandedBatch(t *testing.T) {
	for _, at := range []string{"before", "after"} {
		t.Run(at, func(t *testing.T) {
			w := openTestWarehouse(t)
			base := t.TempDir()
			in := filepath.Join(base, "inbox")
			os.MkdirAll(in, 0o755)
			writeFile(t, in, "a.csv", bigCSV(3))
			writeFile(t, in, "b.csv", bigCSV(4))
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			hook := &hookAfterCommit
			if at == "before" {
				hook = &hookBeforeCommit
			}
			*hook = cancel
			defer func() { *hook = nil }()
			res, err := IngestInbox(ctx, w, inboxOptions(base), in)
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("run error %v, want the cancellation", err)
			}
			if len(res) != 1 || res[0].Err != nil || res[0].BatchID != 1 || res[0].Accepted != 3 {
				t.Fatalf("results %+v", res)
			}
			if !exists(filepath.Join(in, "done", "a.csv")) || exists(filepath.Join(in, "a.csv")) {
				t.Error("the committed file was not moved to done/")
			}
			if !exists(filepath.Join(in, "b.csv")) {
				t.Error("the file after the cancellation must stay")
			}
			if b, l, _ := tableCounts(t, w); b != 1 || l != 3 {
				t.Errorf("batches %d landed %d", b, l)
			}
		})
	}
}

// TestCompensationLandsCanonical: money in every style lands as canonical decimal text; what cannot be read
// unambiguously lands raw (staging flags it).
func TestCompensationLandsCanonical(t *testing.T) {
	w := openTestWarehouse(t)
	dir := t.TempDir()
	p := writeFile(t, dir, "money.csv", "工单编号,受理时间,补偿金额\n"+
		"M1,2026-10-05,１２３４．５\nM2,2026-10-05,1万\nM3,2026-10-05,(100)\nM4,2026-10-05,\"1.234,50\"\n"+
		"M5,2026-10-05,\"1,234\"\nM6,2026-10-05,¥1200元\nM7,2026-10-05,\"1,2345\"\n")
	res, err := IngestFiles(context.Background(), w, testOptions(), []string{p}, "")
	if err != nil || res[0].Err != nil {
		t.Fatal(err, res)
	}
	want := map[string]string{"M1": "1234.5", "M2": "10000", "M3": "-100", "M4": "1234.50", "M5": "1234", "M6": "1200", "M7": "1,2345"}
	rs, err := w.DB.Query("SELECT source_id, compensation FROM landed_rows")
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()
	n := 0
	for rs.Next() {
		var id, v string
		if err := rs.Scan(&id, &v); err != nil {
			t.Fatal(err)
		}
		n++
		if want[id] != v {
			t.Errorf("%s: landed %q, want %q", id, v, want[id])
		}
	}
	if n != len(want) {
		t.Errorf("%d rows", n)
	}
}
