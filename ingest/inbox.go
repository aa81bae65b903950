package ingest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"complaints/catalog"
	"complaints/internal/atomicfile"
	"complaints/warehouse"
)

// DefaultInboxSettle is how long IngestInbox waits between its two looks at a file's size and mtime.
const DefaultInboxSettle = time.Second

// Inbox sub-folders: landed (and already-ingested) files go to done/, failed ones to failed/ with a reason file.
const (
	InboxDone   = "done"
	InboxFailed = "failed"
)

// partialSuffixes are names transfer clients give a file while it is still being written.
var partialSuffixes = []string{".part", ".filepart", ".partial", ".tmp", ".crdownload", ".uploading"}

// inboxCandidate reports whether a directory entry of the inbox is a file to take: a regular file that is not
// hidden, not an Office lock file (~$book.xlsx) and not named like a transfer in progress.
func inboxCandidate(e os.DirEntry) bool {
	name := e.Name()
	if !e.Type().IsRegular() || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "~$") {
		return false
	}
	lower := strings.ToLower(name)
	for _, s := range partialSuffixes {
		if strings.HasSuffix(lower, s) {
			return false
		}
	}
	return !strings.HasSuffix(lower, ".reason.txt") && !strings.HasSuffix(lower, ".skipped.txt")
}

// hookInboxSettle, when set (tests), runs between IngestInbox's two looks.
var hookInboxSettle func()

type fileLook struct {
	size  int64
	mtime time.Time
}

func lookAt(path string) (fileLook, bool) {
	st, err := os.Stat(path)
	if err != nil || !st.Mode().IsRegular() {
		return fileLook{}, false
	}
	return fileLook{st.Size(), st.ModTime()}, true
}

// IngestInbox takes every new file dropped in dir (as by an SFTP transfer), in name order:
//
//   - A file whose size or mtime changes between two looks Options.InboxSettle apart (default 1 s) is still
//     being written: it is left where it is for the next run (Skipped, "still being written").
//   - Each other file is read with the profile whose glob matches it (on the path relative to BaseDir, or the
//     glob's base-name pattern on the file's name: exports/hotline_*.csv takes inbox/hotline_20261105.csv), else a
//     built-in profile recognised by its header, else the header synonyms.
//   - Once its batch has committed, the file moves to dir/done/. A file already ingested (same sha256) moves
//     there too, with <name>.skipped.txt beside it saying which batch holds it. A file that failed moves to
//     dir/failed/ with <name>.reason.txt beside it (the error; nothing of it was landed).
//   - A name already taken in done/ or failed/ gets a numeric suffix (hotline.2.csv); nothing is overwritten.
//   - With DryRun nothing is landed and nothing is moved.
//
// A cancelled context stops the run; the file being ingested is rolled back and stays in the inbox, unless its
// batch had committed (the cancellation came during or after COMMIT): then it is landed and moves to done/. FileResult
// .MovedTo says where each file went. The error is for the run as a whole (an unreadable inbox, cancellation).
func IngestInbox(ctx context.Context, w *warehouse.Warehouse, opts Options, dir string) ([]FileResult, error) {
	opts.defaults()
	if len(opts.HMACKey) == 0 {
		return nil, ErrNoKey(opts.KeyEnv)
	}
	if w == nil && !opts.DryRun {
		return nil, errors.New("ingest: no warehouse")
	}
	if w != nil {
		if err := CheckKey(ctx, w, opts.HMACKey, !opts.DryRun, opts.AdoptKey); err != nil {
			return nil, err
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("inbox %q: %w", dir, err)
	}
	var names []string
	first := map[string]fileLook{}
	for _, e := range entries {
		if !inboxCandidate(e) {
			continue
		}
		if l, ok := lookAt(filepath.Join(dir, e.Name())); ok {
			names = append(names, e.Name())
			first[e.Name()] = l
		}
	}
	sort.Strings(names)
	if len(names) == 0 {
		return nil, nil
	}
	settle := opts.InboxSettle
	if settle == 0 {
		settle = DefaultInboxSettle
	}
	if hookInboxSettle != nil {
		hookInboxSettle()
	}
	if settle > 0 {
		t := time.NewTimer(settle)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		case <-t.C:
		}
	}
	var results []FileResult
	var jobs []job
	for _, name := range names {
		path := filepath.Join(dir, name)
		second, ok := lookAt(path)
		if !ok {
			continue // gone between the looks (the sender renamed it); a later run sees it under its final name
		}
		if f := first[name]; second.size != f.size || !second.mtime.Equal(f.mtime) {
			res := FileResult{Path: displayPath(opts.BaseDir, path), Skipped: true,
				SkipReason: catalog.Msg("msg_cli_still_written", settle).Error()}
			opts.Logger.Info("skipped", "file", res.Path, "reason", res.SkipReason)
			results = append(results, res)
			continue
		}
		jobs = append(jobs, job{path: path, profile: profileByGlob(opts, path)})
	}
	for _, j := range jobs {
		if err := ctx.Err(); err != nil {
			return results, err
		}
		res, err := run(ctx, w, opts, []job{j})
		if len(res) == 0 {
			return results, err
		}
		r := res[0]
		landed := r.Err == nil && !r.Skipped && r.BatchID > 0
		if ctx.Err() != nil && !landed {
			results = append(results, r) // rolled back; the file stays for the next run
			return results, ctx.Err()
		}
		if !opts.DryRun {
			moveInboxFile(dir, j.path, &r, opts)
		}
		results = append(results, r)
	}
	return results, ctx.Err()
}

// moveInboxFile moves a processed file to done/ or failed/ and writes the note beside it. A move that fails is
// reported in the result's error (for a landed file: it is landed, and the next run skips it as already
// ingested and tries the move again).
func moveInboxFile(dir, path string, r *FileResult, opts Options) {
	sub, note, noteExt := InboxDone, "", ""
	switch {
	case r.Err != nil:
		sub, noteExt = InboxFailed, ".reason.txt"
		note = fmt.Sprintf("%s\nfile: %s\nsha256: %s\nfailed at: %s\nnothing of this file was landed; fix the cause (or its source profile) and drop the file in the inbox again.\n",
			Scrub(r.Err.Error()), ScrubFileName(filepath.Base(path)), r.SHA256, warehouse.WallClockText(opts.Now()))
	case r.Skipped:
		noteExt = ".skipped.txt"
		note = fmt.Sprintf("skipped: %s\nfile: %s\nsha256: %s\nat: %s\n", r.SkipReason, ScrubFileName(filepath.Base(path)), r.SHA256, warehouse.WallClockText(opts.Now()))
	}
	to := filepath.Join(dir, sub)
	if err := os.MkdirAll(to, 0o755); err != nil {
		r.Err = errors.Join(r.Err, fmt.Errorf("inbox: create %s: %w", to, err))
		return
	}
	dest := freeName(to, filepath.Base(path))
	if err := os.Rename(path, dest); err != nil {
		r.Err = errors.Join(r.Err, scrubError(fmt.Errorf("inbox: move %s to %s/: %w", filepath.Base(path), sub, err)))
		return
	}
	r.MovedTo = dest
	_ = os.Chmod(dest, atomicfile.Mode()) // the export holds customers' data: as private as every output
	if note != "" {
		if err := atomicfile.Write(dest+noteExt, []byte(note)); err != nil {
			opts.Logger.Warn("inbox: cannot write note", "file", ScrubFileName(dest+noteExt), "err", scrubError(err))
		}
	}
	opts.Logger.Info("moved", "file", r.Path, "to", ScrubFileName(dest))
}

// freeName returns dir/name, or dir/<stem>.N<ext> with the smallest N >= 2 not yet taken.
func freeName(dir, name string) string {
	p := filepath.Join(dir, name)
	if _, err := os.Lstat(p); errors.Is(err, os.ErrNotExist) {
		return p
	}
	ext := filepath.Ext(name)
	stem := strings.TrimSuffix(name, ext)
	for n := 2; ; n++ {
		p = filepath.Join(dir, fmt.Sprintf("%s.%d%s", stem, n, ext))
		if _, err := os.Lstat(p); errors.Is(err, os.ErrNotExist) {
			return p
		}
	}
}
