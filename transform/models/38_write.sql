-- phase: write
-- 38_write: the complaints table takes the re-derived rows (cx) with their clocks, customer, duplicate links and
-- repeat flag, assembled once. A full normalise rewrites the table; an incremental one rewrites its re-derived
-- rows. Complaints no longer landed with a valid receipt are removed. In an incremental normalise the other
-- complaints keep their row, and only their customer, links and repeat flag are updated where a new complaint
-- changed them (derived holds those of the customers it can change, 24_core).

-- the whole rows of the complaints in cx_sel (some of cx_full, below): cx_full (cx with its customer, links,
-- repeat flag and clocks, 37_derived) and the text columns that pass through from the landed row
CREATE OR REPLACE TEMP VIEW cx_sel AS SELECT * FROM cx_full LIMIT 0;
CREATE OR REPLACE TEMP VIEW assembled AS
SELECT
    x.complaint_key, l.source_system, l.source_id, l.source_id_masked, x.batch_id, l.file_path, x.row_number, x.version_count,
    x.record_type, x.is_complaint,
    x.intake_channel, l.intake_channel AS intake_channel_raw,
    coalesce(bc.code, CASE WHEN bc.n IS NULL THEN 'other' ELSE 'unmapped' END) AS business_channel,
    l.business_channel AS business_channel_raw,
    x.business_category, l.business_category AS business_category_raw, x.category_rule,
    x.cause, l.cause AS cause_raw, x.cause_rule, x.complaint_type, x.complaint_class,
    l.dm.code AS demand,
    x.branch, x.branch_raw, x.province,
    x.customer_key, x.customer_id_key, x.customer_phone_key, x.customer_card_key,
    l.customer_name_masked, l.customer_phone_masked,
    x.status, x.received_at, x.received_date, x.updated_at, x.replied_at, x.replied_date, x.reply_date_invalid,
    x.paused_days, x.extension_tier, x.extension_approved,
    nullif(trim(l.outcome), '') AS outcome,
    -- a satisfaction the export records as not recorded (未回访: code not_recorded) is none
    nullif(l.sf.code, 'not_recorded') AS satisfaction,
    -- ingest lands the canonical decimal text (ingest/amount.go) or, when it cannot read an amount, the raw text:
    -- that one is NULL here and listed by 45_quality (compensation_unparseable), never guessed at
    TRY_CAST(l.compensation AS DECIMAL(18,2)) AS compensation,
    -- the six reply elements: NULL when the export records none of them, else each one present or not
    CASE WHEN recorded THEN coalesce(element_present(l.reply_facts), false) END AS reply_facts,
    CASE WHEN recorded THEN coalesce(element_present(l.reply_accountability), false) END AS reply_accountability,
    CASE WHEN recorded THEN coalesce(element_present(l.reply_remediation), false) END AS reply_remediation,
    CASE WHEN recorded THEN coalesce(element_present(l.reply_satisfaction), false) END AS reply_satisfaction,
    CASE WHEN recorded THEN coalesce(element_present(l.reply_time), false) END AS reply_time,
    CASE WHEN recorded THEN coalesce(element_present(l.reply_handler_contact), false) END AS reply_handler_contact,
    nullif(trim(l.handler), '') AS handler,
    x.is_regulator_referral, x.is_major, nullif(trim(l.referral_ref), '') AS referral_ref,
    l.referral_ref_masked, x.handling_days,
    x.duplicate_of, x.primary_key, x.is_primary, x.group_regulator_referral,
    l.summary, l.narrative,
    x.internal_limit_days, x.internal_deadline, x.regulatory_limit_days, x.regulatory_deadline,
    x.working_days_to_reply, x.calendar_days_to_reply, x.internal_on_time, x.regulatory_on_time,
    x.repeat_complainant, x.timely_response, x.reply_date_recorded, x.repeats_since, x.analytics_only,
    -- the raw texts that map to no code (neither a spelling nor by their words), for `taxonomy unmapped`
    CASE WHEN l.st.code IS NULL AND l.st.n <> '' THEN l.status END AS status_unmapped,
    CASE WHEN l.dm.code IS NULL AND l.dm.n <> '' THEN l.demand END AS demand_unmapped,
    CASE WHEN l.sf.code IS NULL AND l.sf.n <> '' THEN l.satisfaction END AS satisfaction_unmapped
FROM cx_sel x
JOIN (SELECT *, coalesce(reply_facts, reply_accountability, reply_remediation, reply_satisfaction, reply_time,
                         reply_handler_contact) IS NOT NULL AS recorded,
             getvariable('map_business_channel')[business_channel] AS bc, getvariable('map_status')[status] AS st,
             getvariable('map_demand')[demand] AS dm, getvariable('map_satisfaction')[satisfaction] AS sf
      FROM src_rows) l ON l.batch_id = x.batch_id AND l.row_number = x.row_number;

-- a full normalise rewrites the whole table: without an index (migration 008) writing every row costs less than
-- comparing every stored row with its re-derived one (measured in docs/performance.md)
DELETE FROM complaints WHERE NOT getvariable('incremental');

-- an incremental normalise rewrites its re-derived complaints: those already stored are deleted (comparing them
-- with the stored rows would read every stored row), with those in scope that are no longer in cx_full (no landed
-- version with a valid receipt left), and every re-derived complaint goes in at the end in one INSERT. A full
-- normalise emptied the table above.
DELETE FROM complaints
WHERE getvariable('incremental')
  AND complaint_key IN (SELECT complaint_key FROM scope_keys UNION SELECT complaint_key FROM cx_full);

-- in order of receipt: a month's re-export changes mostly its recent complaints, whose rows then lie together at
-- the end of the table, and the checkpoint after an incremental normalise rewrites those few row groups instead of
-- every one that held a changed row (docs/performance.md)
CREATE OR REPLACE TEMP VIEW cx_sel AS SELECT * FROM cx_full;
INSERT INTO complaints BY NAME SELECT * FROM assembled ORDER BY received_at, complaint_key;

-- the stored complaints a new complaint gave another customer, duplicate links or repeat flag
CREATE OR REPLACE TEMP TABLE relinked AS
SELECT d.* FROM derived d JOIN complaints c USING (complaint_key)
WHERE getvariable('incremental') AND c.complaint_key NOT IN (SELECT complaint_key FROM cx_full)
  AND (c.customer_key IS DISTINCT FROM d.customer_key OR c.duplicate_of IS DISTINCT FROM d.duplicate_of
       OR c.primary_key IS DISTINCT FROM d.primary_key OR c.is_primary IS DISTINCT FROM d.is_primary
       OR c.group_regulator_referral IS DISTINCT FROM d.group_regulator_referral
       OR c.repeat_complainant IS DISTINCT FROM d.repeat_complainant
       OR c.repeats_since IS DISTINCT FROM d.repeats_since);
UPDATE complaints SET
    customer_key = d.customer_key, duplicate_of = d.duplicate_of, primary_key = d.primary_key,
    is_primary = d.is_primary, group_regulator_referral = d.group_regulator_referral,
    repeat_complainant = d.repeat_complainant, repeats_since = d.repeats_since
FROM relinked d
WHERE d.complaint_key = complaints.complaint_key;

-- the complaints an incremental normalise changed (written, relinked or gone): 40_figures rewrites their figure
-- rows and those of their customers
CREATE OR REPLACE TEMP TABLE written_keys AS
SELECT complaint_key FROM cx_full WHERE getvariable('incremental')
UNION SELECT complaint_key FROM relinked
UNION SELECT complaint_key FROM scope_keys;
DROP TABLE relinked;

-- complaint_key is unique (the table has no index to enforce it since migration 008): a duplicate is a bug in
-- the models above, and fails the normalise before anything is committed
SELECT error('normalise: complaint_key ' || min(complaint_key) || ' would be stored ' || max(n) || ' times ('
             || count(*) || ' keys in all); nothing was written. This is a bug in complaints normalise: please report it.')
FROM (SELECT complaint_key, count(*) AS n FROM complaints GROUP BY complaint_key HAVING count(*) > 1)
HAVING count(*) > 0;

-- the wide temp tables are done with: give their memory back before the marts
DROP VIEW assembled;
DROP VIEW cx_sel;
DROP TABLE cx_full;
DROP TABLE derived;
