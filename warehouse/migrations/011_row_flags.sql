-- 011_row_flags: what ingest changed in a landed row, e.g. invalid_text:narrative,branch (bytes that were not
-- text in the file's encoding were replaced by U+FFFD in those fields; domain.md section 5). NULL: nothing.
ALTER TABLE landed_rows ADD COLUMN row_flags VARCHAR;
