-- 015_masked_ids: the masked display form of an id that lands keyed (ingest/personal.go: a source_id or
-- referral_ref column of mostly phone, ID or card numbers lands as "k:" and a keyed hash). The mask
-- (138****5678, 110101********1234, 622202******1234) lets a clerk find the case in the bank's own system; the
-- key stays the identity. NULL: the id landed as exported (or the file predates this migration).
ALTER TABLE landed_rows ADD COLUMN IF NOT EXISTS source_id_masked VARCHAR;
ALTER TABLE landed_rows ADD COLUMN IF NOT EXISTS referral_ref_masked VARCHAR;
ALTER TABLE complaints ADD COLUMN IF NOT EXISTS source_id_masked VARCHAR;
ALTER TABLE complaints ADD COLUMN IF NOT EXISTS referral_ref_masked VARCHAR;
