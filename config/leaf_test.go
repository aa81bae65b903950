package config

import (
	"os/exec"
	"strings"
	"testing"
)

// TestConfigIsALeaf: config reads complaints.yaml and nothing more; it must not pull in ingest, DuckDB or cgo
// (the profile type lives in ingest/profile for that reason).
func TestConfigIsALeaf(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "complaints/config").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, dep := range strings.Fields(string(out)) {
		if dep == "complaints/ingest" || dep == "runtime/cgo" || strings.Contains(dep, "duckdb") || strings.Contains(dep, "arrow") {
			t.Errorf("config depends on %s", dep)
		}
	}
}
