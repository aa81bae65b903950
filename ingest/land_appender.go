//go:build !duckdb_arrow

package ingest

import (
	"context"
	"database/sql/driver"
	"fmt"
	"slices"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	duckdb "github.com/duckdb/duckdb-go/v2"
)

// loaderName says which row loader this build lands with (the benchmarks report it).
const loaderName = "appender"

// appenderLoader lands record batches through a DuckDB Appender: one cgo call per value. Builds without the
// duckdb_arrow tag use it; the Arrow loader (land_arrow.go) is about twice as fast (docs/performance.md).
type appenderLoader struct {
	app    *duckdb.Appender
	active []int
	args   []driver.Value
	lin    []driver.Value // the lineage values, the same for every row
}

func newRowLoader(_ context.Context, c driver.Conn, batchID int64, info batchInfo, sheet any, ingested time.Time, active []int) (rowLoader, error) {
	cols := append([]string{}, landedLineage...)
	// raw_hash (UBIGINT, carried as text) is not landed by this loader: its rows are compared after mapping.
	active = slices.DeleteFunc(slices.Clone(active), func(i int) bool { return i == liRawHash })
	for _, i := range active {
		cols = append(cols, landingColumns[i])
	}
	app, err := duckdb.NewAppenderWithColumns(c, "", "", "landed_rows", cols)
	if err != nil {
		return nil, fmt.Errorf("appender for landed_rows: %w", err)
	}
	return &appenderLoader{app: app, active: active, args: make([]driver.Value, len(cols)),
		lin: []driver.Value{batchID, info.Source, info.FilePath, info.SHA256, sheet, ingested}}, nil
}

func (l *appenderLoader) load(rec arrow.RecordBatch) (int, error) {
	rows := rec.Column(0).(*array.Int64)
	strs := make([]*array.String, len(l.active))
	for k, i := range l.active {
		strs[k] = rec.Column(i + 1).(*array.String)
	}
	n := len(landedLineage)
	copy(l.args, l.lin)
	for r := 0; r < int(rec.NumRows()); r++ {
		l.args[n-1] = rows.Value(r)
		for k, s := range strs {
			if s.IsNull(r) {
				l.args[n+k] = nil
			} else {
				l.args[n+k] = s.Value(r)
			}
		}
		if err := l.app.AppendRow(l.args...); err != nil {
			return 0, fmt.Errorf("row %d: append: %w", rows.Value(r), err)
		}
	}
	return 1, nil
}

// seenUnchanged is 0, false: the Appender lands every row, and markUnchanged takes the unchanged ones back out.
func (l *appenderLoader) seenUnchanged() (int, bool) { return 0, false }

// prepareSkip leaves the set empty: this loader lands every row, and markUnchanged takes the unchanged ones
// back out, so the mapping recognises none before mapping and loadSeen is never called.
func (l *appenderLoader) prepareSkip(*rawSkip) error { return nil }

func (l *appenderLoader) loadSeen(arrow.RecordBatch) error {
	return fmt.Errorf("internal error: the appender loader takes no rows recognised before mapping")
}

func (l *appenderLoader) finish() (int, error) {
	err := l.app.Close()
	l.app = nil
	return 0, err
}

func (l *appenderLoader) abort() {
	if l.app != nil {
		l.app.Close()
		l.app = nil
	}
}
