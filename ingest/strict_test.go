package ingest

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"

	"complaints/catalog"
	"complaints/ingest/profile"
)

// TestProfileFieldsAreInputFields: the fields a profile may name (profile.Fields, which config checks without
// importing ingest) are exactly the mapping step's input fields.
func TestProfileFieldsAreInputFields(t *testing.T) {
	var names []string
	for _, f := range inputFields {
		names = append(names, f.Name)
	}
	if !slices.Equal(names, profile.Fields) {
		t.Fatalf("profile.Fields %v\ninputFields    %v", profile.Fields, names)
	}
}

// TestStrictProfileColumns: a configured header the file lacks refuses it, naming the field, the header and the
// file's closest header; optional and alternative names warn instead; one header feeds several fields.
func TestStrictProfileColumns(t *testing.T) {
	const body = "工单编号,受理时间,处理结果,投诉内容\nS1,2026-10-05,已办结,甲\n"
	cases := []struct {
		name    string
		profile string // YAML
		errKey  string
		notes   []string
		want    map[string]string // landed column -> value of S1
	}{
		{"missing header refuses", "columns: {narrative: 投诉详情}", "msg_profiles_missing_header", nil, nil},
		{"optional missing warns", "columns: {narrative: 投诉详情}\noptional: [narrative]", "", []string{"msg_profiles_optional_missing"},
			map[string]string{"narrative": ""}},
		{"alternative used warns", "columns: {narrative: [投诉详情, 投诉内容]}", "", []string{"msg_profiles_alternative_used"},
			map[string]string{"narrative": "甲"}},
		{"first name found: no note", "columns: {narrative: [投诉内容, 投诉详情]}", "", nil, map[string]string{"narrative": "甲"}},
		{"none of the alternatives refuses", "columns: {narrative: [投诉详情, 详细]}", "msg_profiles_missing_header", nil, nil},
		{"one header, two fields", "columns: {status: 处理结果, outcome: 处理结果}", "", nil,
			map[string]string{"status": "已办结", "outcome": "已办结"}},
		{"unknown value target refuses", "values: {status: {已办结: clossed}}", "msg_profiles_unknown_value_target", nil, nil},
		{"known value target lands", "columns: {status: 处理结果}\nvalues: {status: {已办结: closed}}", "", nil, map[string]string{"status": "closed"}},
		{"unknown intake channel refuses", "intake_channel: fone", "msg_profiles_unknown_intake_channel", nil, nil},
		{"known intake channel lands", "intake_channel: phone", "", nil, map[string]string{"intake_channel": "phone"}},
		{"unknown field refuses", "columns: {narative: 投诉内容}", "msg_profiles_unknown_field", nil, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var p Profile
			if err := yaml.Unmarshal([]byte("name: p\n"+c.profile), &p); err != nil {
				t.Fatal(err)
			}
			w := openTestWarehouse(t)
			path := writeFile(t, t.TempDir(), "s.csv", body)
			opts := testOptions()
			opts.Profiles = []Profile{p}
			res, err := IngestFiles(context.Background(), w, opts, []string{path}, "p")
			if err != nil || len(res) != 1 {
				t.Fatalf("%v %v", res, err)
			}
			if c.errKey != "" {
				if !catalog.HasKey(res[0].Err, c.errKey) {
					t.Fatalf("error %v, want %s", res[0].Err, c.errKey)
				}
				return
			}
			if res[0].Err != nil {
				t.Fatal(res[0].Err)
			}
			var keys []string
			for _, n := range res[0].Notes {
				keys = append(keys, n.Key)
			}
			if !slices.Equal(keys, c.notes) {
				t.Errorf("notes %v, want %v", keys, c.notes)
			}
			for col, want := range c.want {
				var got *string
				if err := w.DB.QueryRow("SELECT " + col + " FROM landed_rows WHERE source_id = 'S1'").Scan(&got); err != nil {
					t.Fatal(err)
				}
				if (got == nil) != (want == "") || got != nil && *got != want {
					t.Errorf("%s = %v, want %q", col, got, want)
				}
			}
		})
	}
}

// TestMissingHeaderNamesClosest: the refusal names the field, the configured header and the closest header of
// the file, and wraps ErrMissingColumns (sources check shows it as the refusal).
func TestMissingHeaderNamesClosest(t *testing.T) {
	path := writeFile(t, t.TempDir(), "s.csv", "工单编号,受理时间,处理状态,投诉内容\nS1,2026-10-05,已办结,甲\n")
	p := &Profile{Name: "p", Columns: map[string]string{"status": "办理状态"}}
	rep, err := Check(context.Background(), path, p, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	var m *catalog.Message
	if !errors.Is(rep.Refused, ErrMissingColumns) || !errors.As(rep.Refused, &m) || m.Key != "msg_profiles_missing_header" {
		t.Fatalf("refused %v", rep.Refused)
	}
	got := m.In("en")
	for _, want := range []string{"status", `"办理状态"`, `closest header: "处理状态"`} {
		if !strings.Contains(got, want) {
			t.Errorf("%q lacks %q", got, want)
		}
	}
}

// TestColumnsYAML: columns take a header or a list of alternatives, and write back the same way.
func TestColumnsYAML(t *testing.T) {
	var p Profile
	if err := yaml.Unmarshal([]byte("columns: {narrative: [投诉内容, 问题描述], source_id: 编号, received_at: 2026}\n"), &p); err != nil {
		t.Fatal(err)
	}
	if got := p.Columns.Names("narrative"); !slices.Equal(got, []string{"投诉内容", "问题描述"}) || p.Columns["source_id"] != "编号" ||
		p.Columns["received_at"] != "2026" {
		t.Fatalf("columns read as %q", p.Columns)
	}
	out, err := yaml.Marshal(p.Columns)
	if err != nil {
		t.Fatal(err)
	}
	var back Profile
	if err := yaml.Unmarshal([]byte("columns:\n"+indent(string(out))), &back); err != nil || !slices.Equal(back.Columns.Names("narrative"), p.Columns.Names("narrative")) {
		t.Fatalf("written as %s, read back as %q (%v)", out, back.Columns, err)
	}
	if err := yaml.Unmarshal([]byte("columns: {narrative: {a: b}}\n"), &p); !catalog.HasKey(err, "msg_profiles_columns_shape") {
		t.Errorf("a map as a header: %v", err)
	}
}

func indent(s string) string {
	var b strings.Builder
	for _, l := range strings.Split(strings.TrimRight(s, "\n"), "\n") {
		b.WriteString("  " + l + "\n")
	}
	return b.String()
}

// TestBuiltinProfilesValid: every built-in profile names known fields and catalogue values only.
func TestBuiltinProfilesValid(t *testing.T) {
	for _, p := range BuiltinProfiles() {
		if err := p.Check("profile " + p.Name); err != nil {
			t.Error(err)
		}
		if err := checkValueTargets(&p); err != nil {
			t.Error(err)
		}
	}
}

// TestBuiltinCFPBReadsBothHeaders: the built-in cfpb profile maps every header it names, or marks the field
// optional, on both CFPB headers: the classic 18 columns and the 16 of exports since 2024, which drop "Consumer
// consent provided?" and "Consumer disputed?".
func TestBuiltinCFPBReadsBothHeaders(t *testing.T) {
	classic := strings.Split("Date received,Product,Sub-product,Issue,Sub-issue,Consumer complaint narrative,Company public response,Company,State,ZIP code,Tags,Consumer consent provided?,Submitted via,Date sent to company,Company response to consumer,Timely response?,Consumer disputed?,Complaint ID", ",")
	var since2024 []string
	for _, h := range classic {
		if h != "Consumer consent provided?" && h != "Consumer disputed?" {
			since2024 = append(since2024, h)
		}
	}
	for _, header := range [][]string{classic, since2024} {
		p := detectBuiltin(header)
		if p == nil || p.Name != "cfpb" {
			t.Fatalf("%d columns: the cfpb profile is not recognised", len(header))
		}
		cm := resolveColumns(header, p)
		for _, f := range cm.Missing {
			if !slices.Contains(p.Optional, f) {
				t.Errorf("%d columns: cfpb maps %s to %q, which this header lacks; list it under optional", len(header), f, p.Columns[f])
			}
		}
		if _, err := checkProfileColumns("c.csv", &table{Header: header}, p, cm); err != nil {
			t.Error(err)
		}
	}
}

// TestUsedProfileRoundTrips: header texts YAML would misread unquoted survive writing a profile and reading it back.
func TestUsedProfileRoundTrips(t *testing.T) {
	p := Profile{Name: "p", Glob: "exports/*.csv", Columns: map[string]string{"outcome": "Timely response?", "narrative": "a: b",
		"summary": "#x", "cause": "投诉内容#2", "branch": " 网点 ", "demand": "- x", "status": "yes", "source_id": "001" + profile.AltSep + "[id]"},
		Values: map[string]map[string]string{"status": {"1": "open", "true": "closed"}}, Optional: []string{"summary"}}
	b, err := yaml.Marshal([]Profile{p})
	if err != nil {
		t.Fatal(err)
	}
	var back []Profile
	if err := yaml.Unmarshal(b, &back); err != nil || len(back) != 1 {
		t.Fatalf("%v\n%s", err, b)
	}
	for f, h := range p.Columns {
		if back[0].Columns[f] != h {
			t.Errorf("%s: %q came back as %q\n%s", f, h, back[0].Columns[f], b)
		}
	}
	if back[0].Values["status"]["true"] != "closed" || back[0].Values["status"]["1"] != "open" {
		t.Errorf("values came back as %v\n%s", back[0].Values, b)
	}
}
