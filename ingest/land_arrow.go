//go:build duckdb_arrow

package ingest

import (
	"context"
	"database/sql/driver"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	duckdb "github.com/duckdb/duckdb-go/v2"
)

// loaderName says which row loader this build lands with (the benchmarks report it).
const loaderName = "arrow"

// arrowGroup is how many record batches one INSERT takes (65,536 rows): one statement per group keeps the
// statement overhead small while the group stays a few tens of MB.
const arrowGroup = 16

// arrowLoader lands record batches with duckdb-go's Arrow interface: a group of batches is registered as a
// temporary view on the landing connection and copied by one INSERT INTO landed_rows ... SELECT, DuckDB
// reading the Arrow buffers itself (no cgo call per value). The lineage columns are bound parameters.
type arrowLoader struct {
	ctx     context.Context
	schema  *arrow.Schema // row_number and the active columns, in the order the INSERT selects them
	active  []int
	ar      *duckdb.Arrow
	ex      driver.ExecerContext
	insert  string
	params  []driver.NamedValue
	pending []arrow.RecordBatch
	// pendingNew wait for insertDirect: rows whose id is new to the source (rawSkip.knownID)
	pendingNew   []arrow.RecordBatch
	insertDirect string
	// seen (unless landEveryRow) records the group's rows equal to the newest version of their id in
	// row_sightings, and insert then lands the others only (land_unchanged.go); unchanged counts them.
	q         driver.QueryerContext
	match     string
	seen      string
	seenArgs  []driver.NamedValue
	unchanged int
	// rows recognised unchanged before mapping (rawskip.go): record batches waiting to go into the temporary
	// table ingest_seen, and how many rows went
	seenPending []arrow.RecordBatch
	seenRows    int
	skipping    bool
}

func newRowLoader(ctx context.Context, c driver.Conn, batchID int64, info batchInfo, sheet any, ingested time.Time, active []int) (rowLoader, error) {
	ar, err := duckdb.NewArrowFromConn(c)
	if err != nil {
		return nil, fmt.Errorf("arrow interface: %w", err)
	}
	ex, ok := c.(driver.ExecerContext)
	if !ok {
		return nil, fmt.Errorf("warehouse connection cannot execute statements")
	}
	cols := append([]string{}, landedLineage...)
	// ingested_at goes as text: a time.Time bound to a bare ? is taken as an instant (TIMESTAMPTZ) and cast to
	// the warehouse's Beijing zone, 8 hours off (the trap warehouse.WallClock documents).
	sel := []string{"CAST(? AS BIGINT)", "CAST(? AS VARCHAR)", "CAST(? AS VARCHAR)", "CAST(? AS VARCHAR)", "CAST(? AS VARCHAR)", "CAST(? AS TIMESTAMP)", "row_number"}
	for _, i := range active {
		cols = append(cols, landingColumns[i])
		if i == liRawHash {
			sel = append(sel, "TRY_CAST(raw_hash AS UBIGINT)") // carried as text, like every landing column
			continue
		}
		sel = append(sel, landingColumns[i])
	}
	insert := fmt.Sprintf("INSERT INTO landed_rows (%s) SELECT %s FROM %s", strings.Join(cols, ", "), strings.Join(sel, ", "), arrowViewName)
	fields := []arrow.Field{landingSchema.Field(0)}
	for _, i := range active {
		fields = append(fields, landingSchema.Field(i+1))
	}
	l := &arrowLoader{ctx: ctx, schema: arrow.NewSchema(fields, nil), active: active, ex: ex, ar: ar, insert: insert, insertDirect: insert,
		params: namedValues(batchID, info.Source, info.FilePath, info.SHA256, sheet, ingested.Format("2006-01-02 15:04:05.999999999"))}
	if !landEveryRow {
		// The newest version of every id of the source landed before, then per group: the rows into a temporary
		// table (the registered stream can be read once), those equal to their id's newest version recorded as
		// seen, the others landed. Rows equal to it never reach landed_rows, whose deleted rows would keep
		// their space in the file.
		q, ok := c.(driver.QueryerContext)
		if !ok {
			return nil, fmt.Errorf("warehouse connection cannot query")
		}
		if err := prepareNewest(ctx, ex, q, batchID, info.Source); err != nil {
			return nil, err
		}
		// the raw hash of each row of this batch mapped and then seen unchanged, for its id's newest (advanceNewest;
		// a row recognised before mapping has the raw hash row_newest holds)
		if _, err := ex.ExecContext(ctx, "CREATE OR REPLACE TEMP TABLE ingest_sighted (row_number BIGINT, rh UBIGINT)", nil); err != nil {
			return nil, err
		}
		// a view (views take no parameters: the source as a quoted literal), read in place
		if _, err := ex.ExecContext(ctx, "CREATE OR REPLACE TEMP VIEW ingest_newest AS "+newestOfSource(info.Source), nil); err != nil {
			return nil, fmt.Errorf("newest versions of %s: %w", info.Source, err)
		}
		has := func(c string) bool { return slices.Contains(cols, c) }
		rawHash := "NULL"
		if has("raw_hash") {
			rawHash = "TRY_CAST(g.raw_hash AS UBIGINT)"
		}
		// one join of the group with the newest versions (built on the group, the smaller side), then the
		// sightings and the landed rows from it. The sightings are kept in the export's row order, in which
		// row_sightings' numbers compress to a few bits a row: ingest_match is sorted, and the INSERT reads a
		// table of this transaction (DuckDB scans it on one thread) with no ORDER BY of its own, which would
		// keep insertion order and meet the rows lost after an empty INSERT (warehouse.UnorderedWrites).
		l.match = `CREATE OR REPLACE TEMP TABLE ingest_match AS
			SELECT g.source_id, g.row_number, n.vb, n.vr, ` + rawHash + ` AS rh
			FROM ingest_group g JOIN ingest_newest n ON n.source_id = g.source_id AND n.h = g.row_hash
			WHERE NOT ` + placeholderDate("g", has) + `
			ORDER BY g.row_number`
		l.seen = `INSERT INTO row_sightings (batch_id, row_number, version_batch_id, version_row_number)
			SELECT CAST(? AS BIGINT), row_number, vb, vr FROM ingest_match`
		l.insert = fmt.Sprintf("INSERT INTO landed_rows (%s) SELECT %s FROM ingest_group g WHERE NOT EXISTS (SELECT 1 FROM ingest_match m WHERE m.row_number = g.row_number)",
			strings.Join(cols, ", "), strings.Join(sel, ", "))
		l.seenArgs = namedValues(batchID)
		l.q = q
	}
	return l, nil
}

func (l *arrowLoader) load(rec arrow.RecordBatch) (int, error) {
	// The view holds exactly the columns the INSERT reads, in its order: DuckDB's projection pushdown into a
	// registered stream mixes up columns when the SELECT reads a subset (duckdb-go v2.10506: a SELECT of
	// received_at returned narrative's values), so the SELECT must read every column of the view in order.
	cols := []arrow.Array{rec.Column(0)}
	for _, i := range l.active {
		cols = append(cols, rec.Column(i+1))
	}
	proj := array.NewRecordBatch(l.schema, cols, rec.NumRows())
	if l.skipping && !isKnown(rec) {
		// ids new to the source: landed as they are, without the comparison
		l.pendingNew = append(l.pendingNew, proj)
		if len(l.pendingNew) < arrowGroup {
			return 0, nil
		}
		return l.flushNew()
	}
	l.pending = append(l.pending, proj)
	if len(l.pending) < arrowGroup {
		return 0, nil
	}
	return l.flush()
}

// flushNew lands the waiting record batches of rows whose id is new to the source.
func (l *arrowLoader) flushNew() (int, error) {
	recs := l.pendingNew
	l.pendingNew = nil
	return l.throughView(l.schema, recs, func() error {
		_, err := l.ex.ExecContext(l.ctx, l.insertDirect, l.params)
		return err
	})
}

func (l *arrowLoader) flush() (int, error) {
	recs := l.pending
	l.pending = nil
	return l.throughView(l.schema, recs, func() error {
		if l.seen != "" {
			return l.landChanged()
		}
		_, err := l.ex.ExecContext(l.ctx, l.insert, l.params)
		return err
	})
}

// throughView registers recs (released here) as the view arrowViewName, runs fn, which reads it, and drops the
// view; it returns how many record batches went.
func (l *arrowLoader) throughView(schema *arrow.Schema, recs []arrow.RecordBatch, fn func() error) (int, error) {
	if len(recs) == 0 {
		return 0, nil
	}
	defer func() {
		for _, r := range recs {
			r.Release()
		}
	}()
	rr, err := array.NewRecordReader(schema, recs)
	if err != nil {
		return 0, err
	}
	release, err := l.ar.RegisterView(rr, arrowViewName)
	rr.Release() // the view holds its own reference
	if err != nil {
		return 0, err
	}
	err = fn()
	if err == nil {
		// DuckDB's arrow scan registers the stream as a view of the database, not a temporary one: once the
		// stream is released the view points at freed memory, and a later query of it crashes the process. It
		// goes in the same transaction, so no warehouse ever holds it.
		_, err = l.ex.ExecContext(l.ctx, "DROP VIEW IF EXISTS "+arrowViewName, nil)
	}
	release()
	if err != nil {
		return 0, err
	}
	return len(recs), nil
}

// landChanged copies the registered group into ingest_group, finds its rows equal to their id's newest version
// (match), records them as seen and lands the others (insert).
func (l *arrowLoader) landChanged() error {
	if _, err := l.ex.ExecContext(l.ctx, "CREATE OR REPLACE TEMP TABLE ingest_group AS SELECT * FROM "+arrowViewName, nil); err != nil {
		return err
	}
	if _, err := l.ex.ExecContext(l.ctx, l.match, nil); err != nil {
		return err
	}
	res, err := l.ex.ExecContext(l.ctx, l.seen, l.seenArgs)
	if err != nil {
		return err
	}
	if _, err := l.ex.ExecContext(l.ctx, "INSERT INTO ingest_sighted SELECT row_number, rh FROM ingest_match", nil); err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	l.unchanged += int(n)
	_, err = l.ex.ExecContext(l.ctx, l.insert, l.params)
	return err
}

// prepareSkip fills s with the raw hashes of the newest versions (ingest_newest) and makes the table the rows
// recognised by them go into.
func (l *arrowLoader) prepareSkip(s *rawSkip) error {
	if l.seen == "" {
		return nil
	}
	// sized once: a set grows to the source's ids (10M ids: 80 MB each), and append's doubling would hold twice
	// that for a moment
	n, err := queryCount(l.ctx, l.q, "SELECT count(*) FROM ingest_newest")
	if err != nil {
		return fmt.Errorf("raw hashes of the newest versions: %w", err)
	}
	rows, err := l.ar.QueryContext(l.ctx, "SELECT DISTINCT rh FROM ingest_newest WHERE rh IS NOT NULL")
	if err != nil {
		return fmt.Errorf("raw hashes of the newest versions: %w", err)
	}
	set := make([]uint64, 0, n)
	for rows.Next() {
		col, ok := rows.RecordBatch().Column(0).(*array.Uint64)
		if !ok {
			rows.Release()
			return fmt.Errorf("raw hashes of the newest versions: not UBIGINT")
		}
		set = append(set, col.Uint64Values()...)
	}
	err = rows.Err()
	rows.Release()
	if err != nil {
		return fmt.Errorf("raw hashes of the newest versions: %w", err)
	}
	s.set = newHashSet(set)
	ids, err := l.ar.QueryContext(l.ctx, "SELECT source_id FROM ingest_newest")
	if err != nil {
		return fmt.Errorf("ids of the newest versions: %w", err)
	}
	idKeys := make([]uint64, 0, n)
	for ids.Next() {
		col, ok := ids.RecordBatch().Column(0).(*array.String)
		if !ok {
			ids.Release()
			return fmt.Errorf("ids of the newest versions: not text")
		}
		for i := 0; i < col.Len(); i++ {
			idKeys = append(idKeys, idHash(col.Value(i)))
		}
	}
	err = ids.Err()
	ids.Release()
	if err != nil {
		return fmt.Errorf("ids of the newest versions: %w", err)
	}
	s.ids = newHashSet(idKeys)
	if _, err := l.ex.ExecContext(l.ctx, "CREATE OR REPLACE TEMP TABLE ingest_seen (row_number BIGINT, source_id VARCHAR, rh UBIGINT)", nil); err != nil {
		return fmt.Errorf("raw hashes of the newest versions: %w", err)
	}
	l.skipping = true
	return nil
}

func (l *arrowLoader) loadSeen(rec arrow.RecordBatch) error {
	if !l.skipping {
		return fmt.Errorf("internal error: rows recognised before mapping without the set")
	}
	rec.Retain()
	l.seenPending = append(l.seenPending, rec)
	l.seenRows += int(rec.NumRows())
	if len(l.seenPending) < arrowGroup {
		return nil
	}
	return l.flushSeen()
}

func (l *arrowLoader) flushSeen() error {
	recs := l.seenPending
	l.seenPending = nil
	_, err := l.throughView(seenSchema, recs, func() error {
		_, err := l.ex.ExecContext(l.ctx, "INSERT INTO ingest_seen SELECT row_number, source_id, raw_hash FROM "+arrowViewName, nil)
		return err
	})
	return err
}

// finishSeen records the rows recognised before mapping as seen, each pointing at its id's newest version with
// the same raw hash; errRawSkipMissed when one has none.
func (l *arrowLoader) finishSeen() error {
	if err := l.flushSeen(); err != nil {
		return err
	}
	if l.seenRows > 0 {
		// in the export's row order, as the loader's other sightings (newRowLoader says why)
		if _, err := l.ex.ExecContext(l.ctx, `CREATE OR REPLACE TEMP TABLE ingest_seen_at AS SELECT s.row_number, n.vb, n.vr
			FROM ingest_seen s JOIN ingest_newest n ON n.source_id = s.source_id AND n.rh = s.rh ORDER BY s.row_number`, nil); err != nil {
			return err
		}
		res, err := l.ex.ExecContext(l.ctx, `INSERT INTO row_sightings (batch_id, row_number, version_batch_id, version_row_number)
			SELECT CAST(? AS BIGINT), row_number, vb, vr FROM ingest_seen_at`, l.seenArgs)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return err
		}
		if int(n) != l.seenRows {
			return errRawSkipMissed
		}
		l.unchanged += int(n)
	}
	for _, t := range []string{"ingest_seen", "ingest_seen_at"} {
		if _, err := l.ex.ExecContext(l.ctx, "DROP TABLE IF EXISTS "+t, nil); err != nil {
			return err
		}
	}
	return nil
}

func (l *arrowLoader) finish() (int, error) {
	n, err := l.flush()
	if err == nil {
		var m int
		m, err = l.flushNew()
		n += m
	}
	if err == nil && l.skipping {
		err = l.finishSeen()
	}
	if err == nil && l.seen != "" {
		for _, d := range []string{"TABLE IF EXISTS ingest_group", "TABLE IF EXISTS ingest_match", "VIEW IF EXISTS ingest_newest"} {
			if _, err = l.ex.ExecContext(l.ctx, "DROP "+d, nil); err != nil {
				break
			}
		}
	}
	return n, err
}

func (l *arrowLoader) seenUnchanged() (int, bool) { return l.unchanged, l.seen != "" }

func (l *arrowLoader) abort() {
	for _, r := range l.pending {
		r.Release()
	}
	l.pending = nil
	for _, r := range l.pendingNew {
		r.Release()
	}
	l.pendingNew = nil
	for _, r := range l.seenPending {
		r.Release()
	}
	l.seenPending = nil
}
