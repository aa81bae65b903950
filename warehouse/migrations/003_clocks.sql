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

-- Repeat complainants (domain.md section 5): this primary complaint's customer has another primary complaint
-- received within the repeat window (90 days by default).
ALTER TABLE complaints ADD COLUMN repeat_complainant BOOLEAN;

-- mart_month: one row per month, figures that are not sums over categories (distinct customers) and the
-- data-quality counts of the records received in the month.
CREATE TABLE mart_month (
    month                   DATE PRIMARY KEY,
    received                BIGINT NOT NULL,   -- primaries received (as in mart_category_month)
    repeat_customers        BIGINT NOT NULL,   -- distinct customers with a complaint received this month that is a repeat
    repeat_complaints       BIGINT NOT NULL,   -- complaints received this month by repeat complainants
    duplicates_linked       BIGINT NOT NULL,   -- records received this month linked to an earlier primary
    non_complaints          BIGINT NOT NULL,   -- enquiries, suggestions, praise and other work orders
    not_accepted            BIGINT NOT NULL,
    withdrawn               BIGINT NOT NULL,
    reply_date_invalid      BIGINT NOT NULL,   -- "closed, reply date invalid"
    type_missing            BIGINT NOT NULL    -- held to the general limit
);

-- consistency_issues: the consistency checks of domain.md section 6, one row per (complaint, check); the
-- records stay in every figure they belong to, and these are counted and listed on the data-quality sheet.
CREATE TABLE consistency_issues (
    complaint_key   VARCHAR NOT NULL,
    check_code      VARCHAR NOT NULL,   -- reply_before_receipt, reply_in_future, reply_unparseable, closed_without_reply,
                                        -- extension_without_approval, late_without_extension, type_missing
    detail          VARCHAR,
    PRIMARY KEY (complaint_key, check_code)
);

-- unmapped_values: every raw value that maps to no catalogue code, with its count and sources; never dropped.
CREATE TABLE unmapped_values (
    dimension       VARCHAR NOT NULL,
    raw_value       VARCHAR NOT NULL,
    records         BIGINT NOT NULL,
    sources         VARCHAR NOT NULL,   -- source systems it came from, comma-separated
    PRIMARY KEY (dimension, raw_value)
);

-- mart_dimension_month: primaries received per month by every dimension the root-cause views slice by; a
-- treemap, a Sankey, a heatmap or a regional table is a sum over some of these columns.
CREATE TABLE mart_dimension_month (
    month               DATE NOT NULL,
    intake_channel      VARCHAR NOT NULL,
    business_channel    VARCHAR NOT NULL,
    business_category   VARCHAR NOT NULL,
    cause               VARCHAR NOT NULL,
    complaint_class     VARCHAR NOT NULL,   -- general / complex / missing
    branch              VARCHAR NOT NULL,   -- '' when the export has none
    province            VARCHAR NOT NULL,   -- GB/T 2260 code, or the raw text, '' when none
    received            BIGINT NOT NULL,
    closed              BIGINT NOT NULL,    -- of these, closed (any month) — for shares; closed-in-month figures are in mart_category_month
    PRIMARY KEY (month, intake_channel, business_channel, business_category, cause, complaint_class, branch, province)
);
