package config

import (
	"strings"
	"testing"

	"complaints/catalog"
)

// TestProfileKeysChecked: a source's columns, optional and values name landing fields only (the error names the
// key and the closest field); optional lists mapped fields; a header is a text or a list of texts.
func TestProfileKeysChecked(t *testing.T) {
	cases := []struct {
		name, src, key string
		want           []string
	}{
		{"unknown column field", "columns: {narative: 投诉内容}", "msg_profiles_unknown_field", []string{"sources[0].columns", "narative", "narrative"}},
		{"unknown values field", "values: {stauts: {\"1\": open}}", "msg_profiles_unknown_field", []string{"sources[0].values", "stauts", "status"}},
		{"unknown optional field", "columns: {status: 状态}\n    optional: [satisfation]", "msg_profiles_unknown_field", []string{"sources[0].optional", "satisfaction"}},
		{"optional not mapped", "columns: {status: 状态}\n    optional: [outcome]", "msg_profiles_optional_unmapped", []string{"sources[0].optional", "outcome"}},
		{"empty header", "columns: {status: \"\"}", "msg_profiles_empty_header", []string{"sources[0].columns.status"}},
		{"header as a map", "columns: {status: {a: b}}", "msg_profiles_columns_shape", []string{"columns.status"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse([]byte("language: en\nsources:\n  - name: s\n    "+c.src+"\n"), "c.yaml")
			if !catalog.HasKey(err, c.key) {
				t.Fatalf("error %v, want %s", err, c.key)
			}
			for _, w := range c.want {
				if !strings.Contains(catalog.Localize(err, "en"), w) {
					t.Errorf("%q lacks %q", catalog.Localize(err, "en"), w)
				}
			}
		})
	}
	c, err := Parse([]byte("sources:\n  - name: s\n    columns: {status: 处理情况, outcome: 处理情况, narrative: [投诉内容, 问题描述]}\n    optional: [narrative]\n"), "c.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Sources[0].Columns.Names("narrative"); len(got) != 2 || got[1] != "问题描述" {
		t.Errorf("alternatives read as %q", got)
	}
}
