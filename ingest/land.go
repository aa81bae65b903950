package ingest

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	duckdb "github.com/duckdb/duckdb-go/v2"

	"complaints/catalog"
	"complaints/warehouse"
)

// batchInfo is the lineage of one file, the same for each of its rows.
type batchInfo struct {
	Source     string
	FilePath   string
	SHA256     string
	Size       int64
	ModNS      int64 // the file's modification time when read, Unix nanoseconds
	Format     string
	Encoding   string
	Sheet      string
	AsOf       *time.Time // Beijing date, or nil
	IngestedAt time.Time
	// Snapshot: the export is a full snapshot of the source (profile snapshot: full); ids of earlier batches
	// missing from it are listed in missing_from_snapshot.
	Snapshot bool
	// LedgerScope is the profile's ledger_scope (ledgerAll, ledgerYear, or "" to detect it), for a Snapshot.
	LedgerScope string
	// Active marks the landing columns the file can fill (mapper.activeColumns); nil means all.
	Active []bool
	// IDColumn, when set, is the header of a source_id column found by its values (content.go): its values must
	// be unique in the file, or it is some other number (a customer's) and the file is refused.
	IDColumn string
	// AnalyticsOnly: the source's records feed narrative terms and text search only (profile analytics_only).
	AnalyticsOnly bool
	// ContentColumns are the fields mapped by content (contentColumns), recorded in batches.content_columns.
	ContentColumns []ContentColumn
	// Skip, when set, is the mapping's set of raw hashes (rawskip.go), which the loader fills before the mapping
	// starts; nil: every row is mapped.
	Skip *rawSkip
	// Log receives each landing step's time at debug level (nil: none).
	Log *slog.Logger
}

// stepLog logs, at debug level, the time since the previous call under the step's name, with the memory DuckDB
// tracks (its largest users), the Go heap and the process's resident memory at its end.
func (info batchInfo) stepLog(ctx context.Context, q driver.QueryerContext) func(step string) {
	start := time.Now()
	return func(step string) {
		if info.Log != nil && info.Log.Enabled(ctx, slog.LevelDebug) {
			secs := time.Since(start).Seconds()
			duck := ""
			if v, err := queryValue(ctx, q, `SELECT string_agg(tag || ' ' || (memory_usage_bytes >> 20) || ' MB', ', ' ORDER BY memory_usage_bytes DESC)
				FROM duckdb_memory() WHERE memory_usage_bytes >= 1 << 20`, nil); err == nil {
				duck, _ = v.(string)
			}
			sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
			metrics.Read(sample)
			info.Log.Debug("landing step", "source", info.Source, "step", step, "seconds", secs, "duckdb_memory", duck,
				"go_heap_mb", sample[0].Value.Uint64()>>20, "rss_mb", rssMB())
		}
		start = time.Now()
	}
}

// recordSource produces a file's mapped rows as Arrow record batches (emit) and its rejects (reject); the
// landing step never holds more than one batch.
type recordSource func(emit func(arrow.RecordBatch) error, reject func(Reject) error) (mapStats, error)

// landedLineage are the landed_rows columns the landing step fills from batchInfo.
var landedLineage = []string{"batch_id", "source_system", "file_path", "file_sha256", "sheet", "ingested_at", "row_number"}

// landThreads is DuckDB's threads setting while a file lands (0: leave it). With 2 threads DuckDB used about twice
// the CPU for the same wall time or less, as the rows come from one sequential stream and the mapping workers
// need the other core (docs/performance.md).
var landThreads = 1

// errRejectRate is wrapped when a file rejects more rows than allowed.
var errRejectRate = errors.New("too many rejected rows")

// hookBeforeCommit and hookAfterCommit, when set (tests), run just before and after the COMMIT of a file.
var hookBeforeCommit, hookAfterCommit func()

// missingByHistory, when set (tests), judges the ids a full snapshot lacks from every earlier batch, never from
// row_newest: the two must agree.
var missingByHistory bool

// hookAfterBatch, when set (tests), runs after each loaded record batch.
var hookAfterBatch func(n int)

// landFile lands one file as one batch in one transaction on a dedicated connection: BEGIN, the next batch id,
// the rows through the row loader on that same connection (land_arrow.go: INSERT ... SELECT from the record
// batches registered as an Arrow view, with the duckdb_arrow build tag; land_appender.go: a DuckDB Appender,
// without it), the unchanged rows taken back out into row_sightings (land_unchanged.go), the rejects, the
// batches row, COMMIT. Any error, cancellation or a reject rate above maxRate
// rolls everything back, so no row of the file remains.
//
// Both loaders write into the connection's open transaction: the rows become visible only at COMMIT and
// vanish at ROLLBACK (TestCancelMidFileLeavesNothing pins this).
func landFile(ctx context.Context, w *warehouse.Warehouse, info batchInfo, produce recordSource, maxRate float64) (int64, mapStats, []Reject, int, error) {
	conn, err := w.DB.Conn(ctx)
	if err != nil {
		return 0, mapStats{}, nil, 0, fmt.Errorf("warehouse connection: %w", err)
	}
	defer conn.Close()
	// DuckDB's threads setting (global to the database) is landThreads while the rows are mapped and loaded, and
	// what it was for the statements before and after (newest versions, sightings, missing ids): those are
	// DuckDB's own work, with no mapping beside it.
	var was int
	if landThreads > 0 {
		if err := conn.QueryRowContext(ctx, "SELECT current_setting('threads')").Scan(&was); err != nil || was == landThreads {
			was = 0
		}
	}
	var setThreads func(n int) // on the driver connection, inside Raw
	var (
		batchID int64
		st      mapStats
		rejects []Reject
		missing int
	)
	err = conn.Raw(func(dc any) error {
		c, ok := dc.(driver.Conn)
		if !ok {
			return fmt.Errorf("warehouse connection is not a database/sql driver connection")
		}
		ex, ok := dc.(driver.ExecerContext)
		if !ok {
			return fmt.Errorf("warehouse connection cannot execute statements")
		}
		q, ok := dc.(driver.QueryerContext)
		if !ok {
			return fmt.Errorf("warehouse connection cannot query")
		}
		// nothing here depends on the order rows are stored in (warehouse.UnorderedWrites says why it matters)
		restore, err := warehouse.UnorderedWrites(func(sql string) (bool, error) { return queryBool(ctx, q, sql, nil) },
			func(sql string) error { _, err := ex.ExecContext(context.Background(), sql, nil); return err })
		if err != nil {
			return err
		}
		defer restore()
		setThreads = func(n int) {
			if was > 0 {
				ex.ExecContext(context.Background(), fmt.Sprintf("SET threads = %d", n), nil)
			}
		}
		defer setThreads(was)
		if _, err := ex.ExecContext(ctx, "BEGIN TRANSACTION", nil); err != nil {
			return fmt.Errorf("begin: %w", err)
		}
		committed := false
		defer func() {
			if !committed {
				ex.ExecContext(context.Background(), "ROLLBACK", nil)
			}
		}()
		batchID, err = nextBatchID(ctx, q)
		if err != nil {
			return err
		}
		step := info.stepLog(ctx, q)
		// Only the columns this file can fill are loaded: the others get their default (NULL).
		var active []int // indexes into landingColumns
		for i := range landingColumns {
			if info.Active == nil || info.Active[i] {
				active = append(active, i)
			}
		}
		var sheet any
		if info.Sheet != "" {
			sheet = info.Sheet
		}
		ingested := warehouse.WallClock(info.IngestedAt)
		ld, err := newRowLoader(ctx, c, batchID, info, sheet, ingested, active)
		if err != nil {
			return err
		}
		defer ld.abort()
		if info.Skip != nil && !landEveryRow {
			if err := ld.prepareSkip(info.Skip); err != nil {
				return err
			}
		}
		step("newest versions read")
		batches := 0
		afterBatches := func(n int) {
			for ; n > 0; n-- {
				batches++
				if hookAfterBatch != nil {
					hookAfterBatch(batches)
				}
			}
		}
		emit := func(rec arrow.RecordBatch) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			if isSeen(rec) {
				return ld.loadSeen(rec)
			}
			if len(active) < len(landingColumns) {
				for i := range landingColumns {
					if !info.Active[i] && rec.Column(i+1).NullN() != rec.Column(i+1).Len() {
						return fmt.Errorf("internal error: column %s has values but the mapping said it cannot", landingColumns[i])
					}
				}
			}
			n, err := ld.load(rec)
			if err != nil {
				return err
			}
			afterBatches(n)
			return nil
		}
		reject := func(r Reject) error {
			rejects = append(rejects, r)
			return nil
		}
		// Mapping (parsing, hashing, scrubbing) runs in its own goroutine while this one appends: the two
		// costs overlap instead of adding up. Batches pass through a small channel, so memory stays bounded.
		pctx, pcancel := context.WithCancel(ctx)
		defer pcancel()
		ch := make(chan arrow.RecordBatch, 4)
		var prodErr error
		prodDone := make(chan struct{})
		go func() {
			defer close(prodDone)
			defer close(ch)
			st, prodErr = produce(func(rec arrow.RecordBatch) error {
				rec.Retain()
				select {
				case ch <- rec:
					return nil
				case <-pctx.Done():
					rec.Release()
					return pctx.Err()
				}
			}, reject)
		}()
		var appErr error
		setThreads(landThreads)
		for rec := range ch {
			if appErr == nil {
				if appErr = emit(rec); appErr != nil {
					pcancel()
				}
			}
			rec.Release()
		}
		<-prodDone
		setThreads(was)
		if appErr != nil {
			return appErr
		}
		if prodErr != nil {
			return prodErr
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		n, err := ld.finish()
		if err != nil {
			return fmt.Errorf("load landed rows: %w", err)
		}
		afterBatches(n)
		// the mapping is done: the newest versions' hashes (info.Skip, 16 bytes an id) and the mapping's garbage
		// go back to the system before the statements that follow, whose memory is DuckDB's
		info.Skip.release()
		debug.FreeOSMemory()
		step("rows loaded")
		if err := ctx.Err(); err != nil {
			return err
		}
		if st.Ambiguous > 0 {
			if err := fixAmbiguousDates(ctx, ex, batchID, st.DateOrder); err != nil {
				return err
			}
			late, err := rejectLateAmbiguous(ctx, ex, q, batchID, st)
			if err != nil {
				return err
			}
			rejects = append(rejects, late...)
			st.Accepted -= len(late)
			st.Rejected += len(late)
		}
		if info.IDColumn != "" {
			if err := refuseRepeatedIDs(ctx, q, batchID, info.IDColumn); err != nil {
				return err
			}
		}
		if st.Read > 0 && float64(st.Rejected)/float64(st.Read) > maxRate {
			return rejectRateError(st, maxRate, rejects)
		}
		var looked bool
		st.Unchanged, looked = ld.seenUnchanged()
		if !looked || st.Ambiguous > 0 {
			// rows the loader landed that equal their id's newest version: all of them after the Appender,
			// those whose dates were read only now after the Arrow loader
			n, err := markUnchanged(ctx, ex, q, batchID, info.Source, st.Ambiguous > 0, looked)
			if err != nil {
				return err
			}
			st.Unchanged += n
		}
		step("unchanged rows")
		if err := checkEveryRowRecorded(ctx, q, batchID, info, st); err != nil {
			return err
		}
		step("every row recorded")
		if err := insertRejects(c, batchID, info, rejects); err != nil {
			return err
		}
		var scope any
		if info.Snapshot {
			sc, year, err := ledgerScope(ctx, q, batchID, info)
			if err != nil {
				return err
			}
			if info.LedgerScope == "" {
				st.LedgerDetected, st.LedgerYear = sc, year
			}
			scope = sc
			step("ledger scope")
			if missing, err = listMissing(ctx, c, ex, q, batchID, info, rejects, sc, year, looked); err != nil {
				return err
			}
		}
		step("missing ids")
		var asOf any
		if info.AsOf != nil {
			asOf = warehouse.WallClock(*info.AsOf)
		}
		if looked {
			// the loader read the newest versions from row_newest: this batch's go in (newest.go)
			if err := advanceNewest(ctx, ex, q, batchID, info.Source, asOf, ingested, step); err != nil {
				return err
			}
			step("newest versions")
		}
		var enc any
		if info.Encoding != "" {
			enc = info.Encoding
		}
		var content any
		if len(info.ContentColumns) > 0 {
			b, err := json.Marshal(info.ContentColumns)
			if err != nil {
				return fmt.Errorf("record batch %d: %w", batchID, err)
			}
			content = string(b)
		}
		_, err = ex.ExecContext(ctx, `INSERT INTO batches (batch_id, source_system, file_path, file_sha256, file_size, format,
			encoding, sheet, export_as_of, rows_read, rows_accepted, rows_rejected, ingested_at, analytics_only, content_columns,
			rows_unchanged, ledger_scope, file_mtime_ns)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, namedValues(batchID, info.Source, info.FilePath, info.SHA256, info.Size,
			info.Format, enc, sheet, asOf, int64(st.Read), int64(st.Accepted), int64(st.Rejected), ingested, info.AnalyticsOnly, content,
			int64(st.Unchanged), scope, info.ModNS))
		if err != nil {
			return fmt.Errorf("record batch %d: %w", batchID, err)
		}
		// Once COMMIT is sent the batch is decided by DuckDB, not by the context: a cancellation arriving during
		// it must not turn a committed batch into a reported failure (the caller stops after this file).
		if hookBeforeCommit != nil {
			hookBeforeCommit()
		}
		if _, err := ex.ExecContext(context.Background(), "COMMIT", nil); err != nil {
			return fmt.Errorf("commit: %w", err)
		}
		committed = true
		step("commit")
		if hookAfterCommit != nil {
			hookAfterCommit()
		}
		return nil
	})
	if err != nil {
		return 0, st, rejects, 0, err
	}
	return batchID, st, rejects, missing, nil
}

// checkEveryRowRecorded fails the batch when the rows it landed and saw unchanged are not every accepted row: a
// row the warehouse silently did not take would otherwise be reported as ingested (and a full snapshot would
// list its id as missing).
func checkEveryRowRecorded(ctx context.Context, q driver.QueryerContext, batchID int64, info batchInfo, st mapStats) error {
	landed, err := queryCount(ctx, q, `SELECT count(*) FROM landed_rows WHERE batch_id = $1`, namedValues(batchID)...)
	if err != nil {
		return fmt.Errorf("count the rows of batch %d: %w", batchID, err)
	}
	seen, err := queryCount(ctx, q, `SELECT count(*) FROM row_sightings WHERE batch_id = $1`, namedValues(batchID)...)
	if err != nil {
		return fmt.Errorf("count the rows of batch %d: %w", batchID, err)
	}
	if landed+seen != int64(st.Accepted) {
		return catalog.Errorf("msg_unchanged_rows_lost", info.FilePath, st.Accepted, landed+seen, landed, seen)
	}
	return nil
}

// missingFromSnapshotDDL creates the table of ids a full snapshot lacks. The warehouse migration that owns it
// must use the same definition (with IF NOT EXISTS, as warehouses landed before it already have the table).
// arrowViewName is the view a group of batches is registered as while the Arrow loader inserts it (dropped
// in the same transaction); named here, outside the loader's build tag, so that a test can check none is left.
const arrowViewName = "ingest_landing_batch"

const missingFromSnapshotDDL = `CREATE TABLE IF NOT EXISTS missing_from_snapshot (
    batch_id        BIGINT NOT NULL,   -- the full-snapshot batch the id is missing from
    source_system   VARCHAR NOT NULL,
    source_id       VARCHAR NOT NULL,
    last_seen_batch BIGINT NOT NULL    -- the newest earlier batch that had the id
)`

// listMissing, for a full snapshot, lists the ids of the source present in earlier batches (landed or seen
// unchanged) but not in this one, within the ledger's scope (ledgerYear: received in year), in the open transaction: never deleting anything. Earlier batches are those with a smaller id whose
// as-of date (when both are known) is not after this export's, so a late-ingested older export is not compared
// with a newer one. A row of this export that was rejected still counts as present (its id was exported).
func listMissing(ctx context.Context, c driver.Conn, ex driver.ExecerContext, q driver.QueryerContext, batchID int64, info batchInfo, rejects []Reject, scope string, year int, cached bool) (int, error) {
	if _, err := ex.ExecContext(ctx, missingFromSnapshotDDL, nil); err != nil {
		return 0, fmt.Errorf("missing_from_snapshot: %w", err)
	}
	cached = cached && !missingByHistory
	if cached && info.AsOf != nil {
		// row_newest answers only when no earlier export of the source is dated after this one (none is left out)
		later, err := queryBool(ctx, q, `SELECT EXISTS (SELECT 1 FROM batches WHERE source_system = ? AND batch_id < ? AND export_as_of > ?)`,
			namedValues(info.Source, batchID, warehouse.WallClock(*info.AsOf)))
		if err != nil {
			return 0, fmt.Errorf("missing_from_snapshot: %w", err)
		}
		cached = !later
	}
	var query string
	var args []any
	if cached {
		// each id of the earlier batches with its latest receipt (newest.go); the newest batch that had it is
		// the later of row_newest's and its sightings' since (advanceNewest does not write sightings there). An
		// id this export saw unchanged has a sighting pointing at the version row_newest holds for it (the
		// loader matched it there; advanceNewest runs after this). Two statements, each with one anti-join: in
		// one, DuckDB held both joins' tables at once and ran out of memory at 10M ids (written as NOT EXISTS,
		// the pair of columns was planned as a correlated subquery).
		notLanded := `CREATE OR REPLACE TEMP TABLE ingest_not_landed AS SELECT source_id, seen_b, vb, vr FROM row_newest n
			ANTI JOIN (SELECT source_id FROM landed_rows WHERE batch_id = ?) l USING (source_id)
			WHERE source_system = ?`
		notLandedArgs := []any{batchID, info.Source}
		if scope == ledgerYear {
			notLanded += ` AND recv >= ?`
			notLandedArgs = append(notLandedArgs, fmt.Sprintf("%04d-01-01", year))
		}
		for _, st := range []struct {
			sql  string
			args []any
		}{
			{notLanded, notLandedArgs},
			{`CREATE OR REPLACE TEMP TABLE ingest_gone AS SELECT source_id, seen_b FROM ingest_not_landed n
				ANTI JOIN (SELECT version_batch_id AS vb, version_row_number AS vr FROM row_sightings WHERE batch_id = ?) s USING (vb, vr)`,
				[]any{batchID}},
			{`DROP TABLE ingest_not_landed`, nil},
		} {
			if _, err := ex.ExecContext(ctx, st.sql, namedValues(st.args...)); err != nil {
				return 0, fmt.Errorf("missing_from_snapshot: %w", err)
			}
		}
		defer ex.ExecContext(context.Background(), "DROP TABLE IF EXISTS ingest_gone", nil)
		query = `WITH seen AS (SELECT v.source_id, max(s.batch_id) AS b FROM ` + sightingsSQL + ` JOIN ingest_gone g ON g.source_id = v.source_id
				WHERE v.source_system = ? AND s.batch_id < ? GROUP BY v.source_id)
			SELECT g.source_id, greatest(g.seen_b, coalesce(seen.b, g.seen_b)) FROM ingest_gone g LEFT JOIN seen USING (source_id)
			ORDER BY g.source_id`
		args = []any{info.Source, batchID}
	} else {
		query = `SELECT l.source_id, max(l.batch_id) FROM ` + seenRowsSQL + ` l JOIN batches b USING (batch_id)
		WHERE l.source_system = ? AND l.batch_id < ?`
		args = []any{info.Source, batchID}
		if info.AsOf != nil {
			query += ` AND (b.export_as_of IS NULL OR b.export_as_of <= ?)`
			args = append(args, warehouse.WallClock(*info.AsOf))
		}
		// the ids this export had: its landed versions', and its sightings' (their versions')
		inBatch := `SELECT source_id FROM landed_rows WHERE batch_id = ? UNION ALL SELECT v.source_id FROM ` + sightingsSQL + ` WHERE s.batch_id = ?`
		query += ` AND NOT EXISTS (SELECT 1 FROM (` + inBatch + `) x WHERE x.source_id = l.source_id) GROUP BY l.source_id`
		args = append(args, batchID, batchID)
		if scope == ledgerYear {
			// a year-to-date ledger covers the complaints received in its year only
			query += ` HAVING max(l.received_at) >= ?`
			args = append(args, fmt.Sprintf("%04d-01-01", year))
		}
		query += ` ORDER BY l.source_id`
	}
	rows, err := q.QueryContext(ctx, query, namedValues(args...))
	if err != nil {
		return 0, fmt.Errorf("missing_from_snapshot: %w", err)
	}
	rejected := map[string]bool{}
	for _, r := range rejects {
		if r.sourceID != "" {
			rejected[r.sourceID] = true
		}
	}
	type gone struct {
		id   string
		last int64
	}
	var out []gone
	dest := make([]driver.Value, 2)
	for {
		if err := rows.Next(dest); err == io.EOF {
			break
		} else if err != nil {
			rows.Close()
			return 0, fmt.Errorf("missing_from_snapshot: %w", err)
		}
		id, _ := dest[0].(string)
		last, _ := dest[1].(int64)
		if !rejected[id] {
			out = append(out, gone{id, last})
		}
	}
	rows.Close()
	if len(out) == 0 {
		return 0, nil
	}
	app, err := duckdb.NewAppenderWithColumns(c, "", "", "missing_from_snapshot", []string{"batch_id", "source_system", "source_id", "last_seen_batch"})
	if err != nil {
		return 0, fmt.Errorf("appender for missing_from_snapshot: %w", err)
	}
	for _, g := range out {
		if err := app.AppendRow(batchID, info.Source, g.id, g.last); err != nil {
			app.Close()
			return 0, fmt.Errorf("missing_from_snapshot: %w", err)
		}
	}
	if err := app.Close(); err != nil {
		return 0, fmt.Errorf("missing_from_snapshot: %w", err)
	}
	return len(out), nil
}

func rejectRateError(st mapStats, maxRate float64, rejects []Reject) error {
	var ex []string
	for i, r := range rejects {
		if i == 3 {
			break
		}
		col, raw := "", ""
		if r.Column != "" {
			col = " " + quoteCell(r.Column)
		}
		if r.RawValue != "" {
			raw = " (" + quoteCell(r.RawValue) + ")"
		}
		ex = append(ex, catalog.Msg("msg_ingest_reject_example", r.Row, col, Scrub(r.Reason), raw).Error())
	}
	return fmt.Errorf("%w: %w", catalog.Msg("msg_ingest_reject_rate", st.Read, st.Rejected,
		fmt.Sprintf("%.1f", 100*float64(st.Rejected)/float64(st.Read)), fmt.Sprintf("%.1f", 100*maxRate), strings.Join(ex, "; ")), errRejectRate)
}

func namedValues(vals ...any) []driver.NamedValue {
	out := make([]driver.NamedValue, len(vals))
	for i, v := range vals {
		out[i] = driver.NamedValue{Ordinal: i + 1, Value: v}
	}
	return out
}

// nextBatchID is one more than any batch id landed or removed: an id is never reused (normalised_batches and
// batch_removals keep the ids of removed batches).
func nextBatchID(ctx context.Context, q driver.QueryerContext) (int64, error) {
	rows, err := q.QueryContext(ctx, `SELECT greatest((SELECT coalesce(max(batch_id), 0) FROM batches),
		(SELECT coalesce(max(batch_id), 0) FROM batch_removals)) + 1`, nil)
	if err != nil {
		return 0, fmt.Errorf("next batch id: %w", err)
	}
	defer rows.Close()
	dest := make([]driver.Value, 1)
	if err := rows.Next(dest); err != nil && err != io.EOF {
		return 0, fmt.Errorf("next batch id: %w", err)
	}
	switch v := dest[0].(type) {
	case int64:
		return v, nil
	case int32:
		return int64(v), nil
	}
	return 0, fmt.Errorf("next batch id: unexpected %T", dest[0])
}

func insertRejects(c driver.Conn, batchID int64, info batchInfo, rejects []Reject) error {
	if len(rejects) == 0 {
		return nil
	}
	app, err := duckdb.NewAppenderWithColumns(c, "", "", "rejects",
		[]string{"batch_id", "source_system", "file_path", "row_number", "column_name", "raw_value", "reason", "reason_key"})
	if err != nil {
		return fmt.Errorf("appender for rejects: %w", err)
	}
	for _, r := range rejects {
		var col, raw, key any
		if r.Key != "" {
			key = r.Key
		}
		if r.Column != "" {
			col = r.Column
		}
		if r.RawValue != "" {
			raw = r.RawValue
		}
		if err := app.AppendRow(batchID, info.Source, info.FilePath, int64(r.Row), col, raw, r.Reason, key); err != nil {
			app.Close()
			return fmt.Errorf("reject of row %d: %w", r.Row, err)
		}
	}
	if err := app.Close(); err != nil {
		return fmt.Errorf("append rejects: %w", err)
	}
	return nil
}

// parquetRows reads a Parquet file through DuckDB's read_parquet in a private in-memory database (never the
// warehouse), every column cast to text: the one place outside landing where ingest runs DuckDB, because the
// module has no other Parquet decoder. Rows are numbered 1, 2, ... in file order.
func parquetRows(ctx context.Context, path string) (header []string, next func() (rawRow, error), closeFn func() error, err error) {
	connector, err := duckdb.NewConnector("?threads=1&autoinstall_known_extensions=false&autoload_known_extensions=false", func(execer driver.ExecerContext) error {
		_, err := execer.ExecContext(context.Background(), "SET TimeZone = 'Asia/Shanghai'", nil)
		return err
	})
	if err != nil {
		return nil, nil, nil, err
	}
	db := sql.OpenDB(connector)
	fail := func(err error) ([]string, func() (rawRow, error), func() error, error) {
		db.Close()
		connector.Close()
		return nil, nil, nil, err
	}
	rows, err := db.QueryContext(ctx, "SELECT CAST(COLUMNS(*) AS VARCHAR) FROM read_parquet(?)", path)
	if err != nil {
		return fail(fmt.Errorf("read parquet: %w", err))
	}
	header, err = rows.Columns()
	if err != nil {
		rows.Close()
		return fail(err)
	}
	num := 0
	vals := make([]sql.NullString, len(header))
	dst := make([]any, len(header))
	for i := range vals {
		dst[i] = &vals[i]
	}
	next = func() (rawRow, error) {
		if !rows.Next() {
			if err := rows.Err(); err != nil {
				return rawRow{}, fmt.Errorf("row %d: %w", num+1, err)
			}
			return rawRow{}, io.EOF
		}
		num++
		if err := rows.Scan(dst...); err != nil {
			return rawRow{}, fmt.Errorf("row %d: %w", num, err)
		}
		f := make([]string, len(vals))
		for i, v := range vals {
			f[i] = v.String
		}
		return rawRow{Num: num, Fields: f}, nil
	}
	closeFn = func() error {
		rows.Close()
		err := db.Close()
		connector.Close()
		return err
	}
	return header, next, closeFn, nil
}

// rowLoader lands a file's record batches into landed_rows in the open transaction (land_arrow.go or
// land_appender.go, by build tag). load may keep the batch (Retain) and land it later; it returns how many
// batches it landed by this call. finish lands the rest (and says how many); abort drops what is kept after an
// error.
type rowLoader interface {
	load(rec arrow.RecordBatch) (int, error)
	finish() (int, error)
	abort()
	// seenUnchanged is how many rows the loader recorded in row_sightings instead of landing them, and whether
	// it looked for them at all.
	seenUnchanged() (n int, looked bool)
	// prepareSkip fills the set of raw hashes of the newest versions of the source's ids (rawskip.go) before the
	// mapping starts; loadSeen takes the rows the mapping recognised by them (seenSchema), recorded as seen by
	// finish, which fails with errRawSkipMissed when one finds no version.
	prepareSkip(s *rawSkip) error
	loadSeen(rec arrow.RecordBatch) error
}

// errRawSkipMissed: a row recognised by its raw hash found no version of its id with that hash (a 64-bit hash
// of another id's row equal by chance). Nothing of the attempt is kept; the file lands again without the set.
var errRawSkipMissed = errors.New("a row recognised unchanged before mapping has no such version")

// rejectLateAmbiguous takes back out of the open batch the rows whose receipt date, read only now in the file's
// day/month order, falls after the last day the file may hold (its as-of date, else the ingest date): the
// mapping step placed such an ambiguous date in time by its earlier reading. They become rejects like any
// receipt after the export's date.
// refuseRepeatedIDs refuses a file whose source_id column was found by its values (column) when an id repeats in
// it: a complaint id is unique in one export, so the column is some other number (a customer's, an account's) and
// taking it would merge different complaints as versions of one.
func refuseRepeatedIDs(ctx context.Context, q driver.QueryerContext, batchID int64, column string) error {
	rows, err := q.QueryContext(ctx, `SELECT max(row_number) FROM (SELECT source_id, row_number FROM landed_rows WHERE batch_id = $1
		UNION ALL SELECT v.source_id, s.row_number FROM `+sightingsSQL+` WHERE s.batch_id = $1)
		GROUP BY source_id HAVING count(*) > 1 ORDER BY 1 LIMIT 1`, namedValues(batchID))
	if err != nil {
		return fmt.Errorf("check ids of batch %d: %w", batchID, err)
	}
	defer rows.Close()
	vals := make([]driver.Value, 1)
	switch err := rows.Next(vals); {
	case err == io.EOF:
		return nil
	case err != nil:
		return fmt.Errorf("check ids of batch %d: %w", batchID, err)
	}
	return catalog.Errorf("msg_content_id_repeats", column, vals[0])
}

func rejectLateAmbiguous(ctx context.Context, ex driver.ExecerContext, q driver.QueryerContext, batchID int64, st mapStats) ([]Reject, error) {
	if st.Latest == "" {
		return nil, nil
	}
	rows, err := q.QueryContext(ctx, `SELECT row_number, source_id, received_at FROM landed_rows
		WHERE batch_id = ? AND substr(received_at, 1, 10) > ? ORDER BY row_number`, namedValues(batchID, st.Latest))
	if err != nil {
		return nil, fmt.Errorf("check ambiguous receipt dates: %w", err)
	}
	var out []Reject
	vals := make([]driver.Value, 3)
	for {
		if err := rows.Next(vals); err != nil {
			if err == io.EOF {
				break
			}
			rows.Close()
			return nil, fmt.Errorf("check ambiguous receipt dates: %w", err)
		}
		day := fmt.Sprint(vals[2])[:10]
		msg := catalog.Msg("msg_poison_receipt_after_ingest", day, st.Latest)
		if st.LatestIsAsOf {
			msg = catalog.Msg("msg_poison_receipt_after_as_of", day, st.Latest)
		}
		out = append(out, Reject{Row: int(vals[0].(int64)), RawValue: fmt.Sprint(vals[2]), Reason: msg.Error(), Key: msg.Key,
			sourceID: fmt.Sprint(vals[1])})
	}
	rows.Close()
	if len(out) > 0 {
		if _, err := ex.ExecContext(ctx, `DELETE FROM landed_rows WHERE batch_id = ? AND substr(received_at, 1, 10) > ?`,
			namedValues(batchID, st.Latest)); err != nil {
			return nil, fmt.Errorf("take late receipt dates out: %w", err)
		}
	}
	return out, nil
}

// rssMB is the process's resident memory in MB (0 where /proc is not there to say).
func rssMB() int {
	b, _ := os.ReadFile("/proc/self/statm")
	f := strings.Fields(string(b))
	if len(f) < 2 {
		return 0
	}
	n, _ := strconv.Atoi(f[1])
	return n * os.Getpagesize() >> 20
}
