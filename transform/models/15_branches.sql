-- phase: stage
-- read-by: quality
-- 15_branches: the branch master's code for every raw branch text staged (domain.md section 7, R3 by branch).
-- A text matches a unit when, folded like the catalogue (norm_text), it equals the unit's code, name or one of
-- its aliases. Among the units a text matches, those valid on the date of receipt win; a text matching two
-- units at once is ambiguous and left raw (listed in unknown_branches with its candidates). A unit no longer
-- valid on the date of receipt (renamed, merged) hands over to its successor, following the chain. An empty
-- branch master maps nothing. branch_master is loaded by transform from the config's branches file.
CREATE OR REPLACE TEMP TABLE branch_spellings AS
WITH spellings AS (
    SELECT code, code AS s, valid_from, valid_to FROM branch_master
    UNION ALL SELECT code, name, valid_from, valid_to FROM branch_master
    UNION ALL SELECT code, unnest(string_split_regex(coalesce(aliases, ''), '[|;；]')), valid_from, valid_to FROM branch_master
)
SELECT DISTINCT norm_text(s) AS spelling, code, valid_from, valid_to FROM spellings WHERE norm_text(s) IS NOT NULL;

CREATE OR REPLACE TEMP TABLE branch_province AS
SELECT code, max(nullif(trim(province_code), '')) AS province_code FROM branch_master GROUP BY code;

CREATE OR REPLACE TEMP TABLE branch_resolved AS
WITH RECURSIVE pairs AS (
    SELECT DISTINCT branch AS branch_raw, n_branch, received_date FROM stg_current WHERE n_branch IS NOT NULL
), cand AS (
    SELECT p.branch_raw, p.received_date, s.code,
           p.received_date >= coalesce(s.valid_from, DATE '0001-01-01')
       AND p.received_date <= coalesce(s.valid_to, DATE '9999-12-31') AS valid_then
    FROM pairs p JOIN branch_spellings s ON s.spelling = p.n_branch
), best AS (
    SELECT branch_raw, received_date,
           CASE WHEN bool_or(valid_then) THEN list_sort(list_distinct(list(code) FILTER (WHERE valid_then)))
                ELSE list_sort(list_distinct(list(code))) END AS codes
    FROM cand GROUP BY ALL
), follow(branch_raw, received_date, code, depth) AS (
    SELECT branch_raw, received_date, codes[1], 0 FROM best WHERE len(codes) = 1
    UNION ALL
    SELECT f.branch_raw, f.received_date, m.successor, f.depth + 1
    FROM follow f JOIN branch_master m ON m.code = f.code
    WHERE m.valid_to IS NOT NULL AND f.received_date > m.valid_to AND nullif(trim(m.successor), '') IS NOT NULL
      AND m.successor <> f.code AND f.depth < 20
)
SELECT branch_raw, received_date, arg_max(code, depth) AS code FROM follow GROUP BY ALL;
