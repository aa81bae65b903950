-- 25_clocks: the internal and regulatory deadlines of every complaint (domain.md section 4). The day of receipt is
-- not counted. Internal: the n-th working day after receipt (n = 3 for general complaints and for those whose type
-- is missing, the stricter limit; 10 for complex). Regulatory: receipt + 15 calendar days (30 or 60 with an
-- extension tier) + paused days, moved to the next working day when it falls on a rest day or holiday.
-- calendar_days is filled by transform from the working-day calendar before this model runs. Incremental
-- normalise computes the clocks of the complaints it re-derives only (the calendar is in its fingerprint).
CREATE OR REPLACE TEMP TABLE clock_scope AS
SELECT complaint_key FROM complaints
WHERE NOT getvariable('incremental') OR complaint_key IN (SELECT complaint_key FROM scope_keys);
UPDATE complaints SET
    internal_limit_days   = CASE WHEN complaint_class = 'complex' THEN getvariable('internal_days_complex')
                                 ELSE getvariable('internal_days_general') END,
    regulatory_limit_days = CASE WHEN extension_tier IN (30, 60) THEN extension_tier
                                 ELSE getvariable('regulatory_days') END + paused_days,
    calendar_days_to_reply = CASE WHEN replied_date IS NOT NULL THEN date_diff('day', received_date, replied_date) END
WHERE complaint_key IN (SELECT complaint_key FROM clock_scope);

UPDATE complaints SET internal_deadline = d.day
FROM calendar_days r, calendar_days d
WHERE r.day = complaints.received_date
  AND d.is_workday AND d.workday_no = r.workday_no + complaints.internal_limit_days
  AND complaints.complaint_key IN (SELECT complaint_key FROM clock_scope);

UPDATE complaints SET regulatory_deadline = x.deadline
FROM (
    SELECT c.complaint_key, min(d.day) AS deadline
    FROM complaints c
    JOIN calendar_days d
      ON d.is_workday
     AND d.day >= c.received_date + c.regulatory_limit_days
     AND d.day <  c.received_date + c.regulatory_limit_days + 60   -- the longest run of rest days is far shorter
    WHERE c.complaint_key IN (SELECT complaint_key FROM clock_scope)
    GROUP BY c.complaint_key
) x
WHERE x.complaint_key = complaints.complaint_key;

UPDATE complaints SET
    working_days_to_reply = p.workday_no - r.workday_no,
    internal_on_time      = complaints.replied_date <= complaints.internal_deadline,
    regulatory_on_time    = complaints.replied_date <= complaints.regulatory_deadline
FROM calendar_days r, calendar_days p
WHERE r.day = complaints.received_date AND p.day = complaints.replied_date
  AND complaints.complaint_key IN (SELECT complaint_key FROM clock_scope);
