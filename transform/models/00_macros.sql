-- phase: macros
-- 00_macros: helpers every model uses.

-- norm_text folds a raw spelling the way catalog.Normalize does: full-width to half-width, white space
-- collapsed and trimmed, lower-case. Both must agree (a test checks them against each other). translate builds
-- its table of 95 characters on every call (nearly all of the fold's cost), so it runs only on text that has
-- a full-width character (U+FF01-FF5E, U+3000) to fold.
CREATE OR REPLACE TEMP MACRO norm_text(x) AS
    nullif(lower(trim(regexp_replace(CASE WHEN regexp_matches(x, '[！-～　]') THEN translate(x, '！＂＃＄％＆＇（）＊＋，－．／０１２３４５６７８９：；＜＝＞？＠ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ［＼］＾＿｀ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ｛｜｝～　', '!"#$%&''()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\]^_`abcdefghijklmnopqrstuvwxyz{|}~ ') ELSE x END, '\s+', ' ', 'g'))), '');

-- flag_yes reads the many ways exports say yes.
CREATE OR REPLACE TEMP MACRO flag_yes(x) AS
    coalesce(norm_text(x) IN ('是', 'y', 'yes', 'true', '1', '重大', '已批准', '批准', 'approved'), false);

-- element_present reads one reply element: recorded text that is not a no. Every "no" has at most two
-- characters. Folding (norm_text) keeps the characters at both ends of the text once the white space it trims is
-- gone, and shortens what lies between only by collapsing white space to one space; so text with more than two
-- characters left after that trim is present without folding it. (The fold's regular expression over every
-- free-text reply x 6 elements was the costliest part of the normalise: docs/performance.md.) list_contains, not NOT IN: DuckDB
-- rewrites an IN list of this length into a join whose key, the fold, it then computes for every row.
CREATE OR REPLACE TEMP MACRO element_present(x) AS
    CASE WHEN x IS NULL OR x = '' THEN false
         -- no white space and no full-width character: the fold is lower() alone
         WHEN NOT regexp_matches(x, '[\s\p{Z}！-～]') THEN NOT list_contains(['n', 'no', '否', '无', '未', '-', '/'], lower(x))
         WHEN length(trim(translate(x, '　' || chr(9) || chr(10) || chr(12) || chr(13), '     '))) > 2 THEN true
         ELSE coalesce(NOT list_contains(['n', 'no', '否', '无', '未', '-', '/'], norm_text(x)), false) END;

-- received_before: complaint a was received before complaint b, by received_at with the complaint key breaking a
-- tie at the same instant: the order in which a repeat complaint looks back (35_repeats, 40_figures).
CREATE OR REPLACE TEMP MACRO received_before(a_at, a_key, b_at, b_key) AS
    a_at < b_at OR (a_at = b_at AND a_key < b_key);
