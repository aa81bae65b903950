-- 30_duplicates: probable duplicates (合并重复, domain.md section 5). A later complaint repeats an earlier one
-- when they are the same customer (customer_key: records linked by any shared ID, phone or card key), share the business category, and the later one was
-- received within the duplicate window (calendar days) of the earlier and before the earlier was replied to.
-- Each duplicate links to the earliest such record; the group's primary is the head of that chain. A group with
-- a regulator referral in it counts as regulator-referred. Nothing is deleted.
-- Corrections: a complaint marked not_duplicate links to nothing; one marked duplicate_of links to the complaint
-- named (both logged in corr_log when they change the automatic link).

-- incremental normalise keeps the rows it did not re-derive: clear their links first (full: nothing to clear)
UPDATE complaints SET duplicate_of = NULL, primary_key = complaint_key, is_primary = true,
    group_regulator_referral = is_regulator_referral
WHERE getvariable('incremental') AND (duplicate_of IS NOT NULL OR group_regulator_referral <> is_regulator_referral);

CREATE OR REPLACE TEMP TABLE dup_auto AS
WITH countable AS (
    SELECT complaint_key, received_at, received_date, replied_at, business_category, customer_key
    FROM complaints
    WHERE is_complaint AND status <> 'not_accepted' AND customer_key IS NOT NULL
), pairs AS (
    SELECT b.complaint_key AS later_key, a.complaint_key AS earlier_key, a.received_at AS earlier_received
    FROM countable b
    JOIN countable a
      ON a.business_category = b.business_category
     AND (a.received_at < b.received_at OR (a.received_at = b.received_at AND a.complaint_key < b.complaint_key))
     AND date_diff('day', a.received_date, b.received_date) <= getvariable('duplicate_window_days')
     AND (a.replied_at IS NULL OR b.received_at < a.replied_at)
     AND a.customer_key = b.customer_key
)
SELECT later_key, arg_min(earlier_key, (earlier_received, earlier_key)) AS earlier_key
FROM pairs GROUP BY later_key;

-- the last duplicate correction of each complaint (not_duplicate, or duplicate_of a known other complaint)
CREATE OR REPLACE TEMP TABLE dup_corrections AS
SELECT k.complaint_key, k.action, nullif(trim(k.value), '') AS target, k.who, k."when", k.why
FROM corrections k
WHERE k.action IN ('not_duplicate', 'duplicate_of')
  AND k.complaint_key IN (SELECT complaint_key FROM complaints)
  AND (k.action = 'not_duplicate' OR (k.value IN (SELECT complaint_key FROM complaints) AND k.value <> k.complaint_key))
QUALIFY row_number() OVER (PARTITION BY k.complaint_key ORDER BY k.seq DESC) = 1;

CREATE OR REPLACE TEMP TABLE dup_links AS
SELECT later_key, earlier_key FROM dup_auto WHERE later_key NOT IN (SELECT complaint_key FROM dup_corrections)
UNION ALL
SELECT complaint_key, target FROM dup_corrections WHERE action = 'duplicate_of';

INSERT INTO corr_log
SELECT d.complaint_key, d.action, NULL, a.earlier_key, d.target, d.who, d."when", d.why
FROM dup_corrections d LEFT JOIN dup_auto a ON a.later_key = d.complaint_key
WHERE a.earlier_key IS DISTINCT FROM d.target;

CREATE OR REPLACE TEMP TABLE dup_primary AS
WITH RECURSIVE chain(complaint_key, primary_key, depth) AS (
    SELECT later_key, earlier_key, 1 FROM dup_links
    UNION ALL
    SELECT c.complaint_key, l.earlier_key, c.depth + 1
    FROM chain c JOIN dup_links l ON l.later_key = c.primary_key
    WHERE c.depth < 1000
)
SELECT complaint_key, arg_max(primary_key, depth) AS primary_key FROM chain GROUP BY complaint_key;

UPDATE complaints SET
    duplicate_of = l.earlier_key,
    primary_key  = p.primary_key,
    is_primary   = false
FROM dup_links l JOIN dup_primary p ON p.complaint_key = l.later_key
WHERE complaints.complaint_key = l.later_key;

UPDATE complaints SET group_regulator_referral = true
WHERE primary_key IN (
    SELECT primary_key FROM complaints WHERE is_regulator_referral
);
