package dashboards

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"

	"complaints/catalog"
	"complaints/readmodel"
	"complaints/rootcause"
	rcrender "complaints/rootcause/render"
)

// branchNames shows branches by name: with a branch master (the config's branches file) the marts hold the
// master's codes, and every label of the page is the unit's name, falling back to the code when the master has no
// name; without a master the marts hold the exported text, shown as it is.
type branchNames struct {
	units []readmodel.DashBranchUnit
	name  map[string]string // code -> name
}

func loadBranchNames(ctx context.Context, db *sql.DB) (branchNames, error) {
	units, err := readmodel.DashBranchUnits(ctx, db)
	if err != nil {
		return branchNames{}, err
	}
	b := branchNames{units: units, name: map[string]string{}}
	for _, u := range units {
		if u.Name != "" {
			b.name[u.Code] = u.Name
		}
	}
	return b, nil
}

// label is the branch's name (the code when the master has none; the "no branch" text for an empty code).
func (b branchNames) label(code, lang string) string {
	if code == "" {
		return catalog.Text("dash_no_branch", lang)
	}
	if n, ok := b.name[code]; ok {
		return n
	}
	return code
}

// resolve turns a --branch argument (a code, a name or an alias of the master) into the code the marts hold. A
// text no unit claims is returned as given (the marts hold the exported text of branches the master does not
// know); a text that names two units is an error.
func (b branchNames) resolve(text string) (string, error) {
	text = strings.TrimSpace(text)
	for _, u := range b.units {
		if u.Code == text {
			return u.Code, nil
		}
	}
	n := catalog.Normalize(text)
	var codes []string
	for _, u := range b.units {
		for _, s := range append([]string{u.Code, u.Name}, u.Aliases...) {
			if s != "" && catalog.Normalize(s) == n {
				codes = append(codes, u.Code)
				break
			}
		}
	}
	switch len(codes) {
	case 0:
		return text, nil
	case 1:
		return codes[0], nil
	}
	sort.Strings(codes)
	return "", fmt.Errorf("branch %q names %d units of the branch master (%s): give the code", text, len(codes), strings.Join(codes, ", "))
}

// keyLabel is rootcause.KeyLabel with the branch shown by name.
func (b branchNames) keyLabel(k rootcause.Key, lang string) string {
	if (k.Kind == rootcause.KindBranch || k.Kind == rootcause.KindBranchCause) && len(k.Parts) > 0 {
		parts := append([]string(nil), k.Parts...)
		parts[0] = b.label(parts[0], lang)
		k.Parts = parts
	}
	return rcrender.KeyLabel(k, lang)
}

// resolveActions lets a remediation file name a branch by its name or alias: findings carry the master's code.
func (b branchNames) resolveActions(acts []rootcause.Action) {
	for i := range acts {
		if acts[i].Branch == "" {
			continue
		}
		if code, err := b.resolve(acts[i].Branch); err == nil {
			acts[i].Branch = code
		}
	}
}
