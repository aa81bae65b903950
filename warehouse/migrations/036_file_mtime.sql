-- 036_file_mtime: the export's modification time when it was read (Unix nanoseconds), beside its size. A file
-- whose path, size and modification time equal a landed batch's is skipped as already ingested without reading
-- it (ingest.ingestFile); any other file is hashed and compared by its sha256 as before. NULL for the batches
-- landed before it (their files are hashed once more).
ALTER TABLE batches ADD COLUMN IF NOT EXISTS file_mtime_ns BIGINT;
