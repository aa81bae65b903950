-- 012_warehouse_meta: facts about the warehouse itself, one row a name. The privacy key's fingerprint
-- (name 'key_fingerprint': the HMAC-SHA256 of a fixed string under the key, never the key) is stored by the
-- first ingest; a later ingest under a different key is refused (ingest.CheckKey).
CREATE TABLE IF NOT EXISTS warehouse_meta (
    name    VARCHAR PRIMARY KEY,
    value   VARCHAR NOT NULL,
    set_at  TIMESTAMP NOT NULL       -- wall clock, Beijing time
);
