package ingest

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func inboxOptions(base string) Options {
	opts := testOptions()
	opts.BaseDir = base
	opts.InboxSettle = -1
	opts.Profiles = []Profile{{Name: "hotline", Glob: "exports/hotline_*.csv", IntakeChannel: "电话",
		Columns: map[string]string{"source_id": "单据", "received_at": "进线"}}}
	return opts
}

func exists(p string) bool { _, err := os.Stat(p); return err == nil }

func TestInboxMovesByOutcome(t *testing.T) {
	w := openTestWarehouse(t)
	base := t.TempDir()
	in := filepath.Join(base, "inbox")
	os.MkdirAll(in, 0o755)
	// Glob match on the base-name pattern: the profile's glob is exports/hotline_*.csv, the file is in inbox/.
	writeFile(t, in, "hotline_20261105.csv", "单据,进线,联系电话\nH1,2026-11-01 09:00,13812345678\nH2,2026-11-02 10:00,\n")
	// No glob: header synonyms.
	writeFile(t, in, "letters_20261105.csv", bigCSV(3))
	// Fails: no date column.
	writeFile(t, in, "broken.csv", "编号,备注\nX1,无日期\n")
	// Ignored: hidden, a transfer in progress, an Office lock file.
	writeFile(t, in, ".hidden.csv", bigCSV(1))
	writeFile(t, in, "next.csv.part", bigCSV(1))
	writeFile(t, in, "~$book.xlsx", "x")
	res, err := IngestInbox(context.Background(), w, inboxOptions(base), in)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 3 {
		t.Fatalf("results: %+v", res)
	}
	byName := map[string]FileResult{}
	for _, r := range res {
		byName[filepath.Base(r.Path)] = r
	}
	h := byName["hotline_20261105.csv"]
	if h.Err != nil || h.Source != "hotline" || h.Accepted != 2 || h.BatchID == 0 || h.MovedTo != filepath.Join(in, "done", "hotline_20261105.csv") {
		t.Errorf("hotline: %+v", h)
	}
	var channel string
	if err := w.DB.QueryRow("SELECT intake_channel FROM landed_rows WHERE source_id = 'H1'").Scan(&channel); err != nil || channel != "电话" {
		t.Errorf("hotline profile not applied: channel %q %v", channel, err)
	}
	l := byName["letters_20261105.csv"]
	if l.Err != nil || l.Source != "letters" || l.Accepted != 3 || !exists(filepath.Join(in, "done", "letters_20261105.csv")) {
		t.Errorf("letters: %+v", l)
	}
	b := byName["broken.csv"]
	if !errors.Is(b.Err, ErrMissingColumns) || b.MovedTo != filepath.Join(in, "failed", "broken.csv") {
		t.Errorf("broken: %+v", b)
	}
	reason, err := os.ReadFile(filepath.Join(in, "failed", "broken.csv.reason.txt"))
	if err != nil || !strings.Contains(string(reason), "received_at") || !strings.Contains(string(reason), "nothing of this file was landed") {
		t.Errorf("reason file: %q %v", reason, err)
	}
	for _, gone := range []string{"hotline_20261105.csv", "letters_20261105.csv", "broken.csv"} {
		if exists(filepath.Join(in, gone)) {
			t.Errorf("%s still in the inbox", gone)
		}
	}
	for _, stays := range []string{".hidden.csv", "next.csv.part", "~$book.xlsx"} {
		if !exists(filepath.Join(in, stays)) {
			t.Errorf("%s was moved", stays)
		}
	}
	batches, landed, _ := tableCounts(t, w)
	if batches != 2 || landed != 5 {
		t.Errorf("warehouse: %d batches, %d landed; want 2, 5", batches, landed)
	}
	// A second run finds nothing new.
	res, err = IngestInbox(context.Background(), w, inboxOptions(base), in)
	if err != nil || len(res) != 0 {
		t.Errorf("second run: %+v %v", res, err)
	}
}

func TestInboxAlreadyIngestedGoesToDone(t *testing.T) {
	w := openTestWarehouse(t)
	base := t.TempDir()
	in := filepath.Join(base, "inbox")
	os.MkdirAll(in, 0o755)
	writeFile(t, in, "a.csv", bigCSV(4))
	if res, err := IngestInbox(context.Background(), w, inboxOptions(base), in); err != nil || len(res) != 1 || res[0].BatchID != 1 {
		t.Fatalf("%+v %v", res, err)
	}
	// The same bytes again, under the same name (done/a.csv is taken) and under another.
	writeFile(t, in, "a.csv", bigCSV(4))
	writeFile(t, in, "b.csv", bigCSV(4))
	res, err := IngestInbox(context.Background(), w, inboxOptions(base), in)
	if err != nil || len(res) != 2 {
		t.Fatalf("%+v %v", res, err)
	}
	for _, r := range res {
		if r.Err != nil || !r.Skipped || !strings.Contains(r.SkipReason, "already ingested as batch 1") {
			t.Errorf("%s: %+v", r.Path, r)
		}
	}
	if res[0].MovedTo != filepath.Join(in, "done", "a.2.csv") || res[1].MovedTo != filepath.Join(in, "done", "b.csv") {
		t.Errorf("moved to %q and %q", res[0].MovedTo, res[1].MovedTo)
	}
	note, err := os.ReadFile(filepath.Join(in, "done", "b.csv.skipped.txt"))
	if err != nil || !strings.Contains(string(note), "already ingested as batch 1") {
		t.Errorf("skip note: %q %v", note, err)
	}
	if b, l, _ := tableCounts(t, w); b != 1 || l != 4 {
		t.Errorf("warehouse: %d batches %d rows", b, l)
	}
}

func TestInboxLeavesFileStillBeingWritten(t *testing.T) {
	w := openTestWarehouse(t)
	base := t.TempDir()
	in := filepath.Join(base, "inbox")
	os.MkdirAll(in, 0o755)
	growing := writeFile(t, in, "growing.csv", bigCSV(2))
	touched := writeFile(t, in, "touched.csv", bigCSV(3)) // same size, new mtime
	writeFile(t, in, "still.csv", "工单编号,受理时间\nS1,2026-11-01\n")
	hookInboxSettle = func() {
		f, err := os.OpenFile(growing, os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			t.Error(err)
			return
		}
		f.WriteString("ID999999,2025-10-03 10:00:00,13800000000,more\n")
		f.Close()
		later := time.Now().Add(5 * time.Second)
		os.Chtimes(touched, later, later)
	}
	defer func() { hookInboxSettle = nil }()
	opts := inboxOptions(base)
	opts.InboxSettle = 10 * time.Millisecond
	res, err := IngestInbox(context.Background(), w, opts, in)
	if err != nil || len(res) != 3 {
		t.Fatalf("%+v %v", res, err)
	}
	for _, r := range res {
		name := filepath.Base(r.Path)
		switch name {
		case "growing.csv", "touched.csv":
			if !r.Skipped || !strings.Contains(r.SkipReason, "still being written") || r.MovedTo != "" || !exists(filepath.Join(in, name)) {
				t.Errorf("%s: %+v", name, r)
			}
		case "still.csv":
			if r.Err != nil || r.Accepted != 1 || !exists(filepath.Join(in, "done", name)) {
				t.Errorf("%s: %+v", name, r)
			}
		}
	}
	// The next run, with nothing changing, takes them.
	hookInboxSettle = nil
	res, err = IngestInbox(context.Background(), w, opts, in)
	if err != nil || len(res) != 2 || res[0].Accepted != 3 || res[1].Accepted != 3 {
		t.Fatalf("next run: %+v %v", res, err)
	}
}

func TestInboxDryRunMovesAndLandsNothing(t *testing.T) {
	w := openTestWarehouse(t)
	base := t.TempDir()
	in := filepath.Join(base, "inbox")
	os.MkdirAll(in, 0o755)
	writeFile(t, in, "a.csv", bigCSV(4))
	writeFile(t, in, "broken.csv", "编号\nX\n")
	opts := inboxOptions(base)
	opts.DryRun = true
	res, err := IngestInbox(context.Background(), w, opts, in)
	if err != nil || len(res) != 2 || res[0].Accepted != 4 || res[1].Err == nil {
		t.Fatalf("%+v %v", res, err)
	}
	assertEmptyWarehouse(t, w)
	for _, n := range []string{"a.csv", "broken.csv"} {
		if !exists(filepath.Join(in, n)) {
			t.Errorf("dry run moved %s", n)
		}
	}
	if exists(filepath.Join(in, "done")) || exists(filepath.Join(in, "failed")) {
		t.Error("dry run created done/ or failed/")
	}
}

func TestInboxCancelLeavesFile(t *testing.T) {
	w := openTestWarehouse(t)
	base := t.TempDir()
	in := filepath.Join(base, "inbox")
	os.MkdirAll(in, 0o755)
	writeFile(t, in, "big.csv", bigCSV(3*recordBatchRows))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	hookAfterBatch = func(n int) { cancel() }
	defer func() { hookAfterBatch = nil }()
	res, err := IngestInbox(ctx, w, inboxOptions(base), in)
	if !errors.Is(err, context.Canceled) || len(res) != 1 || res[0].MovedTo != "" {
		t.Fatalf("%+v %v", res, err)
	}
	if !exists(filepath.Join(in, "big.csv")) || exists(filepath.Join(in, "failed")) {
		t.Error("a cancelled file must stay in the inbox")
	}
	assertEmptyWarehouse(t, w)
}
