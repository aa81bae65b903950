package ingest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"path/filepath"
	"strings"
	"time"

	"complaints/catalog"
	"complaints/internal/sqlrows"
	"complaints/lake"
	"complaints/warehouse"
)

// lakeLanded is the landed row of one canonical complaint of the lake: the raw texts the canonical table keeps
// (intake channel, business channel, category, cause, branch, unmapped status, demand and satisfaction), else
// the codes (each a spelling of itself; so are the category and cause of a crosswalk source, {xw}, whose
// second-level values the canonical table does not keep), the times in the landing's text form, the flags as text staging reads
// the same way, the keyed hashes as they are (the lake was exported under the same key). A reply date that was
// invalid lands as text that does not parse, so it stays invalid; nothing personal is added.
const lakeLanded = `source_system, source_id, record_type,
    strftime(received_at, '%Y-%m-%d %H:%M:%S') AS received_at, strftime(updated_at, '%Y-%m-%d %H:%M:%S') AS updated_at,
    intake_channel_raw AS intake_channel, business_channel_raw AS business_channel,
    CASE WHEN {xw} AND business_category <> 'unmapped' AND category_rule IS NULL THEN business_category ELSE business_category_raw END AS business_category,
    CASE WHEN {xw} AND cause <> 'unmapped' AND cause_rule IS NULL THEN cause ELSE cause_raw END AS cause, complaint_type,
    coalesce(demand_unmapped, demand) AS demand, branch_raw AS branch, province,
    customer_id_key, customer_phone_key, customer_card_key, {name} AS customer_name_masked, {phone} AS customer_phone_masked,
    coalesce(status_unmapped, status) AS status,
    CASE WHEN replied_at IS NOT NULL THEN strftime(replied_at, '%Y-%m-%d %H:%M:%S') WHEN reply_date_invalid THEN 'invalid' END AS replied_at,
    CAST(paused_days AS VARCHAR) AS paused_days, CAST(extension_tier AS VARCHAR) AS extension_tier,
    CAST(extension_approved AS VARCHAR) AS extension_approved, outcome,
    coalesce(satisfaction_unmapped, satisfaction) AS satisfaction, CAST(compensation AS VARCHAR) AS compensation,
    CASE reply_facts WHEN true THEN 'true' WHEN false THEN 'no' END AS reply_facts,
    CASE reply_accountability WHEN true THEN 'true' WHEN false THEN 'no' END AS reply_accountability,
    CASE reply_remediation WHEN true THEN 'true' WHEN false THEN 'no' END AS reply_remediation,
    CASE reply_satisfaction WHEN true THEN 'true' WHEN false THEN 'no' END AS reply_satisfaction,
    CASE reply_time WHEN true THEN 'true' WHEN false THEN 'no' END AS reply_time,
    CASE reply_handler_contact WHEN true THEN 'true' WHEN false THEN 'no' END AS reply_handler_contact,
    handler, CAST(is_major AS VARCHAR) AS major, referral_ref, summary, narrative, source_id_masked, referral_ref_masked,
    CASE timely_response WHEN true THEN 'yes' WHEN false THEN 'no' END AS timely_response`

const lakeLandedColumns = `source_system, source_id, record_type, received_at, updated_at, intake_channel, business_channel,
    business_category, cause, complaint_type, demand, branch, province, customer_id_key, customer_phone_key,
    customer_card_key, customer_name_masked, customer_phone_masked, status, replied_at, paused_days, extension_tier,
    extension_approved, outcome, satisfaction, compensation, reply_facts, reply_accountability, reply_remediation,
    reply_satisfaction, reply_time, reply_handler_contact, handler, major, referral_ref, summary, narrative,
    source_id_masked, referral_ref_masked, timely_response`

// IngestLake takes a lake's canonical complaints (lake.Export) back into the warehouse: one batch per source
// system, each complaint one landed row that normalise types as it typed the original. The lake must carry the
// fingerprint of this key (msg_lake_key_differs): its hashes are the key's, and a lake of another key would
// never link with this warehouse's customers. A lake already taken (same content) is skipped.
func IngestLake(ctx context.Context, w *warehouse.Warehouse, opts Options, dir string) ([]FileResult, error) {
	if len(opts.HMACKey) == 0 {
		return nil, ErrNoKey(opts.KeyEnv)
	}
	s, err := lake.ReadSchema(dir)
	if err != nil {
		return nil, err
	}
	if s.KeyFingerprint != KeyFingerprint(opts.HMACKey) {
		return nil, catalog.Errorf("msg_lake_key_differs", dir)
	}
	if err := CheckKey(ctx, w, opts.HMACKey, !opts.DryRun, opts.AdoptKey); err != nil {
		return nil, err
	}
	var parts []string
	for _, t := range s.Tables {
		if t.Name == "complaints" {
			for _, p := range t.Partitions {
				parts = append(parts, p.Path+" "+p.Hash)
			}
		}
	}
	if len(parts) == 0 {
		return nil, nil
	}
	files := sqlString(filepath.Join(dir, "complaints", "*", "*", "*.parquet"))
	from := "read_parquet(" + files + ", hive_partitioning = true)"
	type src struct {
		Name      string
		Rows      int64
		Analytics bool
	}
	sources, err := sqlrows.Query(ctx, w.DB, func(r *src) []any { return []any{&r.Name, &r.Rows, &r.Analytics} },
		`SELECT source_system, count(*), coalesce(bool_or(analytics_only), false) FROM `+from+` GROUP BY 1 ORDER BY 1`)
	if err != nil {
		return nil, catalog.Errorf("msg_lake_unreadable", dir)
	}
	name, phone := "NULL", "NULL"
	if s.MaskedIncluded {
		name, phone = "customer_name_masked", "customer_phone_masked"
	}
	xw := "false"
	if srcs := catalog.CFPBCrosswalk().Sources; len(srcs) > 0 {
		q := make([]string, len(srcs))
		for i, x := range srcs {
			q[i] = sqlString(x)
		}
		xw = "source_system IN (" + strings.Join(q, ", ") + ")"
	}
	sel := strings.NewReplacer("{name}", name, "{phone}", phone, "{xw}", xw).Replace(lakeLanded)
	now := time.Now
	if opts.Now != nil {
		now = opts.Now
	}
	at := now().In(warehouse.Beijing).Format("2006-01-02 15:04:05")
	asOf := map[string]string{}
	for _, src := range s.Sources {
		asOf[src.Name] = src.AsOf
	}
	var out []FileResult
	for _, sr := range sources {
		h := sha256.Sum256([]byte("lake\x00" + s.KeyFingerprint + "\x00" + sr.Name + "\x00" + strings.Join(parts, "\n")))
		r := FileResult{Path: dir + "#" + sr.Name, Source: sr.Name, Format: "lake", SHA256: hex.EncodeToString(h[:]),
			Read: int(sr.Rows), Accepted: int(sr.Rows)}
		var seen bool
		if err := w.DB.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM batches WHERE file_sha256 = ?)`, r.SHA256).Scan(&seen); err != nil {
			return out, err
		}
		if seen {
			r.Skipped, r.SkipReason = true, catalog.Msg("msg_lake_already_taken").Error()
			out = append(out, r)
			continue
		}
		if opts.DryRun {
			out = append(out, r)
			continue
		}
		if err := landLake(ctx, w, from, sel, at, asOf[sr.Name], sr.Name, sr.Analytics, &r); err != nil {
			return out, err
		}
		out = append(out, r)
	}
	return out, nil
}

// landLake lands one source system's complaints of the lake as one batch, in one transaction.
func landLake(ctx context.Context, w *warehouse.Warehouse, from, sel, at, asOf, source string, analytics bool, r *FileResult) error {
	// a lake's complaints land in one INSERT each (warehouse.UnorderedWrites)
	restore, err := warehouse.UnorderedWritesOn(ctx, w.DB)
	if err != nil {
		return err
	}
	defer restore()
	tx, err := w.DB.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := tx.QueryRowContext(ctx, `SELECT greatest((SELECT coalesce(max(batch_id), 0) FROM batches),
		(SELECT coalesce(max(batch_id), 0) FROM batch_removals)) + 1`).Scan(&r.BatchID); err != nil {
		return err
	}
	// the export's as-of is the source's newest batch's in the exported warehouse, so the marts reach the same months
	if _, err := tx.ExecContext(ctx, `INSERT INTO batches (batch_id, source_system, file_path, file_sha256, file_size, format,
		export_as_of, rows_read, rows_accepted, rows_rejected, ingested_at, analytics_only)
		VALUES (?, ?, ?, ?, 0, 'lake', TRY_CAST(nullif(?, '') AS TIMESTAMP), ?, ?, 0, CAST(? AS TIMESTAMP), ?)`,
		r.BatchID, source, r.Path, r.SHA256, asOf, r.Read, r.Accepted, at, analytics); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO landed_rows (batch_id, file_path, file_sha256, row_number, ingested_at, `+lakeLandedColumns+`)
		SELECT ?, ?, ?, row_number() OVER (ORDER BY source_id), CAST(? AS TIMESTAMP), * FROM (SELECT `+sel+` FROM `+from+` WHERE source_system = ?)`,
		r.BatchID, r.Path, r.SHA256, at, source); err != nil {
		return err
	}
	return tx.Commit()
}

func sqlString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
