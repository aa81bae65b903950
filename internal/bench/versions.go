package bench

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// The size target compares the warehouse after the monthly job with a warehouse that lands each distinct version
// once: a project of its own whose one export holds every distinct row of all the ledgers (a complaint's row
// repeats, unchanged, in every ledger after it last changed), ingested and normalised like the bank's.

// versionsFile is the name of that export; the ledger profile's glob takes it and no date in it is an as-of date.
const versionsFile = "ledger_versions.csv"

// VersionsProject writes, under dir, a copy of project's config and branch master with one export holding every
// distinct row of files (DuckDB alone: SELECT DISTINCT over the ledgers read as text), and returns the project's
// folder and the export's rows.
func VersionsProject(ctx context.Context, project, dir string, files []string) (string, int, error) {
	out := filepath.Join(dir, "versions")
	if err := os.RemoveAll(out); err != nil {
		return "", 0, err
	}
	if err := os.MkdirAll(filepath.Join(out, "exports"), 0o755); err != nil {
		return "", 0, err
	}
	for _, f := range []string{"complaints.yaml", "branches.csv"} {
		b, err := os.ReadFile(filepath.Join(project, f))
		if err != nil {
			return "", 0, err
		}
		if err := os.WriteFile(filepath.Join(out, f), b, 0o644); err != nil {
			return "", 0, err
		}
	}
	quoted := make([]string, len(files))
	for i, f := range files {
		quoted[i] = quote(f)
	}
	var n int
	err := withDB(ctx, "", func(c *sql.Conn) error {
		q := fmt.Sprintf(`COPY (SELECT DISTINCT * FROM read_csv([%s], header = true, all_varchar = true)) TO %s (HEADER)`,
			strings.Join(quoted, ", "), quote(filepath.Join(out, "exports", versionsFile)))
		if _, err := c.ExecContext(ctx, q); err != nil {
			return err
		}
		return c.QueryRowContext(ctx, fmt.Sprintf("SELECT count(*) FROM read_csv(%s, header = true, all_varchar = true)",
			quote(filepath.Join(out, "exports", versionsFile)))).Scan(&n)
	})
	return out, n, err
}
