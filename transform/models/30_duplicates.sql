-- phase: stage
-- 30_duplicates: probable duplicates (合并重复, domain.md section 5). A later complaint repeats an earlier one
-- when they are the same customer (customer_key: records linked by any shared ID, phone or card key), share the business category, and the later one was
-- received within the duplicate window (calendar days) of the earlier and before the earlier was replied to.
-- Each duplicate links to the earliest such record; the group's primary is the head of that chain. A group with
-- a regulator referral in it counts as regulator-referred. Nothing is deleted. Works on core_c (every complaint,
-- narrow; in an incremental normalise the complaints of the customers it can change: 24_core); the links go to
-- dup_state.
-- Corrections: a complaint marked not_duplicate links to nothing; one marked duplicate_of links to the complaint
-- named (both logged in corr_log when they change the automatic link).

CREATE OR REPLACE TEMP TABLE dup_auto AS
WITH countable AS (
    SELECT complaint_key, received_at, received_date, replied_at, business_category, customer_key
    FROM core_c
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
  AND k.complaint_key IN (SELECT complaint_key FROM core_c)
  AND (k.action = 'not_duplicate' OR (k.value IN (SELECT complaint_key FROM core_c) AND k.value <> k.complaint_key))
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

-- every complaint's link: the earlier record it repeats, its group's primary, and whether the group holds a
-- regulator referral (38_write stores them)
CREATE OR REPLACE TEMP TABLE dup_state AS
SELECT c.complaint_key, l.earlier_key AS duplicate_of, coalesce(p.primary_key, c.complaint_key) AS primary_key,
       p.primary_key IS NULL AS is_primary, c.is_regulator_referral
FROM core_c c
LEFT JOIN dup_links l ON l.later_key = c.complaint_key
LEFT JOIN dup_primary p ON p.complaint_key = c.complaint_key;

CREATE OR REPLACE TEMP TABLE dup_state AS
SELECT d.* EXCLUDE (is_regulator_referral),
       d.is_regulator_referral OR d.primary_key IN (SELECT primary_key FROM dup_state WHERE is_regulator_referral) AS group_regulator_referral
FROM dup_state d;

-- dup_state holds what later models need
DROP TABLE dup_auto;
DROP TABLE dup_corrections;
DROP TABLE dup_links;
DROP TABLE dup_primary;
