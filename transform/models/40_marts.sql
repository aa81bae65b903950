-- 40_marts: the figures reports and dashboards read (domain.md section 6). Every figure counts primary
-- complaints only (duplicates merged); non-complaint work orders and complaints not accepted are left out;
-- withdrawn complaints count as received and never as closed.
DELETE FROM mart_category_month;
INSERT INTO mart_category_month
WITH base AS (
    SELECT * FROM complaints WHERE is_complaint AND is_primary AND status <> 'not_accepted'
), rec AS (
    SELECT date_trunc('month', received_date)::DATE AS month, business_category,
           count(*) AS received,
           count(*) FILTER (WHERE group_regulator_referral) AS received_regulator,
           count(*) FILTER (WHERE is_major) AS received_major
    FROM base GROUP BY ALL
), clo AS (
    SELECT date_trunc('month', replied_date)::DATE AS month, business_category, count(*) AS closed
    FROM base WHERE replied_date IS NOT NULL AND status = 'closed' GROUP BY ALL
)
SELECT coalesce(rec.month, clo.month), coalesce(rec.business_category, clo.business_category),
       coalesce(received, 0), coalesce(received_regulator, 0), coalesce(received_major, 0), coalesce(closed, 0)
FROM rec FULL OUTER JOIN clo ON rec.month = clo.month AND rec.business_category = clo.business_category;

DELETE FROM mart_cause_month;
INSERT INTO mart_cause_month
SELECT date_trunc('month', received_date)::DATE, cause, count(*)
FROM complaints WHERE is_complaint AND is_primary AND status <> 'not_accepted'
GROUP BY ALL;
