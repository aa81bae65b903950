package catalog

import (
	"bytes"
	"complaints/internal/yamlerr"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// OpenDimensions are the dimensions a user file may add codes to. The others have code lists the models, clocks
// and report layouts rely on code by code (complaint types and their class, statuses, record types, satisfaction,
// provinces): a user file may add spellings and keywords to their codes and relabel them, nothing more.
var OpenDimensions = []string{"intake_channel", "business_channel", "business_category", "cause", "demand"}

// userCode is one entry of a user taxonomy file: the shape of taxonomy.yaml plus `override`.
type userCode struct {
	Code     string   `yaml:"code"`
	ZH       string   `yaml:"zh"`
	EN       string   `yaml:"en"`
	Short    string   `yaml:"short"`
	Parent   string   `yaml:"parent"`
	Class    string   `yaml:"class"`
	Synonyms []string `yaml:"synonyms"`
	Keywords []string `yaml:"keywords"`
	Words    []string `yaml:"words"`
	// Override moves this entry's synonyms and keywords from any built-in code that already has them (that code
	// loses them); without it such a clash is an error.
	Override bool `yaml:"override"`
}

// UseUserFile merges a user taxonomy file (the shape of taxonomy.yaml) into the catalogue every reader of this
// package sees, for the rest of the process: Dimension, Lookup, Label, Synonyms, KeywordRules, ValueWords,
// Closest, Propose and Fingerprint. Call it once, before any work (the CLI does, right after loading the config); path "" puts the
// built-in catalogue back. On error the catalogue in effect is unchanged.
//
// Rules (docs/decisions.md, "User taxonomy file"):
//   - an existing code: the synonyms and keywords listed are added to the built-in ones; a zh/en label given
//     replaces the built-in label, which stays a synonym so exports that spell it still map; short, parent and
//     class cannot be changed;
//   - a new code is appended to its dimension (only OpenDimensions), needs both labels, may name a parent code;
//   - a dimension the built-in catalogue lacks is an error (reports have fixed layouts);
//   - a synonym or keyword (after Normalize) that another code of the dimension already has is an error naming
//     both codes, unless the user entry says `override: true`: then the user's code takes it and the other code
//     loses it. Two user entries claiming one spelling is always an error;
//   - keywords only on business_category and cause (KeywordDimensions); words (value words) on any dimension,
//     added to the code's.
func UseUserFile(path string) error {
	load()
	if path == "" {
		active.Store(builtin)
		return nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("taxonomy file %s: %w", path, err)
	}
	cat, err := merge(builtin, b, path)
	if err != nil {
		return err
	}
	active.Store(cat)
	return nil
}

// UserFile is the user taxonomy file in effect, "" when the built-in catalogue is.
func UserFile() string { return current().file }

// Fingerprint digests the catalogue in effect (every code, label, parent, class, synonym, keyword and moved
// spelling), so that a warehouse normalised with another catalogue is rebuilt in full.
func Fingerprint() string {
	cat := current()
	h := sha256.New()
	for _, dim := range cat.dimensionNames() {
		fmt.Fprintf(h, "dim %q\n", dim)
		for _, c := range cat.Dimensions[dim] {
			fmt.Fprintf(h, "%q %q %q %q %q %q %q %q %q\n", c.Code, c.ZH, c.EN, c.Short, c.Parent, c.Class, c.Synonyms, c.Keywords, c.Words)
		}
		moved := make([]string, 0, len(cat.moved[dim]))
		for s, code := range cat.moved[dim] {
			moved = append(moved, fmt.Sprintf("%q>%q", s, code))
		}
		sort.Strings(moved)
		fmt.Fprintf(h, "moved %s\n", strings.Join(moved, ","))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// merge returns base with the user file b (named name in messages) merged in; base is not modified.
func merge(base *catalogue, b []byte, name string) (*catalogue, error) {
	var user struct {
		Dimensions map[string][]userCode `yaml:"dimensions"`
	}
	if len(bytes.TrimSpace(b)) > 0 {
		dec := yaml.NewDecoder(bytes.NewReader(b), yaml.DisallowUnknownField())
		if err := dec.Decode(&user); err != nil {
			return nil, fmt.Errorf("taxonomy file %s: %s", name, yamlErrorLine(err))
		}
	}
	doc, _ := parser.ParseBytes(b, 0) // decoded above, so it parses; only used for line numbers
	fail := func(path, format string, args ...any) error {
		return fmt.Errorf("taxonomy file %s: %s%s: %s", name, position(doc, path), strings.TrimPrefix(path, "$."), fmt.Sprintf(format, args...))
	}

	cat := &catalogue{Taxonomy: Taxonomy{Dimensions: map[string][]Code{}}, moved: map[string]map[string]string{}, file: name}
	for dim, codes := range base.Dimensions {
		cp := make([]Code, len(codes))
		for i, c := range codes {
			c.Synonyms = slices.Clone(c.Synonyms)
			c.Keywords = slices.Clone(c.Keywords)
			cp[i] = c
		}
		cat.Dimensions[dim] = cp
	}

	dims := make([]string, 0, len(user.Dimensions))
	for d := range user.Dimensions {
		dims = append(dims, d)
	}
	sort.Strings(dims)
	for _, dim := range dims {
		dpath := "$.dimensions." + dim
		codes, ok := cat.Dimensions[dim]
		if !ok {
			return nil, fail(dpath, "the built-in catalogue has no dimension %q, and a user file cannot add one (reports and dashboards have fixed layouts); extend one of %s",
				dim, strings.Join(base.dimensionNames(), ", "))
		}
		open := slices.Contains(OpenDimensions, dim)
		kwDim := slices.Contains(KeywordDimensions, dim)
		// owner of each folded spelling and keyword before the user file: first code in catalogue order
		spellOwner, kwOwner := map[string]string{}, map[string]string{}
		for _, c := range codes {
			for _, s := range c.spellings() {
				if n := Normalize(s); n != "" && spellOwner[n] == "" {
					spellOwner[n] = c.Code
				}
			}
			for _, k := range c.Keywords {
				if n := Normalize(k); n != "" && kwOwner[n] == "" {
					kwOwner[n] = c.Code
				}
			}
		}
		userSpell, userKw := map[string]string{}, map[string]string{} // folded text -> user code claiming it
		seenCode := map[string]bool{}
		for i, u := range user.Dimensions[dim] {
			epath := fmt.Sprintf("%s[%d]", dpath, i)
			u.Code = strings.TrimSpace(u.Code)
			if u.Code == "" {
				return nil, fail(epath+".code", "missing; every entry names the code it extends or adds")
			}
			if seenCode[u.Code] {
				return nil, fail(epath+".code", "%q is listed twice in this dimension; merge the two entries", u.Code)
			}
			seenCode[u.Code] = true
			if len(u.Keywords) > 0 && !kwDim {
				return nil, fail(epath+".keywords", "keyword rules only classify %s; %s has none", strings.Join(KeywordDimensions, " and "), dim)
			}
			idx := slices.IndexFunc(cat.Dimensions[dim], func(c Code) bool { return c.Code == u.Code })
			var claims []string // spellings this entry adds (labels and synonyms)
			if idx < 0 {
				if !open {
					return nil, fail(epath+".code", "%q is not a code of %s, and %s has a fixed list of codes (the models and reports rely on each); a user file may add codes to %s only",
						u.Code, dim, dim, strings.Join(OpenDimensions, ", "))
				}
				if u.ZH == "" || u.EN == "" {
					return nil, fail(epath, "new code %q needs both labels, zh and en", u.Code)
				}
				if u.Short != "" || u.Class != "" {
					return nil, fail(epath, "new code %q: short and class are not allowed in %s", u.Code, dim)
				}
				if u.Parent != "" && !slices.ContainsFunc(cat.Dimensions[dim], func(c Code) bool { return c.Code == u.Parent && c.Parent == "" }) {
					return nil, fail(epath+".parent", "%q is not a top-level code of %s", u.Parent, dim)
				}
				cat.Dimensions[dim] = append(cat.Dimensions[dim], Code{Code: u.Code, ZH: u.ZH, EN: u.EN, Parent: u.Parent})
				idx = len(cat.Dimensions[dim]) - 1
				claims = append(claims, u.Code, u.ZH, u.EN)
			} else {
				c := &cat.Dimensions[dim][idx]
				for _, f := range []struct{ key, given, builtin string }{{"short", u.Short, c.Short}, {"parent", u.Parent, c.Parent}, {"class", u.Class, c.Class}} {
					if f.given != "" && f.given != f.builtin {
						return nil, fail(epath+"."+f.key, "%q cannot be changed (built-in %q): the models and reports rely on it; leave it out", f.given, f.builtin)
					}
				}
				for _, l := range []struct{ given, old *string }{{&u.ZH, &c.ZH}, {&u.EN, &c.EN}} {
					if *l.given != "" && *l.given != *l.old {
						c.Synonyms = append(c.Synonyms, *l.old) // the old label still maps
						*l.old = *l.given
						claims = append(claims, *l.given)
					}
				}
			}
			c := &cat.Dimensions[dim][idx]
			claims = append(claims, u.Synonyms...)
			for _, s := range claims {
				n := Normalize(s)
				if n == "" {
					continue
				}
				if other := userSpell[n]; other != "" && other != u.Code {
					return nil, fail(epath, "spelling %q is claimed by user codes %s and %s; keep it on one", s, other, u.Code)
				}
				userSpell[n] = u.Code
				if owner := spellOwner[n]; owner != "" && owner != u.Code {
					if !u.Override {
						return nil, fail(epath, "spelling %q is already a spelling of the built-in code %s.%s, so user code %s cannot have it too; remove it, or add `override: true` to this entry to move it to %s (%s then loses it)",
							s, dim, owner, u.Code, u.Code, owner)
					}
					cat.moved[dim] = mapSet(cat.moved[dim], n, u.Code)
				}
			}
			for _, s := range u.Synonyms {
				if !slices.ContainsFunc(c.spellings(), func(x string) bool { return Normalize(x) == Normalize(s) }) {
					c.Synonyms = append(c.Synonyms, s)
				}
			}
			for _, w := range u.Words {
				if !slices.ContainsFunc(c.Words, func(x string) bool { return Normalize(x) == Normalize(w) }) {
					c.Words = append(c.Words, w)
				}
			}
			for _, k := range u.Keywords {
				n := Normalize(k)
				if n == "" {
					continue
				}
				if other := userKw[n]; other != "" && other != u.Code {
					return nil, fail(epath+".keywords", "keyword %q is claimed by user codes %s and %s; keep it on one", k, other, u.Code)
				}
				userKw[n] = u.Code
				if owner := kwOwner[n]; owner != "" && owner != u.Code {
					if !u.Override {
						return nil, fail(epath+".keywords", "keyword %q is already a keyword of the built-in code %s.%s, so user code %s cannot have it too; remove it, or add `override: true` to this entry to move it to %s (%s then loses it)",
							k, dim, owner, u.Code, u.Code, owner)
					}
					for j := range cat.Dimensions[dim] {
						o := &cat.Dimensions[dim][j]
						if o.Code != u.Code {
							o.Keywords = slices.DeleteFunc(o.Keywords, func(x string) bool { return Normalize(x) == n })
						}
					}
				}
				if !slices.ContainsFunc(c.Keywords, func(x string) bool { return Normalize(x) == n }) {
					c.Keywords = append(c.Keywords, k)
				}
			}
		}
	}
	return cat, nil
}

func mapSet(m map[string]string, k, v string) map[string]string {
	if m == nil {
		m = map[string]string{}
	}
	m[k] = v
	return m
}

// position is "[line:col] " of the node at a YAML path of doc, "" when it cannot be found.
func position(doc *ast.File, path string) string {
	if doc == nil {
		return ""
	}
	p, err := yaml.PathString(path)
	if err != nil {
		return ""
	}
	n, err := p.FilterFile(doc)
	if err != nil || n == nil || n.GetToken() == nil {
		return ""
	}
	pos := n.GetToken().Position
	return fmt.Sprintf("[%d:%d] ", pos.Line, pos.Column)
}

// yamlErrorLine is a decoding error of a user taxonomy file as one line.
func yamlErrorLine(err error) string {
	return yamlerr.Line(err, "a user taxonomy file has the shape of the built-in catalogue: dimensions: <dimension>: [{code, zh, en, parent, synonyms, keywords, override}]")
}
