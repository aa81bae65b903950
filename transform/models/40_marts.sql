-- 40_marts: the figures reports and dashboards read (domain.md section 6). Every figure counts primary
-- complaints only (duplicates merged); non-complaint work orders and complaints not accepted are left out;
-- withdrawn complaints count as received and are neither closed nor open; a complaint whose reply date is
-- invalid counts as received and is neither closed nor open (it is on the data-quality sheet).
CREATE OR REPLACE TEMP TABLE mart_base AS
SELECT * FROM complaints WHERE is_complaint AND is_primary AND status <> 'not_accepted';

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
           coalesce(sum(handling_days), 0) AS handling_days_sum,
           count(*) FILTER (WHERE satisfaction IS NOT NULL) AS satisfaction_recorded,
           count(*) FILTER (WHERE satisfaction IN ('satisfied', 'basically_satisfied')) AS satisfied,
           count(*) FILTER (WHERE reply_facts IS NOT NULL) AS reply_elements_recorded,
           count(*) FILTER (WHERE reply_facts AND reply_accountability AND reply_remediation
                              AND reply_satisfaction AND reply_time AND reply_handler_contact) AS reply_complete
    FROM mart_base WHERE status = 'closed' AND replied_date IS NOT NULL GROUP BY ALL
), stock AS (
    SELECT s.month, s.business_category,
           count(*) FILTER (WHERE b.received_date < s.month AND (b.replied_date IS NULL OR b.replied_date >= s.month)) AS open_at_start,
           count(*) FILTER (WHERE b.replied_date IS NULL OR b.replied_date > s.month_end) AS open_at_end,
           count(*) FILTER (WHERE (b.replied_date IS NULL OR b.replied_date > s.month_end)
                              AND b.regulatory_deadline < s.month_end) AS overdue_at_end
    FROM mart_spine s
    JOIN mart_base b
      ON b.business_category = s.business_category
     AND b.received_date <= s.month_end
     AND (b.replied_date IS NULL OR b.replied_date >= s.month)
     AND b.status NOT IN ('withdrawn') AND NOT b.reply_date_invalid
    GROUP BY ALL
)
SELECT s.month, s.business_category,
       coalesce(rec.received, 0) AS received, coalesce(rec.received_regulator, 0) AS received_regulator,
       coalesce(rec.received_major, 0) AS received_major,
       coalesce(clo.closed, 0) AS closed, coalesce(clo.closed_0_15, 0) AS closed_0_15,
       coalesce(clo.closed_16_30, 0) AS closed_16_30, coalesce(clo.closed_31_60, 0) AS closed_31_60,
       coalesce(clo.closed_over_60, 0) AS closed_over_60,
       coalesce(clo.closed_regulatory_on_time, 0) AS closed_regulatory_on_time,
       coalesce(clo.closed_internal_on_time, 0) AS closed_internal_on_time,
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
