package scope

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	_ "github.com/duckdb/duckdb-go/v2"
)

// TestAttachQuotesThePath: a path with quotes, a semicolon and SQL in it attaches that file and runs nothing else;
// an alias that is not a plain identifier is refused.
func TestAttachQuotesThePath(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), `it's'; DROP TABLE t; --`)
	path := filepath.Join(dir, "w.duckdb")
	if err := mkdir(dir); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("duckdb", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("CREATE TABLE t AS SELECT 42 AS x"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	mem, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer mem.Close()
	conn, err := mem.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if err := AttachReadOnly(ctx, conn, path, "src"); err != nil {
		t.Fatal(err)
	}
	var x int
	if err := conn.QueryRowContext(ctx, "SELECT x FROM src.main.t").Scan(&x); err != nil || x != 42 {
		t.Errorf("attached file reads %d, %v", x, err)
	}
	for _, alias := range []string{"src x", "Src", "a;b", ""} {
		if _, err := attachStatement(path, alias); err == nil {
			t.Errorf("alias %q accepted", alias)
		}
	}
}

// TestBindExpandsTheSubtree: the scope's values are parameters; a Subtree ? becomes one ? per code.
func TestBindExpandsTheSubtree(t *testing.T) {
	c := &Scoped{Branch: "GD'000", Subtree: []string{"GD'000", "GD001"}}
	c.End = mustDay(t, "2026-11-06")
	text, args := c.bind(q("code IN (?) AND b = ? AND t < CAST(? AS TIMESTAMP)", Subtree, Branch, End))
	if text != "code IN (?, ?) AND b = ? AND t < CAST(? AS TIMESTAMP)" ||
		!reflect.DeepEqual(args, []any{"GD'000", "GD001", "GD'000", "2026-11-06 00:00:00"}) {
		t.Errorf("bind: %q %q", text, args)
	}
	for _, p := range Policies {
		for _, r := range []Rule{p.AsOf, p.Branch} {
			for _, s := range append([]SQL{r.Where}, r.Then...) {
				if strings.Contains(s.Text, "'GD") || strings.Contains(s.Text, "%") {
					t.Errorf("%s: a value written into the SQL: %q", p.Table, s.Text)
				}
			}
		}
	}
}

// TestValidatePolicies: the policy table is well formed, and a malformed entry is caught.
func TestValidatePolicies(t *testing.T) {
	if err := validate(Policies); err != nil {
		t.Fatal(err)
	}
	bad := [][]Policy{
		{{Table: "a", AsOf: Rule{Action: Copy}}},                                                    // no branch rule
		{{Table: "a", AsOf: Rule{Action: Copy}, Branch: Rule{Action: Filter}}},                      // a filter without Where
		{{Table: "a", AsOf: Rule{Action: Copy}, Branch: Rule{Action: Prune, Where: q("x IN (?)")}}}, // a ? without its value
		{{Table: "a", AsOf: Rule{Action: Filter, InPlace: true, Where: q("x = ?", Branch)}, Branch: Rule{Action: Copy}}},
		{{Table: "a", AsOf: Rule{Action: Copy}, Branch: Rule{Action: Copy}}, {Table: "a", AsOf: Rule{Action: Copy}, Branch: Rule{Action: Copy}}},
	}
	for i, ps := range bad {
		if err := validate(ps); err == nil {
			t.Errorf("bad policy table %d passes", i)
		}
	}
}

func mkdir(dir string) error { return os.MkdirAll(dir, 0o755) }

func mustDay(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := ParseAsOf(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}
