-- phase: stage
-- 25_clocks: the internal and regulatory deadlines of every complaint (domain.md section 4). The day of receipt is
-- not counted. Internal: the n-th working day after receipt (n = 3 for general complaints and for those whose type
-- is missing, the stricter limit; 10 for complex). Regulatory: receipt + 15 calendar days (30 or 60 with an
-- extension tier) + paused days, moved to the next working day when it falls on a rest day or holiday.
-- calendar_days is filled by transform from the working-day calendar before this model runs. The clocks of the
-- complaints re-derived (cx) go to clock_values, which 38_write stores with them; incremental normalise keeps
-- the clocks of the others (the calendar and the policy values are in its fingerprint).
--
-- Every deadline is an equi-join on precomputed day columns, never a range join: cal_days gives each day its
-- working-day index (workday_no, the count of working days up to and including it) and the first working day on
-- or after it (next_workday); cal_workdays finds a working day by its index. The internal deadline of a
-- complaint received on day r is the working day numbered workday_no(r) + n; the regulatory deadline is
-- next_workday(r + limit); working days to reply are workday_no(reply) - workday_no(r).
--
-- calendar_days holds only the years with a schedule (domain.md section 4, "a year with no schedule"): seg
-- numbers each run of consecutive days, and no clock counts from one run into another. A clock that needs a day
-- outside the receipt day's run (a receipt year with no schedule, a deadline in the next, unscheduled year) stays
-- NULL, with its on-time flag; 45_quality lists those complaints (calendar_year_missing).
CREATE OR REPLACE TEMP TABLE cal_days AS
WITH runs AS (SELECT *, day - CAST(row_number() OVER (ORDER BY day) AS INTEGER) AS seg FROM calendar_days)
SELECT day, is_workday, workday_no, seg,
       min(day) FILTER (WHERE is_workday) OVER (PARTITION BY seg ORDER BY day ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS next_workday
FROM runs;

CREATE OR REPLACE TEMP TABLE cal_workdays AS
SELECT workday_no, day, seg FROM cal_days WHERE is_workday;

CREATE OR REPLACE TEMP TABLE clock_values AS
WITH scope AS (
    SELECT complaint_key, received_date, replied_date,
           CASE WHEN complaint_class = 'complex' THEN getvariable('internal_days_complex')
                ELSE getvariable('internal_days_general') END AS internal_limit_days,
           CASE WHEN extension_tier IN (30, 60) THEN extension_tier
                ELSE getvariable('regulatory_days') END + paused_days AS regulatory_limit_days
    FROM cx
    -- no clock applies to a record of a source without reply dates (10_staging: reply_date_recorded): its
    -- deadlines and on-time flags stay NULL, and 40_figures takes the source's own verdict
    WHERE reply_date_recorded AND NOT analytics_only
)
SELECT s.complaint_key, s.internal_limit_days, s.regulatory_limit_days,
       CASE WHEN s.replied_date IS NOT NULL THEN date_diff('day', s.received_date, s.replied_date) END AS calendar_days_to_reply,
       wd.day AS internal_deadline,
       rg.next_workday AS regulatory_deadline,
       -- the reply figures need both days in the calendar, in one run of days
       CASE WHEN p.seg = r.seg THEN p.workday_no - r.workday_no END AS working_days_to_reply,
       CASE WHEN p.seg = r.seg THEN s.replied_date <= wd.day END AS internal_on_time,
       CASE WHEN p.seg = r.seg THEN s.replied_date <= rg.next_workday END AS regulatory_on_time
FROM scope s
LEFT JOIN cal_days r ON r.day = s.received_date
LEFT JOIN cal_workdays wd ON wd.workday_no = r.workday_no + s.internal_limit_days AND wd.seg = r.seg
LEFT JOIN cal_days rg ON rg.day = s.received_date + s.regulatory_limit_days AND rg.seg = r.seg
LEFT JOIN cal_days p ON p.day = s.replied_date;
