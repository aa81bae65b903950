package rootcause

import (
	"bytes"
	"strings"
	"testing"
)

// TestTableShowsBranchNamesEscaped: a branch name carrying a terminal escape sequence or a newline is printed
// escaped in the table, never raw.
func TestTableShowsBranchNamesEscaped(t *testing.T) {
	evil := "天河\x1b[2J\x1b[31m支行\nforged line"
	f := &Findings{Period: "2026-10", Months: []string{"2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10", "2026-11", "2026-12"}, Emerging: []Emerging{{Key: Key{Kind: KindBranch, Parts: []string{"GD001"}, Names: []string{evil}}, Count: 5}}}
	var out bytes.Buffer
	if err := Write(&out, f, "en", "table", 20); err != nil {
		t.Fatal(err)
	}
	s := out.String()
	if strings.ContainsRune(s, 0x1b) || strings.Contains(s, "\nforged line") {
		t.Fatalf("raw escape or newline printed:\n%q", s)
	}
	if !strings.Contains(s, `\x1b[2J`) {
		t.Errorf("the escaped name is not shown:\n%s", s)
	}
}
