-- 035_sightings_narrow: row_sightings (migration 031) without source_system and source_id. A sighting's id is its
-- version's (landed_rows at version_batch_id, version_row_number), so the readers join the version's row, and the
-- four numbers left, written in the order of the export's rows, compress to a small part of what the id text
-- took: a ledger re-exports most of its rows unchanged every month, so this table grows by a ledger a month
-- (docs/decisions.md, "Unchanged rows").
CREATE TABLE IF NOT EXISTS row_sightings_035 (
    batch_id           BIGINT NOT NULL,
    row_number         BIGINT NOT NULL,
    version_batch_id   BIGINT NOT NULL,
    version_row_number BIGINT NOT NULL
);
INSERT INTO row_sightings_035 SELECT batch_id, row_number, version_batch_id, version_row_number FROM row_sightings
ORDER BY batch_id, row_number;
DROP TABLE row_sightings;
ALTER TABLE row_sightings_035 RENAME TO row_sightings;
