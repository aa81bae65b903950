// Package catalog owns the one catalogue of codes and labels: the classification dimensions of domain.md
// sections 2-3 (codes with Chinese and English labels and the spellings real exports use) and the user-facing
// strings of reports, dashboards and the CLI, and the crosswalks of public vocabularies to its codes (the CFPB's
// products and issues, CFPBCrosswalk). Other packages look labels up here and never hold Chinese or
// English label literals of their own. It must not know warehouses or figures; the one file it reads is the
// user taxonomy file the config names (UseUserFile), merged once per process over the embedded catalogue.
package catalog

import (
	"embed"
	"fmt"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/goccy/go-yaml"
)

//go:embed taxonomy.yaml
var taxonomyYAML []byte

// Labels may be split over several files (labels.yaml, labels_reports.yaml ...) so that layers can add their
// strings without editing one shared file; a key defined twice is a build defect caught by the tests.
//
//go:embed labels*.yaml
var labelFS embed.FS

// Code is one value of a dimension.
type Code struct {
	Code     string   `yaml:"code"`
	ZH       string   `yaml:"zh"`
	EN       string   `yaml:"en"`
	Short    string   `yaml:"short,omitempty"`  // province short form used by map data
	Parent   string   `yaml:"parent,omitempty"` // roll-up code in the same dimension (debit_card -> bank_card)
	Class    string   `yaml:"class,omitempty"`  // complaint_type: general / complex
	Synonyms []string `yaml:"synonyms,omitempty"`
	// Keywords classify a complaint whose column of this dimension is empty by its summary or narrative
	// (business_category and cause only; see KeywordRules).
	Keywords []string `yaml:"keywords,omitempty"`
	// Words are words a raw value of this dimension may contain to map to the code at normalise when it is no
	// spelling of any code (ValueWords; docs/decisions.md, "Values mapped by their words"); never matched whole.
	Words []string `yaml:"words,omitempty"`
}

// Label returns the code's label in lang ("zh" or "en"; anything else is Chinese).
func (c Code) Label(lang string) string {
	if lang == "en" && c.EN != "" {
		return c.EN
	}
	return c.ZH
}

// spellings are the texts that map to the code: code, labels, short form and synonyms.
func (c Code) spellings() []string {
	return append([]string{c.Code, c.ZH, c.EN, c.Short}, c.Synonyms...)
}

// Taxonomy holds every dimension, its codes in catalogue order.
type Taxonomy struct {
	Dimensions map[string][]Code `yaml:"dimensions"`
}

// Synonym is one spelling that maps to a code, as fed to the warehouse's mapping table.
type Synonym struct {
	Dimension string
	Text      string // normalised with Normalize
	Code      string
}

var (
	loadOnce sync.Once
	builtin  *catalogue // the embedded taxonomy.yaml
	labels   map[string]map[string]string
	loadErr  error
	// active is the catalogue every reader sees: builtin, or builtin merged with the user file (UseUserFile).
	active atomic.Pointer[catalogue]
)

// catalogue is one taxonomy in effect, with the spellings a user file moved to its codes.
type catalogue struct {
	Taxonomy
	// moved[dimension][folded spelling] = code: a spelling an `override: true` user entry took from another
	// code; Synonyms gives it to that code only.
	moved map[string]map[string]string
	file  string // the user file merged in, "" for the built-in catalogue
}

func load() {
	loadOnce.Do(func() {
		var tax Taxonomy
		if err := yaml.Unmarshal(taxonomyYAML, &tax); err != nil {
			loadErr = fmt.Errorf("catalog: embedded taxonomy.yaml: %w", err)
			return
		}
		builtin = &catalogue{Taxonomy: tax}
		active.CompareAndSwap(nil, builtin)
		labels = map[string]map[string]string{}
		entries, _ := labelFS.ReadDir(".")
		for _, e := range entries {
			b, _ := labelFS.ReadFile(e.Name())
			var l struct {
				Labels map[string]map[string]string `yaml:"labels"`
			}
			if err := yaml.Unmarshal(b, &l); err != nil {
				loadErr = fmt.Errorf("catalog: embedded %s: %w", e.Name(), err)
				return
			}
			for k, v := range l.Labels {
				if _, dup := labels[k]; dup {
					loadErr = fmt.Errorf("catalog: label %q is defined twice (again in %s)", k, e.Name())
					return
				}
				labels[k] = v
			}
		}
	})
	if loadErr != nil {
		panic(loadErr) // embedded files are checked by tests; a broken one is a build defect
	}
}

// current is the catalogue in effect.
func current() *catalogue {
	load()
	return active.Load()
}

// Dimension returns the codes of a dimension in catalogue order (nil for an unknown dimension).
func Dimension(name string) []Code {
	return current().Dimensions[name]
}

// DimensionNames lists the dimensions, sorted.
func DimensionNames() []string {
	return current().dimensionNames()
}

func (c *catalogue) dimensionNames() []string {
	names := make([]string, 0, len(c.Dimensions))
	for n := range c.Dimensions {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Lookup finds a code of a dimension.
func Lookup(dimension, code string) (Code, bool) {
	for _, c := range Dimension(dimension) {
		if c.Code == code {
			return c, true
		}
	}
	return Code{}, false
}

// Label is the label of a code in lang; an unknown code is shown as itself so nothing disappears from a table.
func Label(dimension, code, lang string) string {
	if c, ok := Lookup(dimension, code); ok {
		return c.Label(lang)
	}
	if code == "unmapped" {
		return Text("unmapped", lang)
	}
	if dimension == "province" {
		if l, ok := regionLabel(code, lang); ok {
			return l
		}
	}
	return code
}

// Text is a user-facing string by key in lang; a missing key is returned as "?key" so a test can catch it.
func Text(key, lang string) string {
	load()
	m, ok := labels[key]
	if !ok {
		return "?" + key
	}
	if lang == "en" {
		if s := m["en"]; s != "" {
			return s
		}
	}
	return m["zh"]
}

// TextKeys lists every UI string key, sorted.
func TextKeys() []string {
	load()
	keys := make([]string, 0, len(labels))
	for k := range labels {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Synonyms lists every spelling of every code (code, labels and synonyms), normalised, for the warehouse's
// mapping table. A spelling claimed by two codes of one dimension keeps the first in catalogue order, except a
// spelling a user file moved to its code (`override: true`, see UseUserFile), which only that code keeps.
func Synonyms() []Synonym {
	return current().synonyms()
}

func (cat *catalogue) synonyms() []Synonym {
	var out []Synonym
	for _, dim := range cat.dimensionNames() {
		seen := map[string]bool{}
		for _, c := range cat.Dimensions[dim] {
			for _, s := range c.spellings() {
				n := Normalize(s)
				if n == "" || seen[n] {
					continue
				}
				if to, ok := cat.moved[dim][n]; ok && to != c.Code {
					continue
				}
				seen[n] = true
				out = append(out, Synonym{Dimension: dim, Text: n, Code: c.Code})
			}
		}
	}
	return out
}

// Normalize folds a raw category spelling for matching: full-width to half-width, trimmed, inner white space
// collapsed, lower-case. The warehouse applies the same folding in SQL (transform/models), so both must agree.
//
// Only full-width ASCII (U+FF01-U+FF5E) and the ideographic space are folded: a general width folding would also
// turn Chinese punctuation such as 、 into its half-width form ､, which the SQL side does not do.
func Normalize(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r >= 0xFF01 && r <= 0xFF5E:
			return r - 0xFF01 + 0x21
		case r == 0x3000:
			return ' '
		}
		return r
	}, s)
	return strings.ToLower(strings.Join(strings.Fields(s), " "))
}

// ValueWords lists the words of every code (Words), folded with Normalize, for normalise's mapping of a raw value
// that is no spelling by the words it contains; a word claimed by two codes of one dimension is dropped (it is no
// evidence for either).
func ValueWords() []Synonym {
	cat := current()
	var out []Synonym
	for _, dim := range cat.dimensionNames() {
		owner := map[string]string{}
		var order []string
		for _, c := range cat.Dimensions[dim] {
			for _, w := range c.Words {
				n := Normalize(w)
				if n == "" {
					continue
				}
				if o, ok := owner[n]; ok {
					if o != c.Code {
						owner[n] = ""
					}
					continue
				}
				owner[n] = c.Code
				order = append(order, n)
			}
		}
		for _, n := range order {
			if owner[n] != "" {
				out = append(out, Synonym{Dimension: dim, Text: n, Code: owner[n]})
			}
		}
	}
	return out
}

// KeywordDimensions are the dimensions whose empty values keyword rules may fill.
var KeywordDimensions = []string{"business_category", "cause"}

// KeywordRule is one keyword of one code: a complaint whose column of Dimension is empty and whose summary or
// narrative (folded with Normalize) contains Keyword gets Code.
type KeywordRule struct {
	Dimension string
	Code      string
	Keyword   string // folded with Normalize
	Priority  int    // 1 is tried first, within the dimension
	ID        string // "code:keyword" as written in the catalogue, recorded on the complaint
}

// KeywordRules lists the keyword rules of KeywordDimensions in priority order: codes in catalogue order, each
// code's keywords in the order listed. The first rule that matches wins, so a code listed earlier (and a keyword
// listed earlier) takes precedence; the catalogue puts specific codes (debit_card, credit_card) before none
// that could also match their texts. A keyword that folds to nothing is skipped.
func KeywordRules() []KeywordRule {
	var out []KeywordRule
	cat := current()
	for _, dim := range KeywordDimensions {
		n := 0
		for _, c := range cat.Dimensions[dim] {
			for _, k := range c.Keywords {
				f := Normalize(k)
				if f == "" {
					continue
				}
				n++
				out = append(out, KeywordRule{Dimension: dim, Code: c.Code, Keyword: f, Priority: n, ID: c.Code + ":" + strings.TrimSpace(k)})
			}
		}
	}
	return out
}
