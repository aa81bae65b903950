-- 20_complaints: the canonical current state, one row per (source system, source id): its newest version,
-- ordered by the record's own updated-at, else the export's as-of date, else ingest time (domain.md section 5).
DELETE FROM complaints;

INSERT INTO complaints BY NAME
WITH ranked AS (
    SELECT s.*,
        count(*) OVER (PARTITION BY complaint_key) AS version_count,
        row_number() OVER (PARTITION BY complaint_key
            ORDER BY updated_at DESC NULLS LAST, export_as_of DESC NULLS LAST, ingested_at DESC, batch_id DESC, row_number DESC) AS rn
    FROM stg_versions s
), current AS (
    SELECT r.*,
        -- a reply date before receipt, after the export was taken, or unparseable is treated as unknown
        (replied_given AND (replied_ts IS NULL
            OR CAST(replied_ts AS DATE) < received_date
            OR CAST(replied_ts AS DATE) > CAST(coalesce(export_as_of, ingested_at) AS DATE))) AS reply_invalid
    FROM ranked r WHERE rn = 1
)
SELECT
    complaint_key, source_system, source_id, batch_id, file_path, row_number, version_count,
    record_type, record_type = 'complaint' AS is_complaint,
    intake_channel, intake_channel_raw, business_channel, business_channel_raw,
    business_category, business_category_raw, cause, cause_raw, complaint_type, complaint_class, demand,
    branch, province,
    customer_key, customer_id_key, customer_phone_key, customer_card_key, customer_name_masked, customer_phone_masked,
    CASE
        WHEN status_code IN ('withdrawn', 'not_accepted') THEN status_code
        WHEN replied_ts IS NOT NULL AND NOT reply_invalid THEN 'closed'
        WHEN status_code = 'closed' THEN 'closed'       -- closed without a (valid) reply date: flagged below
        ELSE 'open'
    END AS status,
    received_at, received_date, updated_at,
    CASE WHEN reply_invalid THEN NULL ELSE replied_ts END AS replied_at,
    CASE WHEN reply_invalid THEN NULL ELSE CAST(replied_ts AS DATE) END AS replied_date,
    reply_invalid AS reply_date_invalid,
    paused_days, extension_tier, extension_approved, outcome, satisfaction, compensation,
    CASE WHEN coalesce(reply_facts, reply_accountability, reply_remediation, reply_satisfaction, reply_time, reply_handler_contact) IS NULL
         THEN NULL ELSE element_present(reply_facts) END AS reply_facts,
    CASE WHEN coalesce(reply_facts, reply_accountability, reply_remediation, reply_satisfaction, reply_time, reply_handler_contact) IS NULL
         THEN NULL ELSE element_present(reply_accountability) END AS reply_accountability,
    CASE WHEN coalesce(reply_facts, reply_accountability, reply_remediation, reply_satisfaction, reply_time, reply_handler_contact) IS NULL
         THEN NULL ELSE element_present(reply_remediation) END AS reply_remediation,
    CASE WHEN coalesce(reply_facts, reply_accountability, reply_remediation, reply_satisfaction, reply_time, reply_handler_contact) IS NULL
         THEN NULL ELSE element_present(reply_satisfaction) END AS reply_satisfaction,
    CASE WHEN coalesce(reply_facts, reply_accountability, reply_remediation, reply_satisfaction, reply_time, reply_handler_contact) IS NULL
         THEN NULL ELSE element_present(reply_time) END AS reply_time,
    CASE WHEN coalesce(reply_facts, reply_accountability, reply_remediation, reply_satisfaction, reply_time, reply_handler_contact) IS NULL
         THEN NULL ELSE element_present(reply_handler_contact) END AS reply_handler_contact,
    handler,
    intake_channel = 'regulator_referral' AS is_regulator_referral,
    is_major, referral_ref,
    CASE WHEN replied_ts IS NOT NULL AND NOT reply_invalid
         THEN greatest(date_diff('day', received_date, CAST(replied_ts AS DATE)) - paused_days, 0) END AS handling_days,
    NULL AS duplicate_of, complaint_key AS primary_key, true AS is_primary,
    intake_channel = 'regulator_referral' AS group_regulator_referral,
    summary, narrative
FROM current;
