-- phase: stage
-- 22_corrections: the manual corrections of the config's corrections file (table corrections, loaded by
-- transform), applied to the canonical rows (cx) every normalise, after the newest version is chosen, so a correction
-- survives any later re-export of the complaint. Field corrections (reclassify, major, extension_approved,
-- not_complaint) apply here; not_duplicate and duplicate_of apply in 30_duplicates. For one complaint and field
-- the last entry of the file wins. Every change is logged in corr_log (written to corrections_applied by
-- 90_audit). Incremental normalise applies them to the complaints it re-derives (every corrected complaint is
-- among them); full normalise to all.
CREATE OR REPLACE TEMP TABLE corr_log (
    complaint_key VARCHAR, action VARCHAR, field VARCHAR, old VARCHAR, new VARCHAR, who VARCHAR, "when" VARCHAR, why VARCHAR);

-- the effective field correction per (complaint, field), with the value it sets
CREATE OR REPLACE TEMP TABLE corr_fields AS
WITH eff AS (
    SELECT k.*, CASE k.action WHEN 'reclassify' THEN k.field ELSE k.action END AS target
    FROM corrections k
    WHERE k.action IN ('reclassify', 'major', 'extension_approved', 'not_complaint')
      AND (NOT getvariable('incremental') OR k.complaint_key IN (SELECT complaint_key FROM scope_keys))
    QUALIFY row_number() OVER (PARTITION BY k.complaint_key, target ORDER BY k.seq DESC) = 1
)
SELECT e.complaint_key, e.action, e.target,
       CASE e.action
           WHEN 'reclassify' THEN m.code
           WHEN 'not_complaint' THEN 'other'
           ELSE CAST(flag_yes(coalesce(e.value, 'true')) AS VARCHAR) END AS new,
       CASE e.target
           WHEN 'business_category' THEN c.business_category WHEN 'cause' THEN c.cause
           WHEN 'complaint_type' THEN c.complaint_type WHEN 'intake_channel' THEN c.intake_channel
           WHEN 'major' THEN CAST(c.is_major AS VARCHAR) WHEN 'extension_approved' THEN CAST(c.extension_approved AS VARCHAR)
           WHEN 'not_complaint' THEN c.record_type END AS old,
       e.who, e."when", e.why
FROM eff e
JOIN cx c USING (complaint_key)
LEFT JOIN taxonomy_map m ON e.action = 'reclassify' AND m.dimension = e.field AND m.synonym = norm_text(e.value)
WHERE e.action <> 'reclassify' OR m.code IS NOT NULL;

INSERT INTO corr_log
SELECT complaint_key, action, CASE WHEN action = 'reclassify' THEN target END, old, new, who, "when", why
FROM corr_fields WHERE old IS DISTINCT FROM new;

UPDATE cx SET business_category = f.new, category_rule = NULL FROM corr_fields f
WHERE f.complaint_key = cx.complaint_key AND f.target = 'business_category';
UPDATE cx SET cause = f.new, cause_rule = NULL FROM corr_fields f
WHERE f.complaint_key = cx.complaint_key AND f.target = 'cause';
UPDATE cx SET complaint_type = f.new,
    complaint_class = CASE WHEN f.new IN ('work_error', 'service_attitude', 'internal_management') THEN 'general' ELSE 'complex' END
FROM corr_fields f WHERE f.complaint_key = cx.complaint_key AND f.target = 'complaint_type';
UPDATE cx SET intake_channel = f.new, is_regulator_referral = f.new = 'regulator_referral',
    group_regulator_referral = f.new = 'regulator_referral'
FROM corr_fields f WHERE f.complaint_key = cx.complaint_key AND f.target = 'intake_channel';
UPDATE cx SET is_major = CAST(f.new AS BOOLEAN) FROM corr_fields f
WHERE f.complaint_key = cx.complaint_key AND f.target = 'major';
UPDATE cx SET extension_approved = CAST(f.new AS BOOLEAN) FROM corr_fields f
WHERE f.complaint_key = cx.complaint_key AND f.target = 'extension_approved';
UPDATE cx SET record_type = 'other', is_complaint = false FROM corr_fields f
WHERE f.complaint_key = cx.complaint_key AND f.target = 'not_complaint';
