package main

import (
	"regexp"
	"strings"
	"testing"

	"github.com/spf13/pflag"

	"complaints/catalog"
	"complaints/rootcause/render"
)

// TestRootcauseHelpIsThePlainMethod: `rootcause --help` shows, in the language asked for, the same plain-words
// method as the report's 根因 sheet (render.MethodKeys), its short description and every flag's help from the
// catalogue, and no statistical jargon anywhere in the help.
func TestRootcauseHelpIsThePlainMethod(t *testing.T) {
	jargon := regexp.MustCompile(`(?i)poisson|binomial|benjamini|hochberg|\bFDR\b|p-value|p值|c-chart|u-chart|sigma|σ|over-?dispersion|泊松|二项|错误发现率`)
	for _, lang := range []string{"zh", "en"} {
		out, err := run(t, "rootcause", "--help", "--lang", lang)
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range render.MethodKeys {
			if s := catalog.Text(k, lang); !strings.Contains(out, s) {
				t.Errorf("%s help lacks %s (%q)", lang, k, s)
			}
		}
		if m := jargon.FindString(strings.ReplaceAll(out, "--fdr", "")); m != "" {
			t.Errorf("%s help holds jargon %q:\n%s", lang, m, out)
		}
		newRootcauseCmd(&globals{}).LocalFlags().VisitAll(func(f *pflag.Flag) {
			if f.Name == "help" {
				return
			}
			k := "help_rootcause_flag_" + strings.ReplaceAll(f.Name, "-", "_")
			if s := catalog.Text(k, lang); strings.HasPrefix(s, "?") || !strings.Contains(out, s) {
				t.Errorf("%s help of --%s lacks %s (%q)", lang, f.Name, k, s)
			}
		})
		if s := catalog.Text("help_rootcause_short", lang); strings.HasPrefix(s, "?") || jargon.MatchString(s) {
			t.Errorf("%s short help %q: want one without jargon", lang, s)
		}
	}
}
