-- 020_reply_date_not_recorded: sources that record no reply date but their own timeliness verdict (the US CFPB's
-- "Timely response?", domain.md section 9). timely_response is that verdict typed (Yes true, No false, else NULL);
-- reply_date_recorded is false for a record that carries such a verdict and no reply date: its clocks do not
-- apply, and a closed one counts as closed in its month of receipt with no handling days and no duration band
-- (transform/models/40_figures.sql). mart_category_month.closed_days_unknown counts those closed complaints (the
-- duration band "not recorded"; average handling days divide by closed minus them). The next normalise fills
-- them (its models changed, so it is a full one).
ALTER TABLE complaints ADD COLUMN IF NOT EXISTS timely_response BOOLEAN;
ALTER TABLE complaints ADD COLUMN IF NOT EXISTS reply_date_recorded BOOLEAN;
ALTER TABLE mart_category_month ADD COLUMN IF NOT EXISTS closed_days_unknown BIGINT DEFAULT 0;
