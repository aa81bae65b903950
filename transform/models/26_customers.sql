-- phase: stage
-- 26_customers: the customer of every complaint in core (24_core: all of them in a full normalise): records are
-- the same customer when they share any identifier key (ID, phone or card key), transitively (domain.md section
-- 5). customers.go found the components over the keys (prefixed i:, p:, c: by kind) and wrote node_root: each
-- key whose component's smallest key is another one, with that key's value. A complaint's customer is the
-- component of its first key (ID, else phone, else card); none: no customer.
CREATE OR REPLACE TEMP TABLE core_c AS
WITH f AS (
    SELECT c.*,
           CASE WHEN nullif(customer_id_key, '') IS NOT NULL THEN 'i:' || customer_id_key
                WHEN nullif(customer_phone_key, '') IS NOT NULL THEN 'p:' || customer_phone_key
                WHEN nullif(customer_card_key, '') IS NOT NULL THEN 'c:' || customer_card_key END AS first_node
    FROM core c
)
SELECT f.* EXCLUDE (first_node), coalesce(r.customer, substr(f.first_node, 3)) AS customer_key
FROM f LEFT JOIN node_root r ON r.node = f.first_node;

-- core_c supersedes core; node_root is consumed
DROP TABLE core;
DROP TABLE node_root;
