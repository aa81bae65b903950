package profile

// Limits bound what one input file may cost to read, so that a small crafted file cannot exhaust the machine.
// Each is configurable (config `ingest.limits`); a file over a bound is refused whole with a message naming the
// bound, its value and where in the file it was reached. Zero means the default. The defaults admit the
// 10M-complaint benchmark's files (monthly cumulative ledgers of several hundred MB).
type Limits struct {
	// MaxFileBytes: the largest input file.
	MaxFileBytes int64
	// MaxPartBytes: the largest unpacked part of an XLSX (a sheet, the shared strings).
	MaxPartBytes int64
	// MaxPartRatio: the most an XLSX part may unpack to per byte packed (a zip bomb unpacks to hundreds or
	// thousands of times its size; a sheet or shared strings table to 5-30 times). Checked once a part has
	// unpacked past partRatioGrace bytes.
	MaxPartRatio int64
	// MaxRows: the largest row number a file may hold (XLSX row numbers, text lines, JSON records).
	MaxRows int
	// MaxMergeCells: the most cells one XLSX merge range may cover.
	MaxMergeCells int64
	// MaxCellBytes: the longest single field or cell.
	MaxCellBytes int
	// MaxColumns: the most columns (fields) in the header or a row.
	MaxColumns int
	// MaxJSONDepth: the deepest nesting of JSON objects and arrays.
	MaxJSONDepth int
	// MaxFieldLines: a quoted CSV field spanning more lines than this counts as an unclosed quote: its record is
	// rejected and the lines after its first are read as records again.
	MaxFieldLines int
}

// DefaultLimits are the bounds used where a Limits field is zero.
var DefaultLimits = Limits{
	MaxFileBytes:  8 << 30, // 8 GiB
	MaxPartBytes:  4 << 30, // 4 GiB unpacked: a full sheet of 1,048,576 rows x 70 columns is about 3 GB of XML
	MaxPartRatio:  100,
	MaxRows:       50_000_000,
	MaxMergeCells: 100_000,
	MaxCellBytes:  1 << 20, // 1 MiB
	MaxColumns:    1_000,
	MaxJSONDepth:  64,
	MaxFieldLines: 200,
}

// WithDefaults fills zero fields from DefaultLimits.
func (l Limits) WithDefaults() Limits {
	d := DefaultLimits
	if l.MaxFileBytes > 0 {
		d.MaxFileBytes = l.MaxFileBytes
	}
	if l.MaxPartBytes > 0 {
		d.MaxPartBytes = l.MaxPartBytes
	}
	if l.MaxPartRatio > 0 {
		d.MaxPartRatio = l.MaxPartRatio
	}
	if l.MaxRows > 0 {
		d.MaxRows = l.MaxRows
	}
	if l.MaxMergeCells > 0 {
		d.MaxMergeCells = l.MaxMergeCells
	}
	if l.MaxCellBytes > 0 {
		d.MaxCellBytes = l.MaxCellBytes
	}
	if l.MaxColumns > 0 {
		d.MaxColumns = l.MaxColumns
	}
	if l.MaxJSONDepth > 0 {
		d.MaxJSONDepth = l.MaxJSONDepth
	}
	if l.MaxFieldLines > 0 {
		d.MaxFieldLines = l.MaxFieldLines
	}
	return d
}
