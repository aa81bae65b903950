-- 017_figures: the one definition of every figure (domain.md section 6) and the branch names users see.
-- complaint_figures is written by transform/models/40_figures.sql with the marts, which also defines
-- figure_members; the marts aggregate the table, and the lists, filings and the timeliness sheet select from it
-- through figure_members. See docs/schema.md.

-- complaint_figures: one row per counted complaint (a primary complaint, not a non-complaint work order, not
-- "not accepted"), its dimensions as the reports break it down, and per figure the month(s) it belongs to. Months
-- are first days. An interval [from, until) holds the months at whose end the complaint is in the stock.
CREATE TABLE complaint_figures (
    complaint_key         VARCHAR NOT NULL,
    customer_key          VARCHAR,
    business_category     VARCHAR NOT NULL,
    cause                 VARCHAR NOT NULL,
    intake_channel        VARCHAR NOT NULL,  -- the reporting channel: regulator_referral when its group holds one
    own_intake_channel    VARCHAR NOT NULL,  -- the primary's own channel as exported (and corrected)
    business_channel      VARCHAR NOT NULL,
    complaint_class       VARCHAR NOT NULL,  -- general, complex, or 'missing' (type missing)
    branch                VARCHAR NOT NULL,  -- complaints.branch, '' when none
    province              VARCHAR NOT NULL,  -- '' when none
    received_month        DATE NOT NULL,     -- received (withdrawn included)
    regulator_referred    BOOLEAN NOT NULL,  -- its duplicate group holds a regulator referral
    major                 BOOLEAN NOT NULL,
    repeat_complaint      BOOLEAN NOT NULL,  -- a repeat complaint (domain.md section 5)
    closed_month          DATE,              -- the month of a valid reply of a closed complaint; NULL: not closed
    handling_days         INTEGER,           -- of a closed complaint
    closed_band           VARCHAR,           -- 0_15, 16_30, 31_60, over_60 (by handling_days); NULL when unknown
    working_days          INTEGER,           -- working days after receipt up to the reply, of a closed complaint
    regulatory_on_time    BOOLEAN,           -- closed on or before each deadline; NULL: unknown (or not closed)
    internal_on_time      BOOLEAN,
    satisfaction_recorded BOOLEAN NOT NULL,  -- closed with satisfaction recorded
    satisfied             BOOLEAN NOT NULL,  -- satisfied or basically satisfied
    reply_recorded        BOOLEAN NOT NULL,  -- closed with the reply elements recorded by its export
    reply_complete        BOOLEAN NOT NULL,  -- all six reply elements
    open_from             DATE,              -- open at the end of the months [open_from, open_until); NULL: never
    open_until            DATE,              --   open (withdrawn, reply date invalid); capped at covered_until
    overdue_from          DATE,              -- overdue (regulatory clock) at the end of [overdue_from, open_until)
    internal_overdue_from DATE,              -- overdue on the internal clock at the end of [.., open_until)
    covered_until         DATE NOT NULL      -- the month after the newest covered one (the marts' last month):
                                             -- no stock at the end or start of it or later
);

-- figure_members(first_month, last_month): the members of every figure for the months given (first days). It is
-- defined by transform/models/40_figures.sql, which replaces it on every normalise; until the first one it has
-- its columns and no row.
CREATE MACRO figure_members(first_month, last_month) AS TABLE
SELECT NULL::VARCHAR AS figure, NULL::VARCHAR AS complaint_key, NULL::VARCHAR AS business_category,
       NULL::VARCHAR AS cause, NULL::VARCHAR AS branch, NULL::VARCHAR AS province, NULL::VARCHAR AS intake_channel,
       NULL::VARCHAR AS complaint_class, NULL::VARCHAR AS business_channel, NULL::VARCHAR AS own_intake_channel,
       NULL::VARCHAR AS customer_key, NULL::INTEGER AS handling_days, NULL::INTEGER AS working_days
WHERE false;

-- branch_labels: the name a user sees for a branch master code, one per code: the name of the record with the
-- latest valid_to (NULL, still valid, is the latest), ties by the latest valid_from (NULL, always valid before,
-- is the earliest), then the smallest name; the name trimmed. Codes with no non-blank name have no row.
CREATE VIEW branch_labels AS
SELECT code, name FROM (
    SELECT code, trim(name) AS name,
           row_number() OVER (PARTITION BY code ORDER BY valid_to DESC NULLS FIRST, valid_from DESC NULLS LAST,
                              trim(name)) AS n
    FROM branch_master WHERE nullif(trim(name), '') IS NOT NULL
) WHERE n = 1;

-- complaint_figures is filled by the next normalise (its model is new, so that one is a full run); until then the
-- commands that read figures refuse, as after a batch not yet normalised (transform.CheckNormalised).
DELETE FROM normalised_batches;
