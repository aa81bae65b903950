-- phase: stage
-- 35_repeats: repeat complaints (domain.md section 5): a primary complaint is a repeat when the same customer has
-- another primary complaint received before it (received_before) and at most repeat_window_days calendar days
-- before it. Looking back only, a complaint's flag never changes when a later complaint arrives, so a month's
-- figure is final once the month is over; a customer merge (24_core) can still change it. A merged duplicate is
-- not a repeat (only primaries take part). repeats_since is the first day the repeat looks back to: the earlier
-- complaints it repeats are the customer's primaries received from that day up to it (40_figures). Worked out
-- for the complaints of core_c (24_core); the others keep their stored flag (38_write).
CREATE OR REPLACE TEMP TABLE repeat_keys AS
WITH p AS (
    SELECT c.complaint_key, c.customer_key, c.received_at, c.received_date
    FROM core_c c JOIN dup_state d USING (complaint_key)
    WHERE c.is_complaint AND d.is_primary AND c.status <> 'not_accepted' AND c.customer_key IS NOT NULL
)
SELECT DISTINCT a.complaint_key, (a.received_date - getvariable('repeat_window_days'))::DATE AS repeats_since
FROM p a JOIN p b
  ON a.customer_key = b.customer_key
 AND received_before(b.received_at, b.complaint_key, a.received_at, a.complaint_key)
 AND date_diff('day', b.received_date, a.received_date) <= getvariable('repeat_window_days');
