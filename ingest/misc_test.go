package ingest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"complaints/catalog"
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

// TestDuplicateHeaders: a mapped header appearing twice refuses the file (naming it and both columns) unless a
// profile maps it; an unmapped duplicate is a note.
func TestDuplicateHeaders(t *testing.T) {
	w := openTestWarehouse(t)
	dir := t.TempDir()
	mapped := writeFile(t, dir, "dup_mapped.csv", "工单编号,受理时间,投诉内容,投诉内容\nD1,2026-10-05,甲,乙\n")
	res, err := IngestFiles(context.Background(), w, testOptions(), []string{mapped}, "")
	if err != nil || len(res) != 1 || !catalog.HasKey(res[0].Err, "msg_misc_duplicate_header") {
		t.Fatalf("mapped duplicate: %+v %v", res, err)
	}
	var m *catalog.Message
	if !errors.As(res[0].Err, &m) || fmt.Sprint(m.Args[2:5]) != "[3 4 narrative]" {
		t.Errorf("the refusal names %v, want columns 3 and 4 and the field", m)
	}
	// the profile says which: the second, by "#2"
	opts := testOptions()
	opts.Profiles = []Profile{{Name: "p", Columns: map[string]string{"narrative": "投诉内容#2"}}}
	res, err = IngestFiles(context.Background(), w, opts, []string{mapped}, "p")
	if err != nil || res[0].Err != nil || len(res[0].Notes) != 1 || res[0].Notes[0].Key != "msg_misc_duplicate_header_profile" {
		t.Fatalf("profile-mapped duplicate: %+v %v", res, err)
	}
	var narrative string
	w.DB.QueryRow("SELECT narrative FROM landed_rows WHERE source_id = 'D1'").Scan(&narrative)
	if narrative != "乙" {
		t.Errorf("narrative %q, want the second column's", narrative)
	}
	unmapped := writeFile(t, dir, "dup_unmapped.csv", "工单编号,受理时间,备用字段,备用字段\nU1,2026-10-05,x,y\n")
	res, err = IngestFiles(context.Background(), w, testOptions(), []string{unmapped}, "")
	if err != nil || res[0].Err != nil || len(res[0].Notes) != 1 || res[0].Notes[0].Key != "msg_misc_duplicate_header_unmapped" {
		t.Fatalf("unmapped duplicate: %+v %v", res, err)
	}
}

// TestDateOrderPerFile: year-last dates are read in the order the file's own values settle; when every one is
// ambiguous, as the profile's date_order says, else month first, with a note.
func TestDateOrderPerFile(t *testing.T) {
	cases := []struct {
		name, body, order, want, note string
	}{
		{"dmy settled by 13/10", "A1,05/10/2026\nA2,13/10/2026\n", "", "2026-10-05", ""},
		{"mdy settled by 10/13", "A1,05/10/2026\nA2,10/13/2026\n", "", "2026-05-10", ""},
		{"ambiguous, default", "A1,05/10/2026\nA2,06/10/2026 08:30\n", "", "2026-05-10", "msg_misc_date_order_assumed"},
		{"ambiguous, profile dmy", "A1,05/10/2026\nA2,06/10/2026\n", "dmy", "2026-10-05", ""},
		{"settled beats profile", "A1,05/10/2026\nA2,10/13/2026\n", "dmy", "2026-05-10", ""},
		{"dots and full width", "A1,０５.１０.２０２６\nA2,13.10.2026\n", "", "2026-10-05", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := openTestWarehouse(t)
			p := writeFile(t, t.TempDir(), "d.csv", "工单编号,受理时间\n"+c.body)
			opts := testOptions()
			opts.Profiles = []Profile{{Name: "p", DateOrder: c.order}}
			res, err := IngestFiles(context.Background(), w, opts, []string{p}, "p")
			if err != nil || res[0].Err != nil || res[0].Accepted != 2 {
				t.Fatalf("%+v %v", res, err)
			}
			var got string
			w.DB.QueryRow("SELECT received_at FROM landed_rows WHERE source_id = 'A1'").Scan(&got)
			if got != c.want+" 00:00:00" {
				t.Errorf("A1 landed %q, want %s", got, c.want)
			}
			var keys []string
			for _, n := range res[0].Notes {
				keys = append(keys, n.Key)
			}
			if fmt.Sprint(keys) != fmt.Sprint(noteKeys(c.note)) {
				t.Errorf("notes %v, want %v", keys, noteKeys(c.note))
			}
		})
	}
	// ymd: an ambiguous year-last receipt date is not read (a reject), a settled one is.
	w := openTestWarehouse(t)
	p := writeFile(t, t.TempDir(), "y.csv", "工单编号,受理时间\nA1,05/10/2026\nA2,13/10/2026\nA3,2026-10-05\n")
	opts := testOptions()
	opts.MaxRejectRate = 0.9
	opts.Profiles = []Profile{{Name: "p", DateOrder: "ymd"}}
	res, err := IngestFiles(context.Background(), w, opts, []string{p}, "p")
	if err != nil || res[0].Err != nil || res[0].Accepted != 2 || res[0].Rejected != 1 || res[0].Rejects[0].Row != 2 {
		t.Fatalf("ymd: %+v %v", res, err)
	}
}

func noteKeys(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}

// TestCheckShowsAmbiguousDatesRead: sources check's samples show ambiguous dates as they will land, and the note.
func TestCheckShowsAmbiguousDatesRead(t *testing.T) {
	p := writeFile(t, t.TempDir(), "d.csv", "工单编号,受理时间\nA1,05/10/2026\nA2,06/10/2026\n")
	rep, err := Check(context.Background(), p, &Profile{Name: "p", DateOrder: "dmy"}, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	if got := rep.Samples[0]["received_at"]; got != "2026-10-05 00:00:00" {
		t.Errorf("sample received_at %q", got)
	}
	rep, err = Check(context.Background(), p, nil, testOptions())
	if err != nil || len(rep.Problems) != 1 || rep.Samples[0]["received_at"] != "2026-05-10 00:00:00" {
		t.Errorf("%v %v %v", rep.Problems, rep.Samples, err)
	}
}
