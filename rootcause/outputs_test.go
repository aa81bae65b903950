package rootcause

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestForMonthResolvesActionBranches: an action naming a branch the way a person writes it (here its code in
// lower case, which catalog.Normalize folds) is attached to that branch's recurring pair, as one naming the code
// exactly is; the report, the dashboard and `complaints rootcause` all take their findings from ForMonth.
func TestForMonthResolvesActionBranches(t *testing.T) {
	db := sampleDB(t)
	ctx := context.Background()
	plain, err := ForMonth(ctx, db, Options{Period: "2026-10"}, "zh", "")
	if err != nil {
		t.Fatal(err)
	}
	var k Key
	for _, r := range plain.Recurring {
		if r.Key.Kind == KindBranchCause && strings.ToLower(r.Key.Parts[0]) != r.Key.Parts[0] {
			k = r.Key
			break
		}
	}
	if k.Kind == "" {
		t.Fatal("the sample has no recurring branch x cause pair with a code in upper case")
	}
	for _, branch := range []string{k.Parts[0], strings.ToLower(k.Parts[0]), "无此支行"} {
		file := filepath.Join(t.TempDir(), "remediation.csv")
		if err := os.WriteFile(file, []byte("cause,branch,action,status\n"+k.Parts[1]+","+branch+",培训,进行中\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		f, err := ForMonth(ctx, db, Options{Period: "2026-10"}, "zh", file)
		if err != nil {
			t.Fatal(err)
		}
		attached := 0
		for _, r := range f.Recurring {
			if r.Key.id() == k.id() {
				attached = len(r.Actions)
			} else if len(r.Actions) > 0 {
				t.Errorf("action for %s (%s) attached to %s", k, branch, r.Key)
			}
		}
		if want := map[bool]int{true: 0, false: 1}[branch == "无此支行"]; attached != want {
			t.Errorf("action naming the branch %q: %d attached to %s, want %d", branch, attached, k, want)
		}
	}
}
