package ingest

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"os"
	"regexp"
	"strings"

	"complaints/catalog"
)

// ReadBranchSpellings reads the codes, names and aliases of the branch master file (config `branches`: a
// UTF-8 CSV, a BOM allowed, whose first row names its columns; aliases separated by | ; or ；, as normalise
// splits them), folded by catalog.Normalize, for mapping a branch column by content (Options.BranchSpellings).
// The file's other columns and checks are normalise's.
func ReadBranchSpellings(path string) ([]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("branches %s: %w", path, err)
	}
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))))
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("branches %s: %w", path, err)
	}
	if len(recs) == 0 {
		return nil, nil
	}
	idx := map[string]int{}
	for i, h := range recs[0] {
		idx[strings.ToLower(strings.TrimSpace(h))] = i
	}
	var out []string
	add := func(s string) {
		if s = catalog.Normalize(s); s != "" {
			out = append(out, s)
		}
	}
	for _, rec := range recs[1:] {
		for _, col := range []string{"code", "name", "aliases"} {
			i, ok := idx[col]
			if !ok || i >= len(rec) {
				continue
			}
			if col == "aliases" {
				for _, a := range aliasSeparators.Split(rec[i], -1) {
					add(a)
				}
			} else {
				add(rec[i])
			}
		}
	}
	return out, nil
}

// aliasSeparators split a branch master's aliases (transform/models/15_branches.sql splits them alike).
var aliasSeparators = regexp.MustCompile(`[|;；]`)
