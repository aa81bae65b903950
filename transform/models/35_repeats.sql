-- phase: stage
-- 35_repeats: repeat complainants (domain.md section 5): a customer with two or more primary complaints
-- received within the repeat window. A merged duplicate is not a repeat (only primaries take part). Worked out for
-- the complaints of core_c (24_core); the others keep their stored flag (38_write).
CREATE OR REPLACE TEMP TABLE repeat_keys AS
WITH p AS (
    SELECT c.complaint_key, c.customer_key, c.received_date
    FROM core_c c JOIN dup_state d USING (complaint_key)
    WHERE c.is_complaint AND d.is_primary AND c.status <> 'not_accepted' AND c.customer_key IS NOT NULL
)
SELECT DISTINCT a.complaint_key
FROM p a JOIN p b
  ON a.customer_key = b.customer_key AND a.complaint_key <> b.complaint_key
 AND abs(date_diff('day', a.received_date, b.received_date)) <= getvariable('repeat_window_days');
