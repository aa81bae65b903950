package ingest

import (
	"context"
	"database/sql/driver"
	"fmt"
	"strings"

	"complaints/warehouse"
)

// landEveryRow, when set (tests), lands every accepted row as a version, as ingest did before unchanged rows
// were told apart: the figures must be the same either way.
var landEveryRow bool

// seenRowsSQL are the (source_system, source_id, batch_id, received_at) of every row an export had: its landed
// versions and its unchanged rows (row_sightings, with the receipt of the version they equal). A full snapshot
// judges missing ids on them.
const seenRowsSQL = `(SELECT source_system, source_id, batch_id, received_at FROM landed_rows
	UNION ALL SELECT v.source_system, v.source_id, s.batch_id, v.received_at FROM ` + sightingsSQL + `)`

// sightingsSQL joins each unchanged row (row_sightings s) to the landed version it equals (landed_rows v), which
// holds its source and id (migration 035).
const sightingsSQL = `row_sightings s JOIN landed_rows v ON v.batch_id = s.version_batch_id AND v.row_number = s.version_row_number`

// Ledger scopes (profile ledger_scope, batches.ledger_scope): the ids a full snapshot covers.
const (
	ledgerAll  = "all"  // every complaint since the system started
	ledgerYear = "year" // year to date: the complaints received in the year of the export's as-of date
)

// ledgerScopeOf is a profile's declared ledger scope ("" : detect it).
func ledgerScopeOf(p *Profile) string {
	if p == nil {
		return ""
	}
	switch s := strings.ToLower(p.LedgerScope); s {
	case ledgerAll, ledgerYear:
		return s
	}
	return ""
}

// ledgerScope is the scope of full snapshot batchID and the year of its as-of date (else its ingest date): the
// declared one, else detected: ledgerYear when every row it had was received in that year and earlier batches
// of the source hold a complaint received before it (a year-to-date ledger), else ledgerAll.
func ledgerScope(ctx context.Context, q driver.QueryerContext, batchID int64, info batchInfo) (string, int, error) {
	day := info.IngestedAt.In(warehouse.Beijing)
	if info.AsOf != nil {
		day = *info.AsOf
	}
	year := day.Year()
	if info.LedgerScope != "" {
		return info.LedgerScope, year, nil
	}
	start := fmt.Sprintf("%04d-01-01", year)
	rows, err := q.QueryContext(ctx, `SELECT
		coalesce((SELECT min(received_at) >= $3 FROM `+seenRowsSQL+` WHERE batch_id = $1), false)
		AND EXISTS (SELECT 1 FROM `+seenRowsSQL+` WHERE source_system = $2 AND batch_id < $1 AND received_at < $3)`,
		namedValues(batchID, info.Source, start))
	if err != nil {
		return "", 0, fmt.Errorf("ledger scope of batch %d: %w", batchID, err)
	}
	defer rows.Close()
	dest := make([]driver.Value, 1)
	if err := rows.Next(dest); err != nil {
		return "", 0, fmt.Errorf("ledger scope of batch %d: %w", batchID, err)
	}
	if ytd, _ := dest[0].(bool); ytd {
		return ledgerYear, year, nil
	}
	return ledgerAll, year, nil
}

// placeholderDate is true of a row (alias g) with a date still to be read in the file's day/month order
// (dateorder.go): its hash was made from the placeholder, so it is never taken as unchanged before it is read.
func placeholderDate(alias string, has func(string) bool) string {
	or := []string{"false"}
	for _, c := range dateLandingColumns {
		if !has(c) {
			continue
		}
		or = append(or, fmt.Sprintf(`coalesce(regexp_full_match(%s.%s, '\d\d/\d\d/\d{4} .*'), false)`, alias, c))
	}
	return "(" + strings.Join(or, " OR ") + ")"
}

// markUnchanged takes out of the open batch the rows the loader landed that equal the newest version of their
// id landed before it (domain.md section 5, "Re-exports and unchanged rows"): same keyed row hash
// (landed_rows.row_hash, made by mapper.rowHash after the privacy boundary) and, when the file had ambiguous
// dates read only after landing (ambiguous), the same date texts. Each is recorded in row_sightings as seen in
// this batch, pointing at the version it equals, and deleted from landed_rows, in the open transaction (the newest
// versions read from row_newest when cached, the loader having prepared it: newest.go); it
// returns how many. The Arrow loader keeps such rows out of landed_rows as it lands them (DuckDB does not give
// back the space of rows deleted), so after it this finds only rows whose dates were read after landing.
func markUnchanged(ctx context.Context, ex driver.ExecerContext, q driver.QueryerContext, batchID int64, source string, ambiguous, cached bool) (int, error) {
	if landEveryRow {
		return 0, nil
	}
	same := "n.row_hash = w.h"
	if ambiguous {
		for _, c := range dateLandingColumns {
			same += fmt.Sprintf(" AND n.%[1]s IS NOT DISTINCT FROM v.%[1]s", c)
		}
	}
	newest := newestSQL(true)
	if cached {
		newest = `SELECT source_id, h, rh, vb, vr FROM row_newest WHERE source_system = $2 AND ok
			AND source_id IN (SELECT source_id FROM landed_rows WHERE batch_id = $1)`
	}
	stmts := []string{`CREATE OR REPLACE TEMP TABLE ingest_unchanged AS
		WITH newest AS (` + newest + `)
		SELECT n.source_id, n.row_number, w.vb, w.vr, n.raw_hash
		FROM landed_rows n JOIN newest w ON w.source_id = n.source_id
		JOIN landed_rows v ON v.batch_id = w.vb AND v.row_number = w.vr
		WHERE n.batch_id = $1 AND ` + same + `
		ORDER BY n.row_number`,
		`INSERT INTO row_sightings (batch_id, row_number, version_batch_id, version_row_number)
		SELECT $1, row_number, vb, vr FROM ingest_unchanged`,
		`DELETE FROM landed_rows WHERE batch_id = $1 AND row_number IN (SELECT row_number FROM ingest_unchanged)`,
	}
	if cached { // the loader keeps the batch's raw hashes of sightings for row_newest (newest.go)
		stmts = append(stmts[:2], append([]string{`INSERT INTO ingest_sighted SELECT row_number, raw_hash FROM ingest_unchanged`}, stmts[2:]...)...)
	}
	for _, s := range stmts {
		args := namedValues(batchID, source)
		if !strings.Contains(s, "$2") {
			args = args[:1]
		}
		if _, err := ex.ExecContext(ctx, s, args); err != nil {
			return 0, fmt.Errorf("unchanged rows of batch %d: %w", batchID, err)
		}
	}
	n, err := queryCount(ctx, q, "SELECT count(*) FROM ingest_unchanged")
	if err != nil {
		return 0, fmt.Errorf("unchanged rows of batch %d: %w", batchID, err)
	}
	if _, err := ex.ExecContext(ctx, "DROP TABLE IF EXISTS ingest_unchanged", nil); err != nil {
		return 0, fmt.Errorf("unchanged rows of batch %d: %w", batchID, err)
	}
	return int(n), nil
}
