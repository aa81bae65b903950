// Package profile owns the description of a source system's export (Profile: where its files are, how to read
// them, how its columns map), the checks a profile passes on its own (Check: every field it names exists) and the
// bounds of reading one file (Limits): plain types that need only the catalogue's messages, so that config (a
// leaf) and ingest (which needs cgo for DuckDB) share them.
package profile

// Profile describes one source system's export: where its files are, how to read them and how its columns map
// to the landing fields. Profiles live in the config's `sources:` list (or in files it names); built-in header
// synonyms map most exports with no `columns:` at all.
type Profile struct {
	// Name is the source system, e.g. "hotline"; it becomes landed_rows.source_system and part of a complaint's key.
	Name string `yaml:"name"`
	// Label is the source's name as people read it on the open list and the case lists (客服热线); default: Name.
	Label string `yaml:"label,omitempty"`
	// Glob selects the source's files, relative to the config file's folder.
	Glob string `yaml:"glob"`
	// Format is csv, tsv, xlsx, json, ndjson or parquet; empty means detect from the content and extension.
	Format string `yaml:"format,omitempty"`
	// Encoding is utf-8, utf-8-bom, gb18030, gbk or utf-16; empty means detect.
	Encoding string `yaml:"encoding,omitempty"`
	// Delimiter for CSV; empty means sniff.
	Delimiter string `yaml:"delimiter,omitempty"`
	// Sheet for XLSX; empty means the first non-empty sheet.
	Sheet string `yaml:"sheet,omitempty"`
	// HeaderRow is the 1-based header row; 0 means find it below any title rows.
	HeaderRow int `yaml:"header_row,omitempty"`
	// DateFormats are extra Go time layouts tried before the built-in ones.
	DateFormats []string `yaml:"date_formats,omitempty"`
	// DateOrder is how to read a year-last date whose day and month are both 12 or less (05/10/2026) when no
	// value of the file settles it: dmy (day first), mdy (month first, the default) or ymd (year-last dates are
	// not expected: such an ambiguous value is not read). See dateorder.go.
	DateOrder string `yaml:"date_order,omitempty"`
	// IntakeChannel is the channel every record of this source came by, when the export has no channel column.
	IntakeChannel string `yaml:"intake_channel,omitempty"`
	// AsOf is the export's as-of date (YYYY-MM-DD) when neither the file name nor a title row gives it.
	AsOf string `yaml:"as_of,omitempty"`
	// Snapshot is "incremental" (default: an id missing from a later export is not withdrawn) or "full".
	Snapshot string `yaml:"snapshot,omitempty"`
	// LedgerScope is the ids a full snapshot covers, within which a missing id is listed: "all" (every complaint
	// since the system started), "year" (year to date: those received in the year of the export's as-of date),
	// or "auto" (default: "year" when every row of the export was received in that year and earlier exports of
	// the source hold complaints received before it, else "all").
	LedgerScope string `yaml:"ledger_scope,omitempty"`
	// Columns maps a landing field (source_id, received_at, ..., and the personal fields customer_name,
	// customer_phone, customer_id_number, customer_card) to the export's header text or, for JSON, a dotted path;
	// a YAML list gives alternative names, the first the file has is read. Several fields may name one header.
	// A header the file does not have refuses the file, unless the field is Optional or read from an alternative
	// (both warn).
	Columns ColumnMap `yaml:"columns,omitempty"`
	// Optional names fields of Columns whose header some of the source's files lack: such a file lands without
	// the field, with a warning, instead of being refused.
	Optional []string `yaml:"optional,omitempty"`
	// Values maps raw values of a field to the value to land, e.g. status: {"1": 已办结}.
	Values map[string]map[string]string `yaml:"values,omitempty"`
	// Personal names id fields (source_id, referral_ref) whose values are personal data whatever they look
	// like: they land keyed ("k:" and a keyed hash). Without it a column is personal when most of its sampled
	// values are phone, ID or card numbers.
	Personal []string `yaml:"personal,omitempty"`
	// AnalyticsOnly marks a source whose records feed narrative terms and text search only, never a regulator
	// figure, clock, list or data-quality check (a narratives-only extract, a customer-comment corpus): its
	// batches and complaints carry analytics_only (migration 023) and are no complaint for any figure.
	AnalyticsOnly bool `yaml:"analytics_only,omitempty"`
	// ReceivedDate dates every record of an analytics-only source whose files have no receipt column: a fixed
	// date YYYY-MM-DD, or as_of (the export's as-of date: the profile's as_of, else the file name, else a title
	// row; a file with none is refused). Empty: the records' own receipt column, as for any source.
	ReceivedDate string `yaml:"received_date,omitempty"`
	// NotPersonal names id fields that land as exported even when their values look like phone, ID or card
	// numbers (an order number that passes the Luhn check, say).
	NotPersonal []string `yaml:"not_personal,omitempty"`
}

// KeyableFields are the landing fields a personal column is keyed in (the others are scrubbed text or never
// land): the values a profile's `personal` and `not_personal` may name.
var KeyableFields = []string{"source_id", "referral_ref"}
