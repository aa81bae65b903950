-- 037_mart_month_customers: the distinct identified customers of the complaints received in the month (figure
-- `received`'s customers), beside its repeat complainants, so that the root-cause repeat shares of the months
-- read the mart instead of working out each month's figures again. 40_marts fills it; here it is filled once
-- from the stored figure rows, as 40_marts would, so that a report written before the next normalise reads the
-- right counts.
ALTER TABLE mart_month ADD COLUMN IF NOT EXISTS customers BIGINT DEFAULT 0;
UPDATE mart_month SET customers = f.customers
FROM (SELECT received_month AS month, count(DISTINCT customer_key) AS customers FROM complaint_figures GROUP BY ALL) f
WHERE mart_month.month = f.month;
