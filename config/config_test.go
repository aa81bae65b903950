package config

import (
	"errors"
	"os"

	"complaints/catalog"
	"strings"
	"testing"
)

func TestExampleConfigLoads(t *testing.T) {
	c, err := Load("../complaints.example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if c.Institution != "示例银行股份有限公司" || c.Language != "zh" || c.Policy.RegulatoryDays != 15 ||
		c.Ingest.MaxRejectRate != 0.2 || len(c.Sources) != 3 || c.Sources[0].Encoding != "gb18030" ||
		!c.Sources[2].AnalyticsOnly || c.Sources[2].ReceivedDate != "as_of" ||
		c.Sources[0].Columns["received_at"] != "受理时间" {
		t.Fatalf("example config read wrongly: %+v", c)
	}
}

func TestDemoConfigLoads(t *testing.T) {
	c, err := Load("../sample-data/complaints.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Sources) < 5 {
		t.Fatalf("demo config has %d sources, want the five sample exports", len(c.Sources))
	}
}

func TestBranchesAndCorrectionsKeys(t *testing.T) {
	c, err := Parse([]byte("branches: master/branches.csv\ncorrections: corrections.yaml\n"), "test.yaml")
	if err != nil {
		t.Fatal(err)
	}
	c.Dir = "/data/bank"
	if c.Resolve(c.Branches) != "/data/bank/master/branches.csv" || c.Resolve(c.Corrections) != "/data/bank/corrections.yaml" {
		t.Fatalf("branches %q, corrections %q", c.Resolve(c.Branches), c.Resolve(c.Corrections))
	}
	if d := Default(); d.Branches != "" || d.Corrections != "" {
		t.Fatalf("defaults: branches %q, corrections %q (want none)", d.Branches, d.Corrections)
	}
}

func TestEmptyConfigGivesDefaults(t *testing.T) {
	c, err := Parse(nil, "empty")
	if err != nil {
		t.Fatal(err)
	}
	if c.Policy.InternalDaysGeneral != 3 || c.Policy.InternalDaysComplex != 10 || c.Warehouse.Path != "complaints.duckdb" {
		t.Fatalf("defaults wrong: %+v", c)
	}
}

func TestErrorsNameKeyAndLine(t *testing.T) {
	cases := []struct {
		name, yaml string
		want       []string
	}{
		{"unknown top key", "institution: x\nlanguge: zh\n", []string{"languge", "[2:"}},
		{"unknown nested key", "policy:\n  regulatory_days: 15\n  regulatroy_days: 30\n", []string{"regulatroy_days", "[3:"}},
		{"unknown source key", "sources:\n  - name: a\n    globb: x\n", []string{"globb", "[3:"}},
		{"bad language", "language: fr\n", []string{"language", "zh or en"}},
		{"bad rate", "ingest:\n  max_reject_rate: 3\n", []string{"ingest.max_reject_rate", "0 to 1"}},
		{"bad format", "sources:\n  - name: a\n    format: xls\n", []string{"sources[0].format", "xlsx"}},
		{"duplicate source", "sources:\n  - name: a\n  - name: a\n", []string{"sources[1].name", "twice"}},
		{"zero days", "policy:\n  regulatory_days: 0\n", []string{"policy.regulatory_days"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.yaml), "test.yaml")
			if err == nil {
				t.Fatal("no error")
			}
			msg := err.Error()
			if !strings.Contains(msg, "test.yaml") {
				t.Errorf("%q does not name the file", msg)
			}
			for _, w := range tc.want {
				if !strings.Contains(msg, w) {
					t.Errorf("%q does not contain %q", msg, w)
				}
			}
			if strings.Contains(msg, "\n") {
				t.Errorf("message spans lines: %q", msg)
			}
		})
	}
}

// TestPrivacyKeys: privacy.file_mode is 0600 unless set, is validated, and the key fails closed.
func TestPrivacyKeys(t *testing.T) {
	c, err := Parse(nil, "t")
	if err != nil || c.Privacy.Mode() != 0o600 {
		t.Fatalf("default: %v %v", c.Privacy.Mode(), err)
	}
	c, err = Parse([]byte("privacy:\n  file_mode: \"0640\"\n"), "t")
	if err != nil || c.Privacy.Mode() != 0o640 {
		t.Fatalf("0640: %v %v", c.Privacy.Mode(), err)
	}
	for _, bad := range []string{"0755", "0400", "rw", "0644x", "01600"} {
		if _, err := Parse([]byte("privacy:\n  file_mode: \""+bad+"\"\n"), "t"); err == nil || !strings.Contains(err.Error(), "privacy.file_mode") {
			t.Errorf("%s: %v", bad, err)
		}
	}
	if _, err := Parse([]byte("sources:\n  - {name: a, personal: [referral_ref], not_personal: [source_id]}\n"), "t"); err != nil {
		t.Fatalf("personal lists: %v", err)
	}
	for _, bad := range []string{"{name: a, personal: [narrative]}", "{name: a, personal: [source_id], not_personal: [source_id]}"} {
		if _, err := Parse([]byte("sources:\n  - "+bad+"\n"), "t"); err == nil {
			t.Errorf("%s: accepted", bad)
		}
	}
	t.Setenv("COMPLAINTS_HMAC_KEY", "")
	if _, err := c.HMACKey(); err == nil || !strings.Contains(err.Error(), "COMPLAINTS_HMAC_KEY") {
		t.Fatalf("no key: %v", err)
	}
	t.Setenv("COMPLAINTS_HMAC_KEY", "k")
	if k, err := c.HMACKey(); err != nil || string(k) != "k" {
		t.Fatalf("key: %q %v", k, err)
	}
}

// TestAnalyticsOnlyReceivedDate: received_date is as_of or a date, only for an analytics-only source, and never
// beside a received_at column.
func TestAnalyticsOnlyReceivedDate(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"analytics_only: true\n    received_date: as_of", ""},
		{"analytics_only: true\n    received_date: 2026-10-31", ""},
		{"analytics_only: true", ""},
		{"received_date: as_of", "msg_analytics_received_date_not_analytics"},
		{"analytics_only: true\n    received_date: last month", "msg_analytics_received_date_invalid"},
		{"analytics_only: true\n    received_date: as_of\n    columns: {received_at: 日期}", "msg_analytics_received_date_and_column"},
	} {
		dir := t.TempDir()
		path := dir + "/c.yaml"
		body := "institution: x\nsources:\n  - name: comments\n    glob: c_*.csv\n    " + tc.src + "\n"
		if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := Load(path)
		var m *catalog.Message
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%q: %v", tc.src, err)
		case tc.want != "" && (!errors.As(err, &m) || m.Key != tc.want):
			t.Errorf("%q: got %v, want %s", tc.src, err, tc.want)
		}
	}
}
