-- 10_staging: every landed version typed and mapped to catalogue codes. A value that maps to nothing becomes
-- 'unmapped' and keeps its raw text, so nothing is dropped silently.
CREATE OR REPLACE TEMP TABLE stg_versions AS
WITH typed AS (
    SELECT
        l.*,
        b.export_as_of,
        TRY_CAST(l.received_at AS TIMESTAMP)                           AS received_ts,
        TRY_CAST(l.updated_at AS TIMESTAMP)                            AS updated_ts,
        TRY_CAST(l.replied_at AS TIMESTAMP)                            AS replied_ts,
        norm_text(l.replied_at) IS NOT NULL                            AS replied_given,
        coalesce(TRY_CAST(norm_text(l.paused_days) AS INTEGER), 0)     AS paused_n,
        TRY_CAST(regexp_replace(coalesce(l.compensation, ''), '[,，¥￥元\s]', '', 'g') AS DECIMAL(18,2)) AS compensation_n,
        -- folded once here so the catalogue joins below are plain equi-joins
        norm_text(l.record_type) AS n_record_type, norm_text(l.intake_channel) AS n_intake_channel,
        norm_text(l.business_channel) AS n_business_channel, norm_text(l.business_category) AS n_business_category,
        norm_text(l.cause) AS n_cause, norm_text(l.complaint_type) AS n_complaint_type, norm_text(l.demand) AS n_demand,
        norm_text(l.province) AS n_province, norm_text(l.status) AS n_status, norm_text(l.satisfaction) AS n_satisfaction
    FROM landed_rows l
    JOIN batches b USING (batch_id)
)
SELECT
    t.source_system || ':' || t.source_id                              AS complaint_key,
    t.source_system, t.source_id, t.batch_id, t.file_path, t.row_number, t.ingested_at, t.export_as_of,
    coalesce(rt.code, CASE WHEN norm_text(t.record_type) IS NULL THEN 'complaint' ELSE 'other' END) AS record_type,
    coalesce(ic.code, CASE WHEN norm_text(t.intake_channel) IS NULL THEN 'other' ELSE 'unmapped' END) AS intake_channel,
    t.intake_channel                                                   AS intake_channel_raw,
    coalesce(bc.code, CASE WHEN norm_text(t.business_channel) IS NULL THEN 'other' ELSE 'unmapped' END) AS business_channel,
    t.business_channel                                                 AS business_channel_raw,
    coalesce(cat.code, CASE WHEN norm_text(t.business_category) IS NULL THEN 'other' ELSE 'unmapped' END) AS business_category,
    t.business_category                                                AS business_category_raw,
    coalesce(ca.code, CASE WHEN norm_text(t.cause) IS NULL THEN 'other' ELSE 'unmapped' END) AS cause,
    t.cause                                                            AS cause_raw,
    ct.code                                                            AS complaint_type,
    coalesce(cc.code, CASE ct.code WHEN 'work_error' THEN 'general' WHEN 'service_attitude' THEN 'general'
        WHEN 'internal_management' THEN 'general' WHEN 'service_product' THEN 'complex'
        WHEN 'service_channel' THEN 'complex' WHEN 'irregular_operation' THEN 'complex' END) AS complaint_class,
    dm.code                                                            AS demand,
    nullif(trim(t.branch), '')                                         AS branch,
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
    t.paused_n                                                         AS paused_days,
    CASE WHEN norm_text(t.extension_tier) IN ('60', '60天', '特别复杂', '二次延长') THEN 60
         WHEN norm_text(t.extension_tier) IN ('30', '30天', '复杂', '延长') THEN 30 ELSE 0 END AS extension_tier,
    CASE WHEN norm_text(t.extension_approved) IS NULL THEN NULL ELSE flag_yes(t.extension_approved) END AS extension_approved,
    nullif(trim(t.outcome), '')                                        AS outcome,
    sa.code                                                            AS satisfaction,
    t.compensation_n                                                   AS compensation,
    t.reply_facts, t.reply_accountability, t.reply_remediation, t.reply_satisfaction, t.reply_time, t.reply_handler_contact,
    nullif(trim(t.handler), '')                                        AS handler,
    flag_yes(t.major)                                                  AS is_major,
    nullif(trim(t.referral_ref), '')                                   AS referral_ref,
    t.summary, t.narrative
FROM typed t
LEFT JOIN taxonomy_map rt  ON rt.dimension  = 'record_type'       AND rt.synonym  = t.n_record_type
LEFT JOIN taxonomy_map ic  ON ic.dimension  = 'intake_channel'    AND ic.synonym  = t.n_intake_channel
LEFT JOIN taxonomy_map bc  ON bc.dimension  = 'business_channel'  AND bc.synonym  = t.n_business_channel
LEFT JOIN taxonomy_map cat ON cat.dimension = 'business_category' AND cat.synonym = t.n_business_category
LEFT JOIN taxonomy_map ca  ON ca.dimension  = 'cause'             AND ca.synonym  = t.n_cause
LEFT JOIN taxonomy_map ct  ON ct.dimension  = 'complaint_type'    AND ct.synonym  = t.n_complaint_type
LEFT JOIN taxonomy_map cc  ON cc.dimension  = 'complaint_class'   AND cc.synonym  = t.n_complaint_type
LEFT JOIN taxonomy_map dm  ON dm.dimension  = 'demand'            AND dm.synonym  = t.n_demand
LEFT JOIN taxonomy_map pv  ON pv.dimension  = 'province'          AND pv.synonym  = t.n_province
LEFT JOIN taxonomy_map st  ON st.dimension  = 'status'            AND st.synonym  = t.n_status
LEFT JOIN taxonomy_map sa  ON sa.dimension  = 'satisfaction'      AND sa.synonym  = t.n_satisfaction
WHERE t.received_ts IS NOT NULL;
