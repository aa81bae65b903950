package yamlerr

import (
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
)

func TestLine(t *testing.T) {
	var v struct {
		A int `yaml:"a"`
	}
	err := yaml.UnmarshalWithOptions([]byte("a: 1\nb: 2\n"), &v, yaml.DisallowUnknownField())
	got := Line(err, "see the example")
	if strings.Contains(got, "\n") || !strings.HasPrefix(got, "[2:1]") || !strings.HasSuffix(got, "(see the example)") {
		t.Fatalf("%q", got)
	}
}
