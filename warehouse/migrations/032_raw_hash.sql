-- 032_raw_hash: a re-exported row whose raw values are those of its id's newest version is recognised before it
-- is mapped (docs/decisions.md, "Unchanged rows"). raw_hash: the first 8 bytes, as an unsigned integer, of a keyed
-- hash (HMAC-SHA256 with the privacy key) of the row's raw values read from the file and of everything that decides
-- their mapping (ingest's mapping context: code revision, profile, header and column mapping, personal columns,
-- date and text settings), on the row as landed. NULL where it was not made (rows landed before it, rows with
-- merged cells): such a row is compared after mapping, as before. A sighting's raw hash is kept only as its id's
-- newest (row_newest.rh, migration 033): stored on every sighting it made the warehouse 8 bytes a ledger row
-- bigger for no other reader.
ALTER TABLE landed_rows ADD COLUMN IF NOT EXISTS raw_hash UBIGINT;
