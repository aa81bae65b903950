package scope

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"

	"complaints/catalog"
	"complaints/internal/sqlrows"
)

// branchUnit is one row of the branch master.
type branchUnit struct{ code, name, aliases, parent string }

// resolveBranch finds the unit an argument names (code, then name or alias folded as the catalogue folds) and its
// subtree. Without a match in the master, a branch text the complaints hold is taken as it is (no sub-units).
func resolveBranch(ctx context.Context, conn *sql.Conn, src map[string]bool, arg string, s *Scoped) error {
	var units []branchUnit
	if src["branch_master"] {
		var err error
		units, err = sqlrows.Query(ctx, conn, func(u *branchUnit) []any { return []any{&u.code, &u.name, &u.aliases, &u.parent} },
			`SELECT code, coalesce(name, ''), coalesce(aliases, ''), coalesce(parent, '')
			FROM src.branch_master ORDER BY code, valid_from NULLS FIRST`)
		if err != nil {
			return fmt.Errorf("scope: branch master: %w", err)
		}
	}
	want := catalog.Normalize(arg)
	match := map[string]bool{}
	for _, u := range units {
		if u.code == strings.TrimSpace(arg) {
			match = map[string]bool{u.code: true}
			break
		}
		spellings := append([]string{u.code, u.name}, splitAliases(u.aliases)...)
		for _, sp := range spellings {
			if sp != "" && catalog.Normalize(sp) == want {
				match[u.code] = true
			}
		}
	}
	switch len(match) {
	case 1:
		for code := range match {
			s.Branch = code
		}
	case 0:
		var n int64
		if err := conn.QueryRowContext(ctx, "SELECT count(*) FROM src.complaints WHERE branch = ?", arg).Scan(&n); err != nil {
			return fmt.Errorf("scope: %w", err)
		}
		if n == 0 {
			return &BranchError{Arg: arg}
		}
		s.Branch, s.BranchName, s.Subtree = arg, arg, []string{arg}
		return nil
	default:
		return &BranchError{Arg: arg, Candidates: sortedKeys(match)}
	}
	children := map[string][]string{}
	// the unit's name as every output shows it (the view branch_labels: one rule for the name of a code)
	names, err := sqlrows.Query(ctx, conn, func(n *string) []any { return []any{n} },
		"SELECT name FROM src.branch_labels WHERE code = ?", s.Branch)
	if err != nil {
		return fmt.Errorf("scope: branch labels: %w", err)
	}
	s.BranchName = s.Branch
	if len(names) == 1 {
		s.BranchName = names[0]
	}
	for _, u := range units {
		if u.parent != "" && u.parent != u.code {
			children[u.parent] = append(children[u.parent], u.code)
		}
	}
	seen := map[string]bool{}
	queue := []string{s.Branch}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if seen[c] {
			continue
		}
		seen[c] = true
		queue = append(queue, children[c]...)
	}
	s.Subtree = sortedKeys(seen)
	return nil
}

// BranchError is a --branch that names no unit, or more than one.
type BranchError struct {
	Arg        string
	Candidates []string
}

func (e *BranchError) Error() string {
	if len(e.Candidates) > 0 {
		return fmt.Sprintf("--branch %q names several units of the branch master (%s): give the code", e.Arg, strings.Join(e.Candidates, ", "))
	}
	return fmt.Sprintf("--branch %q is no code, name or alias of the branch master, nor a branch in the data", e.Arg)
}

func splitAliases(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == '|' || r == ';' || r == '；' })
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
