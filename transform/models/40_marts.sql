-- phase: marts
-- 40_marts: the figures reports and dashboards read (domain.md section 6). Every figure counts primary
-- complaints only (duplicates merged); non-complaint work orders and complaints not accepted are left out;
-- withdrawn complaints count as received and are neither closed nor open; a complaint whose reply date is
-- invalid counts as received and is neither closed nor open (it is on the data-quality sheet).
-- mart_base holds only the columns the marts read (a copy of the wide rows cost seconds at a million complaints).
CREATE OR REPLACE TEMP TABLE mart_base AS
SELECT business_category, cause, intake_channel, business_channel, complaint_class, branch, province, status,
       received_date, replied_date, reply_date_invalid, regulatory_deadline, handling_days, group_regulator_referral,
       is_major, regulatory_on_time, internal_on_time, satisfaction, reply_facts, reply_accountability,
       reply_remediation, reply_satisfaction, reply_time, reply_handler_contact
FROM complaints WHERE is_complaint AND is_primary AND status <> 'not_accepted';

-- every month from the first receipt to the last receipt or reply, for every category seen
CREATE OR REPLACE TEMP TABLE mart_spine AS
WITH bounds AS (
    SELECT date_trunc('month', min(received_date))::DATE AS first_month,
           -- up to the newest export's as-of month, so that the stocks of a month with no new activity (complaints
           -- still open, overdue) are there for a report of that month
           date_trunc('month', greatest(max(received_date), coalesce(max(replied_date), max(received_date)),
               coalesce((SELECT CAST(max(coalesce(export_as_of, ingested_at)) AS DATE) FROM batches), max(received_date))))::DATE AS last_month
    FROM mart_base
)
SELECT m::DATE AS month, (m + INTERVAL 1 MONTH - INTERVAL 1 DAY)::DATE AS month_end, c.business_category
FROM bounds, generate_series(first_month, last_month, INTERVAL 1 MONTH) AS g(m),
     (SELECT DISTINCT business_category FROM mart_base) c
WHERE first_month IS NOT NULL;

DELETE FROM mart_category_month;
INSERT INTO mart_category_month BY NAME
WITH rec AS (
    SELECT date_trunc('month', received_date)::DATE AS month, business_category,
           count(*) AS received,
           count(*) FILTER (WHERE group_regulator_referral) AS received_regulator,
           count(*) FILTER (WHERE is_major) AS received_major
    FROM mart_base GROUP BY ALL
), clo AS (
    SELECT date_trunc('month', replied_date)::DATE AS month, business_category,
           count(*) AS closed,
           count(*) FILTER (WHERE handling_days <= 15) AS closed_0_15,
           count(*) FILTER (WHERE handling_days BETWEEN 16 AND 30) AS closed_16_30,
           count(*) FILTER (WHERE handling_days BETWEEN 31 AND 60) AS closed_31_60,
           count(*) FILTER (WHERE handling_days > 60) AS closed_over_60,
           count(*) FILTER (WHERE regulatory_on_time) AS closed_regulatory_on_time,
           count(*) FILTER (WHERE internal_on_time) AS closed_internal_on_time,
           count(*) FILTER (WHERE regulatory_on_time IS NULL) AS closed_regulatory_unknown,
           count(*) FILTER (WHERE internal_on_time IS NULL) AS closed_internal_unknown,
           coalesce(sum(handling_days), 0) AS handling_days_sum,
           count(*) FILTER (WHERE satisfaction IS NOT NULL) AS satisfaction_recorded,
           count(*) FILTER (WHERE satisfaction IN ('satisfied', 'basically_satisfied')) AS satisfied,
           count(*) FILTER (WHERE reply_facts IS NOT NULL) AS reply_elements_recorded,
           count(*) FILTER (WHERE reply_facts AND reply_accountability AND reply_remediation
                              AND reply_satisfaction AND reply_time AND reply_handler_contact) AS reply_complete
    FROM mart_base WHERE status = 'closed' AND replied_date IS NOT NULL GROUP BY ALL
), stock_events AS (
    -- the stocks as running sums over months (no join of every month with every complaint): a complaint is open
    -- at the end of every month from that of receipt to the one before its reply, and overdue at the end of
    -- every month whose last day is after its regulatory deadline and before its reply. Withdrawn complaints and
    -- those whose reply date is invalid are in no stock.
    SELECT business_category, date_trunc('month', received_date)::DATE AS month, 1 AS d_open, 0 AS d_overdue
    FROM mart_base WHERE status <> 'withdrawn' AND NOT reply_date_invalid
    UNION ALL
    SELECT business_category, date_trunc('month', replied_date)::DATE, -1, 0
    FROM mart_base WHERE status <> 'withdrawn' AND NOT reply_date_invalid AND replied_date IS NOT NULL
    UNION ALL
    SELECT business_category, date_trunc('month', regulatory_deadline + 1)::DATE, 0, 1
    FROM mart_base WHERE status <> 'withdrawn' AND NOT reply_date_invalid AND regulatory_deadline IS NOT NULL
    UNION ALL
    SELECT business_category, greatest(date_trunc('month', replied_date), date_trunc('month', regulatory_deadline + 1))::DATE, 0, -1
    FROM mart_base WHERE status <> 'withdrawn' AND NOT reply_date_invalid AND regulatory_deadline IS NOT NULL AND replied_date IS NOT NULL
), stock_delta AS (
    SELECT business_category, month, sum(d_open) AS d_open, sum(d_overdue) AS d_overdue FROM stock_events GROUP BY ALL
), stock_end AS (
    SELECT s.month, s.business_category,
           sum(coalesce(e.d_open, 0)) OVER w AS open_at_end,
           sum(coalesce(e.d_overdue, 0)) OVER w AS overdue_at_end
    FROM mart_spine s
    LEFT JOIN stock_delta e ON e.month = s.month AND e.business_category = s.business_category
    WINDOW w AS (PARTITION BY s.business_category ORDER BY s.month ROWS UNBOUNDED PRECEDING)
), stock AS (
    -- open at the start of a month = open at the end of the one before
    SELECT month, business_category, open_at_end, overdue_at_end,
           coalesce(lag(open_at_end) OVER (PARTITION BY business_category ORDER BY month), 0) AS open_at_start
    FROM stock_end
)
SELECT s.month, s.business_category,
       coalesce(rec.received, 0) AS received, coalesce(rec.received_regulator, 0) AS received_regulator,
       coalesce(rec.received_major, 0) AS received_major,
       coalesce(clo.closed, 0) AS closed, coalesce(clo.closed_0_15, 0) AS closed_0_15,
       coalesce(clo.closed_16_30, 0) AS closed_16_30, coalesce(clo.closed_31_60, 0) AS closed_31_60,
       coalesce(clo.closed_over_60, 0) AS closed_over_60,
       coalesce(clo.closed_regulatory_on_time, 0) AS closed_regulatory_on_time,
       coalesce(clo.closed_internal_on_time, 0) AS closed_internal_on_time,
       coalesce(clo.closed_regulatory_unknown, 0) AS closed_regulatory_unknown,
       coalesce(clo.closed_internal_unknown, 0) AS closed_internal_unknown,
       coalesce(clo.handling_days_sum, 0) AS handling_days_sum,
       coalesce(clo.satisfaction_recorded, 0) AS satisfaction_recorded, coalesce(clo.satisfied, 0) AS satisfied,
       coalesce(clo.reply_elements_recorded, 0) AS reply_elements_recorded, coalesce(clo.reply_complete, 0) AS reply_complete,
       coalesce(stock.open_at_start, 0) AS open_at_start, coalesce(stock.open_at_end, 0) AS open_at_end,
       coalesce(stock.overdue_at_end, 0) AS overdue_at_end
FROM mart_spine s
LEFT JOIN rec   ON rec.month = s.month AND rec.business_category = s.business_category
LEFT JOIN clo   ON clo.month = s.month AND clo.business_category = s.business_category
LEFT JOIN stock ON stock.month = s.month AND stock.business_category = s.business_category
WHERE coalesce(rec.received, 0) + coalesce(clo.closed, 0) + coalesce(stock.open_at_start, 0) + coalesce(stock.open_at_end, 0) > 0;

DELETE FROM mart_cause_month;
INSERT INTO mart_cause_month
SELECT date_trunc('month', received_date)::DATE, cause, count(*)
FROM mart_base GROUP BY ALL;

DELETE FROM mart_month;
INSERT INTO mart_month BY NAME
SELECT date_trunc('month', received_date)::DATE AS month,
       count(*) FILTER (WHERE is_complaint AND is_primary AND status <> 'not_accepted') AS received,
       count(DISTINCT customer_key) FILTER (WHERE is_complaint AND is_primary AND status <> 'not_accepted' AND repeat_complainant) AS repeat_customers,
       count(*) FILTER (WHERE is_complaint AND is_primary AND status <> 'not_accepted' AND repeat_complainant) AS repeat_complaints,
       count(*) FILTER (WHERE is_complaint AND NOT is_primary) AS duplicates_linked,
       count(*) FILTER (WHERE NOT is_complaint) AS non_complaints,
       count(*) FILTER (WHERE is_complaint AND status = 'not_accepted') AS not_accepted,
       count(*) FILTER (WHERE is_complaint AND status = 'withdrawn') AS withdrawn,
       count(*) FILTER (WHERE is_complaint AND reply_date_invalid) AS reply_date_invalid,
       count(*) FILTER (WHERE is_complaint AND complaint_type IS NULL) AS type_missing
FROM complaints GROUP BY ALL;

DELETE FROM mart_dimension_month;
INSERT INTO mart_dimension_month
SELECT date_trunc('month', received_date)::DATE, intake_channel, business_channel, business_category, cause,
       coalesce(complaint_class, 'missing'), coalesce(branch, ''), coalesce(province, ''),
       count(*), count(*) FILTER (WHERE status = 'closed' AND replied_date IS NOT NULL)
FROM mart_base GROUP BY ALL;

-- reply completeness (domain.md section 6) per branch and month of reply: the closed figures of
-- mart_category_month (reply_elements_recorded, reply_complete), by branch instead of category.
DELETE FROM mart_reply_completeness;
INSERT INTO mart_reply_completeness
SELECT date_trunc('month', replied_date)::DATE, coalesce(branch, ''),
       count(*),
       count(*) FILTER (WHERE reply_facts IS NOT NULL),
       count(*) FILTER (WHERE reply_facts AND reply_accountability AND reply_remediation
                          AND reply_satisfaction AND reply_time AND reply_handler_contact)
FROM mart_base WHERE status = 'closed' AND replied_date IS NOT NULL GROUP BY ALL;
