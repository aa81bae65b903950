-- 24_core: the few columns that customers, duplicates and repeats need, for every complaint the warehouse will
-- hold: those re-derived now (cx, corrected) and, in an incremental normalise, the others as they are stored.
-- A narrow table: these steps look at every complaint on every normalise, so they never carry the wide rows.
-- After this model transform links customers (customers.go) into node_root.
CREATE OR REPLACE TEMP TABLE core AS
SELECT complaint_key, customer_id_key, customer_phone_key, customer_card_key, is_complaint, status,
       received_at, received_date, replied_at, business_category, is_regulator_referral
FROM cx
UNION ALL
SELECT complaint_key, customer_id_key, customer_phone_key, customer_card_key, is_complaint, status,
       received_at, received_date, replied_at, business_category, is_regulator_referral
FROM complaints
WHERE getvariable('incremental') AND complaint_key NOT IN (SELECT complaint_key FROM scope_keys);
