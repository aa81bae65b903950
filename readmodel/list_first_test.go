package readmodel_test

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"testing"

	"complaints/readmodel"
	"complaints/readmodel/readmodeltest"
)

// listDimValue is a list row's value of a dimension, as ListFirst and ListBreakdown name them.
func listDimValue(r readmodel.ListRow, dim string) string {
	return map[string]string{"business_category": r.Category, "cause": r.Cause, "intake_channel": r.IntakeChannel,
		"business_channel": r.BusinessChannel, "province": r.Province, "branch": r.Branch}[dim]
}

// TestListFirstAndBreakdown: a list cut to the first N complaints of each value of some dimensions holds exactly
// the whole list's rows that are among the first N of their value in one of them, in the list's order; the
// breakdown counts the whole list by each pair. Both are worked out here from the whole list.
func TestListFirstAndBreakdown(t *testing.T) {
	ctx := context.Background()
	db := readmodeltest.Landed(t, filepath.Join("..", "testdata", "public", "cfpb", "consumer_complaints_2016_349rows.csv")).DB
	base := readmodel.ListOptions{Period: "2016", Figure: "received"}
	all, err := readmodel.ListRows(ctx, db, base)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) < 300 {
		t.Fatalf("the year lists %d complaints", len(all))
	}
	for _, c := range []readmodel.ListFirst{
		{Dims: []string{"branch"}, N: 1},
		{Dims: []string{"branch"}, N: 5},
		{Dims: []string{"business_category", "cause"}, N: 3},
		{Dims: []string{"business_category", "cause", "intake_channel", "branch", "province"}, N: 20},
		{Dims: []string{"intake_channel"}, N: 100},
	} {
		var want []string
		seen := map[string]int{}
		for _, r := range all {
			keep := false
			for _, d := range c.Dims {
				k := d + "\x00" + listDimValue(r, d)
				seen[k]++
				keep = keep || seen[k] <= c.N
			}
			if keep {
				want = append(want, r.Key)
			}
		}
		o := base
		o.First = c
		rows, err := readmodel.ListRows(ctx, db, o)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range rows {
			got = append(got, r.Key)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("first %d of %v: %d rows, want %d", c.N, c.Dims, len(got), len(want))
		}
		if len(want) == len(all) || len(want) == 0 {
			t.Errorf("first %d of %v keeps %d of %d rows: the case shows nothing", c.N, c.Dims, len(want), len(all))
		}
	}
	pairs := [][2]string{{"business_category", "cause"}, {"cause", "business_category"}, {"branch", "province"}, {"intake_channel", "business_channel"}}
	counts, err := readmodel.ListBreakdown(ctx, db, base, pairs)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int64{}
	for _, r := range all {
		for _, p := range pairs {
			want[fmt.Sprint(p[0], "=", listDimValue(r, p[0]), " ", p[1], "=", listDimValue(r, p[1]))]++
		}
	}
	got := map[string]int64{}
	for _, n := range counts {
		got[fmt.Sprint(n.Dim, "=", n.Code, " ", n.By, "=", n.ByCode)] += n.N
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("breakdown:\n got %v\nwant %v", got, want)
	}
	// with a filter (a further argument of the query)
	cat := base
	cat.Category = all[0].Category
	counts, err = readmodel.ListBreakdown(ctx, db, cat, [][2]string{{"business_category", "branch"}})
	if err != nil {
		t.Fatal(err)
	}
	var n, wantN int64
	for _, c := range counts {
		if c.Code != cat.Category {
			t.Errorf("a breakdown of %s counts %v", cat.Category, c)
		}
		n += c.N
	}
	for _, r := range all {
		if r.Category == cat.Category {
			wantN++
		}
	}
	if n != wantN || n == int64(len(all)) {
		t.Errorf("the breakdown of %s counts %d, the list has %d (of %d)", cat.Category, n, wantN, len(all))
	}
	if _, err := readmodel.ListBreakdown(ctx, db, base, [][2]string{{"branch", "no_such"}}); err == nil {
		t.Error("a breakdown by an unknown dimension gave no error")
	}
	o := base
	o.First = readmodel.ListFirst{Dims: []string{"no_such"}, N: 1}
	if _, err := readmodel.ListRows(ctx, db, o); err == nil {
		t.Error("a list cut by an unknown dimension gave no error")
	}
}
