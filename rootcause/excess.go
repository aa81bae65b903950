package rootcause

import (
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"complaints/catalog"
)

// Finding types: the tested flags of a run (Findings.Ranked). Pareto, terms, repeat complainants and the
// recurrence list itself are descriptive and never findings.
const (
	FindingControl   = "control"   // a charted series whose period test passed the family
	FindingEmerging  = "emerging"  // a period test passed with at least EmergingMin and EmergingRise
	FindingRising    = "rising"    // a pair whose last 3 months are above the months before them
	FindingRecurring = "recurring" // an elevated recurring pair
	FindingPeer      = "peer"      // a branch x cause above the other branches' share
	FindingSurge     = "surge"     // the bank's complaints in the period above its baseline months (BankTotal)
)

// Finding is one flag of the run in plain terms: what was observed over the months tested, what the series' own
// baseline rate (or, for a peer finding, the other branches' share) predicts, and the excess between them.
type Finding struct {
	Type     string   `json:"type"`
	Key      Key      `json:"key"`
	Months   []string `json:"months"`   // the months tested
	Observed int      `json:"observed"` // complaints over Months
	Expected float64  `json:"expected"` // the count the baseline rate predicts over Months
	Excess   float64  `json:"excess"`   // Observed - Expected
	// FirstMonth is the first month of the excess: the start of the run of consecutive complete months above the
	// expected count that ends at the last such month among Months; RunMonths its length.
	FirstMonth string `json:"first_month,omitempty"`
	RunMonths  int    `json:"run_months"`
	// MonthsAbove: recurring, the months of the 6 at least MinCount and above expected (Recurrence.MonthsAbove).
	MonthsAbove int `json:"months_above,omitempty"`
	// New: nothing in the baseline (the expected count is 0), so no rise is defined; Rise (observed/expected-1)
	// is absent then. A series under remediation is not new.
	New       bool     `json:"new,omitempty"`
	Rise      *float64 `json:"rise,omitempty"`
	Share     float64  `json:"share,omitempty"`      // peer: the cause's share of the branch's complaints
	PeerShare float64  `json:"peer_share,omitempty"` // peer: its share at the other branches
	Counts    []int    `json:"counts"`               // the series by Findings.Months
	QValue    float64  `json:"q_value"`
	// Sentence says what is unusual and since when, in plain words: "zh" and "en".
	Sentence map[string]string `json:"sentence"`
	// UnderRemediation: an open remediation action matches the series (ApplyRemediation); Effect: the counts
	// before and after a completed action's date.
	UnderRemediation bool               `json:"under_remediation,omitempty"`
	Effect           *RemediationEffect `json:"remediation_effect,omitempty"`
}

// RemediationEffect compares a series' complaints per month before and after a completed action's date (its due
// date), within the loaded complete months (the action's own month belongs to neither side): under no change the
// count after, given the total, is Binomial(total, months after / all months), and the drop is Significant when
// the lower tail P is under 0.05.
type RemediationEffect struct {
	Action       string            `json:"action"`
	Date         string            `json:"date"`
	BeforeMonths int               `json:"before_months"`
	AfterMonths  int               `json:"after_months"`
	Before       int               `json:"before"`
	After        int               `json:"after"`
	BeforeRate   float64           `json:"before_per_month"`
	AfterRate    float64           `json:"after_per_month"`
	P            float64           `json:"p"`
	Significant  bool              `json:"significant"`
	Sentence     map[string]string `json:"sentence"`
}

// remediationAlpha is the level of the before/after test of a completed action (one test per action, outside
// the run's family: it judges an action, not a new flag).
const remediationAlpha = 0.05

// rankFindings lists the run's findings, most excess complaints first.
func rankFindings(f *Findings, s seriesSet, h history, tests []*periodTest, em map[string]bool) []Finding {
	out := []Finding{}
	rate := func(t RateTest) float64 {
		if t.E0 <= 0 {
			return 0
		}
		return float64(t.Y) / t.E0
	}
	add := func(typ string, d *seriesData, win []int, t RateTest, ex []float64, q float64) {
		r := rate(t)
		fd := Finding{Type: typ, Key: d.key, Counts: d.counts, QValue: q}
		for _, i := range win {
			fd.Months = append(fd.Months, h.months[i])
			fd.Observed += d.counts[i]
			fd.Expected += r * ex[i]
		}
		fd.setExcess()
		fd.FirstMonth, fd.RunMonths = excessRun(d.counts, func(i int) float64 {
			if ex[i] <= 0 { // no exposure (a u-chart's months before its baseline): the run stops
				return math.Inf(1)
			}
			return r * ex[i]
		}, h.complete, win, h.months)
		out = append(out, fd)
	}
	for _, t := range tests {
		if !t.passed || !(t.chart.Flagged || em[t.d.key.id()]) {
			continue
		}
		typ, ex := FindingControl, h.exposure(t.d.key)
		if em[t.d.key.id()] {
			typ = FindingEmerging
		}
		if t.chart.Type == ChartU {
			ex = t.chart.Customers
		}
		add(typ, t.d, []int{h.period}, t.test, ex, t.q)
	}
	index := func(months []string) []int {
		var win []int
		for i, m := range h.months {
			for _, w := range months {
				if m == w && h.complete[i] {
					win = append(win, i)
				}
			}
		}
		return win
	}
	for _, r := range f.Rising {
		add(FindingRising, s[r.Key.id()], index(r.Months), r.Test, h.exposure(r.Key), r.QValue)
	}
	for _, r := range f.Recurring {
		if r.Elevated {
			add(FindingRecurring, s[r.Key.id()], index(r.Months), r.Test, h.exposure(r.Key), r.QValue)
			out[len(out)-1].MonthsAbove = r.MonthsAbove
		}
	}
	for _, p := range f.Peers {
		d := s[p.Key.id()]
		branch := s[Key{Kind: KindBranch, Parts: []string{p.Key.Parts[0]}, Names: nameOf(p.Key)}.id()]
		win := index(p.Months)
		fd := Finding{Type: FindingPeer, Key: p.Key, Months: p.Months, Observed: p.Count, Expected: p.Expected, Counts: d.counts,
			QValue: p.QValue, PeerShare: p.PeerRate}
		if p.Total > 0 {
			fd.Share = float64(p.Count) / float64(p.Total)
		}
		fd.setExcess()
		if branch != nil {
			fd.FirstMonth, fd.RunMonths = excessRun(d.counts, func(i int) float64 { return p.PeerRate * float64(branch.counts[i]) }, h.complete, win, h.months)
		}
		out = append(out, fd)
	}
	if b := f.BankTotal; b != nil && b.Flagged {
		add(FindingSurge, &seriesData{key: totalKey, counts: b.Counts}, []int{h.period}, b.Test, b.exposure(), b.QValue)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Excess != out[j].Excess {
			return out[i].Excess > out[j].Excess
		}
		return out[i].Key.id() < out[j].Key.id()
	})
	for i := range out {
		out[i].describe()
	}
	return out
}

func nameOf(k Key) []string {
	if len(k.Names) > 0 && k.Names[0] != "" {
		return []string{k.Names[0]}
	}
	return nil
}

// setExcess sets Excess, and Rise or New from Observed and Expected.
func (fd *Finding) setExcess() {
	fd.Excess = float64(fd.Observed) - fd.Expected
	fd.Rise, fd.New = nil, false
	if fd.Expected > 0 {
		r := float64(fd.Observed)/fd.Expected - 1
		fd.Rise = &r
	} else if !fd.UnderRemediation {
		fd.New = true
	}
}

// excessRun is the run of consecutive complete months with a count above expected(i) that ends at the last such
// month among win: its first month and its length ("", 0 when no month of win is above).
func excessRun(counts []int, expected func(int) float64, complete []bool, win []int, months []string) (string, int) {
	last := -1
	for _, i := range win {
		if float64(counts[i]) > expected(i) {
			last = max(last, i)
		}
	}
	if last < 0 {
		return "", 0
	}
	first := last
	for i := last - 1; i >= 0 && complete[i] && float64(counts[i]) > expected(i); i-- {
		first = i
	}
	return months[first], last - first + 1
}

// describe writes the finding's sentence in both languages.
func (fd *Finding) describe() {
	fd.Sentence = map[string]string{}
	for _, lang := range []string{"zh", "en"} {
		fd.Sentence[lang] = fd.message(lang).In(lang)
	}
}

func (fd *Finding) message(lang string) *catalog.Message {
	label := KeyLabel(fd.Key, lang)
	excess := int(math.Round(fd.Excess))
	perMonth := strconv.FormatFloat(fd.Expected/float64(max(len(fd.Months), 1)), 'f', 1, 64)
	first := MonthText(fd.FirstMonth, lang)
	switch {
	case fd.Type == FindingSurge && fd.Expected > 0 && fd.RunMonths > 1:
		return catalog.Msg("msg_surge_month_run", MonthText(fd.Months[0], lang), fd.Observed, perMonth, excess, pct(float64(fd.Observed)/fd.Expected-1), first, fd.RunMonths)
	case fd.Type == FindingSurge && fd.Expected > 0:
		return catalog.Msg("msg_surge_month", MonthText(fd.Months[0], lang), fd.Observed, perMonth, excess, pct(float64(fd.Observed)/fd.Expected-1))
	case fd.New:
		return catalog.Msg("msg_excess_new", label, first, fd.Observed)
	case fd.Type == FindingPeer:
		return catalog.Msg("msg_excess_peer", label, len(fd.Months), pct(fd.Share), pct(fd.PeerShare), excess)
	case fd.Type == FindingRecurring:
		return catalog.Msg("msg_excess_recurring", label, first, fd.MonthsAbove, excess, perMonth, len(fd.Months))
	case len(fd.Months) > 1:
		return catalog.Msg("msg_excess_window", label, first, fd.RunMonths, excess, perMonth, len(fd.Months), fd.Observed)
	case fd.RunMonths > 1:
		return catalog.Msg("msg_excess_month_run", label, MonthText(fd.Months[0], lang), fd.Observed, perMonth, excess, first, fd.RunMonths)
	}
	return catalog.Msg("msg_excess_month", label, MonthText(fd.Months[len(fd.Months)-1], lang), fd.Observed, perMonth, excess)
}

func pct(x float64) string { return strconv.FormatFloat(100*x, 'f', 1, 64) + "%" }

// MonthText is a YYYY-MM month in words: 2026年8月, Aug 2026.
func MonthText(m, lang string) string {
	t, err := time.Parse("2006-01", m)
	if err != nil {
		return m
	}
	if lang == "zh" {
		return strconv.Itoa(t.Year()) + "年" + strconv.Itoa(int(t.Month())) + "月"
	}
	return t.Format("Jan 2006")
}

// KeyLabel is a series key in lang: catalogue labels for codes; a branch by its name from the branch master
// (Key.Names), else as complaints.branch holds it (the code, or the exported text without a master).
func KeyLabel(k Key, lang string) string {
	if k.Kind == KindTotal {
		return catalog.Msg("msg_surge_all").In(lang)
	}
	dims := map[string][]string{
		KindCategory: {"business_category"}, KindCause: {"cause"}, KindChannel: {"business_channel"}, KindBranch: {""},
		KindCategoryCause: {"business_category", "cause"}, KindBranchCause: {"", "cause"},
	}[k.Kind]
	parts := make([]string, len(k.Parts))
	for i, p := range k.Parts {
		switch {
		case i < len(k.Names) && k.Names[i] != "":
			parts[i] = k.Names[i]
		case i < len(dims) && dims[i] != "":
			parts[i] = catalog.Label(dims[i], p, lang)
		default:
			parts[i] = p
		}
	}
	return strings.Join(parts, " × ")
}

// remediationEffect compares counts before and after the date within the complete months (nil when either side
// has no complete month).
func remediationEffect(a Action, months []string, counts []int, complete []bool) *RemediationEffect {
	date := a.EffectiveDate()
	if len(date) < 7 || complete == nil {
		return nil
	}
	m := date[:7]
	e := &RemediationEffect{Action: a.Text(), Date: date}
	for i, mo := range months {
		if !complete[i] {
			continue
		}
		switch {
		case mo < m:
			e.BeforeMonths++
			e.Before += counts[i]
		case mo > m:
			e.AfterMonths++
			e.After += counts[i]
		}
	}
	if e.BeforeMonths == 0 || e.AfterMonths == 0 {
		return nil
	}
	e.BeforeRate = float64(e.Before) / float64(e.BeforeMonths)
	e.AfterRate = float64(e.After) / float64(e.AfterMonths)
	n := float64(e.Before + e.After)
	p := float64(e.AfterMonths) / float64(e.BeforeMonths+e.AfterMonths)
	e.P = 1 - BinomialUpperTail(float64(e.After+1), n, p) // P(X <= After)
	e.P = math.Max(0, math.Min(1, e.P))
	e.Significant = e.P < remediationAlpha && e.AfterRate < e.BeforeRate
	key := "msg_excess_remedy_nodrop"
	if e.Significant {
		key = "msg_excess_remedy_drop"
	}
	e.Sentence = map[string]string{}
	for _, lang := range []string{"zh", "en"} {
		f1 := func(x float64) string { return strconv.FormatFloat(x, 'f', 1, 64) }
		e.Sentence[lang] = catalog.Msg(key, e.Date, f1(e.BeforeRate), f1(e.AfterRate), e.BeforeMonths, e.AfterMonths).In(lang)
	}
	return e
}
