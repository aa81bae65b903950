package ingest

import (
	"context"
	"strings"
	"testing"
)

// TestMaskers: the display masks of a keyed id keep the first and last digits staff look a case up by, never
// the whole number.
func TestMaskers(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"13812345678", "138****5678"},
		{"+86 139 1234 5678", "139****5678"},
		{"11010519491231002X", "110105********002X"},
		{"110105 19491231 002x", "110105********002X"},
		{"6222021234567890128", "622202*********0128"},
		{"4367 4212 3456 7896", "436742******7896"},
		{"A-3", "***"},
		{"ORD-20261005", "********1005"},
		{"R12345", "****45"},
	} {
		if got := maskedID(c.in); got != c.want {
			t.Errorf("maskedID(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestKeyedIDsLandMasked: a personal source_id or referral_ref lands keyed with its masked form beside it
// (source_id_masked, referral_ref_masked) for mobile, ID and card numbers; an id landed as exported has NULL
// there. Neither column ever holds the id in clear.
func TestKeyedIDsLandMasked(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	a := writeFile(t, dir, "a.csv", "complaint id,received at,referral ref,narrative\n"+
		"13812345678,2026-10-05,R1,text\n"+
		"11010519491231002X,2026-10-05,R2,text\n"+
		"6222021234567890128,2026-10-06,R3,text\n"+
		"+86 139 1234 5678,2026-10-06,R4,text\n")
	b := writeFile(t, dir, "b.csv", "complaint id,received at,referral ref,narrative\n"+
		"B1,2026-10-05,11010519491231002X,text\nB2,2026-10-05,13712345678,text\n")
	w := openTestWarehouse(t)
	res, err := IngestFiles(ctx, w, testOptions(), []string{a, b}, "")
	if err != nil || res[0].Err != nil || res[1].Err != nil || res[0].Accepted != 4 || res[1].Accepted != 2 {
		t.Fatalf("%v %+v", err, res)
	}
	got := rowsOf(t, w, `SELECT source_id || ' ' || coalesce(source_id_masked, 'NULL') || ' ' || coalesce(referral_ref, '')
		|| ' ' || coalesce(referral_ref_masked, 'NULL') FROM landed_rows ORDER BY batch_id, row_number`)
	want := []string{
		keyedID(testKey, "13812345678") + " 138****5678 R1 NULL",
		keyedID(testKey, "11010519491231002X") + " 110105********002X R2 NULL",
		keyedID(testKey, "6222021234567890128") + " 622202*********0128 R3 NULL",
		keyedID(testKey, "13912345678") + " 139****5678 R4 NULL",
		"B1 NULL " + keyedID(testKey, "11010519491231002X") + " 110105********002X",
		"B2 NULL " + keyedID(testKey, "13712345678") + " 137****5678",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("landed:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	assertNoPersonal(t, "landed ids", strings.Join(got, "\n"), "13912345678", "13712345678")
}
