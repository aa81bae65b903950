package config

import (
	"os"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
)

// TestExampleDocumentsEveryKey walks Config (and the source profile inside it) by reflection and fails for
// every YAML key that complaints.example.yaml does not set: the README promises that the example shows every
// key. A list of structs (sources) must show each key in at least one of its entries.
func TestExampleDocumentsEveryKey(t *testing.T) {
	b, err := os.ReadFile("../complaints.example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var doc any
	if err := yaml.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	missing := undocumentedKeys(reflect.TypeOf(Config{}), doc, "")
	for _, k := range missing {
		t.Errorf("complaints.example.yaml does not show the key %s", k)
	}
}

// TestUndocumentedKeysFindsAGap: the walk itself finds a key missing at the top, nested, and in a list entry.
func TestUndocumentedKeysFindsAGap(t *testing.T) {
	type inner struct {
		A int `yaml:"a"`
		B int `yaml:"b,omitempty"`
	}
	type outer struct {
		X     string  `yaml:"x"`
		In    inner   `yaml:"in"`
		List  []inner `yaml:"list"`
		Skip  string  `yaml:"-"`
		plain int
	}
	var doc any
	if err := yaml.Unmarshal([]byte("x: 1\nin: {a: 1}\nlist: [{a: 1}, {a: 2}]\n"), &doc); err != nil {
		t.Fatal(err)
	}
	got := strings.Join(undocumentedKeys(reflect.TypeOf(outer{}), doc, ""), " ")
	if got != "in.b list[].b" {
		t.Fatalf("missing keys %q, want in.b list[].b", got)
	}
}

// undocumentedKeys lists the YAML keys of type typ (dotted from prefix) that node does not set.
func undocumentedKeys(typ reflect.Type, node any, prefix string) []string {
	for typ.Kind() == reflect.Pointer {
		typ = typ.Elem()
	}
	var out []string
	switch typ.Kind() {
	case reflect.Struct:
		m, _ := node.(map[string]any)
		if prefix != "" && !strings.HasSuffix(prefix, ".") {
			prefix += "."
		}
		for i := range typ.NumField() {
			f := typ.Field(i)
			if !f.IsExported() {
				continue
			}
			tag := f.Tag.Get("yaml")
			name, opts, _ := strings.Cut(tag, ",")
			if name == "-" {
				continue
			}
			if strings.Contains(opts, "inline") {
				out = append(out, undocumentedKeys(f.Type, node, prefix)...)
				continue
			}
			if name == "" {
				name = strings.ToLower(f.Name)
			}
			v, ok := m[name]
			if !ok {
				out = append(out, prefix+name)
				continue
			}
			out = append(out, undocumentedKeys(f.Type, v, prefix+name)...)
		}
	case reflect.Slice:
		elem := typ.Elem()
		for elem.Kind() == reflect.Pointer {
			elem = elem.Elem()
		}
		if elem.Kind() != reflect.Struct {
			return nil
		}
		items, _ := node.([]any)
		// a key is shown when one entry sets it: merge the entries' keys (the first entry's value wins)
		merged := map[string]any{}
		for _, it := range items {
			if m, ok := it.(map[string]any); ok {
				for k, v := range m {
					if _, seen := merged[k]; !seen {
						merged[k] = v
					}
				}
			}
		}
		out = append(out, undocumentedKeys(elem, merged, prefix+"[].")...)
	}
	sort.Strings(out)
	return out
}
