-- 00_macros: helpers every model uses.

-- norm_text folds a raw spelling the way catalog.Normalize does: full-width to half-width, white space
-- collapsed and trimmed, lower-case. Both must agree (a test checks them against each other).
CREATE OR REPLACE TEMP MACRO norm_text(x) AS
    nullif(lower(trim(regexp_replace(translate(x, '！＂＃＄％＆＇（）＊＋，－．／０１２３４５６７８９：；＜＝＞？＠ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ［＼］＾＿｀ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ｛｜｝～　', '!"#$%&''()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\]^_`abcdefghijklmnopqrstuvwxyz{|}~ '), '\s+', ' ', 'g'))), '');

-- flag_yes reads the many ways exports say yes.
CREATE OR REPLACE TEMP MACRO flag_yes(x) AS
    coalesce(norm_text(x) IN ('是', 'y', 'yes', 'true', '1', '重大', '已批准', '批准', 'approved'), false);

-- element_present reads one reply element: recorded text that is not a no.
CREATE OR REPLACE TEMP MACRO element_present(x) AS
    norm_text(x) IS NOT NULL AND norm_text(x) NOT IN ('n', 'no', '否', '无', '未', '-', '/');
