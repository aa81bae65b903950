package ingest

import (
	"context"
	"database/sql/driver"
	"fmt"
	"io"
	"strings"
)

// The newest version of each id (the one a re-exported row is compared with) is kept in row_newest as each batch
// lands (migration 033): the rows of a cumulative ledger are compared with one row per id instead of every
// version and sighting since the start, which grows by a ledger a month. row_newest_state says the source's
// newest batch the table holds; the table is valid for the source when that is the newest batch of the source
// in batches, else it is computed again from landed_rows and row_sightings (newestSQL). Removing a batch
// (RemoveBatch) forgets the source's rows; a batch landed without updating it (the Appender build, tests landing
// every row) leaves it behind the source's newest batch, so the next batch computes it again.

// newestOrder is the order of candidates for an id's newest (stg_pick's), after those that can be compared
// (ok: hashed, and a version with a receipt date): updated-at, export as-of, ingest time, batch and row of the
// sighting or version.
const newestOrder = "ok DESC, u DESC NULLS LAST, a DESC NULLS LAST, i DESC, sb DESC, sr DESC"

// newestColumns are row_newest's columns after source_system, as the queries below select them.
const newestColumns = "source_id, h, rh, vb, vr, u, a, i, sb, sr, ok, seen_b, recv"

// newestSQL selects, per id of source $2 landed before batch $1 (restricted to the ids of batch $1's landed rows
// when ofBatch), the newest version as transform's staging chooses it (stg_pick: newestOrder), a sighting taking
// part like the version it points to, seen at its own batch's as-of date: source_id, its row hash h, its raw hash
// rh (a version's; a sighting's only while its batch lands: rawskip.go), and the landed version (vb, vr). row_newest holds the
// same without reading every earlier batch (newestOfSource).
func newestSQL(ofBatch bool) string {
	ids := ""
	if ofBatch {
		ids = " AND source_id IN (SELECT source_id FROM landed_rows WHERE batch_id = $1)"
	}
	return `SELECT source_id, h, rh, vb, vr FROM (` + newestCandidatesSQL(false) + `) WHERE ok` + ids + `
		QUALIFY row_number() OVER (PARTITION BY source_id ORDER BY ` + newestOrder + `) = 1`
}

// newestOfSource is newestSQL's answer for every id of source, read from row_newest (valid once prepareNewest
// has run in the transaction); the source is a quoted literal, for a view.
func newestOfSource(source string) string {
	return `SELECT source_id, h, rh, vb, vr FROM row_newest WHERE source_system = '` + strings.ReplaceAll(source, "'", "''") + `' AND ok`
}

// newestCandidatesSQL are the versions and sightings of source $2 with their order, their batch (seen_b) and
// receipt text (recv), from batches before $1 or of batch $1 alone (batchOnly, with the batch's as-of date $3
// and ingest time $4, its batches row being still to come).
func newestCandidatesSQL(batchOnly bool, idFilter ...string) string {
	a, i, vJoin, sJoin, vWhere, sWhere := "b.export_as_of", "b.ingested_at", " JOIN batches b USING (batch_id)", " JOIN batches b ON b.batch_id = s.batch_id",
		"l.batch_id < $1", "s.batch_id < $1"
	if batchOnly {
		a, i, vJoin, sJoin, vWhere, sWhere = "CAST($3 AS TIMESTAMP)", "CAST($4 AS TIMESTAMP)", "", "", "l.batch_id = $1", "s.batch_id = $1"
	}
	// a sighting's raw hash is known only while its batch lands (ingest_sighted)
	sightingRH, sightedJoin := "NULL::UBIGINT", ""
	if batchOnly {
		sightingRH, sightedJoin = "t.rh", " LEFT JOIN ingest_sighted t ON t.row_number = s.row_number"
	}
	for _, f := range idFilter { // a condition on the id: "NOT IN (...)"
		vWhere += " AND l.source_id " + f
		sWhere += " AND s.source_id " + f
	}
	return `SELECT l.source_id, l.row_hash AS h, l.raw_hash AS rh, l.batch_id AS vb, l.row_number AS vr, TRY_CAST(l.updated_at AS TIMESTAMP) AS u,
			       ` + a + ` AS a, ` + i + ` AS i, l.batch_id AS sb, l.row_number AS sr,
			       l.row_hash IS NOT NULL AND TRY_CAST(l.received_at AS TIMESTAMP) IS NOT NULL AS ok, l.batch_id AS seen_b, l.received_at AS recv
			FROM landed_rows l` + vJoin + `
			WHERE l.source_system = $2 AND ` + vWhere + `
			UNION ALL
			SELECT s.source_id, l.row_hash, ` + sightingRH + `, s.version_batch_id, s.version_row_number, TRY_CAST(l.updated_at AS TIMESTAMP),
			       ` + a + `, ` + i + `, s.batch_id, s.row_number, l.row_hash IS NOT NULL, s.batch_id, l.received_at
			FROM row_sightings s JOIN landed_rows l ON l.batch_id = s.version_batch_id AND l.row_number = s.version_row_number` + sJoin + sightedJoin + `
			WHERE s.source_system = $2 AND ` + sWhere
}

// newestPick keeps, of candidates (newestColumns), each id's newest, with the newest batch and latest receipt
// of all of them.
func newestPick(candidates string) string {
	return `SELECT source_id, h, rh, vb, vr, u, a, i, sb, sr, ok,
			max(seen_b) OVER (PARTITION BY source_id) AS seen_b, max(recv) OVER (PARTITION BY source_id) AS recv
		FROM (` + candidates + `)
		QUALIFY row_number() OVER (PARTITION BY source_id ORDER BY ` + newestOrder + `) = 1`
}

// prepareNewest makes row_newest hold source's newest versions from the batches before batchID, computing it
// again when it is behind (see above), in the open transaction.
func prepareNewest(ctx context.Context, ex driver.ExecerContext, q driver.QueryerContext, batchID int64, source string) error {
	valid, err := queryBool(ctx, q, `SELECT coalesce((SELECT max(through_batch) FROM row_newest_state WHERE source_system = $1), -1)
		= coalesce((SELECT max(batch_id) FROM batches WHERE source_system = $1), -1)`, namedValues(source))
	if err != nil {
		return fmt.Errorf("newest versions of %s: %w", source, err)
	}
	if valid {
		return nil
	}
	for _, s := range []struct {
		sql  string
		args []driver.NamedValue
	}{
		{`DELETE FROM row_newest WHERE source_system = $1`, namedValues(source)},
		{`DELETE FROM row_newest_state WHERE source_system = $1`, namedValues(source)},
		{`INSERT INTO row_newest (source_system, ` + newestColumns + `) SELECT $2, * FROM (` + newestPick(newestCandidatesSQL(false)) + `)`, namedValues(batchID, source)},
		{`INSERT INTO row_newest_state SELECT $1, coalesce(max(batch_id), -1) FROM batches WHERE source_system = $1`, namedValues(source)},
	} {
		if _, err := ex.ExecContext(ctx, s.sql, s.args); err != nil {
			return fmt.Errorf("newest versions of %s: %w", source, err)
		}
	}
	return nil
}

// advanceNewest takes batch batchID's versions and sightings into row_newest (the newer of each id's stored
// newest and the batch's), in the open transaction; asOf and ingested are what its batches row will hold.
func advanceNewest(ctx context.Context, ex driver.ExecerContext, batchID int64, source string, asOf, ingested any) error {
	// Most rows of a ledger are sightings of their id's newest version, the one row_newest holds: such an id (one
	// sighting in the batch, no version) keeps its version and takes the sighting's place in the order when it
	// comes later (as-of date, then ingest time; its batch is the newest), updated in place. The other ids (a new
	// version, several rows in the file, a new id) are merged with newestPick.
	later := `(coalesce(CAST($3 AS TIMESTAMP), '-infinity'::TIMESTAMP) > coalesce(c.a, '-infinity'::TIMESTAMP)
		OR coalesce(CAST($3 AS TIMESTAMP), '-infinity'::TIMESTAMP) = coalesce(c.a, '-infinity'::TIMESTAMP) AND CAST($4 AS TIMESTAMP) >= c.i)`
	stmts := []struct {
		sql  string
		args []driver.NamedValue
	}{
		{`CREATE OR REPLACE TEMP TABLE newest_seen AS
			SELECT s.source_id, any_value(s.row_number) AS row_number, any_value(t.rh) AS raw_hash
			FROM row_sightings s JOIN row_newest c ON c.source_system = $2 AND c.source_id = s.source_id
				AND c.vb = s.version_batch_id AND c.vr = s.version_row_number
			LEFT JOIN ingest_sighted t ON t.row_number = s.row_number
			WHERE s.batch_id = $1 AND s.source_system = $2
				AND NOT EXISTS (SELECT 1 FROM landed_rows l WHERE l.batch_id = $1 AND l.source_id = s.source_id)
			GROUP BY s.source_id HAVING count(*) = 1`, namedValues(batchID, source)},
		{`UPDATE row_newest c SET rh = CASE WHEN ` + later + ` THEN f.raw_hash ELSE c.rh END,
			a = CASE WHEN ` + later + ` THEN CAST($3 AS TIMESTAMP) ELSE c.a END,
			i = CASE WHEN ` + later + ` THEN CAST($4 AS TIMESTAMP) ELSE c.i END,
			sb = CASE WHEN ` + later + ` THEN $1 ELSE c.sb END,
			sr = CASE WHEN ` + later + ` THEN f.row_number ELSE c.sr END,
			seen_b = $1
			FROM newest_seen f WHERE c.source_system = $2 AND c.source_id = f.source_id`, namedValues(batchID, source, asOf, ingested)},
		{`CREATE OR REPLACE TEMP TABLE newest_merged AS
			WITH batch AS (` + newestCandidatesSQL(true, "NOT IN (SELECT source_id FROM newest_seen)") + `)
			` + newestPick(`SELECT `+newestColumns+` FROM row_newest
				WHERE source_system = $2 AND source_id IN (SELECT source_id FROM batch)
				UNION ALL SELECT * FROM batch`), namedValues(batchID, source, asOf, ingested)},
		// updated in place, then the new ids added: deleting and inserting every id of a ledger made its commit
		// several times slower (DuckDB logs each deleted row)
		{`UPDATE row_newest SET h = m.h, rh = m.rh, vb = m.vb, vr = m.vr, u = m.u, a = m.a, i = m.i, sb = m.sb, sr = m.sr, ok = m.ok,
			seen_b = m.seen_b, recv = m.recv
			FROM newest_merged m WHERE row_newest.source_system = $1 AND row_newest.source_id = m.source_id`, namedValues(source)},
		{`INSERT INTO row_newest (source_system, ` + newestColumns + `) SELECT $1, * FROM newest_merged m
			WHERE NOT EXISTS (SELECT 1 FROM row_newest n WHERE n.source_system = $1 AND n.source_id = m.source_id)`, namedValues(source)},
		{`DELETE FROM row_newest_state WHERE source_system = $1`, namedValues(source)},
		{`INSERT INTO row_newest_state VALUES ($1, $2)`, namedValues(source, batchID)},
		{`DROP TABLE newest_merged`, nil},
		{`DROP TABLE newest_seen`, nil},
		{`DROP TABLE IF EXISTS ingest_sighted`, nil},
	}
	for _, s := range stmts {
		if _, err := ex.ExecContext(ctx, s.sql, s.args); err != nil {
			return fmt.Errorf("newest versions of %s: %w", source, err)
		}
	}
	return nil
}

// queryValue is the one value a query gives (nil when it gives no row), on a driver connection inside a
// landing transaction.
func queryValue(ctx context.Context, q driver.QueryerContext, sql string, args []driver.NamedValue) (driver.Value, error) {
	rows, err := q.QueryContext(ctx, sql, args)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	dest := make([]driver.Value, 1)
	if err := rows.Next(dest); err != nil && err != io.EOF {
		return nil, err
	}
	return dest[0], nil
}

// queryBool is queryValue for a boolean (false when NULL).
func queryBool(ctx context.Context, q driver.QueryerContext, sql string, args []driver.NamedValue) (bool, error) {
	v, err := queryValue(ctx, q, sql, args)
	b, _ := v.(bool)
	return b, err
}

// queryCount is queryValue for a count.
func queryCount(ctx context.Context, q driver.QueryerContext, sql string, args ...driver.NamedValue) (int64, error) {
	v, err := queryValue(ctx, q, sql, args)
	n, _ := v.(int64)
	return n, err
}
