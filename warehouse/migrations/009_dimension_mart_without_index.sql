-- 009: mart_dimension_month loses its eight-column PRIMARY KEY's index. normalise empties and refills the mart
-- each time from a GROUP BY over exactly those columns (unique by construction), and the index made both the
-- DELETE and the INSERT slower (docs/performance.md).
CREATE TABLE mart_dimension_month_009 (
    month               DATE NOT NULL,
    intake_channel      VARCHAR NOT NULL,
    business_channel    VARCHAR NOT NULL,
    business_category   VARCHAR NOT NULL,
    cause               VARCHAR NOT NULL,
    complaint_class     VARCHAR NOT NULL,   -- general / complex / missing
    branch              VARCHAR NOT NULL,   -- '' when the export has none
    province            VARCHAR NOT NULL,   -- GB/T 2260 code, or the raw text, '' when none
    received            BIGINT NOT NULL,
    closed              BIGINT NOT NULL     -- of these, closed (any month); closed-in-month figures are in mart_category_month
);
INSERT INTO mart_dimension_month_009 SELECT * FROM mart_dimension_month;
DROP TABLE mart_dimension_month;
ALTER TABLE mart_dimension_month_009 RENAME TO mart_dimension_month;
