-- 007_keyword_rules: which keyword rule of catalog/taxonomy.yaml classified a complaint whose export left the
-- business category or the cause empty (issue "Normalise", point 2). NULL: the value came from the export (or a
-- correction), or no rule matched. The rule is written code:keyword, as in the catalogue.
ALTER TABLE complaints ADD COLUMN category_rule VARCHAR;
ALTER TABLE complaints ADD COLUMN cause_rule VARCHAR;

-- keyword_rules: the rules the last normalise applied, in priority order per dimension (refreshed from the
-- catalogue on every normalise, like taxonomy_map).
CREATE TABLE keyword_rules (
    dimension   VARCHAR NOT NULL,   -- business_category or cause
    priority    INTEGER NOT NULL,   -- 1 is tried first
    code        VARCHAR NOT NULL,
    keyword     VARCHAR NOT NULL,   -- folded like the catalogue's synonyms
    rule_id     VARCHAR NOT NULL,   -- code:keyword
    PRIMARY KEY (dimension, priority)
);
