package catalog

import (
	_ "embed"
	"fmt"
	"sort"
	"sync"

	"github.com/goccy/go-yaml"
)

// The CFPB crosswalk (crosswalk_cfpb.yaml): the Consumer Complaint Database's Product / Sub-product and Issue /
// Sub-issue values mapped to business_category and cause codes, for the rows of the sources it names.
//
//go:embed crosswalk_cfpb.yaml
var crosswalkCFPBYAML []byte

// Crosswalk maps a source's two-level vocabulary to catalogue codes.
type Crosswalk struct {
	// Sources are the source systems (landed_rows.source_system) whose rows map through the crosswalk.
	Sources  []string           `yaml:"sources"`
	Products []CrosswalkProduct `yaml:"products"`
	Issues   []CrosswalkIssue   `yaml:"issues"`
	// Regions are the source's region values (the CFPB's State), which take the province dimension's place
	// for its rows under the codes RegionPrefix + Code.
	Regions []CrosswalkRegion `yaml:"regions"`
}

// CrosswalkRegion is one region of a crosswalk source (a US state or territory), with its labels.
type CrosswalkRegion struct {
	Code string `yaml:"code"`
	En   string `yaml:"en"`
	Zh   string `yaml:"zh"`
}

// RegionPrefix starts the province code of a crosswalk region (US-CA): no GB/T 2260 code looks like it.
const RegionPrefix = "US-"

// RegionSynonyms maps the folded spellings of every region (its code and its English name) to its province code.
func (xw Crosswalk) RegionSynonyms() map[string]string {
	out := map[string]string{}
	for _, r := range xw.Regions {
		out[Normalize(r.Code)] = RegionPrefix + r.Code
		out[Normalize(r.En)] = RegionPrefix + r.Code
	}
	return out
}

// regionLabel is the label of a crosswalk region's province code in lang.
func regionLabel(code, lang string) (string, bool) {
	for _, r := range CFPBCrosswalk().Regions {
		if RegionPrefix+r.Code == code {
			if lang == "en" {
				return r.En, true
			}
			return r.Zh, true
		}
	}
	return "", false
}

// CrosswalkProduct is one Product with its business category and its Sub-products' categories.
type CrosswalkProduct struct {
	Product     string            `yaml:"product"`
	Category    string            `yaml:"category"`
	SubProducts map[string]string `yaml:"sub_products"`
}

// CrosswalkIssue is one Issue with its cause and its Sub-issues' causes.
type CrosswalkIssue struct {
	Issue     string            `yaml:"issue"`
	Cause     string            `yaml:"cause"`
	SubIssues map[string]string `yaml:"sub_issues"`
}

// CrosswalkEntry is one row of a crosswalk as the warehouse's mapping table holds it: Dimension is
// business_category or cause, Value and Sub are the folded (Normalize) first- and second-level values (Sub ""
// for the first level alone, which also serves an unseen or empty second level).
type CrosswalkEntry struct {
	Dimension string
	Value     string
	Sub       string
	Code      string
}

var (
	cfpbOnce sync.Once
	cfpbXW   Crosswalk
	cfpbErr  error
)

// CFPBCrosswalk returns the built-in CFPB crosswalk.
func CFPBCrosswalk() Crosswalk {
	cfpbOnce.Do(func() {
		cfpbXW, cfpbErr = parseCrosswalk(crosswalkCFPBYAML)
	})
	if cfpbErr != nil {
		panic(cfpbErr) // embedded file, checked by tests: a broken one is a build defect
	}
	return cfpbXW
}

// parseCrosswalk reads a crosswalk and checks it: every code is a code of its dimension, no value is listed
// twice (after Normalize), none is empty.
func parseCrosswalk(b []byte) (Crosswalk, error) {
	var xw Crosswalk
	if err := yaml.UnmarshalWithOptions(b, &xw, yaml.DisallowUnknownField()); err != nil {
		return xw, fmt.Errorf("catalog: embedded crosswalk_cfpb.yaml: %w", err)
	}
	var tax Taxonomy
	if err := yaml.Unmarshal(taxonomyYAML, &tax); err != nil {
		return xw, fmt.Errorf("catalog: embedded taxonomy.yaml: %w", err)
	}
	known := func(dim, code string) bool {
		for _, c := range tax.Dimensions[dim] {
			if c.Code == code {
				return true
			}
		}
		return false
	}
	seen := map[string]bool{}
	for _, e := range xw.entries() {
		if e.Value == "" {
			return xw, fmt.Errorf("catalog: crosswalk_cfpb.yaml: an empty %s value", e.Dimension)
		}
		if !known(e.Dimension, e.Code) {
			return xw, fmt.Errorf("catalog: crosswalk_cfpb.yaml: %q / %q: %q is no %s code of taxonomy.yaml", e.Value, e.Sub, e.Code, e.Dimension)
		}
		k := e.Dimension + "\x1f" + e.Value + "\x1f" + e.Sub
		if seen[k] {
			return xw, fmt.Errorf("catalog: crosswalk_cfpb.yaml: %q / %q is listed twice", e.Value, e.Sub)
		}
		seen[k] = true
	}
	for _, r := range xw.Regions {
		if r.Code == "" || r.En == "" || r.Zh == "" {
			return xw, fmt.Errorf("catalog: crosswalk_cfpb.yaml: region %q needs a code and both labels", r.Code)
		}
		if seen["region\x1f"+r.Code] {
			return xw, fmt.Errorf("catalog: crosswalk_cfpb.yaml: region %q is listed twice", r.Code)
		}
		seen["region\x1f"+r.Code] = true
	}
	if len(xw.Sources) == 0 {
		return xw, fmt.Errorf("catalog: crosswalk_cfpb.yaml: no sources")
	}
	return xw, nil
}

// Entries lists the crosswalk's rows, folded, in file order (sub-values sorted).
func (xw Crosswalk) Entries() []CrosswalkEntry { return xw.entries() }

func (xw Crosswalk) entries() []CrosswalkEntry {
	var out []CrosswalkEntry
	add := func(dim, value string, subs map[string]string, code string) {
		v := Normalize(value)
		out = append(out, CrosswalkEntry{Dimension: dim, Value: v, Code: code})
		keys := make([]string, 0, len(subs))
		for s := range subs {
			keys = append(keys, s)
		}
		sort.Strings(keys)
		for _, s := range keys {
			out = append(out, CrosswalkEntry{Dimension: dim, Value: v, Sub: Normalize(s), Code: subs[s]})
		}
	}
	for _, p := range xw.Products {
		add("business_category", p.Product, p.SubProducts, p.Category)
	}
	for _, i := range xw.Issues {
		add("cause", i.Issue, i.SubIssues, i.Cause)
	}
	return out
}

// Category is the business category of a Product and Sub-product (raw values): the pair's, else the
// Product's; ok is false for an unseen Product.
func (xw Crosswalk) Category(product, subProduct string) (code string, ok bool) {
	return xw.lookup("business_category", product, subProduct)
}

// Cause is the cause of an Issue and Sub-issue (raw values): the pair's, else the Issue's; ok is false for an
// unseen Issue (the normalise then gives cause other to a row whose Product the crosswalk knows).
func (xw Crosswalk) Cause(issue, subIssue string) (code string, ok bool) {
	return xw.lookup("cause", issue, subIssue)
}

func (xw Crosswalk) lookup(dim, value, sub string) (string, bool) {
	v, s := Normalize(value), Normalize(sub)
	first := ""
	for _, e := range xw.entries() {
		if e.Dimension != dim || e.Value != v {
			continue
		}
		if e.Sub == s {
			return e.Code, true
		}
		if e.Sub == "" {
			first = e.Code
		}
	}
	return first, first != ""
}
