package bench

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	_ "github.com/duckdb/duckdb-go/v2" // the floor is DuckDB alone, through database/sql
)

// ledgerID is the ledgers' id column, the key of the monthly floor's row hashes.
const ledgerID = "工单编号"

// The floors are what DuckDB alone does with the same files, in a database file of its own:
//   - persistent: each file landed as a text table (CREATE TABLE AS SELECT * FROM read_csv(...), every column
//     VARCHAR), then CHECKPOINT. The ledgers are UTF-8; the plain scenario's GB18030 hotline export is decoded
//     beforehand, untimed (RunPlain).
//   - monthly: the next ledger read and joined to the stored row hashes (id and a hash of the whole row) of the
//     landed ledgers; the rows whose hash is new are kept with their hashes, then CHECKPOINT. The hashes are
//     prepared beforehand (FloorHashes), untimed.
//   - monthly writes (not a floor the targets are measured against, but the least DuckDB must write for the
//     monthly job, for comparison with the monthly floor): in one transaction, the monthly floor's join, then a
//     sighting recorded for every row of the next ledger and as many complaints rewritten (deleted and inserted
//     again, every column) as the ledger has new and changed rows, each of which the job must re-derive; then
//     CHECKPOINT. It runs on a copy of the floor's database made before the monthly floor, holding a copy of the
//     first load's complaints (FloorWritesPrepare), untimed. No mapping, privacy boundary or derivation: those
//     would only add to it.

// FloorPersistent lands files into the database file db as tables ledger_1, ledger_2, ... (in the plain
// scenario the last one is the hotline's).
func FloorPersistent(ctx context.Context, db string, files []string) error {
	return withDB(ctx, db, func(c *sql.Conn) error {
		for i, f := range files {
			q := fmt.Sprintf("CREATE OR REPLACE TABLE ledger_%d AS SELECT * FROM read_csv(%s, header = true, all_varchar = true)", i+1, quote(f))
			if _, err := c.ExecContext(ctx, q); err != nil {
				return err
			}
		}
		_, err := c.ExecContext(ctx, "CHECKPOINT")
		return err
	})
}

// FloorHashes stores the distinct (id, row hash) pairs of the n tables FloorPersistent landed in db.
func FloorHashes(ctx context.Context, db string, n int) error {
	var parts []string
	for i := 1; i <= n; i++ {
		parts = append(parts, fmt.Sprintf("SELECT %s AS id, hash(t) AS h FROM ledger_%d t", quoteIdent(ledgerID), i))
	}
	return withDB(ctx, db, func(c *sql.Conn) error {
		return execAll(ctx, c, "CREATE OR REPLACE TABLE row_hashes AS SELECT DISTINCT id, h FROM ("+strings.Join(parts, " UNION ALL ")+")", "CHECKPOINT")
	})
}

// FloorMonthly reads the next ledger, keeps its rows whose (id, hash) the stored hashes lack, adds their hashes
// and checkpoints.
func FloorMonthly(ctx context.Context, db, next string) error {
	return withDB(ctx, db, func(c *sql.Conn) error {
		q := fmt.Sprintf(`CREATE OR REPLACE TABLE next_changed AS
SELECT x.* FROM (SELECT n.*, hash(n) AS row_hash FROM read_csv(%s, header = true, all_varchar = true) n) x
ANTI JOIN row_hashes r ON r.id = x.%s AND r.h = x.row_hash`, quote(next), quoteIdent(ledgerID))
		return execAll(ctx, c, q, fmt.Sprintf("INSERT INTO row_hashes SELECT %s, row_hash FROM next_changed", quoteIdent(ledgerID)), "CHECKPOINT")
	})
}

// FloorWritesPrepare copies the complaints of the warehouse file (after the first load) into db, and an empty
// table of sightings (a batch and an id per row), for FloorWrites.
func FloorWritesPrepare(ctx context.Context, db, warehouse string) error {
	return withDB(ctx, db, func(c *sql.Conn) error {
		return execAll(ctx, c,
			"ATTACH "+quote(warehouse)+" AS wh (READ_ONLY)",
			"CREATE OR REPLACE TABLE complaints AS SELECT * FROM wh.complaints",
			"DETACH wh",
			"CREATE OR REPLACE TABLE sightings (batch INTEGER, id VARCHAR)",
			"CHECKPOINT")
	})
}

// FloorWrites is the monthly job's least writes (see above): the next ledger joined to the stored row hashes in
// one read, its new and changed rows kept with their hashes, a sighting of every row, and as many complaints
// rewritten as it kept rows, in one transaction; then CHECKPOINT.
func FloorWrites(ctx context.Context, db, next string) error {
	return withDB(ctx, db, func(c *sql.Conn) error {
		id := quoteIdent(ledgerID)
		return execAll(ctx, c,
			"BEGIN TRANSACTION",
			// one read of the ledger: each row's id and hash, the whole row only where its hash is new
			fmt.Sprintf(`CREATE OR REPLACE TEMP TABLE next_marked AS
SELECT x.%s AS id, x.row_hash, CASE WHEN r.id IS NULL THEN x END AS full_row
FROM (SELECT n.*, hash(n) AS row_hash FROM read_csv(%s, header = true, all_varchar = true) n) x
LEFT JOIN row_hashes r ON r.id = x.%s AND r.h = x.row_hash`, id, quote(next), id),
			"CREATE OR REPLACE TABLE next_changed AS SELECT unnest(full_row) FROM next_marked WHERE full_row IS NOT NULL",
			fmt.Sprintf("INSERT INTO row_hashes SELECT %s, row_hash FROM next_changed", id),
			"INSERT INTO sightings SELECT coalesce((SELECT max(batch) FROM sightings), 0) + 1, id FROM next_marked",
			// the least a re-derivation can cost: any stored complaints, as many as the rows kept, read as they are
			"CREATE OR REPLACE TEMP TABLE rederived AS SELECT * FROM complaints LIMIT (SELECT count(*) FROM next_changed)",
			"DELETE FROM complaints WHERE complaint_key IN (SELECT complaint_key FROM rederived)",
			"INSERT INTO complaints SELECT * FROM rederived",
			"COMMIT",
			"CHECKPOINT")
	})
}

// execAll runs the statements in order, stopping at the first that fails.
func execAll(ctx context.Context, c *sql.Conn, stmts ...string) error {
	for _, s := range stmts {
		if _, err := c.ExecContext(ctx, s); err != nil {
			return err
		}
	}
	return nil
}

func withDB(ctx context.Context, path string, fn func(*sql.Conn) error) error {
	db, err := sql.Open("duckdb", path)
	if err != nil {
		return err
	}
	defer db.Close()
	c, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer c.Close()
	return fn(c)
}

func quote(s string) string      { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
