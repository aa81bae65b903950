// Package ingest owns the boundary between the banks' export files and the warehouse: format detection,
// character encodings, one reader per format (registered in one list, see reader.go), source profiles,
// the built-in header synonyms and mapping columns by their values and header words (content.go,
// content_cues.go; the words live in catalog/header_cues.yaml), the privacy boundary (keyed
// hashes, masks, scrubbing of free text), lineage, rejects and idempotency; a re-exported row equal to the newest
// version of its id is recorded as seen in its batch, not landed again (land_unchanged.go), most of them
// recognised by a keyed hash of their raw values before they are mapped (rawskip.go), each id's newest version
// kept in row_newest (newest.go). A file is landed as one batch in one DuckDB transaction, or not at all; a
// batch is taken back out the same way (batches.go: listing, removal and its audit in batch_removals).
//
// It must not know categories, deadlines or figures: every mapped field lands as text, and typing and
// classification happen in transform's staging SQL. Readers know nothing of DuckDB; they yield raw strings
// with their physical row numbers, the mapping step turns them into Arrow record batches of the landing
// schema (in parallel workers, order kept), and land.go loads those batches into the warehouse (through
// duckdb-go's Arrow interface with the duckdb_arrow build tag, else an Appender). lake.go takes back the
// complaints of a Parquet lake (package lake) exported under the same key.
package ingest
