-- 033_row_newest: the newest version of every id of a source, kept as ingest lands each batch, so that telling a
-- re-exported row unchanged reads one row per id instead of every version and sighting since the start
-- (ingest/newest.go; docs/decisions.md, "Unchanged rows"). It is a cache of what ingest's newestSQL computes from
-- landed_rows, row_sightings and batches: row_newest_state.through_batch is the source's newest batch it holds;
-- when that is not the source's newest batch (a batch landed without it, a batch removed, an older warehouse) it
-- is computed again from those tables. h is the row hash, rh the raw hash of the newest sighting or version,
-- (vb, vr) the version; ok, u, a, i, sb, sr its place in the order (comparable: hashed, with a receipt date;
-- updated-at, export as-of, ingest time, batch, row); seen_b the newest batch that had the id and recv its latest
-- receipt text (for the ids a full snapshot lacks).
CREATE TABLE IF NOT EXISTS row_newest (
    source_system VARCHAR NOT NULL,
    source_id     VARCHAR NOT NULL,
    h             VARCHAR,
    rh            UBIGINT,
    vb            BIGINT NOT NULL,
    vr            BIGINT NOT NULL,
    u             TIMESTAMP,
    a             TIMESTAMP,
    i             TIMESTAMP,
    sb            BIGINT NOT NULL,
    sr            BIGINT NOT NULL,
    ok            BOOLEAN NOT NULL,
    seen_b        BIGINT NOT NULL,
    recv          VARCHAR
);
CREATE TABLE IF NOT EXISTS row_newest_state (
    source_system VARCHAR NOT NULL,
    through_batch BIGINT NOT NULL
);
