-- phase: stage
-- 20_complaints: the canonical current state, one row per (source system, source id): its newest version
-- (chosen in 10_staging), as the temp table cx holding the columns the canonical rules work on. Nothing is
-- written to the warehouse here: corrections, customers, clocks, duplicates and repeats are worked out on temp
-- tables, and 38_write assembles the whole rows and writes only those that changed (rewriting 800,000 rows of
-- the indexed table, or updating it column by column, cost most of a normalise).
-- full normalise: every complaint; incremental: only the complaints in scope_keys (their versions are in src_rows)
CREATE OR REPLACE TEMP TABLE cx AS
WITH current AS (
    SELECT s.*,
        -- a reply date before receipt, after the export was taken, or unparseable is treated as unknown
        (replied_given AND (replied_ts IS NULL
            OR CAST(replied_ts AS DATE) < received_date
            OR CAST(replied_ts AS DATE) > CAST(coalesce(export_as_of, ingested_at) AS DATE))) AS reply_invalid
    FROM stg_current s
), located AS (
    -- the branch master's code for the raw branch text (15_branches), and the province the master gives it
    -- and the keyword rule that classified an empty category or cause (10_staging)
    SELECT c.*, br.code AS branch_code, bp.province_code AS branch_province,
           kc.code AS keyword_category, kc.rule_id AS category_rule, ka.code AS keyword_cause, ka.rule_id AS cause_rule
    FROM current c
    LEFT JOIN branch_resolved br ON br.branch_raw = c.branch AND br.received_date = c.received_date
    LEFT JOIN branch_province bp ON bp.branch_raw = c.branch AND bp.received_date = c.received_date
    LEFT JOIN keyword_hits kc ON kc.complaint_key = c.complaint_key AND kc.dimension = 'business_category'
    LEFT JOIN keyword_hits ka ON ka.complaint_key = c.complaint_key AND ka.dimension = 'cause'
)
SELECT
    complaint_key, batch_id, row_number, version_count,
    -- an analytics-only record is no complaint for any figure, clock, list, duplicate, repeat or check
    record_type, record_type = 'complaint' AND NOT analytics_only AS is_complaint, analytics_only,
    intake_channel, coalesce(keyword_category, business_category) AS business_category, category_rule,
    coalesce(keyword_cause, cause) AS cause, cause_rule, complaint_type, complaint_class,
    coalesce(branch_code, branch) AS branch, branch AS branch_raw, coalesce(province, branch_province) AS province,
    customer_id_key, customer_phone_key, customer_card_key,
    CASE
        WHEN status_code IN ('withdrawn', 'not_accepted') THEN status_code
        WHEN replied_ts IS NOT NULL AND NOT reply_invalid THEN 'closed'
        WHEN status_code = 'closed' THEN 'closed'       -- closed without a (valid) reply date: flagged in 45_quality
        ELSE 'open'
    END AS status,
    received_at, received_date, updated_at,
    CASE WHEN reply_invalid THEN NULL ELSE replied_ts END AS replied_at,
    CASE WHEN reply_invalid THEN NULL ELSE CAST(replied_ts AS DATE) END AS replied_date,
    reply_invalid AS reply_date_invalid,
    paused_days, extension_tier, extension_approved,
    intake_channel = 'regulator_referral' AS is_regulator_referral,
    intake_channel = 'regulator_referral' AS group_regulator_referral,
    is_major, timely_response, reply_date_recorded,
    CASE WHEN replied_ts IS NOT NULL AND NOT reply_invalid
         THEN greatest(date_diff('day', received_date, CAST(replied_ts AS DATE)) - paused_days, 0) END AS handling_days
FROM located;

DROP TABLE stg_current;

-- the keyword hits are in cx now
DROP TABLE keyword_hits;
