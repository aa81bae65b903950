-- 031_unchanged_rows: re-exported rows equal to the newest version of their id are not landed again (domain.md
-- section 5, "Re-exports and unchanged rows"; docs/decisions.md, "Unchanged rows").
-- landed_rows.row_hash: a keyed hash (HMAC-SHA256 with the privacy key, first 16 bytes in hex) of the row's mapped
-- values after the privacy boundary; NULL for the rows landed before it (their next sighting lands as a version).
ALTER TABLE landed_rows ADD COLUMN IF NOT EXISTS row_hash VARCHAR;
-- rows_unchanged: rows of the file equal to the newest version of their id, recorded in row_sightings. rows_accepted
-- stays every row not rejected, so rows_read = (rows_accepted - rows_unchanged) landed + rows_unchanged + rows_rejected.
ALTER TABLE batches ADD COLUMN IF NOT EXISTS rows_unchanged BIGINT DEFAULT 0;
ALTER TABLE batch_removals ADD COLUMN IF NOT EXISTS rows_unchanged BIGINT DEFAULT 0;
-- ledger_scope: the ids a full snapshot covers ('all': since the system started; 'year': complaints received in
-- the year of its as-of date), declared by the profile or detected; NULL for an incremental export.
ALTER TABLE batches ADD COLUMN IF NOT EXISTS ledger_scope VARCHAR;
-- One row per unchanged row: the export that had it (batch_id, row_number) and the landed version it equals
-- (version_batch_id, version_row_number). Snapshots, as-of copies and the choice of the newest version read a
-- sighting like the version it points to, seen at its own batch's as-of date; removing the version's batch
-- promotes the next sighting to a version (ingest.RemoveBatch).
CREATE TABLE IF NOT EXISTS row_sightings (
    batch_id           BIGINT NOT NULL,
    source_system      VARCHAR NOT NULL,
    source_id          VARCHAR NOT NULL,
    row_number         BIGINT NOT NULL,
    version_batch_id   BIGINT NOT NULL,
    version_row_number BIGINT NOT NULL
);
