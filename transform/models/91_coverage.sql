-- phase: audit
-- 91_coverage: which months each source covers and whether each month is complete (domain.md section 5,
-- Coverage), over the whole warehouse. A source covers the months from its first landed month to the month of its
-- newest batch's as-of (export_as_of, else ingested_at); it is active in a month when it had complaints received
-- in any of the 3 months before; it is missing when active and not covering the month, short when covering it with
-- under half its median over its covered months among the 6 before, by more than chance allows (below). Run by the normalise only: a --branch copy
-- keeps the warehouse's rows, since coverage is judged bank-wide.
DELETE FROM source_coverage;
INSERT INTO source_coverage BY NAME
WITH recv AS (
    SELECT source_system, date_trunc('month', received_date)::DATE AS month, count(*) AS received
    FROM complaints WHERE is_complaint AND received_date IS NOT NULL GROUP BY ALL
), src AS (
    SELECT b.source_system,
           least(coalesce((SELECT min(r.month) FROM recv r WHERE r.source_system = b.source_system),
                          date_trunc('month', max(coalesce(b.export_as_of, b.ingested_at)))::DATE),
                 date_trunc('month', max(coalesce(b.export_as_of, b.ingested_at)))::DATE) AS first_month,
           date_trunc('month', max(coalesce(b.export_as_of, b.ingested_at)))::DATE AS last_month
    FROM batches b WHERE NOT coalesce(b.analytics_only, false) GROUP BY b.source_system
), spine AS (
    SELECT s.source_system, g.m::DATE AS month, g.m::DATE BETWEEN s.first_month AND s.last_month AS covered
    FROM src s, generate_series(s.first_month,
                                (SELECT max(last_month) FROM src) + INTERVAL 3 MONTH, INTERVAL 1 MONTH) AS g(m)
), counted AS (
    SELECT s.source_system, s.month, s.covered, coalesce(r.received, 0) AS received
    FROM spine s LEFT JOIN recv r ON r.source_system = s.source_system AND r.month = s.month
), judged AS (
    SELECT *,
           median(CASE WHEN covered THEN received END)
               OVER (PARTITION BY source_system ORDER BY month ROWS BETWEEN 6 PRECEDING AND 1 PRECEDING) AS median_6,
           coalesce(max(received) OVER (PARTITION BY source_system ORDER BY month ROWS BETWEEN 3 PRECEDING AND 1 PRECEDING), 0) > 0 AS active
    FROM counted
)
SELECT source_system, month, covered, received, median_6, active,
       -- short: under half the median, and further under it than chance allows (the probability of so few from a
       -- Poisson count with the median as its mean under 0.001), so that a small source's ordinary month-to-month
       -- noise (6 letters against a median of 15.5: p 0.008) is not taken for an export that lost rows
       CASE WHEN covered AND received < median_6 / 2
                 AND list_sum(list_transform(range(0, received + 1),
                         i -> exp(-median_6 + i * ln(median_6) - lgamma(i + 1)))) < 0.001 THEN 'short'
            WHEN covered THEN 'ok'
            WHEN active THEN 'missing'
            ELSE 'inactive' END AS status
FROM judged;
