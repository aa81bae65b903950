package ingest

import (
	"bytes"
	"context"
)

func init() {
	registerReader(readerSpec{Name: "parquet", Exts: []string{"parquet", "pq"}, Sniff: sniffParquet, Open: openParquet})
}

func sniffParquet(head []byte) bool { return bytes.HasPrefix(head, []byte("PAR1")) }

// openParquet reads a Parquet file's columns as text (see parquetRows in land.go). Nested columns arrive as
// DuckDB's text form of the struct or list; the header is the file's column names.
func openParquet(ctx context.Context, in *input) (*table, error) {
	header, next, closeFn, err := parquetRows(ctx, in.Path)
	if err != nil {
		return nil, err
	}
	return &table{Format: "parquet", Header: header, next: next, close: func() error {
		if in.count != nil {
			in.count(int(in.Size))
		}
		return closeFn()
	}}, nil
}
