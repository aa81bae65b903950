package render

import (
	"bytes"
	"strings"
	"testing"

	"complaints/rootcause"
)

// TestTableShowsBranchNamesEscaped: a branch name carrying a terminal escape sequence or a newline is printed
// escaped in the table, never raw.
func TestTableShowsBranchNamesEscaped(t *testing.T) {
	evil := "天河\x1b[2J\x1b[31m支行\nforged line"
	f := &rootcause.Findings{Period: "2026-10", Months: []string{"2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10", "2026-11", "2026-12"}, Emerging: []rootcause.Emerging{{Key: rootcause.Key{Kind: rootcause.KindBranch, Parts: []string{"GD001"}, Names: []string{evil}}, Count: 5}}}
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

// TestCSVNamesBranches: a series of a branch is written by the branch master's name, its cause by its label.
func TestCSVNamesBranches(t *testing.T) {
	k := rootcause.Key{Kind: rootcause.KindBranchCause, Parts: []string{"GD001", "service_attitude"}, Names: []string{"天河支行"}}
	f := &rootcause.Findings{Period: "2026-10", Months: []string{"2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10", "2026-11", "2026-12"},
		Emerging: []rootcause.Emerging{{Key: k, Count: 5}}}
	if got := KeyLabel(k, "zh"); !strings.HasPrefix(got, "天河支行 × ") || strings.Contains(got, "GD001") {
		t.Errorf("label %q", got)
	}
	var out bytes.Buffer
	if err := Write(&out, f, "zh", "csv", 0); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), ",天河支行 × ") {
		t.Errorf("csv does not name the branch:\n%s", out.String())
	}
}
