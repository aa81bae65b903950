-- phase: stage
-- then: customers
-- 24_core: the few columns that customers, duplicates and repeats need, for every complaint whose customer,
-- duplicate links and repeat flag this normalise works out: every complaint in a full normalise. An incremental
-- one works them out for the complaints re-derived now (cx, corrected) and for the stored complaints of the
-- customers those can change (link_customers); every other complaint keeps its stored values (a monthly
-- re-export touches a few thousand customers of a million). The customers it can change are those, as stored, of
--   - the complaints re-derived now (their keys, category or dates may have changed; one no longer landed is gone),
--   - the complaints that share an identifier key with a re-derived one (a new record can join two customers),
--   - the complaints a duplicate_of correction names as the earlier record, now or before this normalise (the
--     only links between two customers: the group's primary and its regulator referral follow them).
-- Nothing else can change: a complaint outside those customers shares no key with any complaint inside them (it
-- would be the same customer) nor with a re-derived one (its customer would be in the list), so customers are
-- worked out again as whole components; and duplicates and repeats pair two complaints of one customer, or two
-- complaints both here through a correction (every complaint a correction names is re-derived: scope_keys), so
-- every duplicate group is here whole or not at all.
-- A narrow table: these steps never carry the wide rows. After this model transform links customers
-- (customers.go) into node_root.
CREATE OR REPLACE TEMP TABLE corr_targets AS
SELECT value AS complaint_key FROM corrections WHERE action = 'duplicate_of'
UNION SELECT value FROM prev_corrections WHERE action = 'duplicate_of';

CREATE OR REPLACE TEMP TABLE link_customers AS
SELECT DISTINCT customer_key FROM complaints
WHERE getvariable('incremental') AND customer_key IS NOT NULL
  AND (complaint_key IN (SELECT complaint_key FROM scope_keys)
       OR complaint_key IN (SELECT complaint_key FROM corr_targets)
       OR customer_id_key IN (SELECT nullif(customer_id_key, '') FROM cx)
       OR customer_phone_key IN (SELECT nullif(customer_phone_key, '') FROM cx)
       OR customer_card_key IN (SELECT nullif(customer_card_key, '') FROM cx));

CREATE OR REPLACE TEMP TABLE core AS
SELECT complaint_key, customer_id_key, customer_phone_key, customer_card_key, is_complaint, status,
       received_at, received_date, replied_at, business_category, is_regulator_referral
FROM cx
UNION ALL
SELECT complaint_key, customer_id_key, customer_phone_key, customer_card_key, is_complaint, status,
       received_at, received_date, replied_at, business_category, is_regulator_referral
FROM complaints
WHERE getvariable('incremental') AND complaint_key NOT IN (SELECT complaint_key FROM scope_keys)
  AND (customer_key IN (SELECT customer_key FROM link_customers)
       OR complaint_key IN (SELECT complaint_key FROM corr_targets));

DROP TABLE link_customers;
DROP TABLE corr_targets;
