package pipeline

import (
	"testing"

	"complaints/config"
)

// The config's ingest.limits reach ingest.
func TestIngestOptionsCarryLimits(t *testing.T) {
	cfg, err := config.Parse([]byte("ingest:\n  limits:\n    max_rows: 1234\n    max_file_bytes: 1MiB\n"), "t.yaml")
	if err != nil {
		t.Fatal(err)
	}
	opts := (&Env{Config: cfg}).IngestOptions(true)
	if opts.Limits.MaxRows != 1234 || opts.Limits.MaxFileBytes != 1<<20 || opts.Limits.MaxJSONDepth != 64 {
		t.Errorf("limits %+v", opts.Limits)
	}
}
