package generator

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// Options select the sample bank's data. The same options give the same bytes in every file.
type Options struct {
	Seed   int64
	Months int       // months in the window, ending with End's month
	Rows   int       // approximate number of complaint records in the window
	End    time.Time // any time in the last month of the window, e.g. 2026-10-01
	// NoSignal draws a bank without any planted signal, for calibrating the root-cause tests: no recurring pair,
	// no outage spike, categories and causes at fixed rates (no seasonal category), and month volumes that follow
	// the working days of the month (the Spring Festival and the other holidays of the schedule) times a
	// gamma-distributed month effect (coefficient of variation MonthCV, default 0.12) and, within a month, a
	// gamma-distributed effect per business category (CategoryCV, default 0.08): the month-to-month
	// over-dispersion of real volumes.
	NoSignal   bool
	MonthCV    float64
	CategoryCV float64
	// Ledger mode only (GenerateLedgers). LastLedgers writes only the last N ledgers of the window (0: all): the
	// complaints of the earlier months are in them, as a bank's ledgers since it started would be. HotlineRows
	// adds the hotline's own GB18030 export of that many complaint calls over the window (0: none).
	LastLedgers int
	HotlineRows int
}

// DemoOptions are the options of the committed demo set in sample-data/.
func DemoOptions() Options {
	return Options{Seed: 20261031, Months: 24, Rows: 12500, End: time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)}
}

var bj = time.FixedZone("CST", 8*3600)

const (
	srcHotline   = "hotline"
	srcOnline    = "online"
	srcWalkIn    = "walk_in"
	srcLetters   = "letters"
	srcReferrals = "referrals"
)

var sourceOrder = []string{srcHotline, srcOnline, srcWalkIn, srcLetters, srcReferrals}

type customer struct {
	Name, Phone, ID18, ID15, Card string
}

// record is one work order as it finally stands (newest version), with what the exports need to show it.
type record struct {
	seq        int // creation order, for stable ties
	Source     string
	ID         string
	Kind       string // complaint, enquiry, suggestion, praise
	Received   time.Time
	Intake     string // code
	IntakeRaw  string
	BizChannel string
	Category   string
	Cause      string
	Type       string // "" when missing
	Demand     string
	Branch     int
	Cust       int
	ShowID     int // 0 none, 18 or 15
	ShowCard   bool
	PhoneStyle int
	Status     string // open, closed, withdrawn, not_accepted
	Replied    time.Time
	ReplyFlag  string // "", reply_before_receipt, reply_in_future
	Satisf     string
	CompCents  int
	Summary    string
	Narrative  string
	Handler    string
	Elements   [6]string
	Major      bool
	Updated    time.Time
	UseAlias   bool
	Planted    string // what planted it, for truth listings

	// hotline versions
	InE1, InE2 bool
	E1Open     bool   // shown open in the first export (closed later)
	E1Category string // category shown in the first export when reclassified later
	E1Updated  time.Time
}

// junk is a row that ingest must reject.
type junk struct {
	Source string
	Reason string // unparseable_date, missing_id, ragged_row
	Raw    string
	At     time.Time // where in the file (rows are in receipt order)
	E2     bool      // hotline: in the second export
	rec    *record   // content to show
}

type gen struct {
	opts       Options
	rng        *rand.Rand
	cal        *calendar
	months     []time.Time
	first      time.Time // window start
	endNext    time.Time // first day after the window
	cutE1      time.Time // hotline export 1 covers receipts before this
	cutE2      time.Time // hotline export 2 covers receipts before this
	cutOther   time.Time // other exports' cut-off
	recs       []*record
	junk       []*junk
	custs      []customer
	usedPhone  map[string]bool
	usedID     map[string]bool
	usedCard   map[string]bool
	spellings  map[[2]string]string // (dimension, raw) -> code, every spelling written
	plant      plantLog
	scale      float64
	fileTruths []FileTruth
	monthEff   []float64            // NoSignal: the gamma month effects, by month index
	catEff     []map[string]float64 // NoSignal: the gamma category effects, by month index
}

type plantLog struct {
	recurringExtra map[string]int
	spikeRecs      []*record
	repeatCusts    [][]*record
	dupPairs       [][2]*record
	nonDupPairs    [][2]*record
	holiday        []holidayCase
	utc            []*record
	reclass        []*record
	overdueOpen    []*record
}

type holidayCase struct {
	rec                  *record
	Occasion             string
	InternalDeadline     time.Time
	RegulatoryDeadline   time.Time
	InternalLimitWorkday int
}

// Generate writes the sample project into outDir and returns its truth.
func Generate(opts Options, outDir string) (*Truth, error) {
	if opts.Months <= 0 {
		opts.Months = 24
	}
	if opts.Rows <= 0 {
		opts.Rows = 20000
	}
	if opts.End.IsZero() {
		opts.End = DemoOptions().End
	}
	_, t, err := generate(opts, outDir)
	return t, err
}

func generate(opts Options, outDir string) (*gen, *Truth, error) {
	if opts.Months < 9 {
		return nil, nil, fmt.Errorf("generator: months %d is too few; the planted signals need at least 9", opts.Months)
	}
	g := newGen(opts)
	g.build()
	if err := os.MkdirAll(filepath.Join(outDir, "exports"), 0o755); err != nil {
		return nil, nil, err
	}
	files, err := g.writeExports(outDir)
	if err != nil {
		return nil, nil, err
	}
	g.fileTruths = files
	t := g.truth()
	if err := writeTruth(t, filepath.Join(outDir, "truth.json")); err != nil {
		return nil, nil, err
	}
	if err := os.WriteFile(filepath.Join(outDir, "complaints.yaml"), []byte(g.configYAML()), 0o644); err != nil {
		return nil, nil, err
	}
	if err := os.WriteFile(filepath.Join(outDir, "branches.csv"), branchesCSV(), 0o644); err != nil {
		return nil, nil, err
	}
	if err := os.WriteFile(filepath.Join(outDir, "README.md"), []byte(readme(t)), 0o644); err != nil {
		return nil, nil, err
	}
	return g, t, nil
}

func newGen(opts Options) *gen {
	end := time.Date(opts.End.Year(), opts.End.Month(), 1, 0, 0, 0, 0, bj)
	first := end.AddDate(0, -(opts.Months - 1), 0)
	g := &gen{
		opts:      opts,
		rng:       rand.New(rand.NewPCG(uint64(opts.Seed), uint64(opts.Seed)^0x9e3779b97f4a7c15)),
		cal:       newCalendar(),
		first:     first,
		endNext:   end.AddDate(0, 1, 0),
		cutE1:     time.Date(end.Year(), end.Month(), 21, 0, 0, 0, 0, bj),
		cutE2:     time.Date(end.Year(), end.Month()+1, 5, 0, 0, 0, 0, bj),
		usedPhone: map[string]bool{}, usedID: map[string]bool{}, usedCard: map[string]bool{},
		spellings: map[[2]string]string{},
		scale:     math.Min(1, float64(opts.Rows)/10000),
	}
	g.cutOther = g.endNext
	for m := first; m.Before(g.endNext); m = m.AddDate(0, 1, 0) {
		g.months = append(g.months, m)
	}
	g.plant.recurringExtra = map[string]int{}
	if opts.NoSignal {
		g.monthEffects()
	}
	return g
}

// monthEffects draws the NoSignal bank's month and category effects (gamma, mean 1).
func (g *gen) monthEffects() {
	mcv, ccv := g.opts.MonthCV, g.opts.CategoryCV
	if mcv <= 0 {
		mcv = 0.12
	}
	if ccv <= 0 {
		ccv = 0.08
	}
	for range g.months {
		g.monthEff = append(g.monthEff, g.gamma(1/(mcv*mcv)))
		cat := map[string]float64{}
		for _, w := range categoryWeights {
			cat[w.Code] = g.gamma(1 / (ccv * ccv))
		}
		g.catEff = append(g.catEff, cat)
	}
}

// gamma draws a gamma variable of the given shape (>= 1) and mean 1 (Marsaglia and Tsang).
func (g *gen) gamma(shape float64) float64 {
	d := shape - 1.0/3
	c := 1 / math.Sqrt(9*d)
	for {
		x := g.rng.NormFloat64()
		v := 1 + c*x
		if v <= 0 {
			continue
		}
		v = v * v * v
		if math.Log(g.f()) < 0.5*x*x+d-d*v+d*math.Log(v) {
			return d * v / shape
		}
	}
}

// monthIndex is the index of t's month in the window, clamped to it.
func (g *gen) monthIndex(t time.Time) int {
	t = t.In(bj)
	i := (t.Year()-g.first.Year())*12 + int(t.Month()) - int(g.first.Month())
	return min(max(i, 0), len(g.months)-1)
}

// ---- random helpers ----

func (g *gen) f() float64            { return g.rng.Float64() }
func (g *gen) n(k int) int           { return g.rng.IntN(k) }
func (g *gen) chance(p float64) bool { return g.rng.Float64() < p }
func (g *gen) between(a, b int) int  { return a + g.rng.IntN(b-a+1) }

func (g *gen) pickW(ws []weighted) string {
	total := 0.0
	for _, w := range ws {
		total += w.W
	}
	x := g.f() * total
	for _, w := range ws {
		x -= w.W
		if x < 0 {
			return w.Code
		}
	}
	return ws[len(ws)-1].Code
}

func (g *gen) pick(s []string) string { return s[g.n(len(s))] }

func (g *gen) scaled(n int, min int) int {
	v := int(math.Round(float64(n) * g.scale))
	if v < min {
		v = min
	}
	return v
}

// ---- customers ----

func (g *gen) newCustomer(province string) int {
	c := customer{}
	c.Name = g.pick(surnames) + g.pick(givenChars)
	if g.chance(0.6) {
		c.Name += g.pick(givenChars)
	}
	prefixes := []string{"130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "155", "157", "158", "159", "166", "177", "180", "181", "186", "187", "188", "189", "199"}
	for {
		p := g.pick(prefixes) + fmt.Sprintf("%08d", g.n(100000000))
		if !g.usedPhone[p] {
			g.usedPhone[p] = true
			c.Phone = p
			break
		}
	}
	areas := areaCodes[province]
	if len(areas) == 0 {
		areas = areaCodes["440000"]
	}
	for {
		area := g.pick(areas)
		birth := time.Date(1950, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, g.n(365*54))
		seq := fmt.Sprintf("%03d", g.n(1000))
		body := area + birth.Format("20060102") + seq
		id := body + idCheck(body)
		if g.usedID[id] {
			continue
		}
		g.usedID[id] = true
		c.ID18 = id
		if birth.Year() < 1985 {
			c.ID15 = area + birth.Format("060102") + seq
		}
		break
	}
	for {
		bins := []string{"622202", "621700", "622848", "625800", "436742"}
		body := g.pick(bins) + fmt.Sprintf("%09d", g.n(1000000000))
		if g.chance(0.3) {
			body += fmt.Sprintf("%03d", g.n(1000))
		}
		card := body + luhn(body)
		if !g.usedCard[card] {
			g.usedCard[card] = true
			c.Card = card
			break
		}
	}
	g.custs = append(g.custs, c)
	return len(g.custs) - 1
}

func idCheck(body17 string) string {
	w := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i := 0; i < 17; i++ {
		sum += int(body17[i]-'0') * w[i]
	}
	return string("10X98765432"[sum%11])
}

func luhn(body string) string {
	sum := 0
	double := true
	for i := len(body) - 1; i >= 0; i-- {
		d := int(body[i] - '0')
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return fmt.Sprint((10 - sum%10) % 10)
}

// ---- time helpers ----

var seasonByMonth = map[time.Month]float64{1: 0.95, 2: 0.92, 3: 1.25, 4: 1.08, 5: 1.0, 6: 0.98, 7: 1.02, 8: 1.0, 9: 0.95, 10: 0.9, 11: 1.05, 12: 1.1}

func (g *gen) monthWeight(i int) float64 {
	m := g.months[i]
	if g.opts.NoSignal {
		// complaints arrive on working days, and at 40% of that rate on days off
		days := 0.0
		for d := m; d.Month() == m.Month(); d = d.AddDate(0, 0, 1) {
			if g.cal.workday(d) {
				days++
			} else {
				days += 0.4
			}
		}
		return days * g.monthEff[i]
	}
	w := seasonByMonth[m.Month()] * (1 + 0.008*float64(i))
	return w
}

func daysIn(m time.Time) int { return m.AddDate(0, 1, -1).Day() }

// randomTime picks a Beijing time in [from, to) weighted to office hours and weekdays.
func (g *gen) randomTime(from, to time.Time) time.Time {
	days := int(to.Sub(from).Hours() / 24)
	if days < 1 {
		days = 1
	}
	for {
		d := dateOnly(from).AddDate(0, 0, g.n(days))
		if (d.Weekday() == time.Saturday || d.Weekday() == time.Sunday) && g.chance(0.4) {
			continue
		}
		t := g.dayTime(d)
		if !t.Before(from) && t.Before(to) {
			return t
		}
	}
}

func (g *gen) dayTime(d time.Time) time.Time {
	hours := []weighted{{"8", 4}, {"9", 10}, {"10", 12}, {"11", 11}, {"12", 6}, {"13", 7}, {"14", 11}, {"15", 11}, {"16", 10}, {"17", 7}, {"18", 4}, {"19", 3}, {"20", 2}, {"21", 1}, {"22", 0.5}, {"7", 0.5}}
	var h int
	fmt.Sscan(g.pickW(hours), &h)
	return time.Date(d.Year(), d.Month(), d.Day(), h, g.n(60), 0, 0, bj)
}

func dateOnlySource(src string) bool {
	return src == srcWalkIn || src == srcLetters || src == srcReferrals
}

// ---- record construction ----

type spec struct {
	Source, Category, Cause, BizChannel, Type, Intake, Kind string
	Branch                                                  int // -1 random
	Received                                                time.Time
	Cust                                                    int // -1 new
	NoTypeMissing                                           bool
}

func (g *gen) pickSource() string { return g.pickW(sourceWeights) }

func (g *gen) pickCategory(m time.Time) string {
	ws := make([]weighted, len(categoryWeights))
	copy(ws, categoryWeights)
	for i := range ws {
		if g.opts.NoSignal {
			ws[i].W *= g.catEff[g.monthIndex(m)][ws[i].Code]
			continue
		}
		if ws[i].Code == "credit_card" && (m.Month() == 11 || m.Month() == 12) {
			ws[i].W *= 1.4
		}
	}
	return g.pickW(ws)
}

func (g *gen) pickCause(cat string) string {
	ws := make([]weighted, len(causeWeights))
	copy(ws, causeWeights)
	for i := range ws {
		if b, ok := causeBoost[cat][ws[i].Code]; ok {
			ws[i].W *= b
		}
	}
	return g.pickW(ws)
}

func (g *gen) pickBranch() int {
	ws := make([]weighted, len(branches))
	for i, b := range branches {
		ws[i] = weighted{fmt.Sprint(i), b.Weight}
	}
	var i int
	fmt.Sscan(g.pickW(ws), &i)
	return i
}

func (g *gen) newRecord(s spec) *record {
	r := &record{seq: len(g.recs), Source: s.Source, Kind: s.Kind, Received: s.Received, Category: s.Category, Cause: s.Cause}
	if r.Kind == "" {
		r.Kind = "complaint"
	}
	if dateOnlySource(r.Source) {
		r.Received = dateOnly(r.Received)
	}
	if r.Category == "" {
		r.Category = g.pickCategory(r.Received)
		// now and then a card complaint says only 银行卡: its true category is then bank_card (unspecified)
		if (r.Category == "debit_card" || r.Category == "credit_card") && (r.Source == srcHotline || r.Source == srcWalkIn) && g.chance(0.015) {
			r.Category = "bank_card"
		}
	}
	if r.Cause == "" {
		r.Cause = g.pickCause(r.Category)
	}
	if s.Branch >= 0 {
		r.Branch = s.Branch
	} else {
		r.Branch = g.pickBranch()
	}
	r.BizChannel = s.BizChannel
	if r.BizChannel == "" {
		ws, ok := bizChannelByCategory[r.Category]
		if !ok {
			ws = bizChannelByCategory[""]
		}
		r.BizChannel = g.pickW(ws)
		if r.Source == srcWalkIn && g.chance(0.7) {
			r.BizChannel = "branch_counter"
		}
	}
	r.Type = s.Type
	if r.Type == "" {
		r.Type = g.pickW(typeByCause[r.Cause])
		if !s.NoTypeMissing && g.chance(0.02) {
			r.Type = ""
		}
	}
	if r.Source == srcLetters {
		r.Type = "" // the letters export has no type column
	}
	r.Demand = g.pickW(demandByCause[r.Cause])
	r.Intake = s.Intake
	if r.Intake == "" {
		switch r.Source {
		case srcHotline:
			r.Intake = "phone"
		case srcOnline:
			r.Intake = "online"
		case srcWalkIn:
			r.Intake = "walk_in"
		case srcLetters:
			r.Intake = g.pickW([]weighted{{"letter", 40}, {"comment_box", 60}})
		case srcReferrals:
			r.Intake = g.pickW([]weighted{{"regulator_referral", 60}, {"superior_referral", 25}, {"government_referral", 15}})
		}
	}
	if sp, ok := intakeSpell[r.Intake]; ok {
		r.IntakeRaw = g.pick(sp)
		if r.Intake == "comment_box" && r.Source == srcLetters {
			r.IntakeRaw = g.pick([]string{"意见簿", "意见箱"})
		}
	}
	if s.Cust >= 0 {
		r.Cust = s.Cust
	} else {
		r.Cust = g.newCustomer(branches[r.Branch].ProvCode)
	}
	switch r.Source {
	case srcHotline:
		if g.chance(0.35) {
			r.ShowID = 18
		}
	case srcOnline:
		if g.chance(0.5) {
			r.ShowID = 18
		}
		r.ShowCard = g.chance(0.25)
	case srcReferrals:
		r.ShowID = 18
	}
	if r.ShowID == 18 && g.custs[r.Cust].ID15 != "" && g.chance(0.15) {
		r.ShowID = 15
	}
	r.PhoneStyle = g.n(10)
	r.Handler = fmt.Sprintf("工号%c%04d", 'A'+rune(g.n(6)), 1000+g.n(9000))
	r.UseAlias = r.Source == srcWalkIn && g.chance(0.3)
	g.fillText(r)
	g.decideStatus(r)
	g.recs = append(g.recs, r)
	return r
}

func (g *gen) cutoff(src string) time.Time {
	if src == srcHotline {
		return g.cutE2
	}
	return g.cutOther
}

// replyAfter draws a reply time for a complaint of the record's type.
func (g *gen) replyAfter(r *record) time.Time {
	var days int
	switch {
	case g.chance(0.03):
		days = g.between(21, 70)
	case complexTypes[r.Type]:
		days = g.between(5, 20)
	default:
		days = g.pickInt([]int{0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 5, 5, 6, 8})
	}
	d := dateOnly(r.Received).AddDate(0, 0, days)
	t := g.dayTime(d)
	if !t.After(r.Received) {
		t = r.Received.Add(time.Duration(30+g.n(180)) * time.Minute)
	}
	if dateOnlySource(r.Source) {
		t = dateOnly(t)
		if t.Before(r.Received) {
			t = r.Received
		}
	}
	return t
}

func (g *gen) pickInt(s []int) int { return s[g.n(len(s))] }

func (g *gen) decideStatus(r *record) {
	r.Status, r.Replied, r.Satisf, r.CompCents = "closed", time.Time{}, "", 0
	if r.Kind != "complaint" {
		r.Replied = g.replyAfter(r)
		if !r.Replied.Before(g.cutoff(r.Source)) {
			r.Status, r.Replied = "open", time.Time{}
		}
		g.setUpdated(r)
		return
	}
	x := g.f()
	switch {
	case x < 0.01:
		r.Status = "not_accepted"
	case x < 0.03:
		r.Status = "withdrawn"
	}
	if r.Status == "closed" {
		r.Replied = g.replyAfter(r)
		if !r.Replied.Before(g.cutoff(r.Source)) {
			r.Status, r.Replied = "open", time.Time{}
		}
	}
	if r.Status == "closed" {
		g.closeDetails(r)
	}
	g.setUpdated(r)
}

func (g *gen) closeDetails(r *record) {
	switch x := g.f(); {
	case x < 0.08:
		r.Satisf = ""
	case x < 0.70:
		r.Satisf = "satisfied"
	case x < 0.88:
		r.Satisf = "basically_satisfied"
	default:
		r.Satisf = "dissatisfied"
	}
	if g.chance(0.08) {
		r.CompCents = g.pickInt([]int{2000, 5000, 5000, 10000, 20000, 50000, 12850, 3999, 88800})
	}
	if r.Source == srcHotline {
		yes := func(texts []string) string {
			if g.chance(0.8) {
				return "Y"
			}
			return g.pick(texts)
		}
		r.Elements = [6]string{
			yes([]string{"情况属实", "部分属实", "客户理解有误"}),
			yes([]string{"已批评教育", "不涉及责任人"}),
			yes([]string{"加强培训", "优化流程", "纳入检查"}),
			satisfactionZH(r.Satisf, "Y"),
			yes([]string{r.Replied.Format("2006-01-02 15:04")}),
			yes([]string{fmt.Sprintf("%s-%08d", branches[r.Branch].Phone, 80000000+g.n(9999999))}),
		}
		if g.chance(0.10) {
			k := 1 + g.n(2)
			for i := 0; i < k; i++ {
				r.Elements[g.n(6)] = ""
			}
			if r.Elements == [6]string{} {
				r.Elements[0] = "Y"
			}
		}
	}
}

func satisfactionZH(code, dflt string) string {
	switch code {
	case "satisfied":
		return "满意"
	case "basically_satisfied":
		return "基本满意"
	case "dissatisfied":
		return "不满意"
	}
	return dflt
}

func (g *gen) setUpdated(r *record) {
	switch {
	case !r.Replied.IsZero():
		r.Updated = r.Replied.Add(time.Duration(5+g.n(60)) * time.Minute)
	default:
		r.Updated = r.Received.Add(time.Duration(10+g.n(300)) * time.Minute)
	}
	if c := g.cutoff(r.Source); !r.Updated.Before(c) {
		r.Updated = c.Add(-time.Duration(1+g.n(59)) * time.Minute)
	}
	if r.Updated.Before(r.Received) {
		r.Updated = r.Received
	}
}

// ---- narratives ----

func (g *gen) fillText(r *record) {
	b := branches[r.Branch]
	cw := catWordZH[r.Category]
	if r.Kind != "complaint" {
		switch r.Kind {
		case "enquiry":
			r.Summary = "咨询" + cw
			r.Narrative = "咨询" + cw + "办理条件。"
		case "suggestion":
			r.Summary = "建议优化" + cw
			r.Narrative = "建议" + b.Name + "增开" + cw + "窗口。"
		default:
			r.Summary = "表扬员工"
			r.Narrative = "表扬" + b.Name + "员工耐心。"
		}
		return
	}
	r.Summary = cw + summaryByCause[r.Cause]
	place := b.Name
	if r.Cause == "facilities_systems" {
		place = map[string]string{"mobile_app": "手机银行", "online_banking": "网上银行", "self_service": "自助设备", "phone_banking": "电话银行"}[r.BizChannel]
		if place == "" {
			place = b.Name
		}
	}
	n := fmt.Sprintf(g.pick(narrativeByCause[r.Cause]), place, cw)
	if g.chance(0.2) {
		n += g.pick(narrativeTail)
	}
	c := g.custs[r.Cust]
	switch x := g.f(); {
	case x < 0.06:
		n += "请回电" + phoneInText(c.Phone, g.n(4)) + "。"
	case x < 0.09:
		n += "身份证" + idInText(c.ID18, g.n(3)) + "。"
	case x < 0.11:
		n += "卡号" + cardInText(c.Card, g.n(3)) + "。"
	}
	r.Narrative = n
}

func fullWidth(s string) string {
	var b strings.Builder
	for _, ch := range s {
		if ch >= '0' && ch <= '9' {
			b.WriteRune(ch - '0' + '０')
		} else if ch == 'X' {
			b.WriteRune('Ｘ')
		} else {
			b.WriteRune(ch)
		}
	}
	return b.String()
}

func phoneInText(p string, style int) string {
	switch style {
	case 0:
		return p
	case 1:
		return p[:3] + "-" + p[3:7] + "-" + p[7:]
	case 2:
		return p[:3] + " " + p[3:7] + " " + p[7:]
	default:
		return fullWidth(p)
	}
}

func idInText(id string, style int) string {
	switch style {
	case 0:
		return id
	case 1:
		return fullWidth(id)
	default:
		return id[:6] + " " + id[6:14] + " " + id[14:]
	}
}

func cardInText(c string, style int) string {
	var parts []string
	for i := 0; i < len(c); i += 4 {
		j := i + 4
		if j > len(c) {
			j = len(c)
		}
		parts = append(parts, c[i:j])
	}
	switch style {
	case 0:
		return c
	case 1:
		return strings.Join(parts, " ")
	default:
		return strings.Join(parts, "-")
	}
}

// phoneField is how an export writes the customer's phone in its column.
func phoneField(p string, style int, src string) string {
	switch {
	case src == srcOnline && style == 0:
		return "+86 " + p
	case src == srcOnline && style == 1:
		return "+86-" + p
	case src == srcLetters && style < 3:
		return p[:3] + "-" + p[3:7] + "-" + p[7:]
	case src == srcWalkIn && style == 0:
		return p[:3] + " " + p[3:7] + " " + p[7:]
	case src == srcHotline && style == 0:
		return "86" + p
	}
	return p
}

// ---- the build ----

func (g *gen) build() {
	g.baseline()
	if !g.opts.NoSignal {
		g.plantRecurring()
		g.plantSpike()
	}
	g.plantRepeat()
	g.plantReferralPairs()
	g.plantHolidays()
	g.plantUTCEdge()
	g.plantOverdueOpen()
	g.plantBadReplies()
	g.plantMajor()
	g.nonComplaints()
	g.assignIDs()
	g.hotlineVersions()
	g.plantJunk()
}

// baseline draws the ordinary complaints, leaving room for the planted ones in the Rows total.
func (g *gen) baseline() {
	planted := g.scaled(300, 20) + g.scaled(240, 12) + g.scaled(110, 20) + g.scaled(80, 16) + 150
	n := g.opts.Rows - planted
	if n < g.opts.Rows/2 {
		n = g.opts.Rows / 2
	}
	ws := make([]weighted, len(g.months))
	for i := range g.months {
		ws[i] = weighted{fmt.Sprint(i), g.monthWeight(i)}
	}
	for k := 0; k < n; k++ {
		var mi int
		fmt.Sscan(g.pickW(ws), &mi)
		m := g.months[mi]
		t := g.randomTime(m, m.AddDate(0, 1, 0))
		g.newRecord(spec{Source: g.pickSource(), Received: t, Branch: -1, Cust: -1})
	}
	// the hotline keeps taking calls after the window, up to its second export
	perDay := float64(n) / float64(len(g.months)) / 30 * 0.55
	extra := int(perDay * g.cutE2.Sub(g.endNext).Hours() / 24)
	for k := 0; k < extra; k++ {
		g.newRecord(spec{Source: srcHotline, Received: g.randomTime(g.endNext, g.cutE2), Branch: -1, Cust: -1})
	}
}

func branchIndex(code string) int {
	for i, b := range branches {
		if b.Code == code {
			return i
		}
	}
	panic(code)
}

func (g *gen) recurringMonths() []time.Time {
	var ms []time.Time
	for i := 7; i >= 2; i-- {
		ms = append(ms, g.months[len(g.months)-1].AddDate(0, -i, 0))
	}
	return ms
}

func monthKey(t time.Time) string { return t.In(bj).Format("2006-01") }

func (g *gen) plantRecurring() {
	bi := branchIndex("GD001")
	per := map[string]int{}
	for _, r := range g.recs {
		if r.Branch == bi && r.Cause == "service_quality" && r.Kind == "complaint" {
			per[monthKey(r.Received)]++
		}
	}
	rec := map[string]bool{}
	for _, m := range g.recurringMonths() {
		rec[monthKey(m)] = true
	}
	sum, cnt := 0, 0
	for _, m := range g.months {
		if !rec[monthKey(m)] {
			sum += per[monthKey(m)]
			cnt++
		}
	}
	mean := float64(sum) / float64(cnt)
	for _, m := range g.recurringMonths() {
		extra := int(math.Round(3*mean)) - per[monthKey(m)]
		if extra < 1 {
			extra = 1
		}
		g.plant.recurringExtra[monthKey(m)] = extra
		for k := 0; k < extra; k++ {
			src := g.pickW([]weighted{{srcHotline, 45}, {srcOnline, 20}, {srcWalkIn, 30}, {srcLetters, 5}})
			r := g.newRecord(spec{Source: src, Received: g.randomTime(m, m.AddDate(0, 1, 0)), Branch: bi, Cust: -1, Cause: "service_quality"})
			r.Planted = "recurring"
		}
	}
}

func (g *gen) spikeMonth() time.Time { return g.months[len(g.months)-1].AddDate(0, -3, 0) }

func (g *gen) plantSpike() {
	m := g.spikeMonth()
	n := g.scaled(300, 20)
	from := time.Date(m.Year(), m.Month(), 14, 9, 0, 0, 0, bj)
	for k := 0; k < n; k++ {
		var t time.Time
		if g.chance(0.75) {
			t = g.randomTime(from, from.AddDate(0, 0, 3))
		} else {
			t = g.randomTime(from.AddDate(0, 0, 3), from.AddDate(0, 0, 10))
		}
		src := g.pickW([]weighted{{srcHotline, 60}, {srcOnline, 35}, {srcWalkIn, 3}, {srcLetters, 2}})
		r := g.newRecord(spec{Source: src, Received: t, Branch: -1, Cust: -1, Category: "payment_settlement",
			Cause: "facilities_systems", BizChannel: "mobile_app", Type: "service_channel"})
		r.Summary = "手机银行转账失败"
		r.Narrative = g.pick([]string{"手机银行无法登录，转账失败。", "手机银行转账提示系统繁忙。", "手机银行闪退，无法支付。"}) + g.pick(narrativeTail)
		r.Planted = "spike"
		g.plant.spikeRecs = append(g.plant.spikeRecs, r)
	}
}

// forceClosed gives a planted record a valid reply after receipt.
func (g *gen) forceClosed(r *record, reply time.Time) {
	if dateOnlySource(r.Source) {
		reply = dateOnly(reply)
	}
	r.Status, r.Replied, r.ReplyFlag = "closed", reply, ""
	g.closeDetails(r)
	g.setUpdated(r)
}

func (g *gen) plantRepeat() {
	n := g.scaled(40, 5)
	cats := []string{"credit_card", "payment_settlement", "debit_card", "loans", "wealth_management", "rmb_savings", "personal_information", "agency"}
	last := g.endNext.AddDate(0, 0, -20)
	for c := 0; c < n; c++ {
		k := 2 + g.n(3)
		bi := g.pickBranch()
		cust := g.newCustomer(branches[bi].ProvCode)
		start := g.randomTime(g.first, last.AddDate(0, 0, -80))
		perm := g.rng.Perm(len(cats))
		var rs []*record
		t := start
		for j := 0; j < k; j++ {
			if j > 0 {
				t = g.dayTime(dateOnly(t).AddDate(0, 0, g.between(9, 25)))
			}
			src := g.pickW([]weighted{{srcHotline, 50}, {srcOnline, 30}, {srcWalkIn, 12}, {srcLetters, 4}, {srcReferrals, 4}})
			r := g.newRecord(spec{Source: src, Received: t, Branch: bi, Cust: cust, Category: cats[perm[j]]})
			if j%2 == 1 && r.ShowID == 0 && src != srcLetters && src != srcWalkIn {
				r.ShowID = 18
			}
			g.forceClosed(r, g.replyAfterDays(r, 1, 6))
			r.Planted = "repeat"
			rs = append(rs, r)
		}
		g.plant.repeatCusts = append(g.plant.repeatCusts, rs)
	}
}

func (g *gen) replyAfterDays(r *record, a, b int) time.Time {
	return g.dayTime(dateOnly(r.Received).AddDate(0, 0, g.between(a, b)))
}

func (g *gen) plantReferralPairs() {
	nd, nn := g.scaled(30, 6), g.scaled(10, 3)
	cats := []string{"credit_card", "payment_settlement", "debit_card", "loans", "wealth_management"}
	last := g.endNext.AddDate(0, 0, -45)
	for i := 0; i < nd+nn; i++ {
		dup := i < nd
		bi := g.pickBranch()
		cust := g.newCustomer(branches[bi].ProvCode)
		cat := g.pick(cats)
		t := g.randomTime(g.first.AddDate(0, 0, 3), last)
		h := g.newRecord(spec{Source: srcHotline, Received: t, Branch: bi, Cust: cust, Category: cat, NoTypeMissing: true})
		h.ShowID = 0
		var refDate time.Time
		if dup {
			refDate = dateOnly(t).AddDate(0, 0, g.between(1, 6))
			g.forceClosed(h, g.dayTime(refDate.AddDate(0, 0, g.between(2, 10))))
		} else {
			hr := g.dayTime(dateOnly(t).AddDate(0, 0, g.between(0, 2)))
			if !hr.After(t) {
				hr = t.Add(2 * time.Hour)
			}
			g.forceClosed(h, hr)
			refDate = dateOnly(hr).AddDate(0, 0, g.between(1, 3))
			if refDate.Sub(dateOnly(t)).Hours()/24 > 6 {
				refDate = dateOnly(t).AddDate(0, 0, 6)
			}
		}
		r := g.newRecord(spec{Source: srcReferrals, Received: refDate, Branch: bi, Cust: cust, Category: cat, Cause: h.Cause,
			Intake: "regulator_referral", NoTypeMissing: true})
		r.ShowID = 18
		g.forceClosed(r, g.replyAfterDays(r, 3, 12))
		h.Planted, r.Planted = "referral_pair", "referral_pair"
		if dup {
			g.plant.dupPairs = append(g.plant.dupPairs, [2]*record{h, r})
		} else {
			g.plant.nonDupPairs = append(g.plant.nonDupPairs, [2]*record{h, r})
		}
	}
}

// holidayDates lists the worked examples of domain.md section 4 and, for every holiday of the schedule in the
// window, its last working day before and its first day off.
func (g *gen) holidayDates() []struct {
	D    time.Time
	Name string
} {
	var out []struct {
		D    time.Time
		Name string
	}
	add := func(d time.Time, name string) {
		if d.Before(g.first) || !d.Before(g.endNext.AddDate(0, 0, -25)) {
			return
		}
		for _, o := range out {
			if o.D.Equal(d) {
				return
			}
		}
		out = append(out, struct {
			D    time.Time
			Name string
		}{d, name})
	}
	for _, s := range []string{"2026-09-18", "2025-09-30", "2026-02-13", "2025-01-24"} {
		d, _ := time.ParseInLocation("2006-01-02", s, bj)
		add(d, "domain.md 4 worked example")
	}
	prevOff := ""
	for _, h := range holidayDays {
		if !h.OffDay {
			continue
		}
		d, _ := time.ParseInLocation("2006-01-02", h.Date, bj)
		if d.Year() < 2025 {
			continue
		}
		if prevOff != "" {
			p, _ := time.ParseInLocation("2006-01-02", prevOff, bj)
			if p.AddDate(0, 0, 1).Equal(d) {
				prevOff = h.Date
				continue
			}
		}
		prevOff = h.Date
		before := d.AddDate(0, 0, -1)
		for !g.cal.workday(before) {
			before = before.AddDate(0, 0, -1)
		}
		add(before, h.Name+" last working day before")
		add(d, h.Name+" first day off")
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].D.Before(out[j].D) })
	return out
}

func (g *gen) plantHolidays() {
	for _, hd := range g.holidayDates() {
		for k := 0; k < 4; k++ {
			typ := "work_error"
			if k >= 2 {
				typ = "service_product"
			}
			src := srcHotline
			if k%2 == 1 {
				src = srcOnline
			}
			t := time.Date(hd.D.Year(), hd.D.Month(), hd.D.Day(), 10+k, 15, 0, 0, bj)
			r := g.newRecord(spec{Source: src, Received: t, Branch: -1, Cust: -1, Type: typ})
			r.Type = typ
			internal := g.cal.addWorkingDays(t, 3)
			if k >= 2 {
				internal = g.cal.addWorkingDays(t, 10)
			}
			reg := g.cal.calendarDeadline(t, 15)
			var reply time.Time
			switch k {
			case 0:
				reply = internal
			case 1:
				reply = internal.AddDate(0, 0, 1)
			case 2:
				reply = reg
			case 3:
				reply = reg.AddDate(0, 0, 1)
			}
			reply = time.Date(reply.Year(), reply.Month(), reply.Day(), 16, 30, 0, 0, bj)
			if !reply.Before(g.cutoff(src)) {
				continue
			}
			g.forceClosed(r, reply)
			r.Planted = "holiday"
			lim := 3
			if k >= 2 {
				lim = 10
			}
			g.plant.holiday = append(g.plant.holiday, holidayCase{rec: r, Occasion: hd.Name, InternalDeadline: internal, RegulatoryDeadline: reg, InternalLimitWorkday: lim})
		}
	}
}

func (g *gen) plantUTCEdge() {
	for i, m := range g.months {
		if i == 0 && false {
			continue
		}
		for k := 0; k < 3; k++ {
			t := time.Date(m.Year(), m.Month(), 1, g.n(8), g.n(60), 0, 0, bj)
			r := g.newRecord(spec{Source: srcOnline, Received: t, Branch: -1, Cust: -1})
			if r.Status == "not_accepted" {
				g.decideStatusClosed(r)
			}
			r.Planted = "utc_edge"
			g.plant.utc = append(g.plant.utc, r)
		}
	}
}

func (g *gen) decideStatusClosed(r *record) { g.forceClosed(r, g.replyAfter(r)) }

func (g *gen) plantOverdueOpen() {
	n := 12
	for k := 0; k < n; k++ {
		m := g.months[len(g.months)-2-g.n(5)]
		src := g.pickW([]weighted{{srcHotline, 50}, {srcOnline, 30}, {srcWalkIn, 20}})
		r := g.newRecord(spec{Source: src, Received: g.randomTime(m, m.AddDate(0, 1, 0)), Branch: -1, Cust: -1, NoTypeMissing: true})
		r.Status, r.Replied, r.Satisf, r.CompCents, r.Elements = "open", time.Time{}, "", 0, [6]string{}
		g.setUpdated(r)
		r.Planted = "overdue_open"
		g.plant.overdueOpen = append(g.plant.overdueOpen, r)
	}
}

func (g *gen) plantBadReplies() {
	srcs := []string{srcHotline, srcHotline, srcOnline, srcOnline, srcWalkIn, srcLetters, srcReferrals}
	for k := 0; k < 14; k++ {
		for _, flag := range []string{"reply_before_receipt", "reply_in_future"} {
			src := srcs[(k+len(flag))%len(srcs)]
			m := g.months[1+g.n(len(g.months)-3)]
			r := g.newRecord(spec{Source: src, Received: g.randomTime(m, m.AddDate(0, 1, 0)), Branch: -1, Cust: -1})
			g.forceClosed(r, g.replyAfter(r))
			if flag == "reply_before_receipt" {
				r.Replied = g.dayTime(dateOnly(r.Received).AddDate(0, 0, -g.between(1, 20)))
			} else {
				r.Replied = g.dayTime(g.endNext.AddDate(0, g.between(3, 8), g.n(28)))
			}
			if dateOnlySource(src) {
				r.Replied = dateOnly(r.Replied)
			}
			r.ReplyFlag = flag
			r.Updated = r.Received.Add(time.Duration(1+g.n(48)) * time.Hour)
			r.Planted = flag
		}
	}
}

func (g *gen) plantMajor() {
	var refs []*record
	for _, r := range g.recs {
		if r.Source == srcReferrals && r.Intake == "regulator_referral" && r.Planted == "" && r.Status != "not_accepted" && r.Received.Before(g.endNext) {
			refs = append(refs, r)
		}
	}
	for k := 0; k < 8 && len(refs) > 0; k++ {
		i := g.n(len(refs))
		refs[i].Major = true
		refs[i].Planted = "major"
		refs = append(refs[:i], refs[i+1:]...)
	}
}

func (g *gen) nonComplaints() {
	var hot int
	for _, r := range g.recs {
		if r.Source == srcHotline {
			hot++
		}
	}
	n := hot * 15 / 100
	for k := 0; k < n; k++ {
		kind := g.pickW([]weighted{{"enquiry", 70}, {"suggestion", 20}, {"praise", 10}})
		g.newRecord(spec{Source: srcHotline, Kind: kind, Received: g.randomTime(g.first, g.cutE2), Branch: -1, Cust: -1})
	}
}

func (g *gen) assignIDs() {
	sort.SliceStable(g.recs, func(i, j int) bool {
		a, b := g.recs[i], g.recs[j]
		if !a.Received.Equal(b.Received) {
			return a.Received.Before(b.Received)
		}
		return a.seq < b.seq
	})
	day := map[string]int{}
	cnt := map[string]int{}
	for _, r := range g.recs {
		switch r.Source {
		case srcHotline:
			k := r.Received.Format("20060102")
			day[k]++
			r.ID = fmt.Sprintf("KF%s%04d", k, day[k])
		case srcOnline:
			cnt[srcOnline]++
			r.ID = fmt.Sprintf("WT%s%06d", r.Received.Format("0601"), cnt[srcOnline])
		case srcWalkIn:
			k := "w" + r.Received.Format("2006")
			cnt[k]++
			r.ID = fmt.Sprintf("DJ-%s-%04d", r.Received.Format("2006"), cnt[k])
		case srcLetters:
			k := "l" + r.Received.Format("2006")
			cnt[k]++
			r.ID = fmt.Sprintf("XF%s%03d", r.Received.Format("2006"), cnt[k])
		case srcReferrals:
			k := "r" + r.Received.Format("200601")
			cnt[k]++
			r.ID = fmt.Sprintf("ZB%s%03d", r.Received.Format("200601"), cnt[k])
		}
	}
}

// hotlineVersions decides which hotline records appear in which export and how the first export showed them.
func (g *gen) hotlineVersions() {
	var reclassCandidates []*record
	for _, r := range g.recs {
		if r.Source != srcHotline {
			continue
		}
		if !r.Received.Before(g.cutE1) {
			r.InE2 = true
			continue
		}
		r.InE1 = true
		r.E1Updated = r.Updated
		if r.Status == "closed" && r.ReplyFlag == "" && !r.Replied.Before(g.cutE1) {
			r.E1Open = true
			r.InE2 = true
			r.E1Updated = r.Received.Add(time.Duration(20+g.n(200)) * time.Minute)
			if !r.E1Updated.Before(g.cutE1) {
				r.E1Updated = g.cutE1.Add(-time.Minute)
			}
		}
		if r.Kind == "complaint" && r.Status == "closed" && r.ReplyFlag == "" && r.Planted == "" && !r.E1Open &&
			r.Received.After(g.cutE1.AddDate(0, -4, 0)) {
			reclassCandidates = append(reclassCandidates, r)
		}
	}
	alt := map[string]string{"credit_card": "debit_card", "debit_card": "credit_card", "payment_settlement": "debit_card",
		"loans": "other", "wealth_management": "agency", "agency": "wealth_management", "rmb_savings": "debit_card"}
	for k := 0; k < 12 && len(reclassCandidates) > 0; k++ {
		i := g.n(len(reclassCandidates))
		r := reclassCandidates[i]
		reclassCandidates = append(reclassCandidates[:i], reclassCandidates[i+1:]...)
		a, ok := alt[r.Category]
		if !ok {
			a = "other"
		}
		r.E1Category = a
		r.InE2 = true
		r.Updated = g.randomTime(g.cutE1, g.cutE2)
		r.Planted = "reclassified"
		g.plant.reclass = append(g.plant.reclass, r)
	}
}

// plantJunk adds rows that must be rejected: unparseable dates, missing ids and (hotline) a ragged row.
func (g *gen) plantJunk() {
	badDates := map[string][]string{
		srcHotline:   {"2025/13/45 10:00", "待补录", "2025/2/30 9:15", "0000/0/0"},
		srcOnline:    {"待补录", "2025-13-45T10:00:00+08:00", "not a date"},
		srcWalkIn:    {"待补录", "2025.13.45", "见附件"},
		srcLetters:   {"2025年13月45日", "不详"},
		srcReferrals: {"2025-13-45", "待补录"},
	}
	missing := map[string]int{srcHotline: 3, srcOnline: 3, srcWalkIn: 3, srcLetters: 2, srcReferrals: 2}
	for _, src := range sourceOrder {
		for _, raw := range badDates[src] {
			g.addJunk(src, "unparseable_date", raw)
		}
		for k := 0; k < missing[src]; k++ {
			g.addJunk(src, "missing_id", "")
		}
	}
	g.addJunk(srcHotline, "ragged_row", "")
}

func (g *gen) addJunk(src, reason, raw string) {
	cut := g.cutoff(src)
	if src == srcHotline {
		cut = g.cutE1
	}
	t := g.randomTime(g.first, cut)
	r := &record{Source: src, Kind: "complaint", Received: t}
	r.Category = g.pickCategory(t)
	r.Cause = g.pickCause(r.Category)
	r.Type = g.pickW(typeByCause[r.Cause])
	r.Demand = g.pickW(demandByCause[r.Cause])
	r.Branch = g.pickBranch()
	r.BizChannel = "branch_counter"
	r.Intake = map[string]string{srcHotline: "phone", srcOnline: "online", srcWalkIn: "walk_in", srcLetters: "letter", srcReferrals: "regulator_referral"}[src]
	r.IntakeRaw = map[string]string{srcOnline: "web", srcLetters: "信件", srcReferrals: "12378"}[src]
	r.Cust = g.newCustomer(branches[r.Branch].ProvCode)
	r.Status = "open"
	r.Handler = "工号A0001"
	g.fillText(r)
	r.Updated = t
	if reason != "missing_id" {
		r.ID = fmt.Sprintf("%s-BAD%02d", map[string]string{srcHotline: "KF", srcOnline: "WT", srcWalkIn: "DJ", srcLetters: "XF", srcReferrals: "ZB"}[src], len(g.junk)+1)
	}
	g.junk = append(g.junk, &junk{Source: src, Reason: reason, Raw: raw, At: t, rec: r})
}

// spell picks a raw spelling of code and remembers it for the catalogue test.
func (g *gen) spell(dim, code string, en bool) string {
	if code == "" {
		return ""
	}
	var s []string
	if en {
		s = spellEN[dim][code]
	}
	if len(s) == 0 {
		s = spellZH[dim][code]
	}
	if len(s) == 0 {
		panic("no spelling for " + dim + " " + code)
	}
	raw := g.pick(s)
	g.note(dim, raw, code)
	return raw
}

func (g *gen) note(dim, raw, code string) {
	if raw == "" {
		return
	}
	g.spellings[[2]string{dim, raw}] = code
}
