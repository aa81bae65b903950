-- 019_cfpb_fields: landing fields of two-level classifications and of a source's own timeliness verdict (the US
-- CFPB's export, domain.md section 9): sub_category (Sub-product) and sub_cause (Sub-issue), read with
-- business_category and cause through a crosswalk at normalise (catalog/crosswalk_cfpb.yaml), and
-- timely_response ("Timely response?", Yes/No as exported). NULL for files without them and older batches.
ALTER TABLE landed_rows ADD COLUMN IF NOT EXISTS sub_category VARCHAR;
ALTER TABLE landed_rows ADD COLUMN IF NOT EXISTS sub_cause VARCHAR;
ALTER TABLE landed_rows ADD COLUMN IF NOT EXISTS timely_response VARCHAR;
