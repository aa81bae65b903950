package ingest

import (
	"archive/zip"
	"compress/flate"
	"hash"
	"hash/crc32"
	"io"
	"os"

	"complaints/catalog"
)

// This file enforces Limits (limits.go) where they do not belong to one reader: only regular files are read, the
// file size is checked before reading, XLSX parts are counted as they unpack, and every reader's raw rows are
// checked for their number, width and cell sizes (guardRows).

// regularFile stats path (following symbolic links) and refuses anything but a regular file, before any open
// that could block (a FIFO blocks until a writer comes; /dev/zero never ends).
func regularFile(path string) (os.FileInfo, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, catalog.Errorf("msg_limits_not_regular", fileKind(st.Mode()))
	}
	return st, nil
}

func fileKind(m os.FileMode) *catalog.Message {
	switch {
	case m&os.ModeNamedPipe != 0:
		return catalog.Msg("msg_limits_kind_fifo")
	case m&(os.ModeDevice|os.ModeCharDevice) != 0:
		return catalog.Msg("msg_limits_kind_device")
	case m.IsDir():
		return catalog.Msg("msg_limits_kind_dir")
	case m&os.ModeSocket != 0:
		return catalog.Msg("msg_limits_kind_socket")
	}
	return catalog.Msg("msg_limits_kind_other")
}

// openRegular opens a file checked by regularFile and makes sure the opened file is that regular file (it was
// not replaced between the stat and the open).
func openRegular(path string, st os.FileInfo) (*os.File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	fst, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if !fst.Mode().IsRegular() || !os.SameFile(st, fst) {
		f.Close()
		return nil, catalog.Errorf("msg_limits_not_regular", fileKind(fst.Mode()))
	}
	return f, nil
}

func fileTooBig(size int64, lim Limits) error {
	return catalog.Errorf("msg_limits_file_bytes", size, lim.MaxFileBytes)
}

// partRatioGrace is how many bytes a part may unpack to before MaxPartRatio is checked: small parts compress
// far better than large ones (a few KB of repeated XML), and cost nothing.
const partRatioGrace = 1 << 20

// partReader counts the bytes a zip entry really unpacks to (its header may lie) and stops at MaxPartBytes, or
// when it has unpacked more than MaxPartRatio times the packed bytes read so far (a bomb is stopped after its
// first MB, not after its header's packed size times the ratio). A deflated entry is inflated here from its raw
// bytes, so that the packed bytes are counted, and its CRC-32 checked at the end. A read error (a corrupt deflate
// stream, a checksum) says the workbook is damaged.
type partReader struct {
	r        io.Reader
	closer   io.Closer
	raw      *countReader // nil for a stored entry: packed = unpacked
	crc      hash.Hash32
	wantCRC  uint32
	name     string
	n        int64
	maxBytes int64
	maxRatio int64
}

type countReader struct {
	r io.Reader
	n int64
}

func (c *countReader) Read(b []byte) (int, error) {
	k, err := c.r.Read(b)
	c.n += int64(k)
	return k, err
}

func openPart(zf *zip.File, lim Limits) (*partReader, error) {
	p := &partReader{name: zf.Name, maxBytes: lim.MaxPartBytes, maxRatio: lim.MaxPartRatio}
	if zf.Method == zip.Deflate {
		raw, err := zf.OpenRaw()
		if err != nil {
			return nil, catalog.Errorf("msg_limits_xlsx_damaged", err)
		}
		p.raw = &countReader{r: raw}
		fr := flate.NewReader(p.raw)
		p.r, p.closer, p.crc, p.wantCRC = fr, fr, crc32.NewIEEE(), zf.CRC32
		return p, nil
	}
	rc, err := zf.Open()
	if err != nil {
		return nil, catalog.Errorf("msg_limits_xlsx_damaged", err)
	}
	p.r, p.closer = rc, rc
	return p, nil
}

func (p *partReader) Read(b []byte) (int, error) {
	k, err := p.r.Read(b)
	p.n += int64(k)
	if p.n > p.maxBytes {
		return 0, catalog.Errorf("msg_limits_part_bytes", p.name, p.maxBytes)
	}
	if p.raw != nil && p.n > partRatioGrace && p.n > max(p.raw.n, 1)*p.maxRatio {
		return 0, catalog.Errorf("msg_limits_part_ratio", p.name, p.raw.n, p.maxRatio)
	}
	if p.crc != nil {
		p.crc.Write(b[:k])
		if err == io.EOF && p.wantCRC != 0 && p.crc.Sum32() != p.wantCRC {
			err = zip.ErrChecksum
		}
	}
	if err == io.ErrUnexpectedEOF || err != nil && err != io.EOF {
		return k, catalog.Errorf("msg_limits_xlsx_damaged", err)
	}
	return k, err
}

func (p *partReader) Close() error { return p.closer.Close() }

// rowsAt says where a row is, for a limit's message: the sheet and row of a workbook, the line of JSON, the row
// (line) of a text file or the row of a Parquet file.
func rowsAt(t *table, num int) *catalog.Message {
	switch {
	case t.Sheet != "":
		return catalog.Msg("msg_limits_at_sheet_row", t.Sheet, num)
	case t.Format == "json" || t.Format == "ndjson":
		return catalog.Msg("msg_limits_at_line", num)
	}
	return catalog.Msg("msg_limits_at_row", num)
}

// guardRows checks the header and wraps t's row stream so that every raw row, whatever the reader, is checked
// against MaxRows (rows yielded; and the physical row number, except for JSON whose numbers are lines),
// MaxColumns and MaxCellBytes. A row over a bound ends the stream with an error: the file is refused whole. The
// XLSX and JSON readers check the same bounds earlier, before they allocate for a crafted row.
func guardRows(t *table, lim Limits) error {
	if err := checkRowBounds(t, t.Header, t.HeaderRow, lim, true); err != nil {
		return err
	}
	inner := t.next
	byNum := t.Format != "json" && t.Format != "ndjson"
	n := 0
	t.next = func() (rawRow, error) {
		r, err := inner()
		if err != nil {
			return r, err
		}
		n++
		if n > lim.MaxRows || byNum && r.Num > lim.MaxRows {
			where := rowsAt(t, r.Num)
			if !byNum {
				where = catalog.Msg("msg_limits_at_record", n)
			}
			return rawRow{}, catalog.Errorf("msg_limits_rows", where, lim.MaxRows)
		}
		if err := checkRowBounds(t, r.Fields, r.Num, lim, false); err != nil {
			return rawRow{}, err
		}
		return r, nil
	}
	return nil
}

func checkRowBounds(t *table, fields []string, num int, lim Limits, header bool) error {
	where := func() *catalog.Message {
		if header {
			return catalog.Msg("msg_limits_at_header", num)
		}
		return rowsAt(t, num)
	}
	if len(fields) > lim.MaxColumns {
		return catalog.Errorf("msg_limits_columns", where(), len(fields), lim.MaxColumns)
	}
	for _, f := range fields {
		if len(f) > lim.MaxCellBytes {
			return catalog.Errorf("msg_limits_cell_bytes", where(), len(f), lim.MaxCellBytes)
		}
	}
	return nil
}

// isLimitError says whether err is one of the bounds' refusals (the file is refused whole, never a row
// rejected).
func isLimitError(err error) bool {
	for _, k := range []string{"msg_limits_rows", "msg_limits_columns", "msg_limits_cell_bytes", "msg_limits_json_depth",
		"msg_limits_part_bytes", "msg_limits_part_ratio", "msg_limits_merge_cells", "msg_limits_file_bytes"} {
		if catalog.HasKey(err, k) {
			return true
		}
	}
	return false
}
