-- 002_canonical: the canonical complaint (current state, newest version of each source record) and its marts.
-- Filled by transform/ (see transform/models/*.sql). Field meanings: docs/schema.md.

CREATE TABLE complaints (
    -- identity and lineage
    complaint_key       VARCHAR PRIMARY KEY,  -- source_system || ':' || source_id
    source_system       VARCHAR NOT NULL,
    source_id           VARCHAR NOT NULL,
    batch_id            BIGINT NOT NULL,      -- batch of the version shown
    file_path           VARCHAR NOT NULL,
    row_number          BIGINT NOT NULL,
    version_count       INTEGER NOT NULL,     -- how many versions of this record were landed
    -- what it is
    record_type         VARCHAR NOT NULL,     -- complaint / enquiry / suggestion / praise / other
    is_complaint        BOOLEAN NOT NULL,
    -- classification (codes of catalog/taxonomy.yaml; 'unmapped' keeps the raw text in *_raw)
    intake_channel      VARCHAR NOT NULL,
    intake_channel_raw  VARCHAR,
    business_channel    VARCHAR NOT NULL,
    business_channel_raw VARCHAR,
    business_category   VARCHAR NOT NULL,
    business_category_raw VARCHAR,
    cause               VARCHAR NOT NULL,
    cause_raw           VARCHAR,
    complaint_type      VARCHAR,              -- work_error ... irregular_operation; NULL when missing
    complaint_class     VARCHAR,              -- general / complex; NULL when type missing
    demand              VARCHAR,
    -- where
    branch              VARCHAR,              -- org unit code (or raw name while no branch master maps it)
    province            VARCHAR,              -- GB/T 2260 province code, e.g. 440000
    -- who (keys only; never names, phones, IDs or card numbers in clear)
    customer_key        VARCHAR,              -- the customer: smallest key of the records linked by any shared id/phone/card key
    customer_id_key     VARCHAR,
    customer_phone_key  VARCHAR,
    customer_card_key   VARCHAR,
    customer_name_masked VARCHAR,
    customer_phone_masked VARCHAR,
    -- lifecycle (Beijing wall-clock, naive TIMESTAMP)
    status              VARCHAR NOT NULL,     -- open / closed / withdrawn / not_accepted
    received_at         TIMESTAMP NOT NULL,
    received_date       DATE NOT NULL,
    updated_at          TIMESTAMP,
    replied_at          TIMESTAMP,            -- NULL when absent or invalid (see reply_date_invalid)
    replied_date        DATE,
    reply_date_invalid  BOOLEAN NOT NULL,     -- reply before receipt, in the future, or unparseable
    paused_days         INTEGER NOT NULL,
    extension_tier      INTEGER NOT NULL,     -- 0, 30 or 60 (regulatory limit in days once extended)
    extension_approved  BOOLEAN,
    -- outcome
    outcome             VARCHAR,
    satisfaction        VARCHAR,              -- satisfied / basically_satisfied / dissatisfied / NULL
    compensation        DECIMAL(18,2),
    reply_facts         BOOLEAN,              -- six reply elements present? NULL when the export records none
    reply_accountability BOOLEAN,
    reply_remediation   BOOLEAN,
    reply_satisfaction  BOOLEAN,
    reply_time          BOOLEAN,
    reply_handler_contact BOOLEAN,
    handler             VARCHAR,
    -- flags
    is_regulator_referral BOOLEAN NOT NULL,
    is_major            BOOLEAN NOT NULL,
    referral_ref        VARCHAR,
    handling_days       INTEGER,              -- calendar days receipt -> reply minus paused days (closed only)
    -- duplicates (domain.md section 5): figures count primaries only; duplicates are linked, never deleted
    duplicate_of        VARCHAR,              -- complaint_key of the earlier record this one repeats, if any
    primary_key         VARCHAR NOT NULL,     -- complaint_key of its group's primary (itself when primary)
    is_primary          BOOLEAN NOT NULL,
    group_regulator_referral BOOLEAN NOT NULL, -- its duplicate group holds a regulator referral
    -- narrative (scrubbed at ingest)
    summary             VARCHAR,
    narrative           VARCHAR
);

-- taxonomy_map: every spelling of every code of catalog/taxonomy.yaml, folded by norm_text; refreshed by
-- transform on every normalise so a new catalogue version applies to data already landed.
CREATE TABLE taxonomy_map (
    dimension           VARCHAR NOT NULL,
    synonym             VARCHAR NOT NULL,
    code                VARCHAR NOT NULL,
    PRIMARY KEY (dimension, synonym)
);

-- mart_category_month: one row per (month, business category); the figures of domain.md section 6. Flows
-- (received, closed and their parts) add up over months; stocks (open at start/end, overdue at end) are as at
-- the month's first or last day, so a quarter takes its first month's open_at_start and its last month's
-- open_at_end. Rates are kept as numerator and denominator so any period sums them before dividing.
-- Reports and dashboards read this, never landed rows.
CREATE TABLE mart_category_month (
    month               DATE NOT NULL,        -- first day of the month
    business_category   VARCHAR NOT NULL,
    received            BIGINT NOT NULL,      -- complaints received in the month (withdrawn included)
    received_regulator  BIGINT NOT NULL,      -- of which regulator referrals
    received_major      BIGINT NOT NULL,      -- of which major
    closed              BIGINT NOT NULL,      -- valid reply date in the month
    closed_0_15         BIGINT NOT NULL DEFAULT 0,      -- of which handling days 0-15 (calendar days minus paused days)
    closed_16_30        BIGINT NOT NULL DEFAULT 0,
    closed_31_60        BIGINT NOT NULL DEFAULT 0,
    closed_over_60      BIGINT NOT NULL DEFAULT 0,
    closed_regulatory_on_time BIGINT NOT NULL DEFAULT 0, -- replied on or before the regulatory deadline
    closed_internal_on_time   BIGINT NOT NULL DEFAULT 0, -- replied on or before the internal deadline
    handling_days_sum   BIGINT NOT NULL DEFAULT 0,      -- average handling days = sum / closed
    satisfaction_recorded BIGINT NOT NULL DEFAULT 0,    -- closed with satisfaction recorded
    satisfied           BIGINT NOT NULL DEFAULT 0,      -- satisfied + basically satisfied
    reply_elements_recorded BIGINT NOT NULL DEFAULT 0,  -- closed whose export records reply elements at all
    reply_complete      BIGINT NOT NULL DEFAULT 0,      -- of those, all six elements present
    open_at_start       BIGINT NOT NULL DEFAULT 0,      -- received before the month, not replied to before it
    open_at_end         BIGINT NOT NULL DEFAULT 0,      -- received by its last day, not replied to by it
    overdue_at_end      BIGINT NOT NULL DEFAULT 0,      -- open at end, regulatory deadline before the last day
    PRIMARY KEY (month, business_category)
);

-- mart_cause_month: one row per (month, cause) of complaints received.
CREATE TABLE mart_cause_month (
    month               DATE NOT NULL,
    cause               VARCHAR NOT NULL,
    received            BIGINT NOT NULL,
    PRIMARY KEY (month, cause)
);
