-- 021_source_coverage: which months each source's exports cover, and whether each month is complete (domain.md
-- section 5, Coverage). Written by every normalise (transform/models/91_coverage.sql) over the whole warehouse;
-- a --branch copy keeps the warehouse's rows (coverage is judged bank-wide), an --as-of copy recomputes them from
-- the batches of that date. See docs/schema.md.
--
-- One row per source and month, from the source's first landed month to three months after the newest month any
-- source covers (so a month whose export never arrived has a row saying so). Months are first days.
CREATE TABLE IF NOT EXISTS source_coverage (
    source_system   VARCHAR NOT NULL,   -- batches.source_system (the profile name)
    month           DATE NOT NULL,
    covered         BOOLEAN NOT NULL,   -- from the source's first landed month to the month of its newest as-of
    received        BIGINT NOT NULL,    -- the source's complaint records received in the month (all versions' newest; duplicates included)
    median_6        DOUBLE,             -- median of received over the source's covered months among the 6 before; NULL: none
    active          BOOLEAN NOT NULL,   -- received > 0 in any of the 3 months before
    status          VARCHAR NOT NULL,   -- ok, missing (active, not covered), short (covered, received < median_6 / 2), inactive
    PRIMARY KEY (source_system, month)
);
