package ingest

import (
	"bytes"
	"context"
	"io"

	"complaints/catalog"
)

func init() {
	registerReader(readerSpec{Name: "parquet", Exts: []string{"parquet", "pq"}, Sniff: sniffParquet, Open: openParquet})
}

func sniffParquet(head []byte) bool { return bytes.HasPrefix(head, []byte("PAR1")) }

// openParquet reads a Parquet file's columns as text (see parquetRows in land.go). Nested columns arrive as
// DuckDB's text form of the struct or list; the header is the file's column names. A file DuckDB cannot read
// (damaged, cut off) is refused with a sentence, not DuckDB's own error.
func openParquet(ctx context.Context, in *input) (*table, error) {
	header, next, closeFn, err := parquetRows(ctx, in.Path)
	if err != nil {
		if ctx.Err() != nil {
			return nil, err
		}
		return nil, catalog.Errorf("msg_limits_parquet_corrupt")
	}
	n := 0
	return &table{Format: "parquet", Header: header, next: func() (rawRow, error) {
		r, err := next()
		if err != nil && err != io.EOF && ctx.Err() == nil {
			return r, catalog.Errorf("msg_limits_parquet_corrupt_row", n+1)
		}
		n++
		return r, err
	}, close: func() error {
		if in.count != nil {
			in.count(int(in.Size))
		}
		return closeFn()
	}}, nil
}
