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
// every row) leaves it behind the source's newest batch, so the next batch computes it again. Sightings are not
// written into it (advanceNewest says why that is exact), so its place in the order and newest batch of an id
// are those of the id's last merge.

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
	versions, sightings := newestCandidateParts(batchOnly, idFilter...)
	return versions + `
			UNION ALL
			` + sightings
}

// newestCandidateParts are newestCandidatesSQL's versions and sightings, each a SELECT of newestColumns.
func newestCandidateParts(batchOnly bool, idFilter ...string) (versions, sightings string) {
	a, i, vJoin, sJoin, vWhere, sWhere := "b.export_as_of", "b.ingested_at", " JOIN batches b USING (batch_id)", " JOIN batches b ON b.batch_id = s.batch_id",
		"l.batch_id < $1", "s.batch_id < $1"
	if batchOnly {
		a, i, vJoin, sJoin, vWhere, sWhere = "CAST($3 AS TIMESTAMP)", "CAST($4 AS TIMESTAMP)", "", "", "l.batch_id = $1", "s.batch_id = $1"
	}
	// a sighting's raw hash is known only while its batch lands: a mapped row's in ingest_sighted, else (a row
	// recognised before mapping) its version's
	sightingRH, sightedJoin := "NULL::UBIGINT", ""
	if batchOnly {
		sightingRH, sightedJoin = "coalesce(t.rh, v.raw_hash)", " LEFT JOIN ingest_sighted t ON t.row_number = s.row_number"
	}
	// the versions the sightings may point at: the source's, within the id filter, in a subquery of their own (in
	// the WHERE, DuckDB joined every sighting of the batch to its version before filtering on the id)
	vOf := "l.source_system = $2"
	for _, f := range idFilter { // a condition on the id: "NOT IN (...)"
		vWhere += " AND l.source_id " + f
		vOf += " AND l.source_id " + f
	}
	return `SELECT l.source_id, l.row_hash AS h, l.raw_hash AS rh, l.batch_id AS vb, l.row_number AS vr, TRY_CAST(l.updated_at AS TIMESTAMP) AS u,
			       ` + a + ` AS a, ` + i + ` AS i, l.batch_id AS sb, l.row_number AS sr,
			       l.row_hash IS NOT NULL AND TRY_CAST(l.received_at AS TIMESTAMP) IS NOT NULL AS ok, l.batch_id AS seen_b, l.received_at AS recv
			FROM landed_rows l` + vJoin + `
			WHERE l.source_system = $2 AND ` + vWhere, `SELECT v.source_id, v.row_hash, ` + sightingRH + `, s.version_batch_id, s.version_row_number, TRY_CAST(v.updated_at AS TIMESTAMP),
			       ` + a + `, ` + i + `, s.batch_id, s.row_number, v.row_hash IS NOT NULL, s.batch_id, v.received_at
			FROM row_sightings s JOIN (SELECT * FROM landed_rows l WHERE ` + vOf + `) v
				ON v.batch_id = s.version_batch_id AND v.row_number = s.version_row_number` + sJoin + sightedJoin + `
			WHERE ` + sWhere
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

// advanceNewest takes batch batchID's versions into row_newest (the newer of each id's stored newest and the
// batch's), in the open transaction; asOf and ingested are what its batches row will hold.
//
// Most rows of a ledger are sightings of their id's newest version. A sighting is not written into row_newest
// (rewriting every id of a ledger each month held the transaction's memory and time): the id keeps its version,
// its raw hash and the place in the order of its last merge, and its newest sighting stays in row_sightings.
// That is enough while every batch of the source comes later than all before it (as-of date, then ingest time:
// inOrderSQL): such a batch's rows outrank any earlier sighting wherever the version's own order (ok, updated-at)
// leaves them level, exactly as they outrank the earlier place row_newest keeps. So only the ids with a version
// in the batch are merged with newestPick (with the batch's sightings of those ids), and a sighting is written
// into row_newest only where it changes what the loader reads: a raw hash that differs from the stored one (the
// row was mapped to be compared), or a version not comparable (ok false) that its sighting makes comparable. The
// newest batch that had an id (last_seen_batch of missing_from_snapshot) is read from row_sightings when an id
// is missing (listMissing). A batch that does not come later than all before it drops the source's rows, which
// the next batch computes again from every batch (prepareNewest).
func advanceNewest(ctx context.Context, ex driver.ExecerContext, q driver.QueryerContext, batchID int64, source string, asOf, ingested any, step func(string)) error {
	inOrder, err := queryBool(ctx, q, inOrderSQL, namedValues(batchID, source, asOf, ingested))
	if err != nil {
		return fmt.Errorf("newest versions of %s: %w", source, err)
	}
	type stmt struct {
		sql  string
		args []driver.NamedValue
	}
	var stmts []stmt
	if !inOrder {
		stmts = []stmt{
			{`DELETE FROM row_newest WHERE source_system = $1`, namedValues(source)},
			{`DELETE FROM row_newest_state WHERE source_system = $1`, namedValues(source)},
		}
	} else {
		// the batch's sightings of versions not comparable, when the source has such a version (seldom: a join of
		// every sighting otherwise)
		notComparable := ""
		if n, err := queryCount(ctx, q, `SELECT count(*) FROM row_newest WHERE source_system = $1 AND NOT ok`, namedValues(source)...); err != nil {
			return fmt.Errorf("newest versions of %s: %w", source, err)
		} else if n > 0 {
			notComparable = `
						UNION ALL
						SELECT s.row_number, s.version_batch_id, s.version_row_number, NULL
						FROM (SELECT vb, vr FROM row_newest WHERE source_system = $2 AND NOT ok) n
						JOIN row_sightings s ON s.batch_id = $1 AND s.version_batch_id = n.vb AND s.version_row_number = n.vr`
		}
		later := laterThan("c.a", "c.i")
		landed := "IN (SELECT source_id FROM landed_rows WHERE batch_id = $1 AND source_system = $2)"
		single, _ := newestCandidateParts(true, "NOT IN (SELECT source_id FROM newest_multi)")
		wins := `NOT (c.ok AND NOT r.ok OR c.ok = r.ok AND coalesce(c.u, '-infinity'::TIMESTAMP) > coalesce(r.u, '-infinity'::TIMESTAMP))`
		stmts = []stmt{
			// the sightings that change what row_newest says of an id: a raw hash of a row mapped to be compared
			// (ingest_sighted), or a version made comparable (an id with a version in the batch too is merged
			// after this, its sighting among the candidates). A sighting holds no id: each of this batch's points
			// at the version row_newest holds for its id (the loader matched it there, and nothing has changed
			// row_newest's versions since), so it is found by that version (vb, vr).
			{`CREATE OR REPLACE TEMP TABLE newest_seen AS
				WITH cand AS (
					SELECT s.row_number, s.version_batch_id, s.version_row_number, t.rh
					FROM ingest_sighted t JOIN row_sightings s ON s.batch_id = $1 AND s.row_number = t.row_number
` + notComparable + `)
				SELECT c.source_id, any_value(x.row_number) AS row_number, any_value(x.rh) AS raw_hash
				FROM cand x JOIN row_newest c ON c.source_system = $2 AND c.vb = x.version_batch_id AND c.vr = x.version_row_number
				WHERE NOT c.ok OR x.rh IS NOT NULL AND x.rh IS DISTINCT FROM c.rh
				GROUP BY c.source_id`, namedValues(batchID, source)},
			{`UPDATE row_newest c SET rh = coalesce(f.raw_hash, c.rh),
				ok = true,
				a = CASE WHEN NOT c.ok OR ` + later + ` THEN CAST($3 AS TIMESTAMP) ELSE c.a END,
				i = CASE WHEN NOT c.ok OR ` + later + ` THEN CAST($4 AS TIMESTAMP) ELSE c.i END,
				sb = CASE WHEN NOT c.ok OR ` + later + ` THEN $1 ELSE c.sb END,
				sr = CASE WHEN NOT c.ok OR ` + later + ` THEN f.row_number ELSE c.sr END,
				seen_b = $1
				FROM newest_seen f WHERE c.source_system = $2 AND c.source_id = f.source_id`, namedValues(batchID, source, asOf, ingested)},
			// ids with more than one row in the batch (several versions, or a version and a sighting) are merged
			// with newestPick; the others (one version in the batch) are compared with the stored newest
			{`CREATE OR REPLACE TEMP TABLE newest_multi AS SELECT source_id FROM (
					SELECT source_id FROM landed_rows WHERE batch_id = $1 AND source_system = $2
					UNION ALL SELECT n.source_id FROM (SELECT source_id, vb, vr FROM row_newest WHERE source_system = $2 AND source_id ` + landed + `) n
					JOIN row_sightings s ON s.version_batch_id = n.vb AND s.version_row_number = n.vr WHERE s.batch_id = $1)
				GROUP BY source_id HAVING count(*) > 1`, namedValues(batchID, source)},
			// the batch's version outranks the stored newest unless that one is comparable and it is not, or
			// its updated-at is later: level on those, the batch comes later (inOrderSQL)
			{`UPDATE row_newest c SET ` + winnerTakes(wins) + `,
				seen_b = r.seen_b, recv = greatest(c.recv, r.recv)
				FROM (` + single + `) r WHERE c.source_system = $2 AND c.source_id = r.source_id`, namedValues(batchID, source, asOf, ingested)},
			{`INSERT INTO row_newest (source_system, ` + newestColumns + `) SELECT $2, * FROM (` + single + `) r
				WHERE NOT EXISTS (SELECT 1 FROM row_newest n WHERE n.source_system = $2 AND n.source_id = r.source_id)`, namedValues(batchID, source, asOf, ingested)},
			{`CREATE OR REPLACE TEMP TABLE newest_merged AS
				WITH batch AS (` + newestCandidatesSQL(true, "IN (SELECT source_id FROM newest_multi)") + `)
				` + newestPick(`SELECT `+newestColumns+` FROM row_newest
					WHERE source_system = $2 AND source_id IN (SELECT source_id FROM batch)
					UNION ALL SELECT * FROM batch`), namedValues(batchID, source, asOf, ingested)},
			{`UPDATE row_newest SET h = m.h, rh = m.rh, vb = m.vb, vr = m.vr, u = m.u, a = m.a, i = m.i, sb = m.sb, sr = m.sr, ok = m.ok,
				seen_b = m.seen_b, recv = m.recv
				FROM newest_merged m WHERE row_newest.source_system = $1 AND row_newest.source_id = m.source_id`, namedValues(source)},
			{`INSERT INTO row_newest (source_system, ` + newestColumns + `) SELECT $1, * FROM newest_merged m
				WHERE NOT EXISTS (SELECT 1 FROM row_newest n WHERE n.source_system = $1 AND n.source_id = m.source_id)`, namedValues(source)},
			{`DELETE FROM row_newest_state WHERE source_system = $1`, namedValues(source)},
			{`INSERT INTO row_newest_state VALUES ($1, $2)`, namedValues(source, batchID)},
			{`DROP TABLE newest_merged`, nil},
			{`DROP TABLE newest_multi`, nil},
			{`DROP TABLE newest_seen`, nil},
		}
	}
	stmts = append(stmts, stmt{`DROP TABLE IF EXISTS ingest_sighted`, nil})
	for _, s := range stmts {
		if _, err := ex.ExecContext(ctx, s.sql, s.args); err != nil {
			return fmt.Errorf("newest versions of %s: %w", source, err)
		}
		step("newest versions: " + firstWords(s.sql, 5))
	}
	return nil
}

// winnerTakes is the SET list that gives each column of an id's place in the order (all of newestColumns but the
// id, seen_b and recv) the batch's value r where wins, else keeps the stored one c.
func winnerTakes(wins string) string {
	var set []string
	for _, col := range []string{"h", "rh", "vb", "vr", "u", "a", "i", "sb", "sr", "ok"} {
		set = append(set, col+" = CASE WHEN "+wins+" THEN r."+col+" ELSE c."+col+" END")
	}
	return strings.Join(set, ", ")
}

// inOrderSQL is true when batch $1 of source $2, with as-of date $3 and ingest time $4, comes later in the order
// of candidates (newestOrder: as-of date, nulls first, then ingest time) than every earlier batch of the source.
var inOrderSQL = `SELECT NOT EXISTS (SELECT 1 FROM batches c WHERE c.source_system = $2 AND c.batch_id < $1
	AND NOT ` + laterThan("c.export_as_of", "c.ingested_at") + `)`

// laterThan is true when the batch being landed (as-of date $3, ingest time $4) comes at or after the place (as-of
// date asOf, ingest time ingested) in the order of candidates: as-of date, nulls first, then ingest time.
func laterThan(asOf, ingested string) string {
	return `(coalesce(CAST($3 AS TIMESTAMP), '-infinity'::TIMESTAMP) > coalesce(` + asOf + `, '-infinity'::TIMESTAMP)
		OR coalesce(CAST($3 AS TIMESTAMP), '-infinity'::TIMESTAMP) = coalesce(` + asOf + `, '-infinity'::TIMESTAMP) AND CAST($4 AS TIMESTAMP) >= ` + ingested + `)`
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

// firstWords are the first n words of a statement, to name it in a debug log.
func firstWords(sql string, n int) string {
	w := strings.Fields(sql)
	if len(w) > n {
		w = w[:n]
	}
	return strings.Join(w, " ")
}
