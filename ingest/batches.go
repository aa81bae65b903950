package ingest

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os/user"
	"slices"
	"strings"
	"time"

	"complaints/catalog"
	"complaints/internal/sqlrows"
	"complaints/warehouse"
)

// Batch is one landed file as `complaints batches` lists it; Removed batches come from batch_removals.
type Batch struct {
	ID                       int64
	Source, File, SHA256     string
	AsOf                     *time.Time // the export's as-of date, if known
	IngestedAt               time.Time
	Read, Accepted, Rejected int64
	// Unchanged of the Accepted rows equalled the newest version of their id (row_sightings): read = landed
	// (Accepted - Unchanged) + Unchanged + Rejected.
	Unchanged int64
	Removed   bool
	RemovedAt *time.Time
	// Content are the fields the file's columns were mapped to by content (batches.content_columns); none for
	// a removed batch.
	Content []ContentColumn
}

// ContentColumn is a field mapped by content: the header it was read from, and the header word that cued it
// ("" when its values alone mapped it).
type ContentColumn struct {
	Field  string `json:"field"`
	Header string `json:"header"`
	Word   string `json:"word"`
}

// contentColumns are the fields cm mapped by content, sorted by field, with their headers as quoteCell shows
// them (file content reaches the warehouse and the log scrubbed).
func contentColumns(cm columnMap) []ContentColumn {
	var out []ContentColumn
	for _, f := range slices.Sorted(maps.Keys(cm.By)) {
		if cm.By[f] == "content" && cm.Index[f] < len(cm.Header) {
			out = append(out, ContentColumn{Field: f, Header: cellText(cm.Header[cm.Index[f]]), Word: cm.ContentWord[f]})
		}
	}
	return out
}

// ListBatches lists every batch landed, and every batch removed since, by id.
func ListBatches(ctx context.Context, w *warehouse.Warehouse) ([]Batch, error) {
	type row struct {
		b             Batch
		asOf, removed sql.NullTime
		content       sql.NullString
	}
	var out []Batch
	err := sqlrows.Each(ctx, w.DB, func(r *row) []any {
		b := &r.b
		return []any{&b.ID, &b.Source, &b.File, &b.SHA256, &r.asOf, &b.IngestedAt, &b.Read, &b.Accepted, &b.Rejected,
			&b.Removed, &r.removed, &r.content, &b.Unchanged}
	}, func(r row) error {
		b := r.b
		if r.content.Valid {
			if err := json.Unmarshal([]byte(r.content.String), &b.Content); err != nil {
				return fmt.Errorf("batch %d: content_columns: %w", b.ID, err)
			}
		}
		if r.asOf.Valid {
			b.AsOf = &r.asOf.Time
		}
		if r.removed.Valid {
			b.RemovedAt = &r.removed.Time
		}
		out = append(out, b)
		return nil
	}, `
		SELECT batch_id, source_system, file_path, file_sha256, export_as_of, ingested_at, rows_read, rows_accepted,
		       rows_rejected, false, NULL::TIMESTAMP, content_columns, rows_unchanged FROM batches
		UNION ALL
		SELECT batch_id, source_system, file_path, file_sha256, export_as_of, ingested_at, rows_read, rows_accepted,
		       rows_rejected, true, removed_at, NULL, rows_unchanged FROM batch_removals
		ORDER BY 1, 11 NULLS LAST`)
	if err != nil {
		return nil, fmt.Errorf("batches: %w", err)
	}
	return out, nil
}

// RemoveOptions say how RemoveBatch works.
type RemoveOptions struct {
	// DryRun counts what would go and checks the filings, removing nothing.
	DryRun bool
	// Force removes a batch whose complaints fall in a period recorded as filed.
	Force bool
	// Reason is recorded in batch_removals.why.
	Reason string
	// Now stamps removed_at (nil: time.Now).
	Now func() time.Time
}

// Removal is what RemoveBatch removed (or, DryRun, would remove).
type Removal struct {
	Batch                  Batch
	Rows, Rejects, Missing int64    // landed rows, rejects and missing_from_snapshot rows of the batch
	Unchanged              int64    // its unchanged rows (row_sightings)
	Promoted               int64    // later sightings of its landed rows that became (would become) versions (promoteSightings)
	Filed                  []string // filed periods (filings.period) the batch's complaints fall in
	Forced, DryRun         bool
}

// RemoveBatch takes batch id back out of the warehouse: its landed rows, rejects, missing_from_snapshot rows,
// unchanged rows (row_sightings) and its batches row are deleted in one transaction, a later export's unchanged
// row equal to one of its landed rows becoming a version in its place (promoteSightings), and batch_removals records what went, when, by whom and why.
// The same file may then be ingested again. It is refused (msg_poison_batch_filed) when any of the batch's complaints
// was received in a period recorded as filed (filings; any branch scope), unless opts.Force. The derived tables
// are not touched: the next normalise sees that a batch it had normalised is gone and rebuilds in full.
func RemoveBatch(ctx context.Context, w *warehouse.Warehouse, id int64, opts RemoveOptions) (*Removal, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	conn, err := w.DB.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("remove batch %d: %w", id, err)
	}
	defer conn.Close()
	// promoting sightings may land many rows (warehouse.UnorderedWrites)
	restore, err := warehouse.UnorderedWritesOn(ctx, conn)
	if err != nil {
		return nil, fmt.Errorf("remove batch %d: %w", id, err)
	}
	defer restore()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("remove batch %d: %w", id, err)
	}
	defer tx.Rollback()
	r := &Removal{DryRun: opts.DryRun, Forced: opts.Force}
	b := &r.Batch
	var asOf sql.NullTime
	err = tx.QueryRowContext(ctx, `SELECT batch_id, source_system, file_path, file_sha256, export_as_of, ingested_at,
		rows_read, rows_accepted, rows_rejected, rows_unchanged FROM batches WHERE batch_id = ?`, id).Scan(
		&b.ID, &b.Source, &b.File, &b.SHA256, &asOf, &b.IngestedAt, &b.Read, &b.Accepted, &b.Rejected, &b.Unchanged)
	if errors.Is(err, sql.ErrNoRows) {
		var removed sql.NullTime
		tx.QueryRowContext(ctx, "SELECT max(removed_at) FROM batch_removals WHERE batch_id = ?", id).Scan(&removed)
		if removed.Valid {
			return nil, catalog.Errorf("msg_poison_batch_already_removed", id, removed.Time.Format("2006-01-02 15:04"))
		}
		return nil, catalog.Errorf("msg_poison_batch_unknown", id)
	}
	if err != nil {
		return nil, fmt.Errorf("remove batch %d: %w", id, err)
	}
	if asOf.Valid {
		b.AsOf = &asOf.Time
	}
	err = tx.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM landed_rows WHERE batch_id = $1),
		(SELECT count(*) FROM rejects WHERE batch_id = $1),
		(SELECT count(*) FROM missing_from_snapshot WHERE batch_id = $1),
		(SELECT count(*) FROM row_sightings WHERE batch_id = $1),
		(SELECT count(DISTINCT version_row_number) FROM row_sightings WHERE version_batch_id = $1 AND batch_id <> $1)`, id).Scan(
		&r.Rows, &r.Rejects, &r.Missing, &r.Unchanged, &r.Promoted)
	if err != nil {
		return nil, fmt.Errorf("remove batch %d: %w", id, err)
	}
	// the filed periods its complaints were received in (a period is written as readmodel.Period writes it: 2026-10,
	// 2026-Q3, 2026-H1, 2026, so each receipt date is written in the filing's kind and compared), and those whose
	// filing counted one of its complaints in any figure (a complaint received in September, closed in October)
	r.Filed, err = sqlrows.Query(ctx, tx, func(p *string) []any { return []any{p} }, `WITH rows AS (
			SELECT source_system, source_id, received_at FROM landed_rows WHERE batch_id = $1
			UNION ALL -- its unchanged rows, as the versions they equal
			SELECT l.source_system, l.source_id, l.received_at FROM row_sightings s
			JOIN landed_rows l ON l.batch_id = s.version_batch_id AND l.row_number = s.version_row_number WHERE s.batch_id = $1),
		d AS (SELECT DISTINCT CAST(TRY_CAST(received_at AS TIMESTAMP) AS DATE) AS d FROM rows)
		SELECT DISTINCT f.period FROM filings f JOIN d ON f.period = CASE f.kind
			WHEN 'month' THEN strftime(d.d, '%Y-%m')
			WHEN 'quarter' THEN year(d.d) || '-Q' || quarter(d.d)
			WHEN 'half' THEN year(d.d) || '-H' || CASE WHEN month(d.d) <= 6 THEN 1 ELSE 2 END
			WHEN 'year' THEN CAST(year(d.d) AS VARCHAR) END
		UNION
		-- a filing that counted one of its complaints in any figure (closed or open in a later period, too)
		SELECT DISTINCT f.period FROM filings f JOIN filing_complaints fc USING (filing_id)
		WHERE fc.complaint_key IN (SELECT source_system || ':' || source_id FROM rows)
		ORDER BY 1`, id)
	if err != nil {
		return nil, fmt.Errorf("remove batch %d: filings: %w", id, err)
	}
	if len(r.Filed) > 0 && !opts.Force {
		return r, catalog.Errorf("msg_poison_batch_filed", id, strings.Join(r.Filed, ", "))
	}
	if opts.DryRun {
		return r, nil
	}
	who := ""
	if u, err := user.Current(); err == nil {
		who = u.Username
	}
	removedAt := warehouse.WallClock(opts.Now())
	var asOfArg any
	if b.AsOf != nil {
		asOfArg = *b.AsOf
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO batch_removals (batch_id, source_system, file_path, file_sha256, export_as_of,
		ingested_at, rows_read, rows_accepted, rows_rejected, rows_removed, rejects_removed, missing_removed, removed_at, forced,
		who, why, rows_unchanged) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		b.ID, b.Source, b.File, b.SHA256, asOfArg, b.IngestedAt, b.Read, b.Accepted, b.Rejected, r.Rows, r.Rejects, r.Missing,
		removedAt, opts.Force, nullText(who), nullText(opts.Reason), b.Unchanged); err != nil {
		return nil, fmt.Errorf("remove batch %d: record: %w", id, err)
	}
	if r.Promoted, err = promoteSightings(ctx, tx, id); err != nil {
		return nil, fmt.Errorf("remove batch %d: %w", id, err)
	}
	// the source's newest versions are computed again by its next batch (newest.go)
	for _, t := range []string{"row_newest", "row_newest_state"} {
		if _, err := tx.ExecContext(ctx, "DELETE FROM "+t+" WHERE source_system = ?", b.Source); err != nil {
			return nil, fmt.Errorf("remove batch %d: %w", id, err)
		}
	}
	for _, t := range []string{"landed_rows", "rejects", "missing_from_snapshot", "row_sightings", "batches"} {
		if _, err := tx.ExecContext(ctx, "DELETE FROM "+t+" WHERE batch_id = ?", id); err != nil {
			return nil, fmt.Errorf("remove batch %d: %s: %w", id, t, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("remove batch %d: commit: %w", id, err)
	}
	return r, nil
}

func nullText(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// promoteSightings, in tx, lands in its own batch the first later sighting (row_sightings, by batch and row) of each
// landed row of batch id, as that batch would have landed it had batch id never landed, and points the later
// sightings of the same row at it; the caller then deletes batch id's rows. Promoted rows keep the version's
// values and row hash, with the sighting's lineage (batch, file, sheet, ingest time, row number) and no raw hash (a
// sighting's is not kept: its next sighting is compared after mapping).
func promoteSightings(ctx context.Context, tx *sql.Tx, id int64) (int64, error) {
	stmts := []string{
		`CREATE OR REPLACE TEMP TABLE promoted AS
		SELECT batch_id, row_number, version_row_number FROM row_sightings WHERE version_batch_id = $1 AND batch_id <> $1
		QUALIFY row_number() OVER (PARTITION BY version_row_number ORDER BY batch_id, row_number) = 1`,
		`INSERT INTO landed_rows BY NAME
		SELECT l.* REPLACE (p.batch_id AS batch_id, p.row_number AS row_number, b.file_path AS file_path,
		       b.file_sha256 AS file_sha256, b.sheet AS sheet, b.ingested_at AS ingested_at, NULL AS raw_hash)
		FROM promoted p JOIN landed_rows l ON l.batch_id = $1 AND l.row_number = p.version_row_number
		JOIN batches b ON b.batch_id = p.batch_id`,
		`DELETE FROM row_sightings WHERE EXISTS (SELECT 1 FROM promoted p
			WHERE p.batch_id = row_sightings.batch_id AND p.row_number = row_sightings.row_number)`,
		`UPDATE row_sightings SET version_batch_id = p.batch_id, version_row_number = p.row_number FROM promoted p
		WHERE row_sightings.version_batch_id = $1 AND row_sightings.version_row_number = p.version_row_number`,
		`DROP TABLE promoted`,
	}
	var n int64
	for i, s := range stmts {
		if i == len(stmts)-1 {
			if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM promoted").Scan(&n); err != nil {
				return 0, fmt.Errorf("promote unchanged rows: %w", err)
			}
		}
		var args []any
		if strings.Contains(s, "$1") {
			args = []any{id}
		}
		if _, err := tx.ExecContext(ctx, s, args...); err != nil {
			return 0, fmt.Errorf("promote unchanged rows: %w", err)
		}
	}
	return n, nil
}
