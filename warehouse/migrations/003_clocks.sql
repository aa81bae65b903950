-- 003_clocks: the two clocks of domain.md section 4 on every complaint, and the working-day calendar table
-- transform fills from transform/calendar (lunar-go plus the user's calendar files).

CREATE TABLE calendar_days (
    day         DATE PRIMARY KEY,
    is_workday  BOOLEAN NOT NULL,   -- listed ? !isOffDay : Monday..Friday
    workday_no  INTEGER NOT NULL,   -- working days from the table's first day up to and including this day
    holiday     VARCHAR             -- the listed name (春节, 国庆节 ...) or NULL
);

ALTER TABLE complaints ADD COLUMN internal_limit_days INTEGER;      -- 3 (general, or type missing) or 10 (complex) working days
ALTER TABLE complaints ADD COLUMN internal_deadline DATE;           -- the limit's last working day, counting from the day after receipt
ALTER TABLE complaints ADD COLUMN regulatory_limit_days INTEGER;    -- 15, or 30 / 60 with an extension tier, plus paused days
ALTER TABLE complaints ADD COLUMN regulatory_deadline DATE;         -- receipt + limit calendar days, rolled to the next working day
ALTER TABLE complaints ADD COLUMN working_days_to_reply INTEGER;    -- working days after receipt up to the reply date (closed only)
ALTER TABLE complaints ADD COLUMN calendar_days_to_reply INTEGER;   -- calendar days receipt -> reply date (closed only, pauses not removed)
ALTER TABLE complaints ADD COLUMN internal_on_time BOOLEAN;         -- replied on or before the internal deadline (closed only)
ALTER TABLE complaints ADD COLUMN regulatory_on_time BOOLEAN;       -- replied on or before the regulatory deadline (closed only)
