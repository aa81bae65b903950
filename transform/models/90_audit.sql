-- phase: audit
-- 90_audit: corrections that changed a complaint this run join the audit table, once per distinct effect.
INSERT INTO corrections_applied
SELECT DISTINCT l.*, CAST(getvariable('normalise_at') AS TIMESTAMP)
FROM corr_log l
WHERE NOT EXISTS (
    SELECT 1 FROM corrections_applied a
    WHERE a.complaint_key = l.complaint_key AND a.action = l.action AND a.field IS NOT DISTINCT FROM l.field
      AND a.old IS NOT DISTINCT FROM l.old AND a.new IS NOT DISTINCT FROM l.new AND a.who IS NOT DISTINCT FROM l.who
      AND a."when" IS NOT DISTINCT FROM l."when" AND a.why IS NOT DISTINCT FROM l.why);
