-- 032_raw_hash: a re-exported row whose raw values are those of its id's newest version is recognised before it
-- is mapped (docs/decisions.md, "Unchanged rows"). raw_hash: the first 8 bytes, as an unsigned integer, of a keyed
-- hash (HMAC-SHA256 with the privacy key) of the row's raw values read from the file and of everything that decides
-- their mapping (ingest's mapping context: code revision, profile, header and column mapping, personal columns,
-- date and text settings). On landed_rows: the row as landed; on row_sightings: the row as seen. NULL where it was
-- not made (rows landed before it, rows with merged cells or a date read only after landing): such a row is
-- compared after mapping, as before.
ALTER TABLE landed_rows ADD COLUMN IF NOT EXISTS raw_hash UBIGINT;
ALTER TABLE row_sightings ADD COLUMN IF NOT EXISTS raw_hash UBIGINT;
