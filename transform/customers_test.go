package transform

import (
	"context"
	"testing"
)

// TestCustomersLinkAndRepeat: a hotline record with only a phone, a referral with that phone and an ID, and a
// letter with only that ID are one customer; a primary with an earlier one of theirs in the 90 days before it is
// a repeat; a merged duplicate is not a repeat.
func TestCustomersLinkAndRepeat(t *testing.T) {
	rows := []landed{
		{batch: 1, source: "hotline", id: "H", received: "2026-03-01 10:00:00", category: "信用卡", status: "已办结", replied: "2026-03-03 10:00:00", phoneKey: "p5"},
		{batch: 1, source: "referral", id: "R", received: "2026-04-10 10:00:00", category: "贷款", status: "已办结", replied: "2026-04-12 10:00:00", phoneKey: "p5", idKey: "i5"},
		{batch: 1, source: "letter", id: "L", received: "2026-09-01 10:00:00", category: "借记卡", status: "处理中", idKey: "i5"},
		// another customer: two complaints 2 days apart in one category before a reply: a duplicate, not a repeat
		{batch: 1, source: "hotline", id: "X1", received: "2026-05-01 10:00:00", category: "信用卡", status: "处理中", phoneKey: "p7"},
		{batch: 1, source: "hotline", id: "X2", received: "2026-05-03 10:00:00", category: "信用卡", status: "处理中", phoneKey: "p7"},
	}
	w := setup(t, rows)
	if _, err := Normalize(context.Background(), w, Options{}); err != nil {
		t.Fatal(err)
	}
	got := map[string][2]any{}
	rs, _ := w.DB.Query("SELECT source_id, customer_key, repeat_complainant FROM complaints")
	for rs.Next() {
		var id, ck string
		var rep bool
		rs.Scan(&id, &ck, &rep)
		got[id] = [2]any{ck, rep}
	}
	rs.Close()
	if got["H"][0] != got["R"][0] || got["R"][0] != got["L"][0] {
		t.Fatalf("H, R, L not linked as one customer: %v", got)
	}
	if got["H"][0] == got["X1"][0] {
		t.Fatal("different customers linked")
	}
	// R (04-10) is 40 days after H (03-01): a repeat, H (the earlier) not; L (09-01) is 144 days after R: not a repeat.
	want := map[string]bool{"H": false, "R": true, "L": false, "X1": false, "X2": false}
	for id, rep := range want {
		if got[id][1] != rep {
			t.Errorf("%s repeat_complainant = %v, want %v", id, got[id][1], rep)
		}
	}
	// April counts the customer, and their complaints R and the March one it repeats, H; March counts none
	var repeatCustomersMarch, repeatCustomersApril, repeatComplaintsApril, dupMay int
	w.DB.QueryRow("SELECT repeat_customers FROM mart_month WHERE month = DATE '2026-03-01'").Scan(&repeatCustomersMarch)
	w.DB.QueryRow("SELECT repeat_customers, repeat_complaints FROM mart_month WHERE month = DATE '2026-04-01'").Scan(&repeatCustomersApril, &repeatComplaintsApril)
	w.DB.QueryRow("SELECT duplicates_linked FROM mart_month WHERE month = DATE '2026-05-01'").Scan(&dupMay)
	if repeatCustomersMarch != 0 || repeatCustomersApril != 1 || repeatComplaintsApril != 2 || dupMay != 1 {
		t.Fatalf("mart_month: repeat customers in March %d (want 0), in April %d (want 1), their complaints %d (want 2), duplicates in May %d (want 1)",
			repeatCustomersMarch, repeatCustomersApril, repeatComplaintsApril, dupMay)
	}
}

// TestCustomerChainAndRoot: a chain of records sharing one key each with the next is one customer, whose key is
// the component's smallest node (kind letter, then key: c:c3 here), the same whichever record lands first; a
// record sharing nothing stays apart with its own first key.
func TestCustomerChainAndRoot(t *testing.T) {
	chain := []landed{
		{batch: 1, source: "s", id: "A", received: "2026-03-01 10:00:00", status: "处理中", phoneKey: "p1"},
		{batch: 1, source: "s", id: "B", received: "2026-04-01 10:00:00", status: "处理中", phoneKey: "p1", idKey: "i2"},
		{batch: 1, source: "s", id: "C", received: "2026-05-01 10:00:00", status: "处理中", idKey: "i2", card: "c3"},
		{batch: 1, source: "s", id: "D", received: "2026-06-01 10:00:00", status: "处理中", card: "c3", phoneKey: "p4"},
		{batch: 1, source: "s", id: "E", received: "2026-07-01 10:00:00", status: "处理中", phoneKey: "p4"},
		{batch: 1, source: "s", id: "F", received: "2026-08-01 10:00:00", status: "处理中", phoneKey: "p9", idKey: "i9"},
	}
	for _, order := range [][]int{{0, 1, 2, 3, 4, 5}, {5, 4, 3, 2, 1, 0}} {
		var rows []landed
		for _, i := range order {
			rows = append(rows, chain[i])
		}
		w := setup(t, rows)
		if _, err := Normalize(context.Background(), w, Options{}); err != nil {
			t.Fatal(err)
		}
		wantRows(t, w.DB, "SELECT source_id, customer_key FROM complaints ORDER BY source_id",
			"A|c3", "B|c3", "C|c3", "D|c3", "E|c3", "F|i9")
	}
}
