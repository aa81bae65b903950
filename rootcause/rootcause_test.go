package rootcause

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"complaints/sample-data/generator"
)

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

func TestCLimitsByHand(t *testing.T) {
	// baseline 4, 6, 5, 5 -> mean 5, UCL 5 + 3·sqrt(5) = 11.708, LCL 5 - 6.708 < 0 -> 0
	c, u, l := CLimits(mean([]float64{4, 6, 5, 5}))
	if c != 5 || !near(u, 11.7082, 1e-4) || l != 0 {
		t.Errorf("limits %v %v %v, want 5 11.708 0", c, u, l)
	}
	// mean 25: 25 ± 15 -> 40, 10
	if c, u, l := CLimits(25); c != 25 || u != 40 || l != 10 {
		t.Errorf("limits(25) %v %v %v", c, u, l)
	}
	if !Rule1(41, 40, 10) || Rule1(40, 40, 10) || !Rule1(9, 40, 10) || Rule1(0, 11.7, 0) {
		t.Error("rule 1")
	}
	if !Rule4([]float64{1, 9, 6, 6, 7, 8, 6, 6, 9, 6}, 5) || Rule4([]float64{6, 6, 6, 6, 6, 6, 6, 5}, 5) || Rule4([]float64{6, 6, 6}, 5) ||
		!Rule4([]float64{4, 4, 4, 4, 4, 4, 4, 4}, 5) {
		t.Error("rule 4")
	}
}

func TestPoissonUpperTailByHand(t *testing.T) {
	for _, c := range []struct {
		x    int
		mean float64
		want float64
	}{
		{0, 3, 1},
		{3, 1, 1 - 2.5*math.Exp(-1)}, // 1 - e^-1 (1 + 1 + 1/2) = 0.0803014
		{1, 0.5, 1 - math.Exp(-0.5)},
		{10, 5, 0.0318280573},
		{12, 5, 0.0054530919},
		{20, 5, 3.452135820536e-07},
	} {
		got := PoissonUpperTail(c.x, c.mean)
		if !near(got, c.want, 1e-9*math.Max(1, 0)+1e-6*c.want) {
			t.Errorf("P(X >= %d | %v) = %.12g, want %.12g", c.x, c.mean, got, c.want)
		}
	}
	// far tail keeps precision: P(X >= 324 | 28.7) is tiny but positive
	if p := PoissonUpperTail(324, 28.7); !(p > 0 && p < 1e-150) {
		t.Errorf("far tail %g", p)
	}
}

func TestBenjaminiHochbergByHand(t *testing.T) {
	// m = 5, q = 0.05: sorted 0.005 <= .01, 0.01 <= .02, 0.03 <= .03, 0.04 <= .04, 0.2 > .05 -> the first four.
	p := []float64{0.01, 0.04, 0.03, 0.005, 0.2}
	flags, adj := BenjaminiHochberg(p, 0.05)
	want := []bool{true, true, true, true, false}
	wantAdj := []float64{0.025, 0.05, 0.05, 0.025, 0.2}
	for i := range p {
		if flags[i] != want[i] || !near(adj[i], wantAdj[i], 1e-12) {
			t.Errorf("p=%v: flag %v adj %v, want %v %v", p[i], flags[i], adj[i], want[i], wantAdj[i])
		}
	}
	// step-up: 0.04 alone would fail 0.04 <= 1/2*0.05 ... but the largest passing rank carries the smaller ones
	flags, _ = BenjaminiHochberg([]float64{0.03, 0.04}, 0.05)
	if !flags[0] || !flags[1] {
		t.Errorf("step-up: %v", flags)
	}
	flags, _ = BenjaminiHochberg([]float64{0.03, 0.5}, 0.05)
	if flags[0] || flags[1] {
		t.Errorf("0.03 > 1/2·0.05 must not pass: %v", flags)
	}
}

func TestVitalFew(t *testing.T) {
	if n := VitalFew([]float64{0.45, 0.27, 0.14, 0.08, 0.06}); n != 3 {
		t.Errorf("45%%,72%%,86%% -> %d, want 3", n)
	}
	s := seriesSet{}
	for i, n := range []int{45, 27, 14, 8, 6} {
		s.add(Key{Kind: KindCause, Parts: []string{string(rune('a' + i))}}, 0, n, 1)
	}
	p := pareto(s, KindCause, 0)
	if p.Total != 100 || p.VitalFew != 3 || !p.Items[2].Vital || p.Items[3].Vital || !near(p.Items[1].Cumulative, 0.72, 1e-12) {
		t.Errorf("pareto %+v", p)
	}
	// exactly 80% at the second item: two
	if n := VitalFew([]float64{0.5, 0.3, 0.2}); n != 2 {
		t.Errorf("50,80 -> %d", n)
	}
}

func poisson(r *rand.Rand, lambda float64) int {
	// Knuth, in chunks so a large mean does not underflow
	n := 0
	for lambda > 30 {
		n += poisson(r, 30)
		lambda -= 30
	}
	l, k, p := math.Exp(-lambda), 0, 1.0
	for {
		p *= r.Float64()
		if p <= l {
			return n + k
		}
		k++
	}
}

// synthetic builds 200 branch series over 13 months with means 1..60; planted series get their period count
// multiplied by factor.
func synthetic(seed uint64, planted map[int]float64) (seriesSet, []string) {
	r := rand.New(rand.NewPCG(seed, 7))
	months := make([]string, 13)
	for i := range months {
		months[i] = "2026-" + string(rune('a'+i))
	}
	s := seriesSet{}
	for j := 0; j < 200; j++ {
		lambda := 1 + float64(j%60)
		k := Key{Kind: KindBranch, Parts: []string{"b" + string(rune('A'+j/26)) + string(rune('a'+j%26))}}
		for m := 0; m < 13; m++ {
			l := lambda
			if f, ok := planted[j]; ok && m == 12 {
				l *= f
			}
			s.add(k, m, poisson(r, l), 13)
		}
	}
	return s, months
}

func TestFalseFlagsStayWithinFDR(t *testing.T) {
	o := Options{}.withDefaults()
	total := 0
	for seed := uint64(1); seed <= 20; seed++ {
		s, months := synthetic(seed, nil)
		charts := controlCharts(s, months, o)
		n := 0
		for _, c := range charts {
			if c.Flagged {
				n++
			}
		}
		total += n
		// without BH, p < 0.05 alone would flag about 10 of 200 series in every set
		if n > 3 {
			t.Errorf("seed %d: %d of %d null series flagged", seed, n, len(charts))
		}
	}
	// With every null true, BH at 5% gives P(any flag) <= 5% (a little more with an estimated centre): over 20
	// sets, a handful of flags at most.
	if total > 6 {
		t.Errorf("%d flags over 20 null sets of 200 series", total)
	}
}

// TestPlantedSignalsAreFound: each planted one-month rise (x1.8 to x4 on means 6 to 60) is flagged in at least 4 of
// 5 sets (the calibrated test also weighs the baseline's own noise, so an unlucky draw of a x1.8 rise may pass).
func TestPlantedSignalsAreFound(t *testing.T) {
	o := Options{}.withDefaults()
	planted := map[int]float64{5: 4, 25: 2.5, 47: 2, 59: 1.8, 110: 3, 170: 2.2}
	missed := map[int]int{}
	for seed := uint64(1); seed <= 5; seed++ {
		s, months := synthetic(seed, planted)
		charts := controlCharts(s, months, o)
		found, falses := 0, 0
		for _, c := range charts {
			var j int
			name := c.Key.Parts[0]
			j = int(name[1]-'A')*26 + int(name[2]-'a')
			if _, ok := planted[j]; ok {
				if c.Flagged {
					found++
				} else {
					missed[j]++
					t.Logf("seed %d: planted series %s (count %d, centre %.1f, p %.3g, q %.3g) not flagged", seed, name, c.Count, c.Centre, c.PValue, c.QValue)
				}
			} else if c.Flagged {
				falses++
			}
		}
		if falses > 2 {
			t.Errorf("seed %d: %d false flags beside %d planted", seed, falses, found)
		}
	}
	for j, n := range missed {
		if n > 1 {
			t.Errorf("planted series %d (x%.1f) missed in %d of 5 sets", j, planted[j], n)
		}
	}
}

func TestTokens(t *testing.T) {
	toks := Tokens("客户反映手机银行APP闪退，联系电话[手机号]，the mobile app crashed twice 123")
	has := map[string]bool{}
	for _, k := range toks {
		has[k] = true
	}
	for _, w := range []string{"手机银行", "闪退", "app", "mobile", "mobile app", "crashed"} {
		if !has[w] {
			t.Errorf("missing %q in %v", w, toks)
		}
	}
	for _, w := range []string{"手机号", "客户", "反映", "the", "123", "联系电话手"} {
		if has[w] {
			t.Errorf("unexpected %q in %v", w, toks)
		}
	}
	// log((a+1)/(A+V)) - log((b+1)/(B+V)): a=9 of 100, b=0 of 200, V=50 -> log(10/150) - log(1/250)
	if got, want := LogRatio(9, 100, 0, 200, 50), math.Log(10.0/150)-math.Log(1.0/250); !near(got, want, 1e-12) {
		t.Errorf("log-ratio %v want %v", got, want)
	}
}

func TestRemediation(t *testing.T) {
	dir := t.TempDir()
	csvPath := filepath.Join(dir, "actions.csv")
	os.WriteFile(csvPath, []byte("\xef\xbb\xbf投诉原因,机构,整改措施,责任人,状态,完成期限\n服务态度,广州天河支行,柜员服务培训,天河支行行长,进行中,2026-09-30\n"), 0o644)
	yamlPath := filepath.Join(dir, "actions.yaml")
	os.WriteFile(yamlPath, []byte("actions:\n  - cause: facilities_systems\n    business_category: payment_settlement\n    action: 手机银行扩容\n    owner: 科技部\n    status: done\n    due: 2026-08-15\n"), 0o644)
	a1, err := LoadRemediation(csvPath)
	if err != nil || len(a1) != 1 || a1[0].Cause != "service_quality" || a1[0].Branch != "广州天河支行" {
		t.Fatalf("csv: %+v %v", a1, err)
	}
	a2, err := LoadRemediation(yamlPath)
	if err != nil || len(a2) != 1 || !a2[0].Done() {
		t.Fatalf("yaml: %+v %v", a2, err)
	}
	f := &Findings{Period: "2026-10", Recurring: []Recurrence{
		{Key: Key{Kind: KindBranchCause, Parts: []string{"广州天河支行", "service_quality"}}},
		{Key: Key{Kind: KindCategoryCause, Parts: []string{"payment_settlement", "facilities_systems"}}},
		{Key: Key{Kind: KindBranchCause, Parts: []string{"北京朝阳支行", "marketing"}}},
	}}
	ApplyRemediation(f, append(a1, a2...))
	r := f.Recurring
	if !r[0].Overdue || r[0].NoAction || r[1].Overdue || r[1].NoAction || !r[2].NoAction {
		t.Errorf("marks: %+v", r)
	}
}

// ---- the committed sample bank ----

func TestSamplePlantedRecurringBranchCause(t *testing.T) {
	checkPlantedRecurring(t, sampleDB(t), sampleMaster)
}

// TestSampleOtherBranchMode checks the planted recurring pair and spike on the sample built the other way round
// from the demo config: with the branch master when the config names none, without it when it names one.
func TestSampleOtherBranchMode(t *testing.T) {
	db, withMaster := otherModeDB(t)
	checkPlantedRecurring(t, db, withMaster)
	f, err := Analyze(context.Background(), db, Options{Period: "2026-07"})
	if err != nil {
		t.Fatal(err)
	}
	cc := Key{Kind: KindCategoryCause, Parts: []string{"payment_settlement", "facilities_systems"}}
	if len(f.Emerging) == 0 || f.Emerging[0].Key.id() != cc.id() {
		t.Errorf("master %v: the spike should rank first among emerging issues: %+v", withMaster, f.Emerging)
	}
}

// checkPlantedRecurring: the generator's recurring (branch, cause) is recurring, elevated and among the top 3 branch
// x cause pairs; its key holds the master's code with a master (the exported name without one) and every output
// names it by the branch's name.
func checkPlantedRecurring(t *testing.T, db *sql.DB, withMaster bool) {
	t.Helper()
	truth, err := generator.LoadTruth("../sample-data/truth.json")
	if err != nil {
		t.Fatal(err)
	}
	pl := truth.Planted.Recurring
	wantPart := pl.BranchName
	if withMaster {
		wantPart = pl.BranchCode
	}
	for _, period := range []string{"2026-06", "2026-08"} {
		f, err := Analyze(context.Background(), db, Options{Period: period})
		if err != nil {
			t.Fatal(err)
		}
		rank := 0
		var hit *Recurrence
		for i := range f.Recurring {
			r := &f.Recurring[i]
			if r.Key.Kind != KindBranchCause {
				continue
			}
			rank++
			if r.Key.Parts[0] == wantPart && r.Key.Parts[1] == pl.Cause {
				hit = r
				break
			}
		}
		if hit == nil {
			t.Fatalf("master %v, %s: (%s, %s) not recurring", withMaster, period, wantPart, pl.Cause)
		}
		if !hit.Elevated || rank > 3 || hit.MonthsPresent < 3 {
			t.Errorf("master %v, %s: planted pair rank %d among branch x cause, %+v", withMaster, period, rank, *hit)
		}
		if got := hit.Key.NamedString(); !strings.HasPrefix(got, pl.BranchName+" x ") {
			t.Errorf("master %v, %s: label %q, want the branch name %s", withMaster, period, got, pl.BranchName)
		}
		// remediation recorded against the branch's name matches with or without the master
		ApplyRemediation(f, []Action{{Branch: pl.BranchName, Cause: pl.Cause, Action: "培训", Status: "进行中"}})
		if hit := findRecurring(f, hit.Key); hit == nil || hit.NoAction {
			t.Errorf("master %v, %s: remediation by branch name not attached", withMaster, period)
		}
		if withMaster {
			for _, b := range f.Repeats.ByBranch {
				if b.Branch == pl.BranchCode && b.BranchName != pl.BranchName {
					t.Errorf("repeat complainants of %s named %q", b.Branch, b.BranchName)
				}
			}
		}
	}
}

func findRecurring(f *Findings, k Key) *Recurrence {
	for i := range f.Recurring {
		if f.Recurring[i].Key.id() == k.id() {
			return &f.Recurring[i]
		}
	}
	return nil
}

func TestSamplePlantedSpike(t *testing.T) {
	db := sampleDB(t)
	f, err := Analyze(context.Background(), db, Options{Period: "2026-07"})
	if err != nil {
		t.Fatal(err)
	}
	em := map[string]Emerging{}
	for _, e := range f.Emerging {
		em[e.Key.id()] = e
	}
	// the generator's truth: payment_settlement x facilities_systems complaints in the spike month
	truth, err := generator.LoadTruth("../sample-data/truth.json")
	if err != nil {
		t.Fatal(err)
	}
	want := 0
	for _, m := range truth.Planted.Spike.CategoryCause {
		if m.Month == truth.Planted.Spike.Month {
			want = m.Count
		}
	}
	if truth.Planted.Spike.Month != "2026-07" || want < 300 {
		t.Fatalf("truth spike %s with %d complaints; this test expects the 2026-07 outage", truth.Planted.Spike.Month, want)
	}
	cc := Key{Kind: KindCategoryCause, Parts: []string{"payment_settlement", "facilities_systems"}}
	if e, ok := em[cc.id()]; !ok || e.Count != want {
		t.Errorf("2026-07 spike not emerging with %d complaints: %+v (found %v)", want, e, ok)
	}
	if len(f.Emerging) == 0 || f.Emerging[0].Key.id() != cc.id() {
		t.Errorf("the spike should rank first among emerging issues: %+v", f.Emerging)
	}
	flagged := map[string]Chart{}
	for _, c := range f.Charts {
		if c.Flagged {
			flagged[c.Key.id()] = c
		}
	}
	for _, k := range []Key{{Kind: KindCategory, Parts: []string{"payment_settlement"}}, {Kind: KindCause, Parts: []string{"facilities_systems"}}, {Kind: KindChannel, Parts: []string{"mobile_app"}}} {
		c, ok := flagged[k.id()]
		if !ok || !c.Rule1 {
			t.Errorf("2026-07: %v not flagged beyond 3 sigma: %+v", k, c)
		}
		if _, ok := em[k.id()]; !ok {
			t.Errorf("2026-07: %v not emerging", k)
		}
	}
	found := false
	for _, tm := range f.Terms {
		if tm.Category == "payment_settlement" && strings.Contains(tm.Term, "手机银行") && tm.Baseline < tm.Period {
			found = true
		}
	}
	if !found {
		t.Errorf("2026-07: no rising 手机银行 phrase for payment_settlement: %+v", f.Terms)
	}
	// a quiet month after the spike: the spike month is in the baseline, nothing flagged with BH
	g, err := Analyze(context.Background(), db, Options{Period: "2026-10"})
	if err != nil {
		t.Fatal(err)
	}
	if g.Flagged > 2 || len(g.Emerging) > 1 {
		t.Errorf("2026-10: %d flagged, %d emerging", g.Flagged, len(g.Emerging))
	}
	// the same with u-charts on a customer base growing 1% a month (20,000,000 in 2025-07)
	cust := Customers{ByMonth: map[string]int64{}}
	for i := 0; i < 24; i++ {
		m := fmt.Sprintf("%d-%02d", 2025+(6+i)/12, (6+i)%12+1)
		cust.ByMonth[m] = int64(20_000_000 * math.Pow(1.01, float64(i)))
	}
	u, err := Analyze(context.Background(), db, Options{Period: "2026-07", Customers: cust})
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []Key{{Kind: KindCategory, Parts: []string{"payment_settlement"}}, {Kind: KindCause, Parts: []string{"facilities_systems"}}, {Kind: KindChannel, Parts: []string{"mobile_app"}}} {
		found := false
		for _, c := range u.Charts {
			if c.Key.id() == k.id() {
				found = true
				if c.Type != ChartU || !c.Flagged || !c.Rule1 {
					t.Errorf("2026-07 u-chart %v: type %s flagged %v rule1 %v", k, c.Type, c.Flagged, c.Rule1)
				}
			}
		}
		if !found {
			t.Errorf("2026-07 u-chart %v missing", k)
		}
	}
	if g, err = Analyze(context.Background(), db, Options{Period: "2026-10", Customers: cust}); err != nil || g.Flagged > 2 {
		t.Errorf("2026-10 with u-charts: %d flagged (%v)", g.Flagged, err)
	}
}

func TestSamplePlantedRepeatComplainants(t *testing.T) {
	db := sampleDB(t)
	truth, err := generator.LoadTruth("../sample-data/truth.json")
	if err != nil {
		t.Fatal(err)
	}
	// the planted complaints each month's "their complaints" holds: a planted customer's complaints come 9 to 25
	// days apart, so each after the first is a repeat, counted in its month with the earlier ones of the 90 days
	// before it (the warehouse only dates them; counting is Analyze's)
	planted := map[string]int{}
	for _, cust := range truth.Planted.Repeat.Customers {
		var dates []time.Time
		for _, ref := range cust {
			var d time.Time
			if err := db.QueryRow(`SELECT received_date FROM complaints WHERE source_system = ? AND source_id = ? AND is_primary`, ref.Source, ref.ID).Scan(&d); err == nil {
				dates = append(dates, d)
			}
		}
		type member struct {
			month string
			i     int
		}
		held := map[member]bool{}
		for j := 1; j < len(dates); j++ {
			m := dates[j].Format("2006-01")
			for i := 0; i <= j; i++ {
				if i == j || dates[j].Sub(dates[i]) <= 90*24*time.Hour {
					held[member{m, i}] = true
				}
			}
		}
		for k := range held {
			planted[k.month]++
		}
	}
	if len(planted) == 0 {
		t.Fatal("no planted repeat complaint found")
	}
	f, err := Analyze(context.Background(), db, Options{Period: "2026-10", BaselineMonths: 23})
	if err != nil {
		t.Fatal(err)
	}
	sumMonths := 0
	for _, r := range f.Repeats.Months {
		if r.RepeatComplaints < planted[r.Month] {
			t.Errorf("%s: %d repeat complaints, %d planted", r.Month, r.RepeatComplaints, planted[r.Month])
		}
		sumMonths += r.RepeatCustomers
	}
	if sumMonths < truth.Planted.Repeat.RepeatCustomers {
		t.Errorf("repeat customers over the months %d < %d", sumMonths, truth.Planted.Repeat.RepeatCustomers)
	}
	// each month's row (read from mart_month) is that month's figures as figure_members defines them
	if len(f.Repeats.Months) < 12 {
		t.Fatalf("%d months of repeat figures", len(f.Repeats.Months))
	}
	for _, r := range f.Repeats.Months {
		var want RepeatRow
		if err := db.QueryRow(`SELECT count(*) FILTER (WHERE figure = 'received'), count(DISTINCT customer_key) FILTER (WHERE figure = 'received'),
			count(DISTINCT customer_key) FILTER (WHERE figure = 'received_repeat'), count(*) FILTER (WHERE figure = 'repeat_complaints')
			FROM figure_members(CAST(? AS DATE), CAST(? AS DATE))`, r.Month+"-01", r.Month+"-01").Scan(
			&want.Received, &want.Customers, &want.RepeatCustomers, &want.RepeatComplaints); err != nil {
			t.Fatal(err)
		}
		want.Month = r.Month
		want.shares()
		if r != want {
			t.Errorf("%s: repeat figures %+v, figure_members gives %+v", r.Month, r, want)
		}
	}
	if p := f.Repeats.Months[len(f.Repeats.Months)-1]; f.Repeats.Period != p || p.Received == 0 || p.Customers == 0 {
		t.Errorf("the period's repeat figures %+v, its month's %+v", f.Repeats.Period, p)
	}
	// the findings never carry customer keys (render.Write's JSON is the findings as they are)
	js, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	buf := bytes.NewBuffer(js)
	var key string
	if err := db.QueryRow(`SELECT customer_key FROM complaints WHERE repeat_complainant LIMIT 1`).Scan(&key); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), key) || strings.Contains(buf.String(), "customer_key") {
		t.Error("a customer key reached the output")
	}
}

func TestSampleOutputAndMart(t *testing.T) {
	db := sampleDB(t)
	ctx := context.Background()
	// 20,000,000 personal customers (2,000 in 10,000s): bank-wide series take u-charts, branches keep c-charts
	f, err := Analyze(ctx, db, Options{Period: "2026-07", ExcludeFlaggedFromBaseline: true, Customers: Customers{Total: 20_000_000}})
	if err != nil {
		t.Fatal(err)
	}
	if err := WriteMart(ctx, db, f); err != nil {
		t.Fatal(err)
	}
	if err := WriteMart(ctx, db, f); err != nil { // replaces, no duplicate keys
		t.Fatal(err)
	}
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM mart_control_chart WHERE period = DATE '2026-07-01'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != len(f.Charts)*13 {
		t.Errorf("mart rows %d, want %d", n, len(f.Charts)*13)
	}
	var flagged bool
	var typ string
	var count int
	var cust, rate float64
	if err := db.QueryRow(`SELECT flagged, chart_type, count, customers_10k, rate FROM mart_control_chart WHERE period = DATE '2026-07-01'
		AND month = DATE '2026-07-01' AND series_kind = 'business_channel' AND series_key = 'mobile_app'`).Scan(&flagged, &typ, &count, &cust, &rate); err != nil ||
		!flagged || typ != "u" || cust != 2000 || !near(rate, float64(count)/2000, 1e-12) {
		t.Errorf("mobile_app in the mart: flagged %v, type %s, n %v, rate %v (count %d), %v", flagged, typ, cust, rate, count, err)
	}
	var types string
	if err := db.QueryRow(`SELECT string_agg(DISTINCT chart_type, ',') FROM mart_control_chart WHERE series_kind = 'branch'`).Scan(&types); err != nil || types != "c" {
		t.Errorf("branch chart types %q (%v), want c: no branch denominators given", types, err)
	}
}
