-- 005_snapshots: ids missing from a full-snapshot export (profile `snapshot: full`), listed, never deleted.
-- IF NOT EXISTS: ingest created this table itself before the migration existed.
CREATE TABLE IF NOT EXISTS missing_from_snapshot (
    batch_id        BIGINT NOT NULL,   -- the full-snapshot batch the id is missing from
    source_system   VARCHAR NOT NULL,
    source_id       VARCHAR NOT NULL,
    last_seen_batch BIGINT NOT NULL    -- newest earlier batch that had the id
);
