package transform

import (
	"context"
	"database/sql"
	"testing"
)

// TestKeywordRules classifies hand-made complaints whose export left the category or the cause empty by the
// catalogue's keyword rules (catalog/taxonomy.yaml), first rule in priority order, recording the rule.
func TestKeywordRules(t *testing.T) {
	rows := []landed{
		{batch: 1, source: "h", id: "K1", received: "2026-10-08 10:00:00"},
		{batch: 1, source: "h", id: "K2", received: "2026-10-08 10:00:00"},
		{batch: 1, source: "h", id: "K3", received: "2026-10-08 10:00:00"},
		{batch: 1, source: "h", id: "K4", received: "2026-10-08 10:00:00", category: "神秘业务", cause: "其他"},
		{batch: 1, source: "h", id: "K5", received: "2026-10-08 10:00:00"},
		{batch: 1, source: "h", id: "K6", received: "2026-10-08 10:00:00", category: "贷款"},
	}
	w := setup(t, rows)
	for _, q := range []string{
		// K1: summary names the card and the loss of funds
		"UPDATE landed_rows SET summary = '信用卡被盗刷' WHERE source_id = 'K1'",
		// K2: only the narrative speaks; 存款 is rmb_savings' first keyword, 手续费 pricing_fees'; full-width text folds
		"UPDATE landed_rows SET narrative = '客户反映办理定期存款时被收取ＡＴＭ手续费' WHERE source_id = 'K2'",
		// K3: both 借记卡 and 信用卡: debit_card comes first in the catalogue, so it wins; 态度 (service_quality) comes
		// before 闪退 (facilities_systems)
		"UPDATE landed_rows SET summary = '信用卡还款时借记卡扣款失败，APP闪退，客服态度差' WHERE source_id = 'K3'",
		// K4: the export gave values (one unmapped): keywords never replace them
		"UPDATE landed_rows SET summary = '信用卡被盗刷' WHERE source_id = 'K4'",
		// K5: no keyword matches: other, no rule
		"UPDATE landed_rows SET summary = '客户来电表示不满' WHERE source_id = 'K5'",
		// K6: the category is given, the cause is empty: only the cause is classified
		"UPDATE landed_rows SET narrative = '提前还款被收取违约金' WHERE source_id = 'K6'",
	} {
		if _, err := w.DB.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := Normalize(context.Background(), w, Options{}); err != nil {
		t.Fatal(err)
	}
	type got struct {
		category, cause         string
		categoryRule, causeRule sql.NullString
	}
	r := func(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }
	want := map[string]got{
		"h:K1": {"credit_card", "fund_safety", r("credit_card:信用卡"), r("fund_safety:盗刷")},
		"h:K2": {"rmb_savings", "pricing_fees", r("rmb_savings:存款"), r("pricing_fees:手续费")},
		"h:K3": {"debit_card", "service_quality", r("debit_card:借记卡"), r("service_quality:态度")},
		"h:K4": {"unmapped", "other", r(""), r("")},
		"h:K5": {"other", "other", r(""), r("")},
		"h:K6": {"loans", "pricing_fees", r(""), r("pricing_fees:违约金")},
	}
	rs, err := w.DB.Query("SELECT complaint_key, business_category, cause, category_rule, cause_rule FROM complaints")
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()
	n := 0
	for rs.Next() {
		var k string
		var g got
		if err := rs.Scan(&k, &g.category, &g.cause, &g.categoryRule, &g.causeRule); err != nil {
			t.Fatal(err)
		}
		n++
		if g != want[k] {
			t.Errorf("%s: got %+v, want %+v", k, g, want[k])
		}
	}
	if n != len(want) {
		t.Errorf("%d complaints, want %d", n, len(want))
	}
}
