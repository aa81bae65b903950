-- 008: complaints keeps its columns and NOT NULL constraints but loses the PRIMARY KEY's index.
-- The index made inserting a million complaints slower and DuckDB keeps it in memory (the 1 GB memory limit ran
-- out in the write step with it; see docs/performance.md). normalise writes the whole table and checks complaint_key unique at the end of
-- 38_write (a duplicate fails the normalise, nothing is written); no query looks complaints up by key alone.
CREATE TABLE complaints_008 (
    complaint_key VARCHAR NOT NULL, source_system VARCHAR NOT NULL, source_id VARCHAR NOT NULL,
    batch_id BIGINT NOT NULL, file_path VARCHAR NOT NULL, row_number BIGINT NOT NULL, version_count INTEGER NOT NULL,
    record_type VARCHAR NOT NULL, is_complaint BOOLEAN NOT NULL, intake_channel VARCHAR NOT NULL,
    intake_channel_raw VARCHAR, business_channel VARCHAR NOT NULL, business_channel_raw VARCHAR,
    business_category VARCHAR NOT NULL, business_category_raw VARCHAR, cause VARCHAR NOT NULL, cause_raw VARCHAR,
    complaint_type VARCHAR, complaint_class VARCHAR, demand VARCHAR, branch VARCHAR, province VARCHAR,
    customer_key VARCHAR, customer_id_key VARCHAR, customer_phone_key VARCHAR, customer_card_key VARCHAR,
    customer_name_masked VARCHAR, customer_phone_masked VARCHAR, status VARCHAR NOT NULL,
    received_at TIMESTAMP NOT NULL, received_date DATE NOT NULL, updated_at TIMESTAMP, replied_at TIMESTAMP,
    replied_date DATE, reply_date_invalid BOOLEAN NOT NULL, paused_days INTEGER NOT NULL,
    extension_tier INTEGER NOT NULL, extension_approved BOOLEAN, outcome VARCHAR, satisfaction VARCHAR,
    compensation DECIMAL(18,2), reply_facts BOOLEAN, reply_accountability BOOLEAN, reply_remediation BOOLEAN,
    reply_satisfaction BOOLEAN, reply_time BOOLEAN, reply_handler_contact BOOLEAN, "handler" VARCHAR,
    is_regulator_referral BOOLEAN NOT NULL, is_major BOOLEAN NOT NULL, referral_ref VARCHAR, handling_days INTEGER,
    duplicate_of VARCHAR, primary_key VARCHAR NOT NULL, is_primary BOOLEAN NOT NULL,
    group_regulator_referral BOOLEAN NOT NULL, summary VARCHAR, narrative VARCHAR, internal_limit_days INTEGER,
    internal_deadline DATE, regulatory_limit_days INTEGER, regulatory_deadline DATE, working_days_to_reply INTEGER,
    calendar_days_to_reply INTEGER, internal_on_time BOOLEAN, regulatory_on_time BOOLEAN,
    repeat_complainant BOOLEAN, branch_raw VARCHAR, category_rule VARCHAR, cause_rule VARCHAR
);
INSERT INTO complaints_008 SELECT * FROM complaints;
DROP TABLE complaints;
ALTER TABLE complaints_008 RENAME TO complaints;
