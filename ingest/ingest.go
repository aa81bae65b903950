package ingest

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"

	"complaints/catalog"
	"complaints/internal/termlog"
	"complaints/internal/termtext"
	"complaints/warehouse"
)

// Options are the settings of an ingest run.
type Options struct {
	// Profiles from the config; may be empty (header synonyms and built-in profiles then map the file).
	Profiles []Profile
	// BaseDir is the folder globs are relative to; landed file paths are relative to it when inside it.
	BaseDir string
	// HMACKey is the secret key for customer identifier hashes (HMAC-SHA256). Required: without it nothing is
	// ingested (ErrNoKey), and a warehouse built under another key is refused (CheckKey).
	HMACKey []byte
	// KeyEnv names the environment variable the key comes from, for the message when it is missing.
	KeyEnv string
	// MaxRejectRate: a file rejecting a larger share of its rows is not taken at all. 0 means the default 0.20.
	MaxRejectRate float64
	// DryRun reads and maps every file and reports counts, landing nothing.
	DryRun bool
	// Progress shows an mpb bar per file on stderr (the caller passes false when stderr is not a terminal).
	Progress bool
	// Logger receives one line per file; nil discards.
	Logger *slog.Logger
	// Now is the ingest time (tests fix it); nil means time.Now.
	Now func() time.Time
	// InboxSettle is IngestInbox's wait between its two looks at each file (a file whose size or mtime changes
	// is still being written); 0 means DefaultInboxSettle (1 s), negative means no wait (tests).
	InboxSettle time.Duration
	// AdoptKey records HMACKey as the key of a warehouse that holds keyed data but no key fingerprint (one built
	// before fingerprints were stored); without it such a warehouse is refused (CheckKey).
	AdoptKey bool
	// Limits bound what one file may cost to read (limits.go); zero fields take DefaultLimits.
	Limits Limits
	// BranchSpellings are the codes, names and aliases of the branch master (ReadBranchSpellings): a column no
	// synonym names whose values are mostly among them reads as the branch by content. Empty: branch names are
	// known by their endings (支行, 网点 ...) only.
	BranchSpellings []string
	// CalendarYears are the years the working-day calendar covers (the pipeline passes transform/calendar's
	// years, lunar-go's plus the config's calendar files). A receipt date in another year is rejected, as is
	// one after the export's as-of date (else after the ingest date). Empty means DefaultCalendarYears.
	CalendarYears []int
}

// DefaultCalendarYears are the receipt years taken when Options.CalendarYears is empty: 2002 (lunar-go's first
// schedule) up to the year after the ingest time's. ingest cannot know the calendar; a year it lacks only leaves
// the clocks of that year's complaints unknown (normalise lists them), and a receipt after the export's as-of
// date, else after the ingest date, is refused anyway.
func DefaultCalendarYears(now time.Time) []int {
	var ys []int
	for y := 2002; y <= now.In(warehouse.Beijing).Year()+1; y++ {
		ys = append(ys, y)
	}
	return ys
}

// DefaultMaxRejectRate is the reject rate above which a file is not taken.
const DefaultMaxRejectRate = 0.20

func (o *Options) defaults() {
	if o.MaxRejectRate <= 0 {
		o.MaxRejectRate = DefaultMaxRejectRate
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if len(o.CalendarYears) == 0 {
		o.CalendarYears = DefaultCalendarYears(o.Now())
	}
	o.Limits = o.Limits.WithDefaults()
}

// FileResult says what happened to one file.
type FileResult struct {
	Path, Source, Format, Encoding, Sheet string
	SHA256                                string
	BatchID                               int64
	Read, Accepted, Rejected              int
	// Unchanged of the Accepted rows equal the newest version of their id: recorded as seen, not landed (read =
	// landed + unchanged + rejected, landed = Accepted - Unchanged).
	Unchanged int
	// EncodingGuessed: the encoding was chosen by weighing the file's bytes (no profile encoding, no BOM, not
	// valid UTF-8 throughout); the summary says so.
	EncodingGuessed bool
	// Flagged: accepted rows whose invalid text was replaced by U+FFFD (landed_rows.row_flags).
	Flagged int
	// Skipped with SkipReason: e.g. already ingested (same sha256).
	Skipped    bool
	SkipReason string
	// AsOf is the export's as-of date (YYYY-MM-DD) if one was found.
	AsOf string
	// Rejects are the first rejected rows (at most 20), for the summary.
	Rejects []Reject
	// MissingFromSnapshot (profiles with snapshot: full) is how many ids of the source seen in earlier batches are
	// not in this export; they are listed in missing_from_snapshot, never deleted.
	MissingFromSnapshot int
	// MovedTo (IngestInbox) is where the file was moved: <inbox>/done/... or <inbox>/failed/...; "" if it stayed.
	MovedTo string
	// Notes are what the summary should say about the file that is no error: the day/month order assumed for
	// ambiguous dates, duplicate headers not landed (catalogue messages, rendered when printed).
	Notes []*catalog.Message
	// Content are the fields mapped by content (recorded in batches.content_columns).
	Content []ContentColumn
	Err     error
	// recognised of the Unchanged rows were recognised by their raw hash before mapping (rawskip.go).
	recognised int
}

const keepRejects = 20

// ingestCheckpointThreshold is DuckDB's checkpoint_threshold while a run lands several files.
const ingestCheckpointThreshold = "256MB"

// progressOutput is where progress bars go (tests silence it).
var progressOutput io.Writer = os.Stderr

// job is one file with the profile that reads it (nil: synonyms and built-in profiles).
type job struct {
	path    string
	profile *Profile
}

// IngestSources ingests every file matched by the profiles' globs, in sorted, deterministic order. A file
// matched by two profiles is read with the first. Per-file failures are in the results; the error is for the
// run as a whole (a bad glob, a cancelled context).
func IngestSources(ctx context.Context, w *warehouse.Warehouse, opts Options) ([]FileResult, error) {
	var jobs []job
	seen := map[string]bool{}
	for i := range opts.Profiles {
		p := &opts.Profiles[i]
		if p.Glob == "" {
			continue
		}
		pattern := p.Glob
		if !filepath.IsAbs(pattern) {
			pattern = filepath.Join(opts.BaseDir, pattern)
		}
		matches, err := filepath.Glob(pattern)
		if err != nil {
			return nil, fmt.Errorf("source %q: glob %q: %w", p.Name, p.Glob, err)
		}
		sort.Strings(matches)
		for _, m := range matches {
			// Folders are skipped; other files that are not regular (a FIFO, a device) are refused by
			// scanFile with a sentence, never opened.
			if st, err := os.Stat(m); err != nil || st.IsDir() {
				continue
			}
			key := filepath.Clean(m)
			if seen[key] {
				continue
			}
			seen[key] = true
			jobs = append(jobs, job{m, p})
		}
	}
	sort.SliceStable(jobs, func(i, j int) bool { return jobs[i].path < jobs[j].path })
	return run(ctx, w, opts, jobs)
}

// IngestFiles ingests the given files. Each file's profile is the one named (profileName, when given), else the
// profile whose glob matches the file, else a built-in profile recognised by the header, else none (header
// synonyms map the file).
func IngestFiles(ctx context.Context, w *warehouse.Warehouse, opts Options, paths []string, profileName string) ([]FileResult, error) {
	var named *Profile
	if profileName != "" {
		var names []string
		for i := range opts.Profiles {
			names = append(names, opts.Profiles[i].Name)
			if opts.Profiles[i].Name == profileName {
				named = &opts.Profiles[i]
			}
		}
		if named == nil {
			for _, b := range builtinProfiles {
				names = append(names, b.Name)
				if b.Name == profileName {
					p := b.Profile
					named = &p
				}
			}
		}
		if named == nil {
			return nil, fmt.Errorf("profile %q not found (profiles: %s)", profileName, strings.Join(names, ", "))
		}
	}
	var jobs []job
	for _, p := range paths {
		j := job{path: p, profile: named}
		if j.profile == nil {
			j.profile = profileByGlob(opts, p)
		}
		jobs = append(jobs, j)
	}
	return run(ctx, w, opts, jobs)
}

// profileByGlob returns the first profile whose glob matches path (relative to BaseDir, or by file name).
func profileByGlob(opts Options, path string) *Profile {
	abs, _ := filepath.Abs(path)
	for i := range opts.Profiles {
		p := &opts.Profiles[i]
		if p.Glob == "" {
			continue
		}
		pattern := p.Glob
		if !filepath.IsAbs(pattern) {
			pattern = filepath.Join(opts.BaseDir, pattern)
		}
		if absPat, err := filepath.Abs(pattern); err == nil {
			if ok, _ := filepath.Match(absPat, abs); ok {
				return p
			}
		}
		if ok, _ := filepath.Match(filepath.Base(p.Glob), filepath.Base(path)); ok {
			return p
		}
	}
	return nil
}

func run(ctx context.Context, w *warehouse.Warehouse, opts Options, jobs []job) ([]FileResult, error) {
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
	var progress *mpb.Progress
	if opts.Progress {
		progress = mpb.NewWithContext(ctx, mpb.WithOutput(progressOutput), mpb.WithWidth(40), mpb.WithAutoRefresh())
		release := termlog.Stderr.Hold() // log lines wait until the bars are done
		defer release()
	}
	if w != nil && !opts.DryRun && len(jobs) > 1 {
		// Each file is a transaction; DuckDB checkpoints a commit whose log passed 16 MB, rewriting the row groups
		// the file touched (row_newest, every month). With a higher threshold the files of one run share fewer
		// checkpoints, the last one when the warehouse closes (docs/performance.md, "Checkpoints").
		if _, err := w.DB.ExecContext(ctx, "SET checkpoint_threshold = '"+ingestCheckpointThreshold+"'"); err == nil {
			defer w.DB.ExecContext(context.Background(), "RESET checkpoint_threshold")
		}
	}
	var results []FileResult
	for _, j := range jobs {
		if err := ctx.Err(); err != nil {
			return results, err
		}
		res := ingestFile(ctx, w, opts, j, progress)
		results = append(results, res)
		if res.Err != nil && ctx.Err() != nil {
			break
		}
	}
	if progress != nil {
		progress.Wait()
	}
	return results, ctx.Err()
}

// displayPath is the path as landed (batches.file_path), logged and shown: relative to BaseDir when the file is
// inside it, with forward slashes, and scrubbed of personal data (ScrubFileName).
func displayPath(base, path string) string {
	return ScrubFileName(rawDisplayPath(base, path))
}

func rawDisplayPath(base, path string) string {
	if base != "" {
		ab, err1 := filepath.Abs(base)
		ap, err2 := filepath.Abs(path)
		if err1 == nil && err2 == nil {
			if rel, err := filepath.Rel(ab, ap); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
				return filepath.ToSlash(rel)
			}
		}
	}
	return filepath.ToSlash(path)
}

// fileFacts is what one pass over the bytes tells: sha256, size, whether it is UTF-8 throughout, the head.
type fileFacts struct {
	SHA256 string
	Size   int64
	ModNS  int64 // modification time before the read, Unix nanoseconds
	UTF8   bool
	Head   []byte
	// Text weighs the bytes as UTF-8 and as GB18030 (encoding detection and the wrong-encoding refusal).
	Text textStats
}

// scanFile refuses what is not a regular file (before opening it) and a file over lim.MaxFileBytes (before
// reading it, and again should it grow while read).
func scanFile(path string, lim Limits) (fileFacts, error) {
	st, err := regularFile(path)
	if err != nil {
		return fileFacts{}, err
	}
	if st.Size() > lim.MaxFileBytes {
		return fileFacts{}, fileTooBig(st.Size(), lim)
	}
	f, err := openRegular(path, st)
	if err != nil {
		return fileFacts{}, err
	}
	defer f.Close()
	h := sha256.New()
	ff := fileFacts{ModNS: st.ModTime().UnixNano()}
	// buf[:4] takes the incomplete rune the last chunk ended with (carry bytes just before buf[4:]), so a chunk
	// is validated where it was read, never copied
	buf := make([]byte, 4+256<<10)
	ff.UTF8 = true
	var carry []byte
	var detail *textCounter // from the first chunk that is not valid UTF-8 on
	for {
		n, err := f.Read(buf[4:])
		if n > 0 {
			read := buf[4 : 4+n]
			h.Write(read)
			ff.Size += int64(n)
			if ff.Size > lim.MaxFileBytes {
				return ff, fileTooBig(ff.Size, lim)
			}
			if len(ff.Head) < 8192 {
				ff.Head = append(ff.Head, read[:min(n, 8192-len(ff.Head))]...)
			}
			ff.Text.NUL += nulCount(read)
			if detail != nil {
				detail.feed(read, false)
			}
			if ff.UTF8 {
				chunk := buf[4-len(carry) : 4+n]
				copy(chunk, carry)
				// Keep an incomplete rune at the end for the next chunk.
				cut := len(chunk)
				for k := 1; k <= 3 && k <= len(chunk); k++ {
					b := chunk[len(chunk)-k]
					if b >= 0xC0 { // a lead byte: is its sequence complete?
						need := 2
						if b >= 0xE0 {
							need = 3
						}
						if b >= 0xF0 {
							need = 4
						}
						if need > k {
							cut = len(chunk) - k
						}
						break
					}
					if b < 0x80 {
						break
					}
				}
				if !utf8.Valid(chunk[:cut]) {
					ff.UTF8 = false
					ff.Text.GBWhole = ff.Size == int64(n)
					detail = &textCounter{st: &ff.Text}
					detail.feed(chunk, false)
					carry = nil
				} else {
					ff.Text.UTF8Chars += leadBytes(chunk[:cut])
					carry = append(carry[:0:0], chunk[cut:]...)
				}
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return ff, err
		}
	}
	if len(carry) > 0 && !utf8.Valid(carry) {
		ff.UTF8 = false
		detail = &textCounter{st: &ff.Text}
		detail.feed(carry, false)
	} else if ff.UTF8 {
		ff.Text.UTF8Chars += leadBytes(carry)
	}
	if detail != nil {
		detail.feed(nil, true)
	}
	ff.SHA256 = hex.EncodeToString(h.Sum(nil))
	return ff, nil
}

var nameTail = regexp.MustCompile(`[-_. ]*(\d{4}[-_.]?\d{2}[-_.]?\d{2}|\d+)?$`)

// sourceFromName derives a source name from a file name when no profile names it: hotline_20261020.csv ->
// hotline. A name that holds personal data (a phone, ID or card number, or a part that looks like a person's
// name: 张三_20261031.csv) becomes `file-` and 12 hex digits of its keyed hash, so it is never in clear and two
// such files are never merged into one source.
func sourceFromName(path string, key []byte) string {
	base := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	s := nameTail.ReplaceAllString(base, "")
	if s == "" {
		s = base
	}
	s = strings.ToLower(s)
	personal := ScrubFileName(s) != s
	for i, part := range splitNameParts(s) {
		if i%2 == 0 && looksLikeName(part) {
			personal = true
		}
	}
	if personal {
		return "file-" + strings.TrimPrefix(keyedID(key, s), keyedIDPrefix)[:12]
	}
	return s
}

// opened is a file opened and mapped, ready to land.
type opened struct {
	in      *input
	facts   fileFacts
	table   *table
	mapper  *mapper
	profile *Profile
	source  string
	asOf    *time.Time
}

// openFile reads a file's facts, opens it with its reader and resolves its mapping. A file its mapping refuses
// (ErrMissingColumns) comes with what was read of it: the table (closed) and the profile, no mapper.
func openFile(ctx context.Context, path, display string, p *Profile, key []byte, lim Limits, branches map[string]bool, count func(int)) (*opened, error) {
	facts, err := scanFile(path, lim.WithDefaults())
	if err != nil {
		return nil, fmt.Errorf("read %q: %w", display, err)
	}
	return openWithFacts(ctx, path, display, facts, p, key, lim, branches, count)
}

// branchSet is the set of opts.BranchSpellings.
func branchSet(opts Options) map[string]bool {
	m := map[string]bool{}
	for _, s := range opts.BranchSpellings {
		m[s] = true
	}
	return m
}

func openWithFacts(ctx context.Context, path, display string, facts fileFacts, p *Profile, key []byte, lim Limits, branches map[string]bool, count func(int)) (*opened, error) {
	in := &input{Path: path, Name: display, Size: facts.Size, Head: facts.Head, UTF8: facts.UTF8, Text: facts.Text, Profile: p, Limits: lim.WithDefaults(), count: count}
	rd, err := pickReader(in)
	if err != nil {
		return nil, err
	}
	t, err := rd.Open(ctx, in)
	if err != nil {
		return nil, fmt.Errorf("read %q: %w", display, err)
	}
	t.Sheet = fixText(t.Sheet)
	if err := guardRows(t, in.Limits); err != nil {
		t.Close()
		return nil, fmt.Errorf("read %q: %w", display, err)
	}
	if p == nil {
		if b := detectBuiltin(t.Header); b != nil {
			p = b
		}
	}
	t.branches = branches
	m, err := newMapper(display, t, p, key)
	if err != nil {
		t.Close()
		if errors.Is(err, ErrMissingColumns) {
			// what was read of a file its mapping refuses, for `sources check` (the table is closed, no mapper)
			return &opened{in: in, facts: facts, table: t, profile: p}, err
		}
		return nil, err
	}
	o := &opened{in: in, facts: facts, table: t, mapper: m, profile: p}
	switch {
	case p != nil && p.Name != "":
		o.source = p.Name
	default:
		o.source = fixText(sourceFromName(path, key))
	}
	if p != nil {
		switch strings.ToLower(p.Snapshot) {
		case "", "incremental", "full":
		default:
			t.Close()
			return nil, fmt.Errorf("profile %q: snapshot %q: use incremental or full", p.Name, p.Snapshot)
		}
		switch strings.ToLower(p.LedgerScope) {
		case "", "auto", ledgerAll, ledgerYear:
		default:
			t.Close()
			return nil, catalog.Errorf("msg_unchanged_ledger_scope_invalid", p.Name, p.LedgerScope)
		}
	}
	if p != nil && p.AsOf != "" {
		d, err := time.ParseInLocation("2006-01-02", p.AsOf, warehouse.Beijing)
		if err != nil {
			t.Close()
			return nil, fmt.Errorf("profile %q: as_of %q is not a date YYYY-MM-DD: %w", p.Name, p.AsOf, err)
		}
		o.asOf = &d
	} else if d, ok := asOfFromName(filepath.Base(path)); ok {
		o.asOf = &d
	} else {
		for _, s := range t.Titles {
			if d, ok := asOfFromTitle(s); ok {
				o.asOf = &d
				break
			}
		}
	}
	if p != nil && p.AnalyticsOnly && p.ReceivedDate != "" {
		day := p.ReceivedDate
		if day == ReceivedDateAsOf {
			if o.asOf == nil {
				t.Close()
				return nil, catalog.Errorf("msg_analytics_no_as_of", display, o.source)
			}
			day = o.asOf.Format("2006-01-02")
		}
		m.fixedReceipt = day + " 00:00:00"
		m.notes = append(m.notes, catalog.Msg("msg_analytics_note", day))
	}
	return o, nil
}

// receiptBounds tells the mapper which receipt dates place a record in time: a year the calendar covers, and
// not after the export's as-of date (else the ingest date).
func (o *opened) receiptBounds(opts Options) {
	m := o.mapper
	m.years = map[int]bool{}
	for _, y := range opts.CalendarYears {
		m.years[y] = true
	}
	m.yearsText = yearRanges(opts.CalendarYears)
	if o.asOf != nil {
		m.latest, m.latestIsAsOf = o.asOf.Format("2006-01-02"), true
	} else {
		m.latest = opts.Now().In(warehouse.Beijing).Format("2006-01-02")
	}
}

// yearRanges writes years as ranges: 2001-2027, 2030.
func yearRanges(years []int) string {
	ys := slices.Sorted(slices.Values(years))
	ys = slices.Compact(ys)
	var parts []string
	for i := 0; i < len(ys); {
		j := i
		for j+1 < len(ys) && ys[j+1] == ys[j]+1 {
			j++
		}
		if j > i {
			parts = append(parts, fmt.Sprintf("%d-%d", ys[i], ys[j]))
		} else {
			parts = append(parts, strconv.Itoa(ys[i]))
		}
		i = j + 1
	}
	return strings.Join(parts, ", ")
}

func ingestFile(ctx context.Context, w *warehouse.Warehouse, opts Options, j job, progress *mpb.Progress) (res FileResult) {
	display := fixText(displayPath(opts.BaseDir, j.path)) // lands as file_path: text must be valid UTF-8
	res.Path = display
	if j.profile != nil {
		res.Source = j.profile.Name
	}
	log := opts.Logger.With("file", display)
	defer func() {
		res.Err = scrubError(res.Err)
		switch {
		case res.Err != nil:
			log.Error("ingest failed", "err", res.Err)
		case res.Skipped:
			log.Info("skipped", "reason", res.SkipReason)
		default:
			attrs := []any{"source", res.Source, "batch", res.BatchID, "read", res.Read, "accepted", res.Accepted, "unchanged", res.Unchanged, "rejected", res.Rejected, "dry_run", opts.DryRun}
			if len(res.Content) > 0 {
				var by []string
				for _, c := range res.Content {
					by = append(by, c.Field+"<-"+strconv.Quote(c.Header))
				}
				attrs = append(attrs, "by_content", strings.Join(by, " "))
			}
			log.Info("ingested", attrs...)
		}
	}()
	// already ingested: the same path, size and modification time as a landed batch's file (not read at all),
	// else the same sha256
	alreadyIngested := func(where string, args ...any) bool {
		if w == nil {
			return false
		}
		var id int64
		var at time.Time
		err := w.DB.QueryRowContext(ctx, "SELECT batch_id, ingested_at, file_sha256 FROM batches WHERE "+where+" ORDER BY batch_id LIMIT 1",
			args...).Scan(&id, &at, &res.SHA256)
		switch {
		case err == nil:
			res.Skipped, res.BatchID = true, id
			res.SkipReason = catalog.Msg("msg_cli_already_ingested", id, at.Format("2006-01-02")).Error()
			return true
		case !errors.Is(err, sql.ErrNoRows):
			res.Err = fmt.Errorf("file %q: look it up in batches: %w", display, err)
			return true
		}
		return false
	}
	if st, err := regularFile(j.path); err == nil && alreadyIngested("file_path = ? AND file_size = ? AND file_mtime_ns = ?",
		display, st.Size(), st.ModTime().UnixNano()) {
		return res
	}
	facts, err := scanFile(j.path, opts.Limits)
	if err != nil {
		res.Err = fmt.Errorf("read %q: %w", display, err)
		return res
	}
	res.SHA256 = facts.SHA256
	if alreadyIngested("file_sha256 = ?", facts.SHA256) {
		if res.Err == nil && !opts.DryRun {
			// the landed file at its path with another (or no recorded) modification time: record this one, so
			// that next time it is skipped unread
			if _, err := w.DB.ExecContext(ctx, `UPDATE batches SET file_mtime_ns = ? WHERE batch_id = ? AND file_path = ?
				AND file_mtime_ns IS DISTINCT FROM ?`, facts.ModNS, res.BatchID, display, facts.ModNS); err != nil {
				res.Err = fmt.Errorf("file %q: record its modification time: %w", display, err)
			}
		}
		return res
	}
	var bar *mpb.Bar
	var count func(int)
	if progress != nil {
		bar = progress.AddBar(facts.Size,
			mpb.PrependDecorators(decor.Name(termtext.Clean(filepath.Base(display)), decor.WCSyncSpaceR)),
			mpb.AppendDecorators(decor.Percentage(decor.WCSyncSpace)))
		count = func(n int) { bar.IncrBy(n) }
		defer func() {
			if res.Err != nil {
				bar.Abort(false)
			} else {
				bar.SetTotal(-1, true)
			}
		}()
	}
	o, err := openWithFacts(ctx, j.path, display, facts, j.profile, opts.HMACKey, opts.Limits, branchSet(opts), count)
	if err != nil {
		res.Err = err
		return res
	}
	defer o.table.Close()
	o.receiptBounds(opts)
	logPersonalColumns(log, o)
	res.Source, res.Format, res.Encoding, res.Sheet = o.source, o.table.Format, o.table.Encoding, o.table.Sheet
	res.EncodingGuessed = o.table.EncodingGuessed
	if o.asOf != nil {
		res.AsOf = o.asOf.Format("2006-01-02")
	}
	where := func(err error) error {
		if res.Sheet != "" {
			return fmt.Errorf("file %q sheet %q: %w", display, res.Sheet, err)
		}
		return fmt.Errorf("file %q: %w", display, err)
	}
	if opts.DryRun {
		st, err := o.mapper.mapTable(ctx, func(arrow.RecordBatch) error { return nil }, func(r Reject) error {
			if len(res.Rejects) < keepRejects {
				res.Rejects = append(res.Rejects, r)
			}
			return nil
		})
		res.Read, res.Accepted, res.Rejected, res.Flagged = st.Read, st.Accepted, st.Rejected, st.Flagged
		res.Notes = fileNotes(o.mapper, st)
		if err != nil {
			res.Err = where(err)
		} else if st.Read > 0 && float64(st.Rejected)/float64(st.Read) > opts.MaxRejectRate {
			res.Err = where(rejectRateError(st, opts.MaxRejectRate, res.Rejects))
		}
		return res
	}
	info := batchInfo{Source: o.source, FilePath: display, SHA256: facts.SHA256, Size: facts.Size, ModNS: facts.ModNS, Format: o.table.Format,
		Encoding: o.table.Encoding, Sheet: o.table.Sheet, AsOf: o.asOf, IngestedAt: opts.Now(),
		Snapshot: o.profile != nil && strings.EqualFold(o.profile.Snapshot, "full"), Active: o.mapper.activeColumns(),
		LedgerScope:   ledgerScopeOf(o.profile),
		AnalyticsOnly: o.profile != nil && o.profile.AnalyticsOnly, Log: log}
	if cm := o.mapper.cols; cm.By["source_id"] == "content" && cm.Index["source_id"] < len(cm.Header) {
		info.IDColumn = cm.Header[cm.Index["source_id"]]
	}
	info.ContentColumns = contentColumns(o.mapper.cols)
	res.Content = info.ContentColumns
	if !rawSkipOff {
		o.mapper.sealContext(o.source)
		o.mapper.skip = &rawSkip{}
		info.Skip = o.mapper.skip
	}
	id, st, rejects, missing, err := landFile(ctx, w, info, func(emit func(arrow.RecordBatch) error, reject func(Reject) error) (mapStats, error) {
		return o.mapper.mapTable(ctx, emit, reject)
	}, opts.MaxRejectRate)
	if errors.Is(err, errRawSkipMissed) {
		// nothing of the attempt was kept: the file is read again and every row mapped
		log.Info("landing again without recognising unchanged rows before mapping", "err", err)
		if o, err = openWithFacts(ctx, j.path, display, facts, j.profile, opts.HMACKey, opts.Limits, branchSet(opts), count); err != nil {
			res.Err = err
			return res
		}
		defer o.table.Close()
		o.receiptBounds(opts)
		o.mapper.sealContext(o.source)
		info.Skip = nil
		id, st, rejects, missing, err = landFile(ctx, w, info, func(emit func(arrow.RecordBatch) error, reject func(Reject) error) (mapStats, error) {
			return o.mapper.mapTable(ctx, emit, reject)
		}, opts.MaxRejectRate)
	}
	res.Read, res.Accepted, res.Rejected, res.Flagged, res.Unchanged = st.Read, st.Accepted, st.Rejected, st.Flagged, st.Unchanged
	res.recognised = st.Recognised
	log.Debug("unchanged rows", "recognised_before_mapping", st.Recognised, "unchanged", st.Unchanged)
	res.Rejects = rejects[:min(len(rejects), keepRejects)]
	res.Notes = fileNotes(o.mapper, st)
	if err != nil {
		res.Err = where(err)
		return res
	}
	res.BatchID, res.MissingFromSnapshot = id, missing
	if st.LedgerDetected == ledgerYear {
		res.Notes = append(res.Notes, catalog.Msg("msg_unchanged_ledger_year_detected", st.LedgerYear))
	}
	return res
}

// fileNotes are the summary notes of a mapped file: the mapping's (duplicate headers) and the date order's.
func fileNotes(m *mapper, st mapStats) []*catalog.Message {
	notes := append([]*catalog.Message(nil), m.notes...)
	if st.DateNote != nil {
		notes = append(notes, st.DateNote)
	}
	return notes
}
