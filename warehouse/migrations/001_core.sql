-- 001_core: batches, landed rows, rejects, the canonical complaint table and the first marts.
--
-- Time convention: every TIMESTAMP here is a Beijing wall-clock time (Asia/Shanghai, UTC+8) kept as a naive
-- TIMESTAMP, never TIMESTAMPTZ. The domain's rules (day of receipt, working days, deadlines) are stated in
-- Beijing calendar dates, so the warehouse keeps the wall clock the bank's staff see. Ingest converts any
-- offset it reads (+08:00, Z) to Beijing wall-clock text before landing. See docs/schema.md.

-- One row per ingested file. A file is identified by its sha256: the same bytes are never landed twice.
CREATE TABLE batches (
    batch_id        BIGINT PRIMARY KEY,
    source_system   VARCHAR NOT NULL,   -- profile name, e.g. hotline, online, walk_in
    file_path       VARCHAR NOT NULL,
    file_sha256     VARCHAR NOT NULL UNIQUE,
    file_size       BIGINT NOT NULL,
    format          VARCHAR NOT NULL,   -- csv, xlsx, ndjson, json, parquet
    encoding        VARCHAR,            -- utf-8, utf-8-bom, gb18030, utf-16le ...
    sheet           VARCHAR,
    export_as_of    TIMESTAMP,          -- the export's own as-of (profile, file name or title row), if known
    rows_read       BIGINT NOT NULL,
    rows_accepted   BIGINT NOT NULL,
    rows_rejected   BIGINT NOT NULL,
    ingested_at     TIMESTAMP NOT NULL  -- Beijing wall clock
);

-- Landing: one row per accepted input row, every mapped field as text (typed in staging SQL). Personal
-- identifiers are already replaced by keyed hashes and masked display values at the ingest boundary.
CREATE TABLE landed_rows (
    batch_id            BIGINT NOT NULL,
    source_system       VARCHAR NOT NULL,
    file_path           VARCHAR NOT NULL,
    file_sha256         VARCHAR NOT NULL,
    sheet               VARCHAR,
    row_number          BIGINT NOT NULL,    -- 1-based physical row/line of the record in its file (header = its own row)
    ingested_at         TIMESTAMP NOT NULL,
    source_id           VARCHAR NOT NULL,   -- the source system's complaint / work-order id
    record_type         VARCHAR,            -- 投诉 / 咨询 / 建议 / 表扬 ... as exported
    received_at         VARCHAR NOT NULL,   -- 'YYYY-MM-DD HH:MM:SS' Beijing wall clock (ingest parsed it)
    updated_at          VARCHAR,            -- record's own last-update time, same text form, if exported
    intake_channel      VARCHAR,            -- raw: how the complaint reached the bank
    business_channel    VARCHAR,            -- raw: where the business took place
    business_category   VARCHAR,            -- raw category text
    cause               VARCHAR,            -- raw cause text
    complaint_type      VARCHAR,            -- raw complaint type (general/complex kinds)
    demand              VARCHAR,            -- raw demand
    branch              VARCHAR,            -- raw org unit code or name
    province            VARCHAR,            -- raw province (name or GB/T 2260 code)
    customer_id_key     VARCHAR,            -- HMAC-SHA256 of the normalised ID number
    customer_phone_key  VARCHAR,            -- HMAC-SHA256 of the normalised mobile number
    customer_card_key   VARCHAR,            -- HMAC-SHA256 of the normalised card number
    customer_name_masked VARCHAR,           -- 张*
    customer_phone_masked VARCHAR,          -- 138****5678
    status              VARCHAR,            -- raw status text
    replied_at          VARCHAR,            -- normalised text if parseable, else the raw value (staging flags it)
    paused_days         VARCHAR,
    extension_tier      VARCHAR,            -- raw: none / 30 / 60
    extension_approved  VARCHAR,
    outcome             VARCHAR,
    satisfaction        VARCHAR,
    compensation        VARCHAR,
    reply_facts         VARCHAR,            -- the seed's six reply elements (as exported)
    reply_accountability VARCHAR,
    reply_remediation   VARCHAR,
    reply_satisfaction  VARCHAR,
    reply_time          VARCHAR,
    reply_handler_contact VARCHAR,
    handler             VARCHAR,            -- staff handler (not customer data)
    major               VARCHAR,
    referral_ref        VARCHAR,            -- the referring body's reference number, if any
    summary             VARCHAR,            -- short complaint summary (scrubbed)
    narrative           VARCHAR             -- free text (scrubbed)
);

-- Rows that cannot be complaint records, with the reason and where to look.
CREATE TABLE rejects (
    batch_id        BIGINT NOT NULL,
    source_system   VARCHAR NOT NULL,
    file_path       VARCHAR NOT NULL,
    row_number      BIGINT NOT NULL,
    column_name     VARCHAR,
    raw_value       VARCHAR,              -- masked where personal
    reason          VARCHAR NOT NULL
);
