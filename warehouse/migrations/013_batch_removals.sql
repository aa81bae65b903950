-- 013_batch_removals: the audit of `complaints batches remove` (ingest.RemoveBatch). A removal deletes the
-- batch's landed_rows, rejects, missing_from_snapshot rows and its batches row in one transaction (so the same
-- file can be ingested again) and records here what went. See docs/decisions.md, "Batches: removal".
CREATE TABLE batch_removals (
    batch_id        BIGINT NOT NULL,    -- the removed batch's id (ids are not reused while a larger one exists)
    source_system   VARCHAR NOT NULL,
    file_path       VARCHAR NOT NULL,
    file_sha256     VARCHAR NOT NULL,
    export_as_of    TIMESTAMP,
    ingested_at     TIMESTAMP NOT NULL, -- when the batch had been landed (Beijing wall clock)
    rows_read       BIGINT NOT NULL,    -- the batch's counts as landed
    rows_accepted   BIGINT NOT NULL,
    rows_rejected   BIGINT NOT NULL,
    rows_removed    BIGINT NOT NULL,    -- landed rows deleted
    rejects_removed BIGINT NOT NULL,
    missing_removed BIGINT NOT NULL,    -- missing_from_snapshot rows deleted
    removed_at      TIMESTAMP NOT NULL, -- Beijing wall clock
    forced          BOOLEAN NOT NULL,   -- removed with --force over a filed period
    who             VARCHAR,            -- the OS user who ran the command, if known
    why             VARCHAR             -- --reason
);
