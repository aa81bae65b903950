package scope

import (
	"context"
	"fmt"
	"regexp"
	"strings"
)

// quoteLiteral is s as a SQL string literal, for the one value DuckDB takes no parameter for: ATTACH's path.
func quoteLiteral(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

var identifier = regexp.MustCompile(`^[a-z_][a-z0-9_]*$`)

// attachStatement is the ATTACH of the DuckDB file at path, read-only, under alias.
func attachStatement(path, alias string) (string, error) {
	if !identifier.MatchString(alias) {
		return "", fmt.Errorf("attach: alias %q is no plain identifier", alias)
	}
	return "ATTACH " + quoteLiteral(path) + " AS " + alias + " (READ_ONLY)", nil
}

// AttachReadOnly attaches the DuckDB file at path read-only under alias (a plain lower-case identifier) to the
// database of q (a connection: the alias is seen by every connection of that database). The path is quoted as a
// literal, since ATTACH takes no parameter.
func AttachReadOnly(ctx context.Context, q execer, path, alias string) error {
	stmt, err := attachStatement(path, alias)
	if err != nil {
		return err
	}
	_, err = q.ExecContext(ctx, stmt)
	return err
}

// placeholders is n comma-separated ? (n > 0).
func placeholders(n int) string { return strings.TrimSuffix(strings.Repeat("?, ", n), ", ") }
