-- 010_control_chart_mart: mart_control_chart, the control charts of `complaints rootcause --store` (issue "Root
-- causes"): one row per (period analysed, series, month) over the baseline and the period. Before this migration
-- the command created the table itself without the chart type columns; both cases end with the same columns.
CREATE TABLE IF NOT EXISTS mart_control_chart (
    period       DATE NOT NULL,      -- the period the chart was computed for (first day of the month)
    series_kind  VARCHAR NOT NULL,   -- business_category / cause / branch / business_channel
    series_key   VARCHAR NOT NULL,   -- the codes (complaints.branch for a branch); parts joined with ' x '
    month        DATE NOT NULL,
    count        BIGINT NOT NULL,
    centre       DOUBLE NOT NULL,    -- c-chart: baseline mean count; u-chart: baseline complaints per 10,000 customers
    ucl          DOUBLE,             -- the month's limits, in the chart's units; NULL for sparse series (Poisson test only)
    lcl          DOUBLE,
    rule1        BOOLEAN,
    rule4        BOOLEAN,            -- the period's row only
    p_value      DOUBLE,             -- the period's row only
    flagged      BOOLEAN,            -- the period's row only: passes Benjamini-Hochberg
    PRIMARY KEY (period, series_kind, series_key, month)
);
ALTER TABLE mart_control_chart ADD COLUMN IF NOT EXISTS chart_type VARCHAR;      -- 'c' (counts) or 'u' (per 10,000 customers)
ALTER TABLE mart_control_chart ADD COLUMN IF NOT EXISTS customers_10k DOUBLE;    -- u-chart: n_i, the month's customers / 10,000
ALTER TABLE mart_control_chart ADD COLUMN IF NOT EXISTS rate DOUBLE;             -- u-chart: count / customers_10k
ALTER TABLE mart_control_chart ADD COLUMN IF NOT EXISTS series_label VARCHAR;    -- display name (branch master's name), else NULL
