-- The view an Arrow stream was registered as during landing was left in the warehouse by earlier versions; it
-- points at memory freed long ago, and reading it crashes the process. Landing now drops it in its transaction.
DROP VIEW IF EXISTS ingest_landing_batch;
