-- 35_repeats: repeat complainants (domain.md section 5): a customer with two or more primary complaints
-- received within the repeat window. A merged duplicate is not a repeat (only primaries take part).
UPDATE complaints SET repeat_complainant = false;
UPDATE complaints SET repeat_complainant = true
WHERE complaint_key IN (
    SELECT a.complaint_key
    FROM complaints a JOIN complaints b
      ON a.customer_key = b.customer_key AND a.complaint_key <> b.complaint_key
     AND abs(date_diff('day', a.received_date, b.received_date)) <= getvariable('repeat_window_days')
    WHERE a.is_complaint AND a.is_primary AND a.status <> 'not_accepted'
      AND b.is_complaint AND b.is_primary AND b.status <> 'not_accepted'
);
