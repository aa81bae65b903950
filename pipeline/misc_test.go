package pipeline

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"complaints/catalog"
	"complaints/ingest"
)

// TestScopedRunRemovesStaleCopies: a scoped copy left by a killed process (its pid gone) is removed at the start
// of the next scoped run; one of a live process and a folder named otherwise stay.
func TestScopedRunRemovesStaleCopies(t *testing.T) {
	f := newScopeFixture(t, true)
	f.ingest("hotline_20261105.csv", scopeExport1, bj(2026, 11, 5, 10))
	// A pid that is certainly gone: a child that has exited and been waited for.
	cmd := exec.Command("true")
	must(t, cmd.Run())
	dead := cmd.Process.Pid
	base := f.env.tempBase()
	stale := filepath.Join(base, "scope-"+strconv.Itoa(dead)+"-123456")
	live := filepath.Join(base, "scope-"+strconv.Itoa(os.Getpid())+"-999")
	other := filepath.Join(base, "spill")
	for _, d := range []string{stale, live, other} {
		must(t, os.MkdirAll(d, 0o755))
		must(t, os.WriteFile(filepath.Join(d, "scoped.duckdb"), []byte("left behind"), 0o644))
	}
	asOf, err := ParseAsOf("2026-11-05")
	must(t, err)
	f.report("asof.xlsx", ScopeOptions{AsOf: asOf}, false)
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("the stale copy of dead pid %d is still there (%v)", dead, err)
	}
	for _, d := range []string{live, other} {
		if _, err := os.Stat(d); err != nil {
			t.Errorf("%s was removed: %v", d, err)
		}
	}
}

// TestPrintIngestEscapesNamesAndShowsNotes: a file name with a newline and an escape sequence cannot forge a
// summary line or act on the terminal; a file's notes are printed under the table.
func TestPrintIngestEscapesNamesAndShowsNotes(t *testing.T) {
	var out bytes.Buffer
	PrintIngest(&out, []ingest.FileResult{{Path: "exports/a\nb.csv total 0 0 0\x1b[2J.csv", Source: "x\x1b]0;title\x07", Format: "csv", BatchID: 1,
		Read: 1, Accepted: 1, Notes: []*catalog.Message{catalog.Msg("msg_misc_date_order_assumed", 2, "mdy")}}})
	s := out.String()
	if strings.ContainsAny(s, "\x1b\x07") {
		t.Errorf("raw control characters printed: %q", s)
	}
	lines := strings.Split(strings.TrimSuffix(s, "\n"), "\n")
	note, _, _ := strings.Cut(catalog.Msg("msg_cli_note", "\x00", "").Error(), "\x00")
	if !strings.Contains(s, `a\nb.csv`) || !strings.Contains(s, "\n"+note+"exports/a") {
		t.Errorf("want the file's line and its note under the table:\n%s", s)
	}
	for _, l := range lines {
		if strings.HasPrefix(l, "b.csv") {
			t.Errorf("a file name forged a line: %q", l)
		}
	}
}
