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
