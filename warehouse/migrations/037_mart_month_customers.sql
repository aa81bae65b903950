-- 037_mart_month_customers: the distinct identified customers of the complaints received in the month (figure
-- `received`'s customers), beside its repeat complainants, so that the root-cause repeat shares of the months
-- read the mart instead of working out each month's figures again. 40_marts fills it.
ALTER TABLE mart_month ADD COLUMN IF NOT EXISTS customers BIGINT DEFAULT 0;
