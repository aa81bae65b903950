package rootcause

import (
	"context"
	"database/sql"
	_ "embed"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"complaints/catalog"
	"complaints/internal/sqlrows"
)

// placeholder matches the scrubbing placeholders ingest writes ([手机号], [证件号] ...) and any other bracketed tag
// ([已脱敏], 【已脱敏】).
var placeholder = regexp.MustCompile(`[\[【][^\]】]{1,8}[\]】]`)

// redaction matches every redaction mark of exported narratives: the placeholders, the CFPB's XXXX and XX/XX/XXXX
// (a run of two or more X, or of x standing as a word) and the Chinese 某 (张某某, 某某支行). Text is cut where a
// mark stood, so no term is or spans one.
var redaction = regexp.MustCompile(placeholder.String() + `|X{2,}|\b[xX]{2,}\b|某+`)

// zhStopWords cut a Chinese run into phrases (they are never part of a counted term). Single characters are
// function words; the longer ones are the boilerplate of complaint write-ups and the fillers of spoken Chinese
// that call-centre summaries and speech-to-text carry (那个, 就是, 然后 ...).
var zhStopWords = []string{
	"客户反映", "客户表示", "客户称", "客户要求", "客户", "反映", "表示", "要求", "认为", "怀疑", "其他", "问题", "情况",
	"相关", "进行", "已经", "没有", "我们", "他们", "本人", "自己", "通过", "办理", "业务", "存在", "出现", "提出",
	"的", "了", "是", "在", "和", "与", "及", "或", "其", "之", "也", "都", "而", "被", "把", "对", "就", "将", "于",
	"并", "但", "等", "向", "从", "给", "时", "后", "中", "为", "有", "无", "不", "未", "我", "他", "她", "该", "此",
	"客户来电", "来电反映", "来电表示", "诉求", "客户诉求", "银行", "我行", "贵行", "本行", "该行",
	"那个", "这个", "就是", "然后", "一下", "的话", "反正", "其实", "那边", "这边", "就说", "说是", "对吧", "好像",
	"感觉", "那么", "这么", "这样", "那样", "这种", "那种", "一些", "有点", "什么", "怎么", "你好", "你们", "她们",
	"到底", "还是", "所以", "因为", "比较", "可能", "应该", "知道", "觉得", "那就", "这就",
	"嗯", "啊", "呃", "哎", "喂", "吧", "呢", "嘛", "哦", "呀", "啦", "哈", "你", "它",
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

//go:embed lexicon_zh.txt
var lexiconFile string

// lexicon is the segmenter's dictionary: lexicon_zh.txt, the catalogue's Chinese labels and synonyms (2 to 8
// characters, all Chinese) and the stop words; maxWord is its longest entry in runes.
var (
	lexOnce sync.Once
	lexicon map[string]bool
	zhStop  map[string]bool
	maxWord int
)

func loadLexicon() {
	lexicon, zhStop = map[string]bool{}, map[string]bool{}
	add := func(w string) {
		w = strings.TrimSpace(w)
		n := utf8.RuneCountInString(w)
		if n < 1 || n > 8 {
			return
		}
		for _, r := range w {
			if !unicode.Is(unicode.Han, r) {
				return
			}
		}
		lexicon[w] = true
		maxWord = max(maxWord, n)
	}
	for _, line := range strings.Split(lexiconFile, "\n") {
		if strings.HasPrefix(line, "#") {
			continue
		}
		for _, w := range strings.Fields(line) {
			add(w)
		}
	}
	for _, syn := range catalog.Synonyms() {
		add(syn.Text)
	}
	for _, w := range zhStopWords {
		delete(lexicon, w)
		zhStop[w] = true
		maxWord = max(maxWord, utf8.RuneCountInString(w))
	}
}

// unit kinds of the segmenter
const (
	unitWord = iota // a lexicon word
	unitStop        // a stop word: ends a phrase, never counted
	unitOOV         // characters matching no entry, run together
)

type unit struct {
	text string
	kind int
}

// segment cuts a run of Chinese characters into lexicon words, stop words and unknown chunks by bidirectional
// maximum matching: the forward and the backward cut are both made and the one with fewer unknown characters,
// then fewer units, wins (the backward cut on a tie, which suits Chinese modifier-head order).
func segment(run []rune) []unit {
	lexOnce.Do(loadLexicon)
	kindOf := func(w string) (int, bool) {
		switch {
		case zhStop[w]:
			return unitStop, true
		case lexicon[w]:
			return unitWord, true
		}
		return unitOOV, false
	}
	var fwd []unit
	for i := 0; i < len(run); {
		n, k := 1, unitOOV
		for l := min(maxWord, len(run)-i); l >= 1; l-- {
			if kk, ok := kindOf(string(run[i : i+l])); ok {
				n, k = l, kk
				break
			}
		}
		fwd = append(fwd, unit{string(run[i : i+n]), k})
		i += n
	}
	var bwd []unit
	for j := len(run); j > 0; {
		n, k := 1, unitOOV
		for l := min(maxWord, j); l >= 1; l-- {
			if kk, ok := kindOf(string(run[j-l : j])); ok {
				n, k = l, kk
				break
			}
		}
		bwd = append(bwd, unit{string(run[j-n : j]), k})
		j -= n
	}
	for a, b := 0, len(bwd)-1; a < b; a, b = a+1, b-1 {
		bwd[a], bwd[b] = bwd[b], bwd[a]
	}
	score := func(us []unit) (oov, n int) {
		for _, u := range us {
			if u.kind == unitOOV {
				oov++
			}
		}
		return oov, len(us)
	}
	fo, fn := score(fwd)
	bo, bn := score(bwd)
	best := bwd
	if fo < bo || (fo == bo && fn < bn) {
		best = fwd
	}
	// run unknown characters together
	var out []unit
	for _, u := range best {
		if u.kind == unitOOV && len(out) > 0 && out[len(out)-1].kind == unitOOV {
			out[len(out)-1].text += u.text
			continue
		}
		out = append(out, u)
	}
	return out
}

// sep joins the units of a term key (a word, or a run of adjacent words); termText shows a key.
const sep = "\x1f"

func termText(key string) string {
	parts := strings.Split(key, sep)
	for _, p := range parts {
		for _, r := range p {
			if !unicode.Is(unicode.Han, r) {
				return strings.Join(parts, " ")
			}
		}
	}
	return strings.Join(parts, "")
}

// Tokens lists the counted terms of a text as shown: Chinese words (lexicon words and unknown chunks of 2 to 4
// characters; a longer unknown chunk gives its 2- to 4-character n-grams, and itself up to maxChunk characters) and runs of 2 to 4 words within a phrase
// (stop words and punctuation end phrases), and English words (3+ letters) and adjacent word pairs without stop
// words. Redaction marks (XXXX, 某某), placeholders ([手机号] ...) and digits are dropped.
func Tokens(text string) []string {
	keys := tokenKeys(text)
	for i, k := range keys {
		keys[i] = termText(k)
	}
	return keys
}

// tokenKeys is Tokens with the words of a run joined by sep.
func tokenKeys(text string) []string {
	text = redaction.ReplaceAllString(text, " ")
	var out []string
	var run []rune
	flushHan := func() {
		if len(run) > 0 {
			out = append(out, hanTerms(run)...)
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
				out = append(out, w+sep+words[i+1])
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

// maxUnits is the longest run of adjacent words counted as one Chinese term; maxChunk the longest unknown chunk
// counted whole (besides its 2- to 4-character n-grams).
const (
	maxUnits = 4
	maxChunk = 8
)

// hanTerms segments a run of Chinese characters and lists its terms: each word of 2+ characters (an unknown
// chunk of 2 to 4 characters counts as a word; a longer one gives its 2- to 4-character n-grams, and itself up to
// maxChunk characters) and each run of
// 2 to maxUnits adjacent words within a phrase (a single-character word such as 差 counts only in a run: 态度差).
func hanTerms(run []rune) []string {
	var out []string
	var phrase []string // the current phrase's units ("" for a unit that cannot be part of a pair)
	flush := func() {
		for i := range phrase {
			for n := 2; n <= maxUnits && i+n <= len(phrase); n++ {
				if phrase[i+n-1] == "" {
					break
				}
				if phrase[i] != "" {
					out = append(out, strings.Join(phrase[i:i+n], sep))
				}
			}
		}
		phrase = phrase[:0]
	}
	for _, u := range segment(run) {
		rs := []rune(u.text)
		switch {
		case u.kind == unitStop:
			flush()
		case u.kind == unitOOV && len(rs) > 4:
			flush()
			for n := 2; n <= 4; n++ {
				for i := 0; i+n <= len(rs); i++ {
					out = append(out, string(rs[i:i+n]))
				}
			}
			if len(rs) <= maxChunk {
				out = append(out, u.text) // the whole chunk: its n-grams with about its count are dropped as inside it
			}
		case u.kind == unitOOV && len(rs) == 1:
			flush() // a stray character: not a word, and it would glue two words into a false pair
		default:
			if len(rs) >= 2 {
				out = append(out, u.text)
			}
			phrase = append(phrase, u.text)
		}
	}
	flush()
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

// doc is one narrative for the term counts.
type doc struct {
	category string
	inPeriod bool
	text     string
	n        int // how many complaints carry this text (0 is read as 1)
}

// baselineSampleCap bounds the baseline narratives tokenised: above it, a fixed share of the baseline's
// complaints is read, chosen by a hash of the complaint key (the same complaints every run), and their counts are
// scaled back up. The period's narratives are always read in full. Shares, and so the log-ratios, are
// unbiased estimates; the cap keeps a 1M-complaint warehouse's analysis to seconds (docs/decisions.md, docs/performance.md).
const baselineSampleCap = 100_000

func terms(ctx context.Context, db *sql.DB, baselineFrom, period string, o Options) ([]Term, error) {
	// the complaints received (complaint_figures, the figures' one definition), with their narratives, and the
	// records of analytics-only sources (never in a figure: their narratives feed the terms only)
	const where = `FROM complaints WHERE (complaint_key IN (SELECT complaint_key FROM complaint_figures) OR coalesce(analytics_only, false))
  AND received_date >= CAST(? AS DATE) AND received_date < CAST(? AS DATE)`
	var baseN int64
	if err := db.QueryRowContext(ctx, `SELECT count(*) `+where, monthStart(baselineFrom), monthStart(period)).Scan(&baseN); err != nil {
		return nil, fmt.Errorf("rootcause: counting narratives: %w", err)
	}
	step := int64(1)
	if baseN > baselineSampleCap {
		step = (baseN + baselineSampleCap - 1) / baselineSampleCap
	}
	// Identical texts are tokenised once, weighted by how many complaints carry them.
	docs, err := sqlrows.Query(ctx, db, func(d *doc) []any { return []any{&d.category, &d.inPeriod, &d.text, &d.n} }, `
SELECT business_category, in_period, text, count(*)::BIGINT FROM (
  SELECT coalesce(business_category, '') AS business_category, strftime(received_date, '%Y-%m') = ? AS in_period,
         coalesce(summary, '') || ' 。 ' || coalesce(narrative, '') AS text, complaint_key
  `+where+`)
WHERE in_period OR hash(complaint_key) % ? = 0
GROUP BY ALL ORDER BY ALL`,
		period, monthStart(baselineFrom), monthStart(nextMonth(period)), step)
	if err != nil {
		return nil, fmt.Errorf("rootcause: reading narratives: %w", err)
	}
	for i := range docs {
		if !docs[i].inPeriod {
			docs[i].n *= int(step)
		}
	}
	return risingTerms(docs, o), nil
}

// risingTerms counts the terms of the period's and the baseline's narratives, for all categories ("") and per
// business category, and keeps the TermsPerCategory rising most in each.
func risingTerms(docs []doc, o Options) []Term {
	byCat := map[string]*termCounts{"": newTermCounts()}
	for _, d := range docs {
		tc := byCat[d.category]
		if tc == nil {
			tc = newTermCounts()
			byCat[d.category] = tc
		}
		n := max(d.n, 1)
		for _, tok := range tokenKeys(d.text) {
			for _, c := range []*termCounts{tc, byCat[""]} {
				if d.inPeriod {
					c.period[tok] += n
					c.A += n
				} else {
					c.base[tok] += n
					c.B += n
				}
			}
		}
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
	return out
}

// within reports whether term key t lies inside key u at unit boundaries (a word inside a pair or phrase), or, for
// a Chinese t that is no lexicon word, anywhere inside u's characters (身份 inside 身份证, both n-grams of one
// unknown chunk). A lexicon word inside another's characters is counted apart (银行 is never cut from 手机银行).
func within(t, u string) bool {
	if t == u {
		return false
	}
	if strings.Contains(sep+u+sep, sep+t+sep) {
		return true
	}
	if strings.Contains(t, sep) {
		return false
	}
	lexOnce.Do(loadLexicon)
	ut := strings.ReplaceAll(u, sep, "")
	return !lexicon[t] && hanOnly(t) && hanOnly(ut) && len(ut) > len(t) && strings.Contains(ut, t)
}

// hanOnly reports whether s is all Chinese characters.
func hanOnly(s string) bool {
	for _, r := range s {
		if !unicode.Is(unicode.Han, r) {
			return false
		}
	}
	return s != ""
}

// similar: two counts of about the same occurrences (within 20% of each other).
func similar(a, b int) bool {
	return float64(a) >= 0.8*float64(b) && float64(b) >= 0.8*float64(a)
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
	var all []Term
	for t, a := range tc.period {
		if a < o.TermMinCount {
			continue
		}
		b := tc.base[t]
		s := LogRatio(a, tc.A, b, tc.B, V)
		if s <= 0 {
			continue
		}
		all = append(all, Term{Category: cat, Term: t, Period: a, Baseline: b, Score: s})
	}
	// Closed terms only: a word whose period occurrences are (almost) all inside one longer candidate is that
	// candidate's substring, not a finding of its own (繁忙 only ever in 系统繁忙).
	var cands []Term
	for _, c := range all {
		inside := false
		for _, d := range all {
			if within(c.Term, d.Term) && float64(d.Period) >= 0.8*float64(c.Period) {
				inside = true
				break
			}
		}
		if !inside {
			cands = append(cands, c)
		}
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
	// A phrase of more than maxUnits words shows as overlapping runs of maxUnits words with about the same count:
	// chain those into the phrase (its count is the seed's), then skip candidates inside or around a kept term
	// with about its count.
	var out []Term
	for _, c := range cands {
		units := strings.Split(c.Term, sep)
		if len(units) == maxUnits {
			used := map[string]bool{c.Term: true}
			for grown := true; grown && len(units) < 4*maxUnits; {
				grown = false
				head, tail := strings.Join(units[:maxUnits-1], sep), strings.Join(units[len(units)-maxUnits+1:], sep)
				for _, d := range cands {
					du := strings.Split(d.Term, sep)
					if len(du) != maxUnits || used[d.Term] || !similar(d.Period, c.Period) {
						continue
					}
					if strings.Join(du[:maxUnits-1], sep) == tail {
						units, grown = append(units, du[maxUnits-1]), true
					} else if strings.Join(du[1:], sep) == head {
						units, grown = append([]string{du[0]}, units...), true
					}
					if grown {
						used[d.Term] = true
						break
					}
				}
			}
		}
		c.Term = strings.Join(units, sep)
		dup := false
		for _, k := range out {
			if (k.Term == c.Term || within(c.Term, k.Term) || within(k.Term, c.Term)) && similar(k.Period, c.Period) {
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
	for i := range out {
		out[i].Term = termText(out[i].Term)
	}
	return out
}
