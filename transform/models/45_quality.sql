-- phase: quality
-- 45_quality: consistency checks (domain.md section 6) and unmapped values. Nothing here changes a figure; it
-- lists what a person should look at.

-- the complaints whose checks this run works out: every one in a full normalise (and when the marts are rebuilt
-- on their own); an incremental normalise those it re-derives (scope_keys, which holds the complaints whose reply
-- date a new export may no longer put in the future). A check reads nothing but the complaint's own row, its
-- landed row and batch, and the calendar (in the fingerprint: a change of it is a full normalise), so the other
-- complaints' checks stand as they are.
CREATE TEMP TABLE IF NOT EXISTS scope_keys (complaint_key VARCHAR);
-- Records of analytics-only sources are checked by none of them. An incremental normalise copies the columns the
-- checks read of the complaints in scope once: the view reads it several times, and each read of the complaints
-- filtered by the keys in scope built a table of those keys again (out of memory at 4M in scope and 1GB).
CREATE OR REPLACE TEMP VIEW check_columns AS
SELECT complaint_key, batch_id, row_number, received_date, is_complaint, status, replied_date, reply_date_invalid,
       reply_date_recorded, extension_tier, extension_approved, regulatory_deadline, internal_deadline,
       internal_on_time, complaint_type, compensation
FROM complaints
WHERE NOT coalesce(analytics_only, false);
CREATE OR REPLACE TEMP TABLE checked_scope AS
SELECT * FROM check_columns
WHERE coalesce(getvariable('incremental'), false) AND complaint_key IN (SELECT complaint_key FROM scope_keys);
CREATE OR REPLACE TEMP VIEW checked AS
SELECT * FROM check_columns WHERE NOT coalesce(getvariable('incremental'), false)
UNION ALL
SELECT * FROM checked_scope;

CREATE OR REPLACE TEMP TABLE current_raw AS
SELECT c.complaint_key, l.replied_at AS replied_raw, c.received_date, b.ingested_at, b.export_as_of
FROM checked c
JOIN landed_rows l ON l.batch_id = c.batch_id AND l.row_number = c.row_number
JOIN batches b ON b.batch_id = c.batch_id
WHERE c.reply_date_invalid;

-- the years calendar_days covers, and those missing between its first and one after its last
CREATE OR REPLACE TEMP TABLE cal_years AS SELECT DISTINCT year(day) AS y FROM calendar_days;
CREATE OR REPLACE TEMP TABLE cal_years_missing AS
SELECT y FROM range((SELECT min(y) FROM cal_years), (SELECT max(y) + 2 FROM cal_years)) AS g(y)
WHERE y NOT IN (SELECT y FROM cal_years);

-- the checks as they stand now; the table takes only the difference (it is indexed, and most checks are the
-- same from one normalise to the next)
CREATE OR REPLACE TEMP TABLE issues_now AS
SELECT complaint_key,
       CASE WHEN TRY_CAST(replied_raw AS TIMESTAMP) IS NULL THEN 'reply_unparseable'
            WHEN CAST(TRY_CAST(replied_raw AS TIMESTAMP) AS DATE) < received_date THEN 'reply_before_receipt'
            ELSE 'reply_in_future' END AS check_code,
       'reply ' || replied_raw || ', received ' || strftime(received_date, '%Y-%m-%d') AS detail
FROM current_raw
UNION ALL
SELECT complaint_key, 'closed_without_reply', 'status closed, no reply date'
FROM checked WHERE is_complaint AND status = 'closed' AND replied_date IS NULL AND NOT reply_date_invalid
  AND coalesce(reply_date_recorded, true)  -- a source without reply dates (the CFPB) closes without one
UNION ALL
SELECT complaint_key, 'extension_without_approval', 'extension to ' || extension_tier || ' days, approval not recorded'
FROM checked WHERE is_complaint AND extension_tier > 0 AND NOT coalesce(extension_approved, false)
UNION ALL
SELECT complaint_key, 'late_without_extension',
       'replied ' || strftime(replied_date, '%Y-%m-%d') || ', deadline ' || strftime(regulatory_deadline, '%Y-%m-%d')
FROM checked WHERE is_complaint AND extension_tier = 0 AND replied_date > regulatory_deadline
UNION ALL
SELECT complaint_key, 'type_missing', 'no complaint type recognised; held to the general limit'
FROM checked WHERE is_complaint AND complaint_type IS NULL AND coalesce(reply_date_recorded, true)
UNION ALL
-- clocks left unknown for want of a holiday schedule (25_clocks), with the year to add: the receipt year when the
-- calendar lacks it, else the first year after it that the calendar lacks
SELECT c.complaint_key, 'calendar_year_missing',
       'no holiday schedule for ' || CASE WHEN year(c.received_date) IN (SELECT y FROM cal_years) THEN
           coalesce((SELECT min(y) FROM cal_years_missing m WHERE m.y > year(c.received_date)), (SELECT max(y) + 1 FROM cal_years))
           ELSE year(c.received_date) END || ': add its schedule under calendar_files'
FROM checked c
WHERE c.is_complaint AND c.received_date IS NOT NULL AND coalesce(c.reply_date_recorded, true)
  AND (c.internal_deadline IS NULL OR c.regulatory_deadline IS NULL
       OR (c.replied_date IS NOT NULL AND NOT c.reply_date_invalid AND c.internal_on_time IS NULL))
UNION ALL
-- amounts ingest could not read unambiguously land raw (ingest/amount.go): listed, not silently NULL
SELECT c.complaint_key, 'compensation_unparseable', 'compensation ' || l.compensation
FROM checked c JOIN landed_rows l ON l.batch_id = c.batch_id AND l.row_number = c.row_number
WHERE c.compensation IS NULL AND nullif(trim(l.compensation), '') IS NOT NULL
UNION ALL
-- accounting brackets (100) land as -100: a negative compensation is worth a look
SELECT complaint_key, 'compensation_negative', 'compensation ' || CAST(compensation AS VARCHAR)
FROM checked WHERE compensation < 0
UNION ALL
-- bytes that were not text in the file's encoding, replaced by U+FFFD at ingest (landed_rows.row_flags)
SELECT c.complaint_key, 'invalid_text', 'replaced bytes in ' || substr(l.row_flags, length('invalid_text:') + 1)
FROM checked c
JOIN landed_rows l ON l.batch_id = c.batch_id AND l.row_number = c.row_number
WHERE l.row_flags LIKE 'invalid_text:%';

-- one row per complaint and check (the table has no index to enforce it since migration 034): a second one is a
-- bug in the checks above, and fails the normalise before anything is written
SELECT error('normalise: the consistency check ' || min(check_code || ' of complaint ' || complaint_key)
             || ' would be stored ' || max(n) || ' times; nothing was written. This is a bug in complaints normalise: please report it.')
FROM (SELECT complaint_key, check_code, count(*) AS n FROM issues_now GROUP BY ALL HAVING count(*) > 1)
HAVING count(*) > 0;

-- a full normalise writes the table anew; an incremental one takes the difference within its scope
DELETE FROM consistency_issues WHERE NOT coalesce(getvariable('incremental'), false);
DELETE FROM consistency_issues
WHERE coalesce(getvariable('incremental'), false) AND complaint_key IN (SELECT complaint_key FROM scope_keys)
  AND NOT EXISTS (SELECT 1 FROM issues_now n WHERE n.complaint_key = consistency_issues.complaint_key
                  AND n.check_code = consistency_issues.check_code AND n.detail IS NOT DISTINCT FROM consistency_issues.detail);
-- (a full one inserts the rows as they are: the check above made them distinct, and the table is empty)
INSERT INTO consistency_issues
SELECT * FROM issues_now WHERE NOT coalesce(getvariable('incremental'), false);
INSERT INTO consistency_issues
SELECT * FROM issues_now WHERE coalesce(getvariable('incremental'), false)
EXCEPT SELECT * FROM consistency_issues WHERE complaint_key IN (SELECT complaint_key FROM issues_now);
DROP VIEW checked;
DROP TABLE checked_scope;
DROP VIEW check_columns;

DELETE FROM unmapped_values;
INSERT INTO unmapped_values
SELECT dimension, raw_value, count(*), string_agg(DISTINCT source_system, ',' ORDER BY source_system)
FROM (
    SELECT 'intake_channel' AS dimension, intake_channel_raw AS raw_value, source_system FROM complaints WHERE intake_channel = 'unmapped'
    UNION ALL SELECT 'business_channel', business_channel_raw, source_system FROM complaints WHERE business_channel = 'unmapped'
    UNION ALL SELECT 'business_category', business_category_raw, source_system FROM complaints WHERE business_category = 'unmapped'
    UNION ALL SELECT 'cause', cause_raw, source_system FROM complaints WHERE cause = 'unmapped'
    UNION ALL SELECT 'status', status_unmapped, source_system FROM complaints WHERE status_unmapped IS NOT NULL
    UNION ALL SELECT 'demand', demand_unmapped, source_system FROM complaints WHERE demand_unmapped IS NOT NULL
    UNION ALL SELECT 'satisfaction', satisfaction_unmapped, source_system FROM complaints WHERE satisfaction_unmapped IS NOT NULL
    -- an Issue the CFPB crosswalk does not list fell back to cause other (10_staging, xw_map): listed too
    UNION ALL SELECT 'cause', c.cause_raw, c.source_system FROM complaints c
    WHERE c.cause = 'other' AND c.cause_raw IS NOT NULL
      AND c.source_system IN (SELECT synonym FROM taxonomy_map WHERE dimension = 'xw_source')
      AND NOT EXISTS (SELECT 1 FROM taxonomy_map t WHERE t.dimension = 'xw_cause' AND t.synonym = norm_text(c.cause_raw) || chr(31))
)
GROUP BY ALL;

-- raw branch texts the branch master does not map (nothing to check against while the master is empty)
DELETE FROM unknown_branches;
INSERT INTO unknown_branches
SELECT u.branch_raw, u.records, u.sources,
       (SELECT string_agg(DISTINCT s.code, ',' ORDER BY s.code) FROM branch_spellings s WHERE s.spelling = norm_text(u.branch_raw)
        HAVING count(DISTINCT s.code) > 1)
FROM (
    SELECT branch_raw, count(*) AS records, string_agg(DISTINCT source_system, ',' ORDER BY source_system) AS sources
    FROM complaints
    WHERE branch_raw IS NOT NULL AND branch NOT IN (SELECT code FROM branch_master)
      AND EXISTS (SELECT 1 FROM branch_master)
    GROUP BY branch_raw
) u;

-- corrections that could not be applied
DELETE FROM corrections_unmatched;
-- the complaints the corrections name, found by a semi join that hashes the few corrections and streams the
-- complaints: NOT IN over every complaint's key hashed them all (out of memory at 8M complaints and 1GB)
CREATE OR REPLACE TEMP TABLE correction_keys AS
SELECT complaint_key FROM complaints
WHERE complaint_key IN (SELECT complaint_key FROM corrections UNION SELECT value FROM corrections WHERE value IS NOT NULL);
INSERT INTO corrections_unmatched
SELECT k.seq, k.complaint_key, k.action, k.field, k.value,
       CASE WHEN k.complaint_key NOT IN (SELECT complaint_key FROM correction_keys) THEN 'unknown_complaint'
            WHEN k.action = 'duplicate_of' THEN 'unknown_target'
            ELSE 'value_unmapped' END
FROM corrections k
WHERE k.complaint_key NOT IN (SELECT complaint_key FROM correction_keys)
   OR (k.action = 'duplicate_of' AND (k.value IS NULL OR k.value = k.complaint_key
                                      OR k.value NOT IN (SELECT complaint_key FROM correction_keys)))
   OR (k.action = 'reclassify' AND NOT EXISTS (
           SELECT 1 FROM taxonomy_map m WHERE m.dimension = k.field AND m.synonym = norm_text(k.value)));
DROP TABLE correction_keys;
