-- 026_values_unmapped: the raw status, demand and satisfaction texts of a complaint that map to no code of the
-- catalogue (10_staging raw_map: neither a spelling nor the code its words give), kept so that `taxonomy
-- unmapped` lists them as it lists an unmapped category (45_quality, unmapped_values). The codes stay what they
-- were: an unmapped status follows the reply date (open without one), an unmapped demand or satisfaction is NULL.
-- NULL when the value maps or is empty, and for the complaints before it until the next normalise.
ALTER TABLE complaints ADD COLUMN IF NOT EXISTS status_unmapped VARCHAR;
ALTER TABLE complaints ADD COLUMN IF NOT EXISTS demand_unmapped VARCHAR;
ALTER TABLE complaints ADD COLUMN IF NOT EXISTS satisfaction_unmapped VARCHAR;
