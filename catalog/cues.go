package catalog

import (
	_ "embed"
	"fmt"
	"sync"

	"github.com/goccy/go-yaml"
)

// The header cues (header_cues.yaml): words inside a header that, with values of the kinds listed, map a column
// no synonym names to a field (ingest's mapping by content).
//
//go:embed header_cues.yaml
var headerCuesYAML []byte

// HeaderCue is one field's header words and the value kinds that must agree with them.
type HeaderCue struct {
	Field  string   `yaml:"field"`
	Words  []string `yaml:"words"`
	Values []string `yaml:"values"`
}

// CueValueKinds are the value kinds a cue may list (their recognisers are ingest's).
var CueValueKinds = []string{"amount", "flag", "short_text", "date", "duration", "phone", "satisfaction"}

var headerCues = sync.OnceValues(func() ([]HeaderCue, error) { return parseHeaderCues(headerCuesYAML) })

// HeaderCues returns the embedded header cues, in the file's order.
func HeaderCues() []HeaderCue {
	c, err := headerCues()
	if err != nil {
		panic(err) // embedded file, checked by tests: a broken one is a build defect
	}
	return c
}

func parseHeaderCues(b []byte) ([]HeaderCue, error) {
	var f struct {
		Cues []HeaderCue `yaml:"cues"`
	}
	if err := yaml.UnmarshalWithOptions(b, &f, yaml.DisallowUnknownField()); err != nil {
		return nil, fmt.Errorf("catalog: embedded header_cues.yaml: %w", err)
	}
	seen := map[string]bool{}
	for _, c := range f.Cues {
		if c.Field == "" || seen[c.Field] || len(c.Words) == 0 || len(c.Values) == 0 {
			return nil, fmt.Errorf("catalog: header_cues.yaml: field %q listed twice, or without words or values", c.Field)
		}
		seen[c.Field] = true
		for _, v := range c.Values {
			known := false
			for _, k := range CueValueKinds {
				known = known || k == v
			}
			if !known {
				return nil, fmt.Errorf("catalog: header_cues.yaml: %s: unknown value kind %q", c.Field, v)
			}
		}
		for _, w := range c.Words {
			if w == "" {
				return nil, fmt.Errorf("catalog: header_cues.yaml: %s: an empty word", c.Field)
			}
		}
	}
	return f.Cues, nil
}
