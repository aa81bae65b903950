-- 006_filings: the figures of a report as submitted to the regulator (`report --record-filing`), so that later
-- reports of the same period can show every filed figure the current data changes (the 更正/Restatements
-- sheet), and the scope a scoped copy of the warehouse holds (`--as-of`, `--branch`). See docs/decisions.md.

-- filings: one row per recorded filing.
CREATE TABLE filings (
    filing_id       BIGINT PRIMARY KEY,
    period          VARCHAR NOT NULL,   -- as marts.ParsePeriod writes it: 2026-10, 2026-Q3, 2026-H1, 2026
    kind            VARCHAR NOT NULL,   -- month / quarter / half / year
    branch_scope    VARCHAR NOT NULL,   -- '' for the bank-wide workbook, else the branch code whose subtree it covers
    as_of           TIMESTAMP,          -- the --as-of instant the figures were computed at (Beijing wall clock); NULL: the data as at filed_at
    filed_at        TIMESTAMP NOT NULL, -- when the filing was recorded (Beijing wall clock)
    data_as_of      TIMESTAMP,          -- newest ingest time among the batches the figures were computed from
    workbook        VARCHAR             -- the workbook written (file name)
);

-- filing_figures: one row per filed figure: figure key (received, closed, open_at_end ...), the dimension it is
-- broken down by ('total', business_category, cause, branch, province, intake_channel) and the item (a code,
-- '' for the total), with its value as filed.
CREATE TABLE filing_figures (
    filing_id       BIGINT NOT NULL,
    figure          VARCHAR NOT NULL,
    dimension       VARCHAR NOT NULL,
    item            VARCHAR NOT NULL,
    value           BIGINT NOT NULL,
    PRIMARY KEY (filing_id, figure, dimension, item)
);

-- filing_complaints: the complaints behind every filed count: one row per (complaint, figure key) with the
-- complaint's dimension values as filed, so the complaints behind (figure, dimension, item) are the rows whose
-- column named by the dimension equals the item. Complaint keys only: no personal data.
CREATE TABLE filing_complaints (
    filing_id           BIGINT NOT NULL,
    figure              VARCHAR NOT NULL,
    complaint_key       VARCHAR NOT NULL,
    business_category   VARCHAR NOT NULL,
    cause               VARCHAR NOT NULL,
    branch              VARCHAR NOT NULL,   -- '' when none
    province            VARCHAR NOT NULL,   -- '' when none
    intake_channel      VARCHAR NOT NULL
);

-- warehouse_scope: empty in the warehouse itself. A scoped copy (pipeline.OpenScope: --as-of, --branch) states
-- here what it holds, so that every report and dashboard written from it says so: as_of (YYYY-MM-DD, the end of
-- that day, Beijing time), branch (code), branch_label (name and code), subtree (codes, comma-separated).
CREATE TABLE warehouse_scope (
    name            VARCHAR PRIMARY KEY,
    value           VARCHAR NOT NULL
);
