package rootcause

import (
	"strings"
	"testing"
)

func TestSegmentWords(t *testing.T) {
	for _, c := range []struct{ text, want string }{
		{"手机银行闪退无法登录", "手机银行/闪退/无法登录"},
		{"柜员态度差借记卡等候过久", "柜员/态度差/借记卡/等候/过久"},
		{"未经同意扣借记卡手续费", "未经同意/扣/借记卡/手续费"},
		{"怀疑信用卡信息被泄露", "怀疑/信用卡/信息/被/泄露"},
		{"宁波鄞州支行故障", "宁波鄞州/支行/故障"}, // 宁波鄞州 is no lexicon word: one unknown chunk
	} {
		var got []string
		for _, u := range segment([]rune(c.text)) {
			got = append(got, u.text)
		}
		if g := strings.Join(got, "/"); g != c.want {
			t.Errorf("segment(%s) = %s, want %s", c.text, g, c.want)
		}
	}
	has := map[string]bool{}
	for _, k := range Tokens("客户反映手机银行转账提示系统繁忙，无法支付。Mobile app crashed") {
		has[k] = true
	}
	for _, w := range []string{"手机银行", "转账", "系统繁忙", "手机银行转账", "转账提示系统繁忙", "无法支付", "mobile app", "crashed"} {
		if !has[w] {
			t.Errorf("missing %q in %v", w, has)
		}
	}
	// stop words and stray characters are never terms, nor are words glued across them
	for _, w := range []string{"客户", "反映", "客户反映", "统繁", "繁忙无法", "银行转"} {
		if has[w] {
			t.Errorf("unexpected %q", w)
		}
	}
}

// TestRisingTermsHandMade: 40 baseline narratives about counters and fees, then a month where 12 of 20 say the
// mobile app crashes. The rising terms of the month are the crash words, whole, with no fragment of them.
func TestRisingTermsHandMade(t *testing.T) {
	var docs []doc
	base := []string{"柜员态度差，等候过久。", "对信用卡年费有异议。", "手机银行转账失败。", "未经同意扣手续费。"}
	for i := 0; i < 40; i++ {
		docs = append(docs, doc{category: "payment_settlement", text: base[i%4]})
	}
	for i := 0; i < 12; i++ {
		docs = append(docs, doc{category: "payment_settlement", inPeriod: true, text: "客户反映手机银行闪退，无法登录。"})
	}
	for i := 0; i < 8; i++ {
		docs = append(docs, doc{category: "payment_settlement", inPeriod: true, text: base[i%4]})
	}
	got := risingTerms(docs, Options{}.withDefaults())
	var all, cat []Term
	for _, tm := range got {
		if tm.Category == "" {
			all = append(all, tm)
		} else {
			cat = append(cat, tm)
		}
	}
	if len(cat) == 0 || len(all) != len(cat) {
		t.Fatalf("terms per category %d, all categories %d", len(cat), len(all))
	}
	terms := map[string]Term{}
	for _, tm := range cat {
		terms[tm.Term] = tm
	}
	// 手机银行闪退 (12 in the period, 0 before) rises most; 闪退 never occurs outside it, so it is not listed alone;
	// 手机银行 occurs before (10 times, in 手机银行转账失败) and rises less but still rises.
	if cat[0].Term != "手机银行闪退" || cat[0].Period != 12 || cat[0].Baseline != 0 {
		t.Errorf("first rising term %+v, want 手机银行闪退 12/0", cat[0])
	}
	if _, ok := terms["无法登录"]; !ok {
		t.Errorf("无法登录 not rising: %+v", cat)
	}
	for _, w := range []string{"闪退", "银行闪", "客户", "客户反映", "柜员态度差", "手续费"} {
		if _, ok := terms[w]; ok {
			t.Errorf("%q listed: %+v", w, cat)
		}
	}
	if tm, ok := terms["手机银行"]; ok && (tm.Period != 14 || tm.Score >= cat[0].Score) {
		t.Errorf("手机银行 %+v", tm)
	}
}
