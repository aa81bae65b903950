-- 004_normalise: the branch master, manual corrections and their audit, and the bookkeeping of incremental
-- normalise (issue "Normalise"). Filled by transform/ on every normalise; see docs/schema.md.

-- branch_master: the bank's org units, loaded from the config's `branches` CSV on every normalise (replaced as a
-- whole). complaints.branch becomes the code when the exported text matches a code, name or alias.
CREATE TABLE branch_master (
    code            VARCHAR NOT NULL,
    name            VARCHAR,
    aliases         VARCHAR,     -- as in the file: separated by |, ; or ；
    parent          VARCHAR,     -- code of the parent unit ('' / NULL for a top unit)
    province_code   VARCHAR,     -- GB/T 2260, e.g. 110000
    province_name   VARCHAR,
    valid_from      DATE,        -- NULL: always valid before valid_to
    valid_to        DATE,        -- NULL: still valid; after it the unit's spellings map to successor
    successor       VARCHAR      -- code that took the unit over (rename, merger), if any
);

-- unknown_branches: raw branch texts that match no code, name or alias of the branch master (or match two units
-- at once: candidates lists them). The records keep the raw text as their branch; nothing is dropped.
CREATE TABLE unknown_branches (
    raw             VARCHAR NOT NULL,
    records         BIGINT NOT NULL,
    sources         VARCHAR NOT NULL,   -- source systems it came from, comma-separated
    candidates      VARCHAR             -- codes it matches when ambiguous, else NULL
);

-- the raw branch text of the version shown (complaints.branch holds the code once the master maps it)
ALTER TABLE complaints ADD COLUMN branch_raw VARCHAR;

-- corrections: the config's `corrections` file as read by the last normalise (one row per entry, in file order).
CREATE TABLE corrections (
    seq             INTEGER NOT NULL,   -- 1-based position in the file
    complaint_key   VARCHAR NOT NULL,   -- source_system:source_id
    action          VARCHAR NOT NULL,   -- reclassify, not_duplicate, duplicate_of, major, extension_approved, not_complaint
    field           VARCHAR,            -- reclassify: business_category, cause, complaint_type or intake_channel
    value           VARCHAR,            -- reclassify: the new code (or a spelling of it); duplicate_of: the primary's key; major/extension_approved: true/false
    who             VARCHAR,
    "when"          VARCHAR,
    why             VARCHAR
);

-- corrections_applied: audit of every correction that changed a complaint, one row per distinct effect
-- (complaint, action, field, old value, new value, who, when, why), with the time normalise first applied it.
-- A correction re-applied unchanged by later normalises adds no row; one re-applied over a new exported value
-- (a re-export changed the field again) adds a row with the new old value.
CREATE TABLE corrections_applied (
    complaint_key   VARCHAR NOT NULL,
    action          VARCHAR NOT NULL,
    field           VARCHAR,
    old             VARCHAR,
    new             VARCHAR,
    who             VARCHAR,
    "when"          VARCHAR,
    why             VARCHAR,
    applied_at      TIMESTAMP NOT NULL  -- Beijing wall clock of the normalise that first applied it
);

-- corrections_unmatched: corrections the last normalise could not apply (unknown complaint, unknown duplicate_of
-- target, a value that maps to no code); listed, never an error.
CREATE TABLE corrections_unmatched (
    seq             INTEGER NOT NULL,
    complaint_key   VARCHAR NOT NULL,
    action          VARCHAR NOT NULL,
    field           VARCHAR,
    value           VARCHAR,
    reason          VARCHAR NOT NULL    -- unknown_complaint, unknown_target, value_unmapped
);

-- normalised_batches: batches whose rows the complaints table reflects; incremental normalise re-derives only
-- the complaints that appear in batches not listed here.
CREATE TABLE normalised_batches (
    batch_id        BIGINT PRIMARY KEY,
    normalised_at   TIMESTAMP NOT NULL
);

-- normalise_state: what the last normalise was computed with (a fingerprint of the models, catalogue, calendar,
-- branch master and policy values); incremental normalise falls back to a full one when it differs.
CREATE TABLE normalise_state (
    name            VARCHAR PRIMARY KEY,
    value           VARCHAR NOT NULL
);

-- mart_reply_completeness: reply completeness (domain.md section 6) per branch and month of reply: primaries
-- closed in the month, of which the export records reply elements at all, of which all six are present.
CREATE TABLE mart_reply_completeness (
    month           DATE NOT NULL,      -- month of the (valid) reply date
    branch          VARCHAR NOT NULL,   -- branch code ('' when none)
    closed          BIGINT NOT NULL,
    recorded        BIGINT NOT NULL,
    complete        BIGINT NOT NULL,
    PRIMARY KEY (month, branch)
);
