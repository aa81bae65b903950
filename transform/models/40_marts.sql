-- phase: marts
-- 40_marts: the figures reports and dashboards read (domain.md section 6), aggregated from complaint_figures
-- (40_figures), which defines which complaints each figure counts and in which month(s).

-- every month covered (figure_bounds, 40_figures), for every category seen
CREATE OR REPLACE TEMP TABLE mart_spine AS
SELECT m::DATE AS month, c.business_category
FROM figure_bounds, generate_series(first_month, last_month, INTERVAL 1 MONTH) AS g(m),
     (SELECT DISTINCT business_category FROM complaint_figures) c
WHERE first_month IS NOT NULL;

DELETE FROM mart_category_month;
INSERT INTO mart_category_month BY NAME
WITH rec AS (
    SELECT received_month AS month, business_category,
           count(*) AS received,
           count(*) FILTER (WHERE regulator_referred) AS received_regulator,
           count(*) FILTER (WHERE major) AS received_major
    FROM complaint_figures GROUP BY ALL
), clo AS (
    SELECT closed_month AS month, business_category,
           count(*) AS closed,
           count(*) FILTER (WHERE closed_band = '0_15') AS closed_0_15,
           count(*) FILTER (WHERE closed_band = '16_30') AS closed_16_30,
           count(*) FILTER (WHERE closed_band = '31_60') AS closed_31_60,
           count(*) FILTER (WHERE closed_band = 'over_60') AS closed_over_60,
           count(*) FILTER (WHERE regulatory_on_time) AS closed_regulatory_on_time,
           count(*) FILTER (WHERE internal_on_time) AS closed_internal_on_time,
           count(*) FILTER (WHERE regulatory_on_time IS NULL) AS closed_regulatory_unknown,
           count(*) FILTER (WHERE internal_on_time IS NULL) AS closed_internal_unknown,
           count(*) FILTER (WHERE handling_days IS NULL) AS closed_days_unknown,
           coalesce(sum(handling_days), 0) AS handling_days_sum,
           count(*) FILTER (WHERE satisfaction_recorded) AS satisfaction_recorded,
           count(*) FILTER (WHERE satisfied) AS satisfied,
           count(*) FILTER (WHERE reply_recorded) AS reply_elements_recorded,
           count(*) FILTER (WHERE reply_complete) AS reply_complete
    FROM complaint_figures WHERE closed_month IS NOT NULL GROUP BY ALL
), stock_events AS (
    -- the stocks as running sums over months of the intervals' starts and ends (no join of every month with
    -- every complaint)
    SELECT business_category, open_from AS month, 1 AS d_open, 0 AS d_overdue
    FROM complaint_figures WHERE open_from < open_until
    UNION ALL
    SELECT business_category, open_until, -1, 0 FROM complaint_figures WHERE open_from < open_until
    UNION ALL
    SELECT business_category, overdue_from, 0, 1 FROM complaint_figures WHERE overdue_from < open_until
    UNION ALL
    SELECT business_category, open_until, 0, -1 FROM complaint_figures WHERE overdue_from < open_until
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
       coalesce(clo.closed_days_unknown, 0) AS closed_days_unknown,
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
SELECT received_month, cause, count(*)
FROM complaint_figures GROUP BY ALL;

DELETE FROM mart_month;
INSERT INTO mart_month BY NAME
WITH q AS (
    SELECT date_trunc('month', received_date)::DATE AS month,
           count(*) FILTER (WHERE is_complaint AND NOT is_primary) AS duplicates_linked,
           count(*) FILTER (WHERE NOT is_complaint) AS non_complaints,
           count(*) FILTER (WHERE is_complaint AND status = 'not_accepted') AS not_accepted,
           count(*) FILTER (WHERE is_complaint AND status = 'withdrawn') AS withdrawn,
           count(*) FILTER (WHERE is_complaint AND reply_date_invalid) AS reply_date_invalid,
           count(*) FILTER (WHERE is_complaint AND complaint_type IS NULL) AS type_missing
    FROM complaints WHERE NOT coalesce(analytics_only, false) GROUP BY ALL
), f AS (
    SELECT received_month AS month, count(*) AS received, count(DISTINCT customer_key) AS customers,
           count(DISTINCT customer_key) FILTER (WHERE repeat_complaint) AS repeat_customers
    FROM complaint_figures GROUP BY ALL
), r AS (
    -- figure_members' repeat_complaints of each month: its repeat complaints and the earlier ones they repeat
    SELECT month, count(*) AS repeat_complaints FROM (
        SELECT received_month AS month, complaint_key FROM complaint_figures WHERE repeat_complaint
        UNION SELECT unnest(repeated_in) AS month, complaint_key FROM complaint_figures WHERE repeated_in IS NOT NULL
    ) GROUP BY month
)
SELECT q.*, coalesce(f.received, 0) AS received, coalesce(f.customers, 0) AS customers,
       coalesce(f.repeat_customers, 0) AS repeat_customers,
       coalesce(r.repeat_complaints, 0) AS repeat_complaints
FROM q LEFT JOIN f USING (month) LEFT JOIN r USING (month);

DELETE FROM mart_dimension_month;
INSERT INTO mart_dimension_month
SELECT received_month, intake_channel, business_channel, business_category, cause, complaint_class, branch, province,
       count(*), count(*) FILTER (WHERE closed_month IS NOT NULL)
FROM complaint_figures GROUP BY ALL;

-- reply completeness (domain.md section 6) per branch and month of reply: the closed figures of
-- mart_category_month (reply_elements_recorded, reply_complete), by branch instead of category.
DELETE FROM mart_reply_completeness;
INSERT INTO mart_reply_completeness
SELECT closed_month, branch, count(*), count(*) FILTER (WHERE reply_recorded), count(*) FILTER (WHERE reply_complete)
FROM complaint_figures WHERE closed_month IS NOT NULL GROUP BY ALL;
