-- 014_reject_reason_key: rejects.reason_key, the catalogue key of a reject's reason (e.g. msg_csv_unclosed_quote),
-- so rejects can be counted and listed by reason in any language; NULL for reasons older than the catalogue's.
ALTER TABLE rejects ADD COLUMN IF NOT EXISTS reason_key VARCHAR;
