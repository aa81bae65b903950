package readmodel

import (
	"context"
	"testing"

	"complaints/warehouse"
)

// TestBranchLabelsRule: one name per branch code (the view branch_labels): the record with the latest valid_to
// (NULL, still valid, the latest), ties by the latest valid_from (NULL the earliest), then the smallest name.
func TestBranchLabelsRule(t *testing.T) {
	ctx := context.Background()
	w, err := warehouse.Open(ctx, warehouse.Options{Path: ":memory:", Threads: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	// code, name, valid_from, valid_to
	for _, r := range [][4]any{
		{"A", "Old name", "2020-01-01", nil}, {"A", "New name", "2024-01-01", nil}, // tied on valid_to: latest valid_from
		{"B", "Beta", "2021-01-01", "2025-01-01"}, {"B", "Alpha", "2021-01-01", "2025-01-01"}, // tied on both: smallest name
		{"C", "Open", "2019-01-01", nil}, {"C", "Closed", "2023-01-01", "2025-06-30"}, // NULL valid_to is the latest
		{"D", "Always", nil, "2025-01-01"}, {"D", "Since", "2020-01-01", "2025-01-01"}, // NULL valid_from the earliest
		{"E", "  ", nil, nil}, {"F", " Padded ", nil, nil},
	} {
		if _, err := w.DB.Exec(`INSERT INTO branch_master (code, name, valid_from, valid_to) VALUES (?, ?, ?, ?)`, r[0], r[1], r[2], r[3]); err != nil {
			t.Fatal(err)
		}
	}
	want := map[string]string{"A": "New name", "B": "Alpha", "C": "Open", "D": "Since", "F": "Padded"}
	got, err := LoadBranchLabels(ctx, w.DB)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Errorf("labels %v, want %v", got, want)
	}
	for code, name := range want {
		if got[code] != name {
			t.Errorf("%s: %q, want %q", code, got[code], name)
		}
	}
	units, err := DashBranchUnits(ctx, w.DB)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range units {
		if u.Name != want[u.Code] {
			t.Errorf("dashboard unit %s: %q, want %q", u.Code, u.Name, want[u.Code])
		}
	}
}

// A remediation action's branch may be a code, a name or an alias of the master (folded like the catalogue); a
// text no unit claims is kept as the exports' own branch text; a name two units share is not resolved.
func TestResolveBranch(t *testing.T) {
	units := []DashBranchUnit{
		{Code: "BJ001", Name: "北京分行", Aliases: []string{"京分行"}},
		{Code: "BJ002", Name: "北京西城支行", Aliases: []string{"西城"}},
		{Code: "TW001", Name: "同名支行"}, {Code: "TW002", Name: "同名支行"},
	}
	for in, want := range map[string]string{"BJ001": "BJ001", "bj001": "BJ001", "北京分行": "BJ001", " 京分行 ": "BJ001",
		"西城": "BJ002", "无此支行": "无此支行", "TW002": "TW002"} {
		if got, ok := ResolveBranch(units, in); !ok || got != want {
			t.Errorf("ResolveBranch(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	if got, ok := ResolveBranch(units, "同名支行"); ok || got != "同名支行" {
		t.Errorf("ambiguous name: %q, %v", got, ok)
	}
}
