package transform

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/goccy/go-yaml"
)

// branchColumns are the columns of the branch master file; code is required, the others optional. A note
// column (the one `branches suggest` writes, saying why) is read and ignored.
var branchColumns = []string{"code", "name", "aliases", "parent", "province_code", "province_name", "valid_from", "valid_to", "successor"}

// loadBranches replaces branch_master with the rows of the branches CSV (UTF-8, a BOM allowed; header row with
// at least a code column). An empty path empties the table: then no branch text is mapped or listed.
func loadBranches(ctx context.Context, db querier, path string) error {
	if _, err := db.ExecContext(ctx, "DELETE FROM branch_master"); err != nil {
		return fmt.Errorf("normalize: branch_master: %w", err)
	}
	if path == "" {
		return nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("branches %s: %w", path, err)
	}
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	r := csv.NewReader(bytes.NewReader(b))
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		return fmt.Errorf("branches %s: %w", path, err)
	}
	if len(recs) == 0 {
		return fmt.Errorf("branches %s: empty file; the first row must name the columns (code,name,aliases,parent,province_code,province_name[,valid_from,valid_to,successor])", path)
	}
	idx := map[string]int{}
	for i, h := range recs[0] {
		h = strings.ToLower(strings.TrimSpace(h))
		known := h == "note"
		for _, c := range branchColumns {
			known = known || c == h
		}
		if !known {
			return fmt.Errorf("branches %s: line 1: unknown column %q; the columns are %s", path, h, strings.Join(branchColumns, ", "))
		}
		idx[h] = i
	}
	if _, ok := idx["code"]; !ok {
		return fmt.Errorf("branches %s: line 1: no code column", path)
	}
	for n, rec := range recs[1:] {
		line := n + 2
		row := make([]any, len(branchColumns))
		empty := true
		for j, c := range branchColumns {
			i, ok := idx[c]
			if !ok || i >= len(rec) || strings.TrimSpace(rec[i]) == "" {
				continue
			}
			v := strings.TrimSpace(rec[i])
			empty = false
			if c == "valid_from" || c == "valid_to" {
				if _, err := time.Parse("2006-01-02", v); err != nil {
					return fmt.Errorf("branches %s: line %d: %s %q is not a date like 2026-01-31", path, line, c, v)
				}
			}
			row[j] = v
		}
		if empty {
			continue
		}
		if row[0] == nil {
			return fmt.Errorf("branches %s: line %d: no code", path, line)
		}
		if _, err := db.ExecContext(ctx, `INSERT INTO branch_master VALUES (?, ?, ?, ?, ?, ?, CAST(? AS DATE), CAST(? AS DATE), ?)`, row...); err != nil {
			return fmt.Errorf("branches %s: line %d: %w", path, line, err)
		}
	}
	return nil
}

// Correction is one entry of the corrections file.
type Correction struct {
	// Complaint is the complaint's key, source_system:source_id (e.g. hotline:H20261003001).
	Complaint string `yaml:"complaint"`
	// Action: reclassify, not_duplicate, duplicate_of, major, extension_approved or not_complaint.
	Action string `yaml:"action"`
	// Field (reclassify only): business_category, cause, complaint_type or intake_channel.
	Field string `yaml:"field"`
	// Value: reclassify, the new code or a spelling of it; duplicate_of, the primary's key; major and
	// extension_approved, true (default) or false.
	Value string `yaml:"value"`
	// Who made the correction, when, and why (kept in the audit table).
	Who  string `yaml:"who"`
	When string `yaml:"when"`
	Why  string `yaml:"why"`
}

var correctionFields = map[string]bool{"business_category": true, "cause": true, "complaint_type": true, "intake_channel": true}

// ReadCorrections reads and checks a corrections file. An entry naming an unknown complaint is not an error
// here (normalise lists it in corrections_unmatched); a malformed entry is, naming the entry.
func ReadCorrections(path string) ([]Correction, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("corrections %s: %w", path, err)
	}
	var cs []Correction
	if len(bytes.TrimSpace(b)) > 0 {
		if err := yaml.NewDecoder(bytes.NewReader(b), yaml.DisallowUnknownField()).Decode(&cs); err != nil {
			return nil, fmt.Errorf("corrections %s: %v", path, err)
		}
	}
	for i, c := range cs {
		where := fmt.Sprintf("corrections %s: entry %d (%s)", path, i+1, c.Complaint)
		src, id, ok := strings.Cut(c.Complaint, ":")
		if !ok || src == "" || id == "" {
			return nil, fmt.Errorf("%s: complaint must be source_system:source_id", where)
		}
		switch c.Action {
		case "reclassify":
			if !correctionFields[c.Field] {
				return nil, fmt.Errorf("%s: reclassify needs field business_category, cause, complaint_type or intake_channel (got %q)", where, c.Field)
			}
			if strings.TrimSpace(c.Value) == "" {
				return nil, fmt.Errorf("%s: reclassify needs a value (the new code)", where)
			}
		case "duplicate_of":
			if !strings.Contains(c.Value, ":") {
				return nil, fmt.Errorf("%s: duplicate_of needs value source_system:source_id of the primary", where)
			}
		case "major", "extension_approved":
			switch strings.ToLower(strings.TrimSpace(c.Value)) {
			case "", "true", "false", "yes", "no":
			default:
				return nil, fmt.Errorf("%s: %s takes value true or false (got %q)", where, c.Action, c.Value)
			}
		case "not_duplicate", "not_complaint":
		default:
			return nil, fmt.Errorf("%s: action %q is not allowed; use reclassify, not_duplicate, duplicate_of, major, extension_approved or not_complaint", where, c.Action)
		}
		if c.Field != "" && c.Action != "reclassify" {
			return nil, fmt.Errorf("%s: field is for reclassify only", where)
		}
	}
	return cs, nil
}

// loadCorrections replaces the corrections table with the file's entries (empty path: none).
func loadCorrections(ctx context.Context, db querier, path string) error {
	if _, err := db.ExecContext(ctx, "DELETE FROM corrections"); err != nil {
		return fmt.Errorf("normalize: corrections: %w", err)
	}
	if path == "" {
		return nil
	}
	cs, err := ReadCorrections(path)
	if err != nil {
		return err
	}
	nul := func(s string) any {
		if s = strings.TrimSpace(s); s == "" {
			return nil
		}
		return s
	}
	for i, c := range cs {
		if _, err := db.ExecContext(ctx, `INSERT INTO corrections VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			i+1, strings.TrimSpace(c.Complaint), c.Action, nul(c.Field), nul(c.Value), nul(c.Who), nul(c.When), nul(c.Why)); err != nil {
			return fmt.Errorf("normalize: corrections: %w", err)
		}
	}
	return nil
}
