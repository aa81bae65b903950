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
		if _, err := c.ExecContext(ctx, "CREATE OR REPLACE TABLE row_hashes AS SELECT DISTINCT id, h FROM ("+strings.Join(parts, " UNION ALL ")+")"); err != nil {
			return err
		}
		_, err := c.ExecContext(ctx, "CHECKPOINT")
		return err
	})
}

// FloorMonthly reads the next ledger, keeps its rows whose (id, hash) the stored hashes lack, adds their hashes
// and checkpoints.
func FloorMonthly(ctx context.Context, db, next string) error {
	return withDB(ctx, db, func(c *sql.Conn) error {
		q := fmt.Sprintf(`CREATE OR REPLACE TABLE next_changed AS
SELECT x.* FROM (SELECT n.*, hash(n) AS row_hash FROM read_csv(%s, header = true, all_varchar = true) n) x
ANTI JOIN row_hashes r ON r.id = x.%s AND r.h = x.row_hash`, quote(next), quoteIdent(ledgerID))
		for _, s := range []string{q, fmt.Sprintf("INSERT INTO row_hashes SELECT %s, row_hash FROM next_changed", quoteIdent(ledgerID)), "CHECKPOINT"} {
			if _, err := c.ExecContext(ctx, s); err != nil {
				return err
			}
		}
		return nil
	})
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
