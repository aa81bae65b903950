-- 016_mart_unknown_clocks: the on-time rates' denominators (domain.md section 4). Closed complaints whose on-time
-- flag on a clock is unknown (a deadline in a year with no holiday schedule) are left out of that clock's rate;
-- `closed` still counts them. 40_marts fills the columns.
ALTER TABLE mart_category_month ADD COLUMN IF NOT EXISTS closed_regulatory_unknown BIGINT DEFAULT 0;
ALTER TABLE mart_category_month ADD COLUMN IF NOT EXISTS closed_internal_unknown BIGINT DEFAULT 0;
