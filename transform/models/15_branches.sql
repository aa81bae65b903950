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

-- branch_province: the province the branch master gives a resolved branch text on its date of receipt, for the
-- records whose export has none (20_complaints; a record's own province wins). A unit's province_code, else its
-- province_name folded to a code; a unit with neither takes its parent's, up the chain. Rows valid on the date of
-- receipt, along the whole chain, win over rows that are not; then the closest unit; then the smallest code.
CREATE OR REPLACE TEMP TABLE branch_province AS
WITH RECURSIVE unit AS (
    SELECT m.code, nullif(trim(m.parent), '') AS parent, m.valid_from, m.valid_to,
           coalesce(nullif(trim(m.province_code), ''), pn.code) AS province
    FROM branch_master m
    LEFT JOIN taxonomy_map pn ON pn.dimension = 'province' AND pn.synonym = norm_text(m.province_name)
), walk(branch_raw, received_date, code, province, parent, valid_path, depth) AS (
    SELECT r.branch_raw, r.received_date, u.code, u.province, u.parent,
           r.received_date BETWEEN coalesce(u.valid_from, DATE '0001-01-01') AND coalesce(u.valid_to, DATE '9999-12-31'), 0
    FROM branch_resolved r JOIN unit u ON u.code = r.code
    UNION ALL
    SELECT w.branch_raw, w.received_date, u.code, u.province, u.parent,
           w.valid_path AND w.received_date BETWEEN coalesce(u.valid_from, DATE '0001-01-01') AND coalesce(u.valid_to, DATE '9999-12-31'),
           w.depth + 1
    FROM walk w JOIN unit u ON u.code = w.parent
    WHERE w.province IS NULL AND w.parent <> w.code AND w.depth < 20
)
SELECT branch_raw, received_date, first(province ORDER BY NOT valid_path, depth, province) AS province_code
FROM walk WHERE province IS NOT NULL GROUP BY ALL;
