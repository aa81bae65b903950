package render

import (
	"strings"

	"complaints/catalog"
)

// MethodKeys are the catalogue entries that say, in plain words, what the root-cause analysis looks for and how
// much to trust a finding. `complaints rootcause --help` and the report's 根因 sheet both render exactly these,
// in this order; the statistical rules behind them are in docs/decisions.md ("Root causes").
var MethodKeys = []string{"rc_plain_what", "rc_plain_finding", "rc_plain_kinds", "rc_plain_trust", "rc_plain_history",
	"rc_plain_incomplete", "rc_plain_lists", "rc_plain_remediation"}

// Method is the plain-words method in lang, one paragraph per key of MethodKeys, joined by sep.
func Method(lang, sep string) string {
	parts := make([]string, len(MethodKeys))
	for i, k := range MethodKeys {
		parts[i] = catalog.Text(k, lang)
	}
	return strings.Join(parts, sep)
}
