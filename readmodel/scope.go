package readmodel

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"complaints/catalog"
	"complaints/internal/sqlrows"
)

// Scope is what a scoped copy of the warehouse holds (pipeline.OpenScope: --as-of, --branch), read from its
// warehouse_scope table; the zero Scope is the warehouse itself.
type Scope struct {
	AsOf       string   // YYYY-MM-DD: the batches ingested by the end of that day (Beijing time); "" none
	Branch     string   // the branch code whose subtree the copy holds; "" bank-wide
	BranchName string   // its name in the branch master (the code when it has none)
	Subtree    []string // the codes kept: the branch and every unit below it
}

// LoadScope reads warehouse_scope; a database without the table (an older schema) is the warehouse itself.
func LoadScope(ctx context.Context, db *sql.DB) (Scope, error) {
	var s Scope
	var n int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM duckdb_tables() WHERE table_name = 'warehouse_scope'
		AND schema_name = 'main' AND database_name = current_database()`).Scan(&n); err != nil || n == 0 {
		return s, err
	}
	kv, err := sqlrows.Map[string, string](ctx, db, "SELECT name, value FROM warehouse_scope")
	if err != nil {
		return s, fmt.Errorf("read warehouse_scope: %w", err)
	}
	for k, v := range kv {
		switch k {
		case "as_of":
			s.AsOf = v
		case "branch":
			s.Branch = v
		case "branch_name":
			s.BranchName = v
		case "subtree":
			s.Subtree = strings.Split(v, ",")
		}
	}
	return s, nil
}

// BranchLabel is the branch as shown on a cover or a page header: its name and code, and a note when its
// sub-branches are included; "" for a bank-wide scope.
func (s Scope) BranchLabel(lang string) string {
	if s.Branch == "" {
		return ""
	}
	l := s.Branch
	if s.BranchName != "" && s.BranchName != s.Branch {
		l = s.BranchName + " (" + s.Branch + ")"
	}
	if len(s.Subtree) > 1 {
		l += catalog.Text("scope_with_subbranches", lang)
	}
	return l
}
