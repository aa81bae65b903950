package config

import (
	"testing"

	"complaints/catalog"
	"complaints/ingest/profile"
)

// The example documents every limit with its default; the defaults are ingest's.
func TestLimitsExampleAndDefaults(t *testing.T) {
	c, err := Load("../complaints.example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Ingest.Limits.Ingest(); got != profile.DefaultLimits {
		t.Errorf("example limits %+v, want the defaults %+v", got, profile.DefaultLimits)
	}
	if got := Default().Ingest.Limits.Ingest(); got != profile.DefaultLimits {
		t.Errorf("default limits %+v", got)
	}
}

func TestLimitsParse(t *testing.T) {
	c, err := Parse([]byte("ingest:\n  limits:\n    max_file_bytes: 500MB\n    max_part_bytes: \"2GiB\"\n    max_cell_bytes: 4096\n    max_rows: 1000\n    max_json_depth: 10\n"), "t.yaml")
	if err != nil {
		t.Fatal(err)
	}
	l := c.Ingest.Limits.Ingest()
	if l.MaxFileBytes != 500_000_000 || l.MaxPartBytes != 2<<30 || l.MaxCellBytes != 4096 || l.MaxRows != 1000 || l.MaxJSONDepth != 10 ||
		l.MaxColumns != profile.DefaultLimits.MaxColumns {
		t.Errorf("limits %+v", l)
	}
	for _, bad := range []struct{ yaml, key string }{
		{"ingest:\n  limits:\n    max_rows: 0\n", "msg_limits_config_positive"},
		{"ingest:\n  limits:\n    max_columns: -5\n", "msg_limits_config_positive"},
		{"ingest:\n  limits:\n    max_file_bytes: -5\n", "msg_limits_config_size"},
		{"ingest:\n  limits:\n    max_file_bytes: 8 gigs\n", "msg_limits_config_size"},
		{"ingest:\n  limits:\n    max_cell_bytes: 4GiB\n", "msg_limits_config_too_big"},
	} {
		_, err := Parse([]byte(bad.yaml), "t.yaml")
		if !catalog.HasKey(err, bad.key) {
			t.Errorf("%q: %v, want %s", bad.yaml, err, bad.key)
		}
	}
	if _, err := Parse([]byte("ingest:\n  limits:\n    max_bytes: 5\n"), "t.yaml"); err == nil {
		t.Error("an unknown limit key is accepted")
	}
}

func TestParseByteSize(t *testing.T) {
	for in, want := range map[string]int64{"1048576": 1 << 20, "1KiB": 1024, "1 MB": 1_000_000, "8GiB": 8 << 30, "1.5GB": 1_500_000_000, "2tib": 2 << 40} {
		if got, err := ParseByteSize(in); err != nil || got != want {
			t.Errorf("%q: %d %v, want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "GB", "5 XB", "1e3", "-1"} {
		if _, err := ParseByteSize(bad); !catalog.HasKey(err, "msg_limits_config_size") {
			t.Errorf("%q accepted (%v)", bad, err)
		}
	}
}
