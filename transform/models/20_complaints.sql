-- 20_complaints: the canonical current state, one row per (source system, source id): its newest version,
-- ordered by the record's own updated-at, else the export's as-of date, else ingest time (domain.md section 5).
-- full normalise: every complaint; incremental: only the complaints in scope_keys (their versions are in src_rows)
DELETE FROM complaints WHERE NOT getvariable('incremental') OR complaint_key IN (SELECT complaint_key FROM scope_keys);

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
), located AS (
    -- the branch master's code for the raw branch text (15_branches), and the province of that branch
    SELECT c.*, br.code AS branch_code, bp.province_code AS branch_province
    FROM current c
    LEFT JOIN branch_resolved br ON br.branch_raw = c.branch AND br.received_date = c.received_date
    LEFT JOIN branch_province bp ON bp.code = br.code
)
SELECT
    complaint_key, source_system, source_id, batch_id, file_path, row_number, version_count,
    record_type, record_type = 'complaint' AS is_complaint,
    intake_channel, intake_channel_raw, business_channel, business_channel_raw,
    business_category, business_category_raw, cause, cause_raw, complaint_type, complaint_class, demand,
    coalesce(branch_code, branch) AS branch, branch AS branch_raw, coalesce(province, branch_province) AS province,
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
    CASE WHEN reply_recorded THEN reply_facts END AS reply_facts,
    CASE WHEN reply_recorded THEN reply_accountability END AS reply_accountability,
    CASE WHEN reply_recorded THEN reply_remediation END AS reply_remediation,
    CASE WHEN reply_recorded THEN reply_satisfaction END AS reply_satisfaction,
    CASE WHEN reply_recorded THEN reply_time END AS reply_time,
    CASE WHEN reply_recorded THEN reply_handler_contact END AS reply_handler_contact,
    handler,
    intake_channel = 'regulator_referral' AS is_regulator_referral,
    is_major, referral_ref,
    CASE WHEN replied_ts IS NOT NULL AND NOT reply_invalid
         THEN greatest(date_diff('day', received_date, CAST(replied_ts AS DATE)) - paused_days, 0) END AS handling_days,
    NULL AS duplicate_of, complaint_key AS primary_key, true AS is_primary,
    intake_channel = 'regulator_referral' AS group_regulator_referral,
    summary, narrative
FROM located;
