package rootcause

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strings"
	"unicode"
)

// placeholder matches the scrubbing placeholders ingest writes ([手机号], [证件号] ...) and any other bracketed tag.
var placeholder = regexp.MustCompile(`[\[【][^\]】]{1,8}[\]】]`)

// zhStopWords cut a Chinese run into phrases (they are never part of a counted term). Single characters are
// function words; the longer ones are the boilerplate of complaint write-ups.
var zhStopWords = []string{
	"客户反映", "客户表示", "客户称", "客户要求", "客户", "反映", "表示", "要求", "认为", "怀疑", "其他", "问题", "情况",
	"相关", "进行", "已经", "没有", "我们", "他们", "本人", "自己", "通过", "办理", "业务", "存在", "出现", "提出",
	"的", "了", "是", "在", "和", "与", "及", "或", "其", "之", "也", "都", "而", "被", "把", "对", "就", "将", "于",
	"并", "但", "等", "向", "从", "给", "时", "后", "中", "为", "有", "无", "不", "未", "我", "他", "她", "该", "此",
}

var enStopWords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`a an the and or but if then than of to in on at by for with from into about as is are was were be been
being it its this that these those he she they them his her their we our you your i me my not no nor so too very can
could would should will shall may might must do does did done has have had having there here what which who whom
whose when where why how all any both each few more most other some such only own same just also again further once
customer customers said says reported report reports asked ask asks bank banks complaint complaints request requested`) {
		enStopWords[w] = true
	}
	sort.Slice(zhStopWords, func(i, j int) bool { return len(zhStopWords[i]) > len(zhStopWords[j]) })
}

// Tokens lists the counted terms of a text: Chinese 2- to 4-character n-grams within the phrases left after
// cutting at punctuation and stop words, and English words (3+ letters) and adjacent word pairs without stop
// words. Placeholders ([手机号] ...) and digits are dropped.
func Tokens(text string) []string {
	text = placeholder.ReplaceAllString(text, " ")
	var out []string
	var run []rune
	flushHan := func() {
		if len(run) > 0 {
			out = append(out, hanGrams(string(run))...)
			run = run[:0]
		}
	}
	var words []string
	flushWords := func() {
		for i, w := range words {
			if w == "" {
				continue
			}
			out = append(out, w)
			if i+1 < len(words) && words[i+1] != "" {
				out = append(out, w+" "+words[i+1])
			}
		}
		words = words[:0]
	}
	var word []rune
	flushWord := func() {
		if len(word) > 0 {
			w := strings.ToLower(string(word))
			if len([]rune(w)) >= 3 && !enStopWords[w] {
				words = append(words, w)
			} else {
				words = append(words, "")
			}
			word = word[:0]
		}
	}
	for _, r := range text {
		switch {
		case unicode.Is(unicode.Han, r):
			flushWord()
			flushWords()
			run = append(run, r)
		case r < 0x80 && unicode.IsLetter(r):
			flushHan()
			word = append(word, r)
		case r == '\'' && len(word) > 0:
			word = append(word, r)
		case unicode.IsSpace(r) && len(word) > 0:
			flushHan()
			flushWord()
		default: // punctuation, digits, anything else ends both runs
			flushHan()
			flushWord()
			flushWords()
		}
	}
	flushHan()
	flushWord()
	flushWords()
	return out
}

// hanGrams cuts a run of Chinese characters at stop words and lists the 2- to 4-character n-grams of each piece.
func hanGrams(run string) []string {
	for _, sw := range zhStopWords {
		run = strings.ReplaceAll(run, sw, "|")
	}
	var out []string
	for _, piece := range strings.Split(run, "|") {
		rs := []rune(piece)
		for n := 2; n <= 4; n++ {
			for i := 0; i+n <= len(rs); i++ {
				out = append(out, string(rs[i:i+n]))
			}
		}
	}
	return out
}

type termCounts struct {
	period, base map[string]int
	A, B         int
}

func newTermCounts() *termCounts {
	return &termCounts{period: map[string]int{}, base: map[string]int{}}
}

// LogRatio is the smoothed log-ratio of a term's share in the period (a of A) against the baseline (b of B), V the
// vocabulary size: log((a+1)/(A+V)) - log((b+1)/(B+V)).
func LogRatio(a, A, b, B, V int) float64 {
	return math.Log(float64(a+1)/float64(A+V)) - math.Log(float64(b+1)/float64(B+V))
}

func terms(ctx context.Context, db *sql.DB, baselineFrom, period string, o Options) ([]Term, error) {
	rows, err := db.QueryContext(ctx, `
SELECT business_category, strftime(received_date, '%Y-%m') = ? AS in_period,
       coalesce(summary, '') || ' 。 ' || coalesce(narrative, '')
FROM complaints WHERE is_complaint AND is_primary AND status <> 'not_accepted'
  AND received_date >= CAST(? AS DATE) AND received_date < CAST(? AS DATE)`,
		period, monthStart(baselineFrom), monthStart(nextMonth(period)))
	if err != nil {
		return nil, fmt.Errorf("rootcause: reading narratives: %w", err)
	}
	defer rows.Close()
	byCat := map[string]*termCounts{"": newTermCounts()}
	for rows.Next() {
		var cat, text string
		var inPeriod bool
		if err := rows.Scan(&cat, &inPeriod, &text); err != nil {
			return nil, err
		}
		tc := byCat[cat]
		if tc == nil {
			tc = newTermCounts()
			byCat[cat] = tc
		}
		for _, tok := range Tokens(text) {
			for _, c := range []*termCounts{tc, byCat[""]} {
				if inPeriod {
					c.period[tok]++
					c.A++
				} else {
					c.base[tok]++
					c.B++
				}
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	cats := make([]string, 0, len(byCat))
	for c := range byCat {
		cats = append(cats, c)
	}
	sort.Strings(cats)
	var out []Term
	for _, cat := range cats {
		out = append(out, topTerms(cat, byCat[cat], o)...)
	}
	return out, nil
}

func topTerms(cat string, tc *termCounts, o Options) []Term {
	if tc.A == 0 {
		return nil
	}
	vocab := map[string]bool{}
	for t := range tc.period {
		vocab[t] = true
	}
	for t := range tc.base {
		vocab[t] = true
	}
	V := len(vocab)
	var cands []Term
	for t, a := range tc.period {
		if a < o.TermMinCount {
			continue
		}
		b := tc.base[t]
		s := LogRatio(a, tc.A, b, tc.B, V)
		if s <= 0 {
			continue
		}
		cands = append(cands, Term{Category: cat, Term: t, Period: a, Baseline: b, Score: s})
	}
	sort.Slice(cands, func(i, j int) bool {
		a, b := cands[i], cands[j]
		if a.Score != b.Score {
			return a.Score > b.Score
		}
		if a.Period != b.Period {
			return a.Period > b.Period
		}
		if len(a.Term) != len(b.Term) {
			return len(a.Term) > len(b.Term)
		}
		return a.Term < b.Term
	})
	// A phrase longer than 4 characters shows as overlapping 4-grams of about the same count (手机银行转, 机银行转账
	// ...): chain those into the phrase, then skip every candidate inside or around a phrase already kept.
	// a neighbouring 4-gram extends the phrase when it occurs at least about as often as the seed does
	similar := func(neighbour, seed int) bool { return float64(neighbour) >= 0.8*float64(seed) }
	var out []Term
	for _, c := range cands {
		dup := false
		for _, s := range out {
			if strings.Contains(s.Term, c.Term) || strings.Contains(c.Term, s.Term) {
				dup = true
				break
			}
		}
		if dup {
			continue
		}
		phrase := []rune(c.Term)
		if len(phrase) == 4 {
			for grown := true; grown && len(phrase) < 16; {
				grown = false
				tail, head := string(phrase[len(phrase)-3:]), string(phrase[:3])
				for _, d := range cands {
					r := []rune(d.Term)
					if len(r) != 4 || !similar(d.Period, c.Period) {
						continue
					}
					if string(r[:3]) == tail && !strings.Contains(string(phrase), d.Term) {
						phrase, grown = append(phrase, r[3]), true
						break
					}
					if string(r[1:]) == head && !strings.Contains(string(phrase), d.Term) {
						phrase, grown = append([]rune{r[0]}, phrase...), true
						break
					}
				}
			}
		}
		c.Term = string(phrase)
		for _, s := range out {
			if strings.Contains(s.Term, c.Term) || strings.Contains(c.Term, s.Term) {
				dup = true
				break
			}
		}
		if dup {
			continue
		}
		out = append(out, c)
		if len(out) == o.TermsPerCategory {
			break
		}
	}
	return out
}
