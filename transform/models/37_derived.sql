-- 37_derived: the customer, duplicate links and repeat flag of the complaints of core_c (24_core: every one in
-- a full normalise) in one narrow table, which 38_write stores with the re-derived rows and compares with the
-- stored ones. The last model before the write
-- transaction (transform.Normalize), so that 38_write reads it as a committed temporary table.
CREATE OR REPLACE TEMP TABLE derived AS
SELECT c.complaint_key, c.customer_key, d.duplicate_of, d.primary_key, d.is_primary, d.group_regulator_referral,
       r.complaint_key IS NOT NULL AS repeat_complainant
FROM core_c c
JOIN dup_state d USING (complaint_key)
LEFT JOIN repeat_keys r USING (complaint_key);
