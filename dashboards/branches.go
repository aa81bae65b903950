package dashboards

import (
	"context"
	"database/sql"

	"complaints/catalog"
	"complaints/readmodel"
	"complaints/rootcause"
	rcrender "complaints/rootcause/render"
)

// branchNames shows branches by name: with a branch master (the config's branches file) the marts hold the
// master's codes, and every label of the page is the unit's name, falling back to the code when the master has no
// name; without a master the marts hold the exported text, shown as it is.
type branchNames struct {
	name map[string]string // code -> name
}

func loadBranchNames(ctx context.Context, db *sql.DB) (branchNames, error) {
	units, err := readmodel.DashBranchUnits(ctx, db)
	if err != nil {
		return branchNames{}, err
	}
	b := branchNames{name: map[string]string{}}
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

// keyLabel is rootcause.KeyLabel with the branch shown by name.
func (b branchNames) keyLabel(k rootcause.Key, lang string) string {
	if (k.Kind == rootcause.KindBranch || k.Kind == rootcause.KindBranchCause) && len(k.Parts) > 0 {
		parts := append([]string(nil), k.Parts...)
		parts[0] = b.label(parts[0], lang)
		k.Parts = parts
	}
	return rcrender.KeyLabel(k, lang)
}
