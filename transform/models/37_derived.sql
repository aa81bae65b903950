-- phase: stage
-- 37_derived: the customer, duplicate links and repeat flag of the complaints of core_c (24_core: every one in
-- a full normalise) in one narrow table, which 38_write stores with the re-derived rows and compares with the
-- stored ones. The last model of the stage phase, so that 38_write reads its tables as committed temporary
-- tables.
CREATE OR REPLACE TEMP TABLE derived AS
SELECT c.complaint_key, c.customer_key, d.duplicate_of, d.primary_key, d.is_primary, d.group_regulator_referral,
       r.complaint_key IS NOT NULL AS repeat_complainant, r.repeats_since
FROM core_c c
JOIN dup_state d USING (complaint_key)
LEFT JOIN repeat_keys r USING (complaint_key);

-- cx_full: the re-derived complaints with their clocks, customer, links and repeat flag, joined here on the
-- narrow rows, so that 38_write joins the wide landed rows once (joining derived there, inside the write
-- transaction, was costly)
CREATE OR REPLACE TEMP TABLE cx_full AS
SELECT x.* EXCLUDE (group_regulator_referral), d.customer_key, d.duplicate_of, d.primary_key, d.is_primary,
       d.group_regulator_referral, d.repeat_complainant, d.repeats_since,
       v.internal_limit_days, v.internal_deadline, v.regulatory_limit_days, v.regulatory_deadline,
       v.working_days_to_reply, v.calendar_days_to_reply, v.internal_on_time, v.regulatory_on_time
FROM cx x
JOIN derived d USING (complaint_key)
LEFT JOIN clock_values v USING (complaint_key);

-- cx_full supersedes cx and clock_values, derived the others (the normalise's peak memory is the write next)
DROP TABLE cx;
DROP TABLE clock_values;
DROP TABLE core_c;
DROP TABLE dup_state;
DROP TABLE repeat_keys;
