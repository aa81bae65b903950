-- 034_issues_unindexed: consistency_issues (migration 003) without its primary key. The normalise writes the
-- checks of the complaints it re-derives only (45_quality), so the index no longer spares reading the table, and
-- keeping it cost most of the checks' time and memory at 10M complaints (an index entry per issue, merged into
-- the table's at COMMIT). One row per (complaint, check) is kept by the model, which checks it before writing.
CREATE TABLE IF NOT EXISTS consistency_issues_034 (
    complaint_key   VARCHAR NOT NULL,
    check_code      VARCHAR NOT NULL,   -- as in migration 003
    detail          VARCHAR
);
INSERT INTO consistency_issues_034 SELECT complaint_key, check_code, detail FROM consistency_issues;
DROP TABLE consistency_issues;
ALTER TABLE consistency_issues_034 RENAME TO consistency_issues;
