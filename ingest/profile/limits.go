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
	return Limits{
		MaxFileBytes: or(l.MaxFileBytes, d.MaxFileBytes), MaxPartBytes: or(l.MaxPartBytes, d.MaxPartBytes),
		MaxPartRatio: or(l.MaxPartRatio, d.MaxPartRatio), MaxRows: or(l.MaxRows, d.MaxRows),
		MaxMergeCells: or(l.MaxMergeCells, d.MaxMergeCells), MaxCellBytes: or(l.MaxCellBytes, d.MaxCellBytes),
		MaxColumns: or(l.MaxColumns, d.MaxColumns), MaxJSONDepth: or(l.MaxJSONDepth, d.MaxJSONDepth),
		MaxFieldLines: or(l.MaxFieldLines, d.MaxFieldLines),
	}
}

// or is v when it is set (positive), else d.
func or[T int | int64](v, d T) T {
	if v > 0 {
		return v
	}
	return d
}
