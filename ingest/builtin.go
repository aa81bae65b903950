package ingest

import (
	"embed"
	"fmt"
	"io/fs"

	"github.com/goccy/go-yaml"
)

//go:embed profiles/*.yaml
var builtinFS embed.FS

// builtinProfile is a profile shipped with the program for a public export format, recognised by its header.
type builtinProfile struct {
	Profile `yaml:",inline"`
	// DetectHeaders must all be in a file's header for the profile to apply to a file no configured profile
	// claims.
	DetectHeaders []string `yaml:"detect_headers"`
}

var builtinProfiles = func() []builtinProfile {
	var out []builtinProfile
	names, err := fs.Glob(builtinFS, "profiles/*.yaml")
	if err != nil {
		panic(err)
	}
	for _, n := range names {
		b, err := builtinFS.ReadFile(n)
		if err != nil {
			panic(err)
		}
		var p builtinProfile
		if err := yaml.Unmarshal(b, &p); err != nil {
			panic(fmt.Sprintf("built-in profile %s: %v", n, err))
		}
		out = append(out, p)
	}
	return out
}()

// BuiltinProfiles returns the profiles shipped with the program (e.g. cfpb).
func BuiltinProfiles() []Profile {
	out := make([]Profile, len(builtinProfiles))
	for i, b := range builtinProfiles {
		out[i] = b.Profile
	}
	return out
}

// detectBuiltin returns the built-in profile whose detect_headers are all in header.
func detectBuiltin(header []string) *Profile {
	have := map[string]bool{}
	for _, h := range header {
		have[normHeader(h)] = true
	}
	for i := range builtinProfiles {
		b := &builtinProfiles[i]
		all := len(b.DetectHeaders) > 0
		for _, d := range b.DetectHeaders {
			if !have[normHeader(d)] {
				all = false
				break
			}
		}
		if all {
			p := b.Profile
			return &p
		}
	}
	return nil
}
