package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// sqlWords are the statements a string literal of SQL starts or carries.
var sqlWords = regexp.MustCompile(`\b(SELECT|INSERT INTO|DELETE FROM|UPDATE \w+ SET|CREATE (OR REPLACE )?(TEMP |TEMPORARY )?(TABLE|VIEW)|DROP (TABLE|VIEW)|ATTACH|COPY \w+ (TO|FROM))\b`)

// sqlCalls are the database/sql methods that run a statement.
var sqlCalls = map[string]bool{"Query": true, "QueryContext": true, "QueryRow": true, "QueryRowContext": true,
	"Exec": true, "ExecContext": true, "Prepare": true, "PrepareContext": true}

// sqlIn lists where a Go source runs SQL of its own: a call of a database/sql method or a string literal holding
// an SQL statement.
func sqlIn(fset *token.FileSet, name string, src any) ([]string, error) {
	f, err := parser.ParseFile(fset, name, src, 0)
	if err != nil {
		return nil, err
	}
	var found []string
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.CallExpr:
			if sel, ok := n.Fun.(*ast.SelectorExpr); ok && sqlCalls[sel.Sel.Name] {
				found = append(found, fset.Position(n.Pos()).String()+": calls "+sel.Sel.Name)
			}
		case *ast.BasicLit:
			if n.Kind != token.STRING {
				break
			}
			if s, err := strconv.Unquote(n.Value); err == nil && sqlWords.MatchString(s) {
				found = append(found, fset.Position(n.Pos()).String()+": SQL text "+strconv.Quote(s))
			}
		}
		return true
	})
	return found, nil
}

// TestCmdRunsNoSQL: the command line reads and writes the warehouse through pipeline, readmodel, ingest and
// warehouse, never with SQL of its own (no database/sql call, no SQL text in a non-test file of this package).
func TestCmdRunsNoSQL(t *testing.T) {
	fset := token.NewFileSet()
	bad, err := sqlIn(fset, "bad.go", "package main\nfunc f() { db.QueryRowContext(ctx, `SELECT version()`) }\n")
	if err != nil || len(bad) != 2 {
		t.Fatalf("the check missed a query and its SQL text: %v %v", bad, err)
	}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		found, err := sqlIn(fset, name, src)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range found {
			t.Errorf("%s: move the query into pipeline, readmodel or warehouse", f)
		}
	}
}
