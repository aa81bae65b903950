-- phase: marts
-- 40_figures: the one definition of every figure (domain.md sections 5 and 6). complaint_figures holds one row
-- per counted complaint (primary complaints only, duplicates merged; non-complaint work orders and complaints not
-- accepted left out) with its dimensions and, per figure, the month(s) it belongs to. The marts (40_marts)
-- aggregate it; lists, filings and the timeliness sheet select from it through figure_members (below).
--   - received in the month of receipt (withdrawn included); regulator-referred when its duplicate group holds a
--     regulator referral, and then its reporting intake channel is regulator_referral;
--   - closed in the month of a valid reply of a closed complaint, with its band and on-time flags; a closed
--     complaint of a source that records no reply date (reply_date_recorded false: the CFPB) in its month of
--     receipt, with no handling days and no band ("not recorded"), on time by the source's own verdict
--     (timely_response), no internal clock, never open; its open ones are never overdue (they have no deadline);
--   - open at the end of the months from receipt up to the one before the reply, overdue from the month whose last
--     day is after the deadline; withdrawn complaints and invalid reply dates are never open. No stock exists past
--     the newest covered month (the marts' last month): covered_until caps the intervals;
--   - a repeat complaint (35_repeats, looking back only) in its month of receipt; the complaints of a period's
--     repeat complainants are its repeat complaints and the earlier ones they repeat (repeated_in: the months of
--     receipt of the repeats that look back to a complaint), so a month's figures are final once it is over.

-- the months covered: from the first receipt to the last receipt or reply, or the newest export's as-of month
CREATE OR REPLACE TEMP TABLE figure_bounds AS
SELECT date_trunc('month', min(received_date))::DATE AS first_month,
       date_trunc('month', greatest(max(received_date), coalesce(max(replied_date), max(received_date)),
           coalesce((SELECT CAST(max(coalesce(export_as_of, ingested_at)) AS DATE) FROM batches), max(received_date))))::DATE AS last_month
FROM complaints WHERE is_complaint AND is_primary AND status <> 'not_accepted' AND NOT coalesce(analytics_only, false);

-- which rows this run writes. A full normalise (and a rebuild of the marts on their own) writes every row. An
-- incremental one writes those of the complaints 38_write changed (written_keys: re-derived, given another
-- customer, duplicate links or repeat flag, or gone) and of every complaint of their customers, as stored before
-- and now: a row reads nothing but its complaint's own row, the months covered and, for repeated_in, its
-- customer's complaints. The other rows take the new months covered: a later last month extends the open
-- intervals it capped (no stored row has a reply in or after its covered_until, since the months covered reach
-- every reply); an earlier one (which an incremental normalise does not make), or none stored or none now,
-- writes every row.
CREATE TEMP TABLE IF NOT EXISTS written_keys (complaint_key VARCHAR);
CREATE OR REPLACE TEMP TABLE figure_run AS
SELECT NOT coalesce(getvariable('incremental'), false) OR coalesce(covered_until < was, true) AS all_rows, covered_until, was
FROM (SELECT (SELECT (last_month + INTERVAL 1 MONTH)::DATE FROM figure_bounds) AS covered_until,
             (SELECT max(covered_until) FROM complaint_figures) AS was);
CREATE OR REPLACE TEMP TABLE figure_keys AS
WITH cust AS (
    SELECT customer_key FROM complaints WHERE complaint_key IN (SELECT complaint_key FROM written_keys)
    UNION SELECT customer_key FROM complaint_figures WHERE complaint_key IN (SELECT complaint_key FROM written_keys)
)
SELECT complaint_key FROM written_keys
UNION SELECT complaint_key FROM complaints
WHERE customer_key IN (SELECT customer_key FROM cust WHERE customer_key IS NOT NULL)
  AND NOT (SELECT all_rows FROM figure_run);
CREATE OR REPLACE TEMP VIEW figure_scope AS
SELECT * FROM complaints
WHERE (SELECT all_rows FROM figure_run) OR complaint_key IN (SELECT complaint_key FROM figure_keys);

-- the months in which a counted complaint is repeated: the months of receipt of the repeat complaints of its
-- customer that look back to it (35_repeats: received before the repeat, on or after its repeats_since)
CREATE OR REPLACE TEMP TABLE repeated_months AS
SELECT e.complaint_key, list_sort(list_distinct(list(date_trunc('month', r.received_date)::DATE))) AS repeated_in
FROM figure_scope e JOIN complaints r
  ON e.customer_key = r.customer_key AND r.repeats_since IS NOT NULL AND e.received_date >= r.repeats_since
 AND received_before(e.received_at, e.complaint_key, r.received_at, r.complaint_key)
WHERE e.is_complaint AND e.is_primary AND e.status <> 'not_accepted'
  AND r.is_complaint AND r.is_primary AND r.status <> 'not_accepted'
GROUP BY e.complaint_key;

DELETE FROM complaint_figures
WHERE (SELECT all_rows FROM figure_run) OR complaint_key IN (SELECT complaint_key FROM figure_keys);
UPDATE complaint_figures SET covered_until = f.covered_until,
    open_until = CASE WHEN complaint_figures.open_until = f.was THEN f.covered_until ELSE complaint_figures.open_until END
FROM figure_run f
WHERE NOT f.all_rows AND f.covered_until > f.was;
INSERT INTO complaint_figures BY NAME
WITH base AS (
    SELECT c.*, coalesce(c.reply_date_recorded, true) AS date_recorded,
           (c.status = 'closed' AND (c.replied_date IS NOT NULL OR NOT coalesce(c.reply_date_recorded, true))) AS is_closed,
           (c.status <> 'withdrawn' AND NOT c.reply_date_invalid
            AND NOT (c.status = 'closed' AND NOT coalesce(c.reply_date_recorded, true))) AS can_be_open,
           f.covered_until, rm.repeated_in
    FROM figure_scope c CROSS JOIN figure_run f LEFT JOIN repeated_months rm USING (complaint_key)
    WHERE c.is_complaint AND c.is_primary AND c.status <> 'not_accepted' AND NOT coalesce(c.analytics_only, false)
)
SELECT complaint_key, customer_key, business_category, cause,
       CASE WHEN group_regulator_referral THEN 'regulator_referral' ELSE intake_channel END AS intake_channel,
       intake_channel AS own_intake_channel, business_channel,
       -- the class of the clock: a record of a source without reply dates has none ('no_clock', whatever its type)
       CASE WHEN NOT coalesce(reply_date_recorded, true) THEN 'no_clock' ELSE coalesce(complaint_class, 'missing') END AS complaint_class,
       coalesce(branch, '') AS branch,
       coalesce(province, '') AS province,
       date_trunc('month', received_date)::DATE AS received_month,
       group_regulator_referral AS regulator_referred, is_major AS major,
       coalesce(repeat_complainant, false) AS repeat_complaint, repeated_in,
       CASE WHEN is_closed THEN date_trunc('month', CASE WHEN date_recorded THEN replied_date ELSE received_date END)::DATE END AS closed_month,
       CASE WHEN is_closed THEN handling_days END AS handling_days,
       CASE WHEN NOT is_closed THEN NULL
            WHEN handling_days <= 15 THEN '0_15' WHEN handling_days BETWEEN 16 AND 30 THEN '16_30'
            WHEN handling_days BETWEEN 31 AND 60 THEN '31_60' WHEN handling_days > 60 THEN 'over_60' END AS closed_band,
       CASE WHEN is_closed THEN working_days_to_reply END AS working_days,
       CASE WHEN is_closed THEN CASE WHEN date_recorded THEN regulatory_on_time ELSE timely_response END END AS regulatory_on_time,
       CASE WHEN is_closed THEN internal_on_time END AS internal_on_time,
       is_closed AND satisfaction IS NOT NULL AS satisfaction_recorded,
       is_closed AND coalesce(satisfaction IN ('satisfied', 'basically_satisfied'), false) AS satisfied,
       is_closed AND reply_facts IS NOT NULL AS reply_recorded,
       is_closed AND coalesce(reply_facts AND reply_accountability AND reply_remediation AND reply_satisfaction
                              AND reply_time AND reply_handler_contact, false) AS reply_complete,
       CASE WHEN can_be_open THEN date_trunc('month', received_date)::DATE END AS open_from,
       CASE WHEN can_be_open THEN least(coalesce(date_trunc('month', replied_date)::DATE, covered_until), covered_until) END AS open_until,
       CASE WHEN can_be_open AND regulatory_deadline IS NOT NULL
            THEN greatest(date_trunc('month', received_date), date_trunc('month', regulatory_deadline + 1))::DATE END AS overdue_from,
       CASE WHEN can_be_open AND internal_deadline IS NOT NULL
            THEN greatest(date_trunc('month', received_date), date_trunc('month', internal_deadline + 1))::DATE END AS internal_overdue_from,
       covered_until
FROM base;

DROP TABLE repeated_months;
DROP VIEW figure_scope;
DROP TABLE figure_keys;
DROP TABLE figure_run;

-- figure_members: the complaints each figure of the months first_month..last_month (first days) counts, with
-- the dimensions the reports break them down by: the one place a figure's membership for a period is written
-- (stored in the warehouse; migration 017 creates it empty). A new figure is a branch here (and a column above
-- when it needs a fact the table lacks), its key in readmodel.ListFigures, its label and its reader. f is not
-- materialised: each branch a query keeps scans complaint_figures with its own filter, instead of every branch
-- reading a copy of the whole table (docs/performance.md, "figure_members not materialised").
CREATE OR REPLACE MACRO figure_members(first_month, last_month) AS TABLE
WITH f AS NOT MATERIALIZED (
    SELECT *, CAST(first_month AS DATE) AS p_first, CAST(last_month AS DATE) AS p_last FROM complaint_figures
), m AS (
    SELECT 'received' AS figure, * FROM f WHERE received_month BETWEEN p_first AND p_last
    UNION ALL SELECT 'received_regulator', * FROM f WHERE received_month BETWEEN p_first AND p_last AND regulator_referred
    UNION ALL SELECT 'received_major', * FROM f WHERE received_month BETWEEN p_first AND p_last AND major
    UNION ALL SELECT 'received_repeat', * FROM f WHERE received_month BETWEEN p_first AND p_last AND repeat_complaint
    -- the complaints of the period's repeat complainants: its repeat complaints and the earlier ones they repeat
    -- (received in the period or before it)
    UNION ALL SELECT 'repeat_complaints', * FROM f
        WHERE (received_month BETWEEN p_first AND p_last AND repeat_complaint)
           OR len(list_filter(repeated_in, m -> m BETWEEN p_first AND p_last)) > 0
    UNION ALL SELECT 'closed', * FROM f WHERE closed_month BETWEEN p_first AND p_last
    UNION ALL SELECT 'closed_' || closed_band, * FROM f WHERE closed_month BETWEEN p_first AND p_last AND closed_band IS NOT NULL
    UNION ALL SELECT 'closed_regulatory_on_time', * FROM f WHERE closed_month BETWEEN p_first AND p_last AND regulatory_on_time
    UNION ALL SELECT 'closed_internal_on_time', * FROM f WHERE closed_month BETWEEN p_first AND p_last AND internal_on_time
    UNION ALL SELECT 'closed_regulatory_known', * FROM f WHERE closed_month BETWEEN p_first AND p_last AND regulatory_on_time IS NOT NULL
    UNION ALL SELECT 'closed_internal_known', * FROM f WHERE closed_month BETWEEN p_first AND p_last AND internal_on_time IS NOT NULL
    UNION ALL SELECT 'satisfaction_recorded', * FROM f WHERE closed_month BETWEEN p_first AND p_last AND satisfaction_recorded
    UNION ALL SELECT 'satisfied', * FROM f WHERE closed_month BETWEEN p_first AND p_last AND satisfied
    UNION ALL SELECT 'reply_recorded', * FROM f WHERE closed_month BETWEEN p_first AND p_last AND reply_recorded
    UNION ALL SELECT 'reply_complete', * FROM f WHERE closed_month BETWEEN p_first AND p_last AND reply_complete
    -- open at the start of the first month = open at the end of the month before it, within the covered months
    UNION ALL SELECT 'open_at_start', * FROM f
        WHERE open_from < p_first AND p_first <= open_until AND p_first < covered_until
    UNION ALL SELECT 'open_at_end', * FROM f WHERE open_from <= p_last AND p_last < open_until
    UNION ALL SELECT 'overdue_at_end', * FROM f WHERE overdue_from <= p_last AND p_last < open_until
    UNION ALL SELECT 'internal_overdue_at_end', * FROM f WHERE internal_overdue_from <= p_last AND p_last < open_until
)
SELECT figure, complaint_key, business_category, cause, branch, province, intake_channel, complaint_class,
       business_channel, own_intake_channel, customer_key, handling_days, working_days
FROM m;
