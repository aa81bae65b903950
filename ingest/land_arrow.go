//go:build duckdb_arrow

package ingest

import (
	"context"
	"database/sql/driver"
	"fmt"
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
	return &arrowLoader{ctx: ctx, schema: arrow.NewSchema(fields, nil), active: active, ex: ex, ar: ar, insert: insert,
		params: namedValues(batchID, info.Source, info.FilePath, info.SHA256, sheet, ingested.Format("2006-01-02 15:04:05.999999999"))}, nil
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
	_, err = l.ex.ExecContext(l.ctx, l.insert, l.params)
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

func (l *arrowLoader) finish() (int, error) { return l.flush() }

func (l *arrowLoader) abort() {
	for _, r := range l.pending {
		r.Release()
	}
	l.pending = nil
}
