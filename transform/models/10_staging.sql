-- 10_staging: every landed version typed and mapped to catalogue codes. A value that maps to nothing becomes
-- 'unmapped' and keeps its raw text, so nothing is dropped silently.
-- src_rows is set up by transform: every landed row (full normalise) or only the versions of the complaints an
-- incremental normalise re-derives. Raw spellings are folded once per distinct value (norm_text is costly: a
-- 90-character translate per call) into two small dictionaries, and the rows join them on the raw text.

-- raw_map: every distinct raw value of a classified column, folded, with its catalogue code (NULL: unmapped).
CREATE OR REPLACE TEMP TABLE raw_map AS
WITH raws AS (
    SELECT DISTINCT 'record_type' AS dimension, record_type AS raw FROM src_rows
    UNION ALL SELECT DISTINCT 'intake_channel', intake_channel FROM src_rows
    UNION ALL SELECT DISTINCT 'business_channel', business_channel FROM src_rows
    UNION ALL SELECT DISTINCT 'business_category', business_category FROM src_rows
    UNION ALL SELECT DISTINCT 'cause', cause FROM src_rows
    UNION ALL SELECT DISTINCT 'complaint_type', complaint_type FROM src_rows
    UNION ALL SELECT DISTINCT 'complaint_class', complaint_type FROM src_rows
    UNION ALL SELECT DISTINCT 'demand', demand FROM src_rows
    UNION ALL SELECT DISTINCT 'province', province FROM src_rows
    UNION ALL SELECT DISTINCT 'status', status FROM src_rows
    UNION ALL SELECT DISTINCT 'satisfaction', satisfaction FROM src_rows
), folded AS (
    SELECT dimension, raw, norm_text(raw) AS n FROM raws WHERE raw IS NOT NULL
)
SELECT f.dimension, f.raw, f.n, t.code
FROM folded f LEFT JOIN taxonomy_map t ON t.dimension = f.dimension AND t.synonym = f.n;

-- fold_text: every distinct raw value of the flag, number and reply-element columns and of branch, folded, with
-- the readings staging needs (flag_yes, element_present, extension tier).
CREATE OR REPLACE TEMP TABLE fold_text AS
WITH raws AS (
    SELECT paused_days AS raw FROM src_rows UNION SELECT extension_tier FROM src_rows
    UNION SELECT extension_approved FROM src_rows UNION SELECT major FROM src_rows
    UNION SELECT branch FROM src_rows
    UNION SELECT reply_facts FROM src_rows UNION SELECT reply_accountability FROM src_rows
    UNION SELECT reply_remediation FROM src_rows UNION SELECT reply_satisfaction FROM src_rows
    UNION SELECT reply_time FROM src_rows UNION SELECT reply_handler_contact FROM src_rows
)
SELECT raw, norm_text(raw) AS n, flag_yes(raw) AS yes, element_present(raw) AS present,
       CASE WHEN norm_text(raw) IN ('60', '60天', '特别复杂', '二次延长') THEN 60
            WHEN norm_text(raw) IN ('30', '30天', '复杂', '延长') THEN 30 ELSE 0 END AS tier
FROM raws WHERE raw IS NOT NULL;

CREATE OR REPLACE TEMP TABLE stg_versions AS
WITH typed AS (
    SELECT
        l.*,
        b.export_as_of,
        TRY_CAST(l.received_at AS TIMESTAMP)                           AS received_ts,
        TRY_CAST(l.updated_at AS TIMESTAMP)                            AS updated_ts,
        TRY_CAST(l.replied_at AS TIMESTAMP)                            AS replied_ts,
        -- norm_text(replied_at) IS NOT NULL, without the translate: some character that folds to no white space
        coalesce(regexp_matches(l.replied_at, '[^\t\n\f\r \x{3000}]'), false) AS replied_given,
        TRY_CAST(regexp_replace(coalesce(l.compensation, ''), '[,，¥￥元\s]', '', 'g') AS DECIMAL(18,2)) AS compensation_n
    FROM src_rows l
    JOIN batches b USING (batch_id)
)
SELECT
    t.source_system || ':' || t.source_id                              AS complaint_key,
    t.source_system, t.source_id, t.batch_id, t.file_path, t.row_number, t.ingested_at, t.export_as_of,
    coalesce(rt.code, CASE WHEN rt.n IS NULL THEN 'complaint' ELSE 'other' END) AS record_type,
    coalesce(ic.code, CASE WHEN ic.n IS NULL THEN 'other' ELSE 'unmapped' END) AS intake_channel,
    t.intake_channel                                                   AS intake_channel_raw,
    coalesce(bc.code, CASE WHEN bc.n IS NULL THEN 'other' ELSE 'unmapped' END) AS business_channel,
    t.business_channel                                                 AS business_channel_raw,
    coalesce(cat.code, CASE WHEN cat.n IS NULL THEN 'other' ELSE 'unmapped' END) AS business_category,
    t.business_category                                                AS business_category_raw,
    coalesce(ca.code, CASE WHEN ca.n IS NULL THEN 'other' ELSE 'unmapped' END) AS cause,
    t.cause                                                            AS cause_raw,
    ct.code                                                            AS complaint_type,
    coalesce(cc.code, CASE ct.code WHEN 'work_error' THEN 'general' WHEN 'service_attitude' THEN 'general'
        WHEN 'internal_management' THEN 'general' WHEN 'service_product' THEN 'complex'
        WHEN 'service_channel' THEN 'complex' WHEN 'irregular_operation' THEN 'complex' END) AS complaint_class,
    dm.code                                                            AS demand,
    nullif(trim(t.branch), '')                                         AS branch,
    fb.n                                                               AS n_branch,
    coalesce(pv.code, nullif(trim(t.province), ''))                    AS province,
    coalesce(t.customer_id_key, t.customer_phone_key, t.customer_card_key) AS customer_key,
    t.customer_id_key, t.customer_phone_key, t.customer_card_key,
    t.customer_name_masked, t.customer_phone_masked,
    st.code                                                            AS status_code,
    t.received_ts                                                      AS received_at,
    CAST(t.received_ts AS DATE)                                        AS received_date,
    t.updated_ts                                                       AS updated_at,
    t.replied_ts,
    t.replied_given,
    coalesce(TRY_CAST(fp.n AS INTEGER), 0)                             AS paused_days,
    coalesce(fx.tier, 0)                                               AS extension_tier,
    CASE WHEN fa.n IS NULL THEN NULL ELSE fa.yes END                   AS extension_approved,
    nullif(trim(t.outcome), '')                                        AS outcome,
    sa.code                                                            AS satisfaction,
    t.compensation_n                                                   AS compensation,
    -- the six reply elements: NULL when the export records none of them, else each one present or not
    coalesce(t.reply_facts, t.reply_accountability, t.reply_remediation, t.reply_satisfaction, t.reply_time,
             t.reply_handler_contact) IS NOT NULL                      AS reply_recorded,
    coalesce(r1.present, false) AS reply_facts, coalesce(r2.present, false) AS reply_accountability,
    coalesce(r3.present, false) AS reply_remediation, coalesce(r4.present, false) AS reply_satisfaction,
    coalesce(r5.present, false) AS reply_time, coalesce(r6.present, false) AS reply_handler_contact,
    nullif(trim(t.handler), '')                                        AS handler,
    coalesce(fm.yes, false)                                            AS is_major,
    nullif(trim(t.referral_ref), '')                                   AS referral_ref,
    t.summary, t.narrative
FROM typed t
LEFT JOIN raw_map rt  ON rt.dimension = 'record_type' AND rt.raw = t.record_type
LEFT JOIN raw_map ic  ON ic.dimension = 'intake_channel' AND ic.raw = t.intake_channel
LEFT JOIN raw_map bc  ON bc.dimension = 'business_channel' AND bc.raw = t.business_channel
LEFT JOIN raw_map cat ON cat.dimension = 'business_category' AND cat.raw = t.business_category
LEFT JOIN raw_map ca  ON ca.dimension = 'cause' AND ca.raw = t.cause
LEFT JOIN raw_map ct  ON ct.dimension = 'complaint_type' AND ct.raw = t.complaint_type
LEFT JOIN raw_map cc  ON cc.dimension = 'complaint_class' AND cc.raw = t.complaint_type
LEFT JOIN raw_map dm  ON dm.dimension = 'demand' AND dm.raw = t.demand
LEFT JOIN raw_map pv  ON pv.dimension = 'province' AND pv.raw = t.province
LEFT JOIN raw_map st  ON st.dimension = 'status' AND st.raw = t.status
LEFT JOIN raw_map sa  ON sa.dimension = 'satisfaction' AND sa.raw = t.satisfaction
LEFT JOIN fold_text fp ON fp.raw = t.paused_days
LEFT JOIN fold_text fx ON fx.raw = t.extension_tier
LEFT JOIN fold_text fa ON fa.raw = t.extension_approved
LEFT JOIN fold_text fm ON fm.raw = t.major
LEFT JOIN fold_text fb ON fb.raw = t.branch
LEFT JOIN fold_text r1 ON r1.raw = t.reply_facts
LEFT JOIN fold_text r2 ON r2.raw = t.reply_accountability
LEFT JOIN fold_text r3 ON r3.raw = t.reply_remediation
LEFT JOIN fold_text r4 ON r4.raw = t.reply_satisfaction
LEFT JOIN fold_text r5 ON r5.raw = t.reply_time
LEFT JOIN fold_text r6 ON r6.raw = t.reply_handler_contact
WHERE t.received_ts IS NOT NULL;
