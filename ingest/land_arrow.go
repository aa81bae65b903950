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
	// seen (unless landEveryRow) records the group's rows equal to the newest version of their id in
	// row_sightings, and insert then lands the others only (land_unchanged.go); unchanged counts them.
	seen      string
	seenArgs  []driver.NamedValue
	unchanged int
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
		sel = append(sel, landingColumns[i])
	}
	insert := fmt.Sprintf("INSERT INTO landed_rows (%s) SELECT %s FROM %s", strings.Join(cols, ", "), strings.Join(sel, ", "), arrowViewName)
	fields := []arrow.Field{landingSchema.Field(0)}
	for _, i := range active {
		fields = append(fields, landingSchema.Field(i+1))
	}
	l := &arrowLoader{ctx: ctx, schema: arrow.NewSchema(fields, nil), active: active, ex: ex, ar: ar, insert: insert,
		params: namedValues(batchID, info.Source, info.FilePath, info.SHA256, sheet, ingested.Format("2006-01-02 15:04:05.999999999"))}
	if !landEveryRow {
		// The newest version of every id of the source landed before, then per group: the rows into a temporary
		// table (the registered stream can be read once), those equal to their id's newest version recorded as
		// seen, the others landed. Rows equal to it never reach landed_rows, whose deleted rows would keep
		// their space in the file.
		if _, err := ex.ExecContext(ctx, "CREATE OR REPLACE TEMP TABLE ingest_newest AS "+newestSQL(false), namedValues(batchID, info.Source)); err != nil {
			return nil, fmt.Errorf("newest versions of %s: %w", info.Source, err)
		}
		has := func(c string) bool { return slices.Contains(cols, c) }
		match := `EXISTS (SELECT 1 FROM ingest_newest n WHERE n.source_id = g.source_id AND n.h = g.row_hash) AND NOT ` + placeholderDate("g", has)
		l.insert = fmt.Sprintf("INSERT INTO landed_rows (%s) SELECT %s FROM ingest_group g WHERE NOT (%s)", strings.Join(cols, ", "), strings.Join(sel, ", "), match)
		l.seen = `INSERT INTO row_sightings (batch_id, source_system, source_id, row_number, version_batch_id, version_row_number)
			SELECT CAST(? AS BIGINT), CAST(? AS VARCHAR), g.source_id, g.row_number, n.vb, n.vr
			FROM ingest_group g JOIN ingest_newest n ON n.source_id = g.source_id AND n.h = g.row_hash
			WHERE NOT ` + placeholderDate("g", has)
		l.seenArgs = namedValues(batchID, info.Source)
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
	l.pending = append(l.pending, array.NewRecordBatch(l.schema, cols, rec.NumRows()))
	if len(l.pending) < arrowGroup {
		return 0, nil
	}
	return l.flush()
}

func (l *arrowLoader) flush() (int, error) {
	if len(l.pending) == 0 {
		return 0, nil
	}
	recs := l.pending
	l.pending = nil
	defer func() {
		for _, r := range recs {
			r.Release()
		}
	}()
	rr, err := array.NewRecordReader(l.schema, recs)
	if err != nil {
		return 0, err
	}
	release, err := l.ar.RegisterView(rr, arrowViewName)
	rr.Release() // the view holds its own reference
	if err != nil {
		return 0, err
	}
	if l.seen != "" {
		err = l.landChanged()
	} else {
		_, err = l.ex.ExecContext(l.ctx, l.insert, l.params)
	}
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

// landChanged copies the registered group into ingest_group, records its unchanged rows (seen) and lands the
// others (insert).
func (l *arrowLoader) landChanged() error {
	if _, err := l.ex.ExecContext(l.ctx, "CREATE OR REPLACE TEMP TABLE ingest_group AS SELECT * FROM "+arrowViewName, nil); err != nil {
		return err
	}
	res, err := l.ex.ExecContext(l.ctx, l.seen, l.seenArgs)
	if err != nil {
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

func (l *arrowLoader) finish() (int, error) {
	n, err := l.flush()
	if err == nil && l.seen != "" {
		for _, t := range []string{"ingest_group", "ingest_newest"} {
			if _, err = l.ex.ExecContext(l.ctx, "DROP TABLE IF EXISTS "+t, nil); err != nil {
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
}
