-- 025_batch_content_columns: which header of a batch's file went to which field by content (ingest/content.go:
-- a column neither the profile nor a header synonym names, mapped from its values, or from a word of its header
-- with agreeing values, catalog/header_cues.yaml), so `complaints batches` can say how a file was read. A JSON
-- array of {"field", "header", "word"} sorted by field ("word": the header word that cued the field, "" when the
-- values alone mapped it); NULL when content mapped nothing, and for the batches before it.
ALTER TABLE batches ADD COLUMN IF NOT EXISTS content_columns VARCHAR;
