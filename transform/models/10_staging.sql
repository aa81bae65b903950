-- phase: stage
-- 10_staging: every landed version typed and mapped to catalogue codes. A value that maps to nothing becomes
-- 'unmapped' and keeps its raw text, so nothing is dropped silently.
-- src_versions and src_rows are set up by transform: every landed row (full normalise), or the versions of the
-- complaints an incremental normalise re-derives (src_versions, their narrow columns) and, once stg_pick has
-- chosen, the whole landed rows of their current versions (src_picked, which src_rows reads). Raw spellings are
-- folded once per distinct value (norm_text is costly) into small dictionaries (raw_map, fold_text) that
-- stg_current joins; the three that 38_write reads stay MAP variables. Only the current version of each
-- complaint is typed (stg_pick chooses it on the narrow columns first), so the wide landed rows are read and
-- materialised once.

-- stg_pick: the current version of every complaint in scope (domain.md section 5: the newest by the record's own
-- updated-at, else the export's as-of date, else ingest time), and how many versions were landed; chosen on a
-- narrow projection. A version whose receipt time does not parse is not a version. An unchanged row of a later
-- export (row_sightings) takes part as the version it equals, seen in its own batch (seen_batch: its as-of date
-- and ingest time order it, and judge a reply date after the export), so the choice is the one a landed copy of
-- the row would give.
CREATE OR REPLACE TEMP TABLE stg_pick AS
WITH v AS (
    SELECT l.source_system || ':' || l.source_id AS complaint_key, l.batch_id, l.row_number, l.batch_id AS seen_batch,
           l.row_number AS seen_row, true AS landed, TRY_CAST(l.updated_at AS TIMESTAMP) AS updated_ts, b.export_as_of, l.ingested_at
    FROM src_versions l JOIN batches b USING (batch_id)
    WHERE TRY_CAST(l.received_at AS TIMESTAMP) IS NOT NULL
    UNION ALL
    SELECT l.source_system || ':' || l.source_id, l.batch_id, l.row_number, s.batch_id, s.row_number, false,
           TRY_CAST(l.updated_at AS TIMESTAMP), b.export_as_of, b.ingested_at
    FROM row_sightings s JOIN src_versions l ON l.batch_id = s.version_batch_id AND l.row_number = s.version_row_number
    JOIN batches b ON b.batch_id = s.batch_id
    WHERE TRY_CAST(l.received_at AS TIMESTAMP) IS NOT NULL
)
SELECT complaint_key, batch_id, row_number, seen_batch, count(*) FILTER (WHERE landed) OVER (PARTITION BY complaint_key) AS version_count
FROM v
QUALIFY row_number() OVER (PARTITION BY complaint_key
    ORDER BY updated_ts DESC NULLS LAST, export_as_of DESC NULLS LAST, ingested_at DESC, seen_batch DESC, seen_row DESC) = 1;

-- an incremental normalise copies the whole landed rows of the current versions once (src_rows reads them)
INSERT INTO src_picked
SELECT l.* FROM landed_rows l SEMI JOIN stg_pick p ON p.batch_id = l.batch_id AND p.row_number = l.row_number
WHERE getvariable('incremental');

-- raw_map: every distinct raw value of a classified column, folded, with its catalogue code (NULL: unmapped):
-- a spelling's code (exact_code), else the code its own words give (docs/decisions.md, "Values mapped by their
-- words"): the terms it contains (spellings and keywords of two characters or more, the codes' value words vw_*;
-- an ASCII term as whole words, plural s/es allowed) of greatest length (a term of code other counts only alone),
-- spellings and keywords before value words of the same length, all of one code; else a term of one code it is
-- part of (non-ASCII, two characters or more). In a dimension where a negated spelling is another code's (不满意,
-- 未办结), a negation (不未没无非) beside the term gives the negated spelling's code (不太满意: 不满意's).
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
), exact AS (
    SELECT f.dimension, f.raw, f.n, t.code
    FROM folded f LEFT JOIN taxonomy_map t ON t.dimension = f.dimension AND t.synonym = f.n
), terms AS (
    SELECT dimension, synonym AS term, code, false AS word FROM taxonomy_map
    WHERE dimension NOT LIKE 'xw\_%' ESCAPE '\' AND dimension NOT LIKE 'vw\_%' ESCAPE '\' AND length(synonym) >= 2
    UNION SELECT dimension, keyword, code, false FROM keyword_rules WHERE length(keyword) >= 2
    UNION SELECT substr(dimension, 4), synonym, code, true FROM taxonomy_map WHERE dimension LIKE 'vw\_%' ESCAPE '\'
), terms_t AS (
    SELECT *, regexp_matches(term, '^[ -~]+$') AS ascii,
           ' ' || trim(regexp_replace(term, '[^a-z0-9]+', ' ', 'g')) || ' ' AS words
    FROM terms
), neg_terms AS (
    -- a term b whose negation (不 b, 未 b ...) is a term a of another code: the code(s) the negation gives
    SELECT a.dimension, b.term AS base, CASE WHEN count(DISTINCT a.code) = 1 THEN min(a.code) END AS code
    FROM terms a JOIN terms b ON a.dimension = b.dimension AND a.code <> b.code
    WHERE a.term = '不' || b.term OR a.term = '未' || b.term OR a.term = '没' || b.term OR a.term = '无' || b.term OR a.term = '非' || b.term
    GROUP BY ALL
), neg_dims AS (
    SELECT DISTINCT dimension FROM neg_terms
), open_values AS (
    SELECT dimension, raw, n, ' ' || trim(regexp_replace(n, '[^a-z0-9]+', ' ', 'g')) || ' ' AS words
    FROM exact WHERE code IS NULL AND dimension NOT IN ('province', 'record_type', 'complaint_class')
), hits AS (
    SELECT v.dimension, v.raw, w.code, CASE WHEN w.code = 'other' THEN 0 ELSE length(w.term) END AS len, w.word,
           v.dimension IN (SELECT dimension FROM neg_dims)
               AND regexp_matches(replace(v.n, w.term, ''), '[不未没无非]') AS negated, nt.code AS neg_code
    FROM open_values v JOIN terms_t w ON w.dimension = v.dimension
    LEFT JOIN neg_terms nt ON nt.dimension = w.dimension AND nt.base = w.term
    WHERE CASE WHEN w.ascii THEN contains(v.words, w.words) OR contains(v.words, rtrim(w.words) || 's ')
                                 OR contains(v.words, rtrim(w.words) || 'es ')
               ELSE contains(v.n, w.term) END
), best AS (
    SELECT dimension, raw,
           CASE WHEN count(DISTINCT code) = 1 AND NOT bool_or(negated) THEN min(code)
                WHEN bool_and(negated) AND count(DISTINCT neg_code) = 1 AND count(neg_code) = count(*) THEN min(neg_code) END AS code
    FROM hits
    GROUP BY dimension, raw, len, word
    QUALIFY rank() OVER (PARTITION BY dimension, raw ORDER BY len DESC, word) = 1
), part_of AS (
    SELECT v.dimension, v.raw, CASE WHEN count(DISTINCT w.code) = 1 THEN min(w.code) END AS code
    FROM open_values v JOIN terms_t w ON w.dimension = v.dimension AND NOT w.ascii AND contains(w.term, v.n)
    WHERE length(v.n) >= 2 AND NOT regexp_matches(v.n, '^[ -~]+$')
      AND NOT EXISTS (SELECT 1 FROM hits h WHERE h.dimension = v.dimension AND h.raw = v.raw)
    GROUP BY ALL
)
SELECT e.dimension, e.raw, e.n, coalesce(e.code, b.code, p.code) AS code, e.code AS exact_code
FROM exact e
LEFT JOIN best b ON b.dimension = e.dimension AND b.raw = e.raw
LEFT JOIN part_of p ON p.dimension = e.dimension AND p.raw = e.raw;

-- xw_map: the CFPB crosswalk (catalog/crosswalk_cfpb.yaml, loaded into taxonomy_map as xw_*) for the rows of the
-- sources it names: every distinct (Product, Sub-product, Issue, Sub-issue) with its business category (the pair's,
-- else the Product's) and cause (the pair's, else the Issue's). NULL codes fall through to the taxonomy's synonyms;
-- an Issue neither knows, under a Product the crosswalk knows, is cause other (ca_fallback). An empty Issue is left
-- to the keyword rules.
CREATE OR REPLACE TEMP TABLE xw_map AS
WITH raws AS (
    SELECT DISTINCT source_system, business_category, sub_category, cause, sub_cause FROM src_rows
    WHERE source_system IN (SELECT synonym FROM taxonomy_map WHERE dimension = 'xw_source')
), folded AS (
    SELECT *, coalesce(norm_text(business_category), '') AS np, coalesce(norm_text(sub_category), '') AS nsp,
           coalesce(norm_text(cause), '') AS ni, coalesce(norm_text(sub_cause), '') AS nsi
    FROM raws
)
SELECT f.source_system, f.business_category, f.sub_category, f.cause, f.sub_cause,
       CASE WHEN f.np <> '' THEN coalesce(c2.code, c1.code) END AS cat_code,
       CASE WHEN f.ni <> '' THEN coalesce(k2.code, k1.code) END AS ca_code,
       CASE WHEN f.ni <> '' AND c1.code IS NOT NULL THEN 'other' END AS ca_fallback
FROM folded f
LEFT JOIN taxonomy_map c2 ON c2.dimension = 'xw_business_category' AND c2.synonym = f.np || chr(31) || f.nsp
LEFT JOIN taxonomy_map c1 ON c1.dimension = 'xw_business_category' AND c1.synonym = f.np || chr(31)
LEFT JOIN taxonomy_map k2 ON k2.dimension = 'xw_cause' AND k2.synonym = f.ni || chr(31) || f.nsi
LEFT JOIN taxonomy_map k1 ON k1.dimension = 'xw_cause' AND k1.synonym = f.ni || chr(31);

-- fold_text: every distinct raw value of the flag and number columns and of branch, folded, with the readings
-- staging needs (flag_yes, extension tier). stg_current joins it and raw_map (hash joins on the raw text); the
-- free-text reply elements are read per row instead (element_present, in 38_write).
CREATE OR REPLACE TEMP TABLE fold_text AS
WITH raws AS (
    SELECT paused_days AS raw FROM src_rows UNION SELECT extension_tier FROM src_rows
    UNION SELECT extension_approved FROM src_rows UNION SELECT major FROM src_rows
    UNION SELECT branch FROM src_rows UNION SELECT timely_response FROM src_rows
)
SELECT raw, norm_text(raw) AS n, flag_yes(raw) AS yes,
       CASE WHEN norm_text(raw) IN ('60', '60天', '特别复杂', '二次延长') THEN 60
            WHEN norm_text(raw) IN ('30', '30天', '复杂', '延长') THEN 30 ELSE 0 END AS tier
FROM raws WHERE raw IS NOT NULL;

-- four small dictionaries 38_write reads as maps: raw text -> {n: folded text, code: catalogue code}. A MAP
-- lookup is a scan of its entries, so stg_current joins the large dictionaries instead.
SET VARIABLE map_business_channel = (SELECT map_from_entries(list((raw, {'n': n, 'code': code}))) FROM raw_map WHERE dimension = 'business_channel');
SET VARIABLE map_status = (SELECT map_from_entries(list((raw, {'n': n, 'code': code}))) FROM raw_map WHERE dimension = 'status');
SET VARIABLE map_demand = (SELECT map_from_entries(list((raw, {'n': n, 'code': code}))) FROM raw_map WHERE dimension = 'demand');
SET VARIABLE map_satisfaction = (SELECT map_from_entries(list((raw, {'n': n, 'code': code}))) FROM raw_map WHERE dimension = 'satisfaction');

-- stg_current: the current versions, typed and mapped to catalogue codes: the columns the canonical rules need
-- (corrections, customers, clocks, duplicates, repeats). The text columns that only pass through (raw spellings,
-- masked names, reply elements, summary, narrative ...) are read from the landed row once more by 38_write, so
-- the wide rows are carried through no intermediate table.
CREATE OR REPLACE TEMP TABLE stg_current AS
WITH typed AS (
    SELECT
        l.batch_id, l.row_number, b.ingested_at, l.branch AS branch_text, l.province AS province_text,
        l.customer_id_key, l.customer_phone_key, l.customer_card_key,
        p.complaint_key, p.version_count,
        b.export_as_of,
        TRY_CAST(l.received_at AS TIMESTAMP)                           AS received_ts,
        TRY_CAST(l.updated_at AS TIMESTAMP)                            AS updated_ts,
        TRY_CAST(l.replied_at AS TIMESTAMP)                            AS replied_ts,
        -- norm_text(replied_at) IS NOT NULL, without the translate: something left after trimming the white space it
        -- folds (a reply time that parses has; the trim is looked at only for those that do not)
        CASE WHEN TRY_CAST(l.replied_at AS TIMESTAMP) IS NOT NULL THEN true
             ELSE coalesce(trim(l.replied_at, chr(9) || chr(10) || chr(12) || chr(13) || ' ' || chr(12288)) <> '', false) END AS replied_given,
        -- the folded text (n) where the rules tell an empty value from an unmapped one, and the code or reading
        m_rt.n AS rt_n, m_rt.code AS rt_code, m_ic.n AS ic_n, m_ic.code AS ic_code,
        m_cat.n AS cat_n, coalesce(xw.cat_code, m_cat.code) AS cat_code, m_ca.n AS ca_n, coalesce(xw.ca_code, m_ca.exact_code, xw.ca_fallback, m_ca.code) AS ca_code,
        m_ct.code AS ct_code, m_cc.code AS cc_code, m_pv.code AS pv_code, m_st.code AS st_code,
        m_fp.n AS fp_n, m_fx.tier AS fx_tier, m_fa.n AS fa_n, m_fa.yes AS fa_yes, m_fm.yes AS fm_yes, m_fb.n AS fb_n,
        m_tr.n AS tr_n, m_tr.yes AS tr_yes, xp.code AS xw_pv_code,
        coalesce(b.analytics_only, false) AS analytics_only
    FROM src_rows l
    JOIN stg_pick p ON p.batch_id = l.batch_id AND p.row_number = l.row_number
    JOIN batches b ON b.batch_id = p.seen_batch
    LEFT JOIN raw_map m_rt ON m_rt.dimension = 'record_type' AND m_rt.raw = l.record_type
    LEFT JOIN raw_map m_ic ON m_ic.dimension = 'intake_channel' AND m_ic.raw = l.intake_channel
    LEFT JOIN raw_map m_cat ON m_cat.dimension = 'business_category' AND m_cat.raw = l.business_category
    LEFT JOIN raw_map m_ca ON m_ca.dimension = 'cause' AND m_ca.raw = l.cause
    LEFT JOIN xw_map xw ON xw.source_system = l.source_system AND xw.business_category IS NOT DISTINCT FROM l.business_category
        AND xw.sub_category IS NOT DISTINCT FROM l.sub_category AND xw.cause IS NOT DISTINCT FROM l.cause
        AND xw.sub_cause IS NOT DISTINCT FROM l.sub_cause
    LEFT JOIN raw_map m_ct ON m_ct.dimension = 'complaint_type' AND m_ct.raw = l.complaint_type
    LEFT JOIN raw_map m_cc ON m_cc.dimension = 'complaint_class' AND m_cc.raw = l.complaint_type
    LEFT JOIN raw_map m_pv ON m_pv.dimension = 'province' AND m_pv.raw = l.province
    LEFT JOIN raw_map m_st ON m_st.dimension = 'status' AND m_st.raw = l.status
    LEFT JOIN fold_text m_fp ON m_fp.raw = l.paused_days
    LEFT JOIN fold_text m_fx ON m_fx.raw = l.extension_tier
    LEFT JOIN fold_text m_fa ON m_fa.raw = l.extension_approved
    LEFT JOIN fold_text m_fm ON m_fm.raw = l.major
    LEFT JOIN fold_text m_fb ON m_fb.raw = l.branch
    LEFT JOIN fold_text m_tr ON m_tr.raw = l.timely_response
    -- the regions of a crosswalk source (the CFPB's State: US states and territories, catalog/crosswalk_cfpb.yaml)
    LEFT JOIN taxonomy_map xs ON xs.dimension = 'xw_source' AND xs.synonym = l.source_system
    LEFT JOIN taxonomy_map xp ON xs.code IS NOT NULL AND xp.dimension = 'xw_province' AND xp.synonym = m_pv.n
)
SELECT
    t.complaint_key, t.version_count, t.batch_id, t.row_number, t.ingested_at, t.export_as_of,
    coalesce(t.rt_code, CASE WHEN t.rt_n IS NULL THEN 'complaint' ELSE 'other' END) AS record_type,
    coalesce(t.ic_code, CASE WHEN t.ic_n IS NULL THEN 'other' ELSE 'unmapped' END) AS intake_channel,
    coalesce(t.cat_code, CASE WHEN t.cat_n IS NULL THEN 'other' ELSE 'unmapped' END) AS business_category,
    coalesce(t.ca_code, CASE WHEN t.ca_n IS NULL THEN 'other' ELSE 'unmapped' END) AS cause,
    t.cat_n IS NULL                                                    AS category_empty,
    t.ca_n IS NULL                                                     AS cause_empty,
    t.ct_code                                                          AS complaint_type,
    coalesce(t.cc_code, CASE t.ct_code WHEN 'work_error' THEN 'general' WHEN 'service_attitude' THEN 'general'
        WHEN 'internal_management' THEN 'general' WHEN 'service_product' THEN 'complex'
        WHEN 'service_channel' THEN 'complex' WHEN 'irregular_operation' THEN 'complex' END) AS complaint_class,
    nullif(trim(t.branch_text), '')                                    AS branch,
    t.fb_n                                                             AS n_branch,
    coalesce(t.xw_pv_code, t.pv_code, nullif(trim(t.province_text), '')) AS province,
    t.customer_id_key, t.customer_phone_key, t.customer_card_key,
    t.st_code                                                          AS status_code,
    t.received_ts                                                      AS received_at,
    CAST(t.received_ts AS DATE)                                        AS received_date,
    t.updated_ts                                                       AS updated_at,
    t.replied_ts,
    t.replied_given,
    coalesce(TRY_CAST(t.fp_n AS INTEGER), 0)                           AS paused_days,
    coalesce(t.fx_tier, 0)                                             AS extension_tier,
    CASE WHEN t.fa_n IS NULL THEN NULL ELSE t.fa_yes END               AS extension_approved,
    coalesce(t.fm_yes, false)                                          AS is_major,
    -- the source's own timeliness verdict (the CFPB's "Timely response?"): yes, no, or NULL (absent, unreadable)
    CASE WHEN t.tr_yes THEN true WHEN t.tr_n IN ('no', 'n', 'false', '0', '否') THEN false END AS timely_response,
    -- a record that carries such a verdict (a readable yes or no: "N/A" or 待定 is none) and no reply date comes
    -- from a source that records no reply dates: no clock applies to it, and a closed one is closed in its month
    -- of receipt (40_figures)
    NOT coalesce((t.tr_yes OR t.tr_n IN ('no', 'n', 'false', '0', '否')) AND NOT t.replied_given, false) AS reply_date_recorded,
    -- a record of an analytics-only source (profile analytics_only): narrative terms and text search only
    t.analytics_only
FROM typed t;

-- the versions re-derived (the normalise's summary), and stg_pick is consumed
CREATE OR REPLACE TEMP TABLE rederived AS SELECT coalesce(sum(version_count), 0) AS versions FROM stg_pick;
DROP TABLE stg_pick;

-- keyword rules (catalog/taxonomy.yaml, loaded into keyword_rules) for the complaints whose export left the
-- business category or the cause empty: the first rule in priority order whose keyword occurs in the folded
-- summary or narrative classifies the complaint, and 20_complaints records the rule. A value the export gave,
-- even one that maps to no code, is never replaced by a keyword.
CREATE OR REPLACE TEMP TABLE keyword_hits AS
WITH empty AS (
    SELECT s.complaint_key, s.category_empty, s.cause_empty,
           norm_text(concat_ws(' ', l.summary, l.narrative)) AS text
    FROM stg_current s JOIN src_rows l ON l.batch_id = s.batch_id AND l.row_number = s.row_number
    WHERE s.category_empty OR s.cause_empty
)
SELECT e.complaint_key, r.dimension, arg_min(r.code, r.priority) AS code, arg_min(r.rule_id, r.priority) AS rule_id
FROM empty e
JOIN keyword_rules r
  ON ((r.dimension = 'business_category' AND e.category_empty) OR (r.dimension = 'cause' AND e.cause_empty))
 AND contains(e.text, r.keyword)
GROUP BY ALL;
