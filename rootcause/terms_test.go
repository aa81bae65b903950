package rootcause

import (
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"slices"
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
		{"身份证过期无法办理挂失", "身份证/过期/无法/办理/挂失"},
		{"公积金贷款提前还款", "公积金/贷款/提前还款"},
		{"那个就是手机银行然后闪退", "那个/就是/手机银行/然后/闪退"},
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

// TestRisingTermsNoFragments: a word the lexicon lacks (数字人民币钱包, one unknown chunk) rises whole: none of the
// n-grams cut from it is listed beside it, and a redaction mark glued to it (某某) is no part of it.
func TestRisingTermsNoFragments(t *testing.T) {
	var docs []doc
	for i := 0; i < 20; i++ {
		docs = append(docs, doc{category: "payment_settlement", text: "柜员态度差，等候过久。"})
	}
	for i := 0; i < 10; i++ {
		docs = append(docs, doc{category: "payment_settlement", inPeriod: true, text: "客户反映某某数字人民币钱包，那个，无法充值。"})
	}
	got := risingTerms(docs, Options{}.withDefaults())
	listed := map[string]bool{}
	for _, tm := range got {
		if tm.Category == "payment_settlement" {
			listed[tm.Term] = true
		}
	}
	if !listed["数字人民币钱包"] {
		t.Errorf("数字人民币钱包 not listed: %+v", got)
	}
	for w := range listed {
		if w != "数字人民币钱包" && strings.Contains("某某数字人民币钱包", w) {
			t.Errorf("fragment %q listed: %+v", w, got)
		}
		if strings.Contains(w, "那个") || strings.Contains(w, "某") {
			t.Errorf("%q listed: %+v", w, got)
		}
	}
}

// The text set (testdata/terms, see its README): Chinese call-centre summaries full of spoken fillers and
// redaction marks, and English narratives in the CFPB's style.

// textSetTopN is how many of the text set's leading terms are checked; textSetMaxNoise how many of them may be
// filler or fragments.
const (
	textSetTopN     = 50
	textSetMaxNoise = 3
)

// spokenFillers are the fillers of spoken Chinese a caller's words carry into a summary: a term that is one of
// them, or starts or ends with one, says nothing about the complaint.
var spokenFillers = []string{
	"那个", "这个", "就是", "然后", "一下", "嗯", "啊", "呃", "哎", "喂", "吧", "呢", "嘛", "的话", "反正", "其实",
	"那边", "这边", "就说", "说是", "他说", "她说", "对吧", "好像", "感觉", "那么", "这样", "这种", "那种", "一些",
	"有点", "什么", "怎么", "你好", "你们", "我就", "我那", "到底",
}

// textSetWords are words of the text set a term must not cut: a term lying inside one of them, or reaching into one
// from outside, in most of its occurrences, is a fragment (积金 of 公积金, 份证 of 身份证, 卡年费 across 信用卡年费).
var textSetWords = []string{
	"公积金", "身份证", "银行卡", "手机银行", "网上银行", "信用卡", "借记卡", "储蓄卡", "社保卡", "工资卡", "征信", "年费",
	"分期", "还款", "提前还款", "挂失", "补卡", "冻结", "解冻", "理财", "理财产品", "理财经理", "保险", "退保", "基金",
	"贷款", "房贷", "车贷", "利息", "利率", "违约金", "手续费", "催收", "柜员", "网点", "排队", "客户经理", "吞卡",
	"转账", "验证码", "逾期", "异议", "营销", "骚扰", "盗刷", "客服", "人工客服", "自助设备", "销户", "开户", "存款",
	"取款", "放款", "审批", "账户", "密码", "闪退", "误导", "捆绑销售", "限额", "非柜面", "风险评估", "风险等级",
	"工作人员", "大堂经理", "电话", "短信", "收费", "退还", "退费", "赔偿", "本金", "收益", "亏损", "诈骗", "泄露",
	"过期", "更新", "办理", "业务", "上门", "材料", "窗口", "态度", "服务费", "管理费", "工本费", "额度", "积分",
}

// redactionMark reports whether a term is or holds a redaction mark: the CFPB's XXXX (any run of x as a word),
// ××, ****, 某某, 已脱敏, or a word of ingest's placeholders ([手机号] ...) that the texts only ever have inside
// the brackets.
func redactionMark(term string, bracketOnly map[string]bool) bool {
	lt := strings.ToLower(term)
	for _, w := range strings.Fields(lt) {
		if strings.Trim(w, "x") == "" {
			return true
		}
	}
	for _, m := range []string{"xxxx", "xx/xx", "××", "*", "某某", "脱敏"} {
		if strings.Contains(lt, m) {
			return true
		}
	}
	return bracketOnly[term]
}

func readTextSet(t *testing.T, name string) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "terms", name))
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, l := range strings.Split(string(b), "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			lines = append(lines, l)
		}
	}
	return lines
}

// topOfTexts lists the n leading terms of texts read as one period with no baseline: every term rises from
// nothing, so they come in order of how often they occur.
func topOfTexts(texts []string, n int) []Term {
	var docs []doc
	for _, s := range texts {
		docs = append(docs, doc{category: "set", inPeriod: true, text: s})
	}
	var out []Term
	for _, tm := range risingTerms(docs, Options{TermsPerCategory: n}.withDefaults()) {
		if tm.Category == "" {
			out = append(out, tm)
		}
	}
	return out
}

// fragmentOf returns the word of words a term is mostly a piece of ("" if none): fewer than half of the term's
// count are occurrences in texts that cut no word (lie properly inside one, or overlap one without holding it
// whole), so most of its count comes from inside longer words. The word returned is the one it cuts most often.
func fragmentOf(tm Term, texts, words []string) string {
	whole, cut := 0, map[string]int{}
	for _, s := range texts {
		for i := 0; ; {
			j := strings.Index(s[i:], tm.Term)
			if j < 0 {
				break
			}
			start, end := i+j, i+j+len(tm.Term)
			cuts := false
			for _, w := range words {
				if len(w) <= len(tm.Term) && strings.Contains(tm.Term, w) {
					continue
				}
				for k := max(0, start-len(w)); k < end; {
					m := strings.Index(s[k:], w)
					if m < 0 || k+m >= end {
						break
					}
					ws, we := k+m, k+m+len(w)
					if start < we && !(start <= ws && we <= end) {
						cut[w]++
						cuts = true
						break
					}
					k = ws + 1
				}
			}
			if !cuts {
				whole++
			}
			i = start + len(tm.Term)
		}
	}
	if 2*whole >= tm.Period {
		return ""
	}
	best, bestN := "", 0
	for w, c := range cut {
		if c > bestN || c == bestN && w < best {
			best, bestN = w, c
		}
	}
	return best
}

// fillerIn returns the spoken filler a term is or starts or ends with ("" if none).
func fillerIn(term string) string {
	for _, f := range spokenFillers {
		if term == f || strings.HasPrefix(term, f) || strings.HasSuffix(term, f) {
			return f
		}
	}
	return ""
}

// bracketOnlyWords lists the words of bracketed placeholders that the texts never carry outside brackets.
func bracketOnlyWords(texts []string) map[string]bool {
	out := map[string]bool{}
	all := strings.Join(texts, "\n")
	for _, m := range placeholder.FindAllString(all, -1) {
		w := strings.Trim(m, "[]【】")
		if strings.Count(all, w) == strings.Count(all, m) {
			out[w] = true
		}
	}
	return out
}

// TestTextSetChineseTerms: the leading terms of the call-centre summaries are complaint words, not the callers'
// fillers, not fragments of banking words, and never a redaction mark.
func TestTextSetChineseTerms(t *testing.T) {
	texts := readTextSet(t, "zh_callcentre.txt")
	top := topOfTexts(texts, textSetTopN)
	if len(top) < textSetTopN {
		t.Fatalf("%d terms, want %d: %+v", len(top), textSetTopN, top)
	}
	bracketOnly := bracketOnlyWords(texts)
	var noise []string
	for i, tm := range top {
		switch {
		case redactionMark(tm.Term, bracketOnly):
			t.Errorf("term %d %q (%d) is a redaction mark", i+1, tm.Term, tm.Period)
		case fillerIn(tm.Term) != "":
			noise = append(noise, fmt.Sprintf("%d %s (%d, filler %s)", i+1, tm.Term, tm.Period, fillerIn(tm.Term)))
		case fragmentOf(tm, texts, textSetWords) != "":
			noise = append(noise, fmt.Sprintf("%d %s (%d, cuts %s)", i+1, tm.Term, tm.Period, fragmentOf(tm, texts, textSetWords)))
		}
	}
	t.Logf("filler and fragments among the top %d: %d %v", textSetTopN, len(noise), noise)
	if len(noise) > textSetMaxNoise {
		t.Errorf("%d of the top %d terms are filler or fragments, want at most %d:\n%s", len(noise), textSetTopN, textSetMaxNoise, strings.Join(noise, "\n"))
	}
	// every term of every summary, not only the leading ones, is free of redaction marks, and no bare filler is
	// ever a term
	bare := map[string]bool{}
	for _, f := range spokenFillers {
		bare[f] = true
	}
	for _, s := range texts {
		for _, tok := range Tokens(s) {
			if redactionMark(tok, bracketOnly) {
				t.Errorf("%q gives the term %q", s, tok)
			}
			if bare[tok] {
				t.Errorf("%q gives the filler %q as a term", s, tok)
			}
		}
	}
	// the banking words are whole terms
	has := map[string]bool{}
	for _, tm := range top {
		has[tm.Term] = true
	}
	for _, w := range []string{"公积金", "身份证", "信用卡", "手机银行", "征信"} {
		if !hasPrefixTerm(top, w) {
			t.Errorf("%s is not among the top %d terms", w, textSetTopN)
		}
	}
	{ // shown on failure and with -v
		var all []string
		for i, tm := range top {
			all = append(all, fmt.Sprintf("%d %s %d", i+1, tm.Term, tm.Period))
		}
		t.Logf("top terms:\n%s", strings.Join(all, "\n"))
	}
}

// hasPrefixTerm reports whether w, or a term starting with it, is listed.
func hasPrefixTerm(top []Term, w string) bool {
	for _, tm := range top {
		if strings.HasPrefix(tm.Term, w) {
			return true
		}
	}
	return false
}

// cfpbNarratives reads the narratives of the public CFPB extract (its last row is cut mid-field and is skipped).
func cfpbNarratives(t *testing.T) []string {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "testdata", "public", "cfpb", "complaints_2012_2023_truncated_at_1MiB.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	head, err := r.Read()
	if err != nil {
		t.Fatal(err)
	}
	col := slices.Index(head, "Consumer complaint narrative")
	var out []string
	for {
		rec, err := r.Read()
		if err != nil {
			break
		}
		if s := strings.TrimSpace(rec[col]); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// TestTextSetEnglishTerms: the CFPB's narratives (the public extract and the CFPB-style lines) lead with what
// they are about, and XXXX, XX/XX/XXXX and their pieces are never terms.
func TestTextSetEnglishTerms(t *testing.T) {
	texts := append(cfpbNarratives(t), readTextSet(t, "en_cfpb_style.txt")...)
	if len(texts) < 300 {
		t.Fatalf("%d English narratives", len(texts))
	}
	top := topOfTexts(texts, textSetTopN)
	has := map[string]bool{}
	for i, tm := range top {
		has[tm.Term] = true
		if redactionMark(tm.Term, nil) {
			t.Errorf("term %d %q (%d) is a redaction mark", i+1, tm.Term, tm.Period)
		}
	}
	for _, s := range texts {
		for _, tok := range Tokens(s) {
			if redactionMark(tok, nil) {
				t.Errorf("%.60q gives the term %q", s, tok)
				break
			}
		}
	}
	for _, w := range []string{"credit", "account", "inquiry", "dispute", "identity", "fraud", "credit reporting"} {
		if !has[w] {
			t.Errorf("%q is not among the top %d terms", w, textSetTopN)
		}
	}
	{ // shown on failure and with -v
		var all []string
		for i, tm := range top {
			all = append(all, fmt.Sprintf("%d %s %d", i+1, tm.Term, tm.Period))
		}
		t.Logf("top terms:\n%s", strings.Join(all, "\n"))
	}
}
