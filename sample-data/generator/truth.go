package generator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"time"
)

// Truth is truth.json: what the generator wrote and the figures the pipeline must reproduce from it. Figures
// follow docs/domain.md sections 5-6 on the newest version of every record.
type Truth struct {
	Window          Window          `json:"window"`
	Seed            int64           `json:"seed"`
	Months          int             `json:"months"`
	Rows            int             `json:"rows"`
	AsOfNote        string          `json:"as_of_note"`
	Definitions     []string        `json:"definitions"`
	Files           []FileTruth     `json:"files"`
	Totals          Totals          `json:"totals"`
	ByMonthCategory []MonthCategory `json:"by_month_category"`
	ByMonthCause    []MonthCause    `json:"by_month_cause"`
	ByMonthChannel  []MonthChannel  `json:"by_month_channel"`
	ByMonthBranch   []MonthBranch   `json:"by_month_branch"`
	Planted         Planted         `json:"planted"`
}

type Window struct {
	FirstMonth string `json:"first_month"`
	LastMonth  string `json:"last_month"`
}

// FileTruth describes one export file. Row numbers follow landed_rows.row_number: the 1-based physical row of
// the record in its file, the header (and a title row) being rows of their own; for CSV it is the line on which
// the record starts (quoted fields may hold line breaks), for NDJSON the line, for XLSX the sheet row.
type FileTruth struct {
	File        string      `json:"file"`
	Source      string      `json:"source"`
	Format      string      `json:"format"`
	Encoding    string      `json:"encoding,omitempty"`
	Sheet       string      `json:"sheet,omitempty"`
	HeaderRow   int         `json:"header_row"`
	AsOf        string      `json:"as_of"`
	DataRows    int         `json:"data_rows"`
	Accepted    int         `json:"accepted"`
	Rejected    int         `json:"rejected"`
	Complaints  int         `json:"complaint_rows"`
	Other       int         `json:"non_complaint_rows"`
	RejectRows  []RejectRow `json:"rejects"`
	FlaggedRows []FlagRow   `json:"flagged"`
}

type RejectRow struct {
	Row    int    `json:"row"`
	Reason string `json:"reason"` // unparseable_date, missing_id, ragged_row
	Raw    string `json:"raw,omitempty"`
}

type FlagRow struct {
	Row      int    `json:"row"`
	SourceID string `json:"source_id"`
	Check    string `json:"check"` // reply_before_receipt, reply_in_future
	Received string `json:"received"`
	Replied  string `json:"replied"`
}

type Totals struct {
	BySource         []SourceTotal `json:"by_source"`
	Records          int           `json:"records"`              // distinct (source, id), newest version, all kinds
	Complaints       int           `json:"complaints"`           // complaint records (any date)
	ComplaintsWindow int           `json:"complaints_in_window"` // complaint records received in the window
	NonComplaints    int           `json:"non_complaints"`
	NotAccepted      int           `json:"not_accepted"`        // in window
	Withdrawn        int           `json:"withdrawn"`           // in window
	ReceivedRecords  int           `json:"received_records"`    // in window, sum of by_month_category
	ReceivedPrimary  int           `json:"received_primary"`    // in window
	DuplicatesLinked int           `json:"duplicates_linked"`   // in window
	ReplyInvalid     int           `json:"reply_date_invalid"`  // in window
	TypeMissing      int           `json:"type_missing"`        // in window, received records
	OpenAtEnd        int           `json:"open_at_end_primary"` // primaries open at the window's last day
	RejectedRows     int           `json:"rejected_rows"`
	UniqueCustomers  int           `json:"customers"`
}

type SourceTotal struct {
	Source        string `json:"source"`
	Records       int    `json:"records"`
	Complaints    int    `json:"complaints"`
	NonComplaints int    `json:"non_complaints"`
	InWindow      int    `json:"complaints_in_window"`
}

type MonthCategory struct {
	Month             string `json:"month"`
	BusinessCategory  string `json:"business_category"`
	ReceivedRecords   int    `json:"received_records"`
	ReceivedPrimary   int    `json:"received_primary"`
	ReceivedRegulator int    `json:"received_regulator"`
	ReceivedMajor     int    `json:"received_major"`
	Withdrawn         int    `json:"withdrawn"`
	ClosedRecords     int    `json:"closed_records"`
	ClosedPrimary     int    `json:"closed_primary"`
}

type MonthCause struct {
	Month           string `json:"month"`
	Cause           string `json:"cause"`
	ReceivedRecords int    `json:"received_records"`
	ReceivedPrimary int    `json:"received_primary"`
}

type MonthChannel struct {
	Month           string `json:"month"`
	IntakeChannel   string `json:"intake_channel"`
	ReceivedRecords int    `json:"received_records"`
}

type MonthBranch struct {
	Month           string `json:"month"`
	Branch          string `json:"branch"`
	ReceivedRecords int    `json:"received_records"`
	ReceivedPrimary int    `json:"received_primary"`
}

type RecordRef struct {
	Source string `json:"source"`
	ID     string `json:"id"`
}

type MonthCount struct {
	Month string `json:"month"`
	Count int    `json:"count"`
}

type Planted struct {
	Recurring   RecurringTruth `json:"recurring"`
	Spike       SpikeTruth     `json:"spike"`
	Repeat      RepeatTruth    `json:"repeat_complainants"`
	Duplicates  []PairTruth    `json:"duplicate_pairs"`
	NotDups     []PairTruth    `json:"referral_after_reply_pairs"`
	Holidays    []HolidayTruth `json:"holiday_cases"`
	UTCEdge     []EdgeTruth    `json:"utc_edge_records"`
	Reclass     []ReclassTruth `json:"reclassified"`
	OverdueOpen []RecordRef    `json:"overdue_open"`
	Major       []RecordRef    `json:"major"`
	ReplyFlags  []FlagTruth    `json:"reply_date_invalid"`
	Withdrawn   int            `json:"withdrawn_in_window"`
	NotAccepted []RecordRef    `json:"not_accepted_in_window"`
}

type RecurringTruth struct {
	BranchCode   string       `json:"branch_code"`
	BranchName   string       `json:"branch_name"`
	Cause        string       `json:"cause"`
	Months       []string     `json:"months"`
	BaselineMean float64      `json:"baseline_monthly_mean"`
	PlantedExtra []MonthCount `json:"planted_extra"`
	Counts       []MonthCount `json:"received_records_by_month"`
}

type SpikeTruth struct {
	Month            string        `json:"month"`
	BusinessCategory string        `json:"business_category"`
	BusinessChannel  string        `json:"business_channel"`
	Cause            string        `json:"cause"`
	Planted          int           `json:"planted_records"`
	PlantedBySource  []SourceCount `json:"planted_by_source"`
	CategoryCause    []MonthCount  `json:"category_cause_received_by_month"`
}

type SourceCount struct {
	Source string `json:"source"`
	Count  int    `json:"count"`
}

type RepeatTruth struct {
	PlantedCustomers int           `json:"planted_customers"`
	RepeatCustomers  int           `json:"repeat_customers"` // all customers with 2+ primaries within 90 days
	Customers        [][]RecordRef `json:"customers"`
}

type PairTruth struct {
	Primary         RecordRef `json:"primary"`
	Second          RecordRef `json:"second"`
	Category        string    `json:"business_category"`
	PrimaryReceived string    `json:"primary_received"`
	PrimaryReplied  string    `json:"primary_replied"`
	SecondReceived  string    `json:"second_received"`
	IsDuplicate     bool      `json:"is_duplicate"`
}

type HolidayTruth struct {
	Ref                RecordRef `json:"record"`
	Occasion           string    `json:"occasion"`
	Received           string    `json:"received"`
	ComplaintType      string    `json:"complaint_type"`
	InternalLimitDays  int       `json:"internal_limit_working_days"`
	InternalDeadline   string    `json:"internal_deadline"`
	RegulatoryDeadline string    `json:"regulatory_deadline"`
	Replied            string    `json:"replied"`
	InternalOnTime     bool      `json:"internal_on_time"`
	RegulatoryOnTime   bool      `json:"regulatory_on_time"`
}

type EdgeTruth struct {
	Ref       RecordRef `json:"record"`
	CreatedAt string    `json:"created_at"`
	Month     string    `json:"beijing_month"`
}

type ReclassTruth struct {
	Ref  RecordRef `json:"record"`
	From string    `json:"first_export_category"`
	To   string    `json:"newest_category"`
}

type FlagTruth struct {
	Ref      RecordRef `json:"record"`
	Check    string    `json:"check"`
	Received string    `json:"received"`
	Replied  string    `json:"replied"`
}

// LoadTruth reads a truth.json written by Generate.
func LoadTruth(path string) (*Truth, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var t Truth
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&t); err != nil {
		return nil, fmt.Errorf("truth %s: %w", path, err)
	}
	return &t, nil
}

// writeTruth writes truth.json indented, except that every short element of a list is written on one line (and
// a short list of plain values on the line of its key): the file stays readable and diffable but small.
func writeTruth(t *Truth, path string) error {
	var raw bytes.Buffer
	enc := json.NewEncoder(&raw)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(t); err != nil {
		return err
	}
	var out bytes.Buffer
	if err := writeJSONLines(&out, bytes.TrimSpace(raw.Bytes()), ""); err != nil {
		return err
	}
	out.WriteByte('\n')
	return os.WriteFile(path, out.Bytes(), 0o644)
}

func writeJSONLines(out *bytes.Buffer, v []byte, indent string) error {
	if len(v) == 0 {
		return fmt.Errorf("generator: empty JSON value")
	}
	switch v[0] {
	case '{':
		dec := json.NewDecoder(bytes.NewReader(v))
		if _, err := dec.Token(); err != nil {
			return err
		}
		if !dec.More() {
			out.WriteString("{}")
			return nil
		}
		out.WriteString("{\n")
		first := true
		for dec.More() {
			k, err := dec.Token()
			if err != nil {
				return err
			}
			var val json.RawMessage
			if err := dec.Decode(&val); err != nil {
				return err
			}
			if !first {
				out.WriteString(",\n")
			}
			first = false
			key, _ := json.Marshal(k)
			out.WriteString(indent + "  " + string(key) + ": ")
			if err := writeJSONLines(out, val, indent+"  "); err != nil {
				return err
			}
		}
		out.WriteString("\n" + indent + "}")
	case '[':
		var elems []json.RawMessage
		if err := json.Unmarshal(v, &elems); err != nil {
			return err
		}
		scalars := true
		for _, e := range elems {
			if len(e) > 0 && (e[0] == '{' || e[0] == '[') {
				scalars = false
			}
		}
		if len(elems) == 0 || (scalars && len(v) <= 100) {
			out.Write(v)
			return nil
		}
		out.WriteString("[\n")
		for i, e := range elems {
			out.WriteString(indent + "  ")
			if len(e) > 300 && (e[0] == '{' || e[0] == '[') {
				if err := writeJSONLines(out, e, indent+"  "); err != nil {
					return err
				}
			} else {
				out.Write(e)
			}
			if i < len(elems)-1 {
				out.WriteByte(',')
			}
			out.WriteByte('\n')
		}
		out.WriteString(indent + "]")
	default:
		out.Write(v)
	}
	return nil
}

func ref(r *record) RecordRef { return RecordRef{r.Source, r.ID} }

func fmtT(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(bj).Format("2006-01-02 15:04")
}
func fmtD(t time.Time) string { return t.In(bj).Format("2006-01-02") }

// analysis holds the generic application of domain.md section 5 to the records.
type analysis struct {
	counted []*record           // complaint records, not not-accepted (any date)
	primary map[*record]*record // record -> its group's primary
	group   map[*record][]*record
	custOf  map[*record]int // linked customer id
	repeat  map[int]bool
}

func (g *gen) validReply(r *record) bool {
	return r.Status == "closed" && r.ReplyFlag == "" && !r.Replied.IsZero()
}

// analyse links customers by any shared identifier, finds duplicates (same customer, same category, received
// within 7 calendar days of the earlier and before the earlier's reply) and repeat complainants (2+ primaries
// within 90 days), over every counted record.
func (g *gen) analyse() *analysis {
	a := &analysis{primary: map[*record]*record{}, group: map[*record][]*record{}, custOf: map[*record]int{}, repeat: map[int]bool{}}
	for _, r := range g.recs {
		if r.Kind == "complaint" && r.Status != "not_accepted" {
			a.counted = append(a.counted, r)
		}
	}
	// union-find over identifiers the exports show
	parent := map[string]string{}
	var find func(string) string
	find = func(x string) string {
		if parent[x] == "" || parent[x] == x {
			parent[x] = x
			return x
		}
		p := find(parent[x])
		parent[x] = p
		return p
	}
	union := func(x, y string) {
		px, py := find(x), find(y)
		if px != py {
			if px < py {
				parent[py] = px
			} else {
				parent[px] = py
			}
		}
	}
	keys := func(r *record) []string {
		c := g.custs[r.Cust]
		k := []string{"p:" + c.Phone}
		if r.ShowID != 0 {
			k = append(k, "i:"+c.ID18)
		}
		if r.ShowCard {
			k = append(k, "c:"+c.Card)
		}
		return k
	}
	for _, r := range a.counted {
		ks := keys(r)
		for _, k := range ks[1:] {
			union(ks[0], k)
		}
	}
	roots := map[string]int{}
	for _, r := range a.counted {
		root := find(keys(r)[0])
		if _, ok := roots[root]; !ok {
			roots[root] = len(roots)
		}
		a.custOf[r] = roots[root]
	}
	byCust := map[int][]*record{}
	for _, r := range a.counted { // g.recs is in receipt order
		byCust[a.custOf[r]] = append(byCust[a.custOf[r]], r)
	}
	custIDs := make([]int, 0, len(byCust))
	for c := range byCust {
		custIDs = append(custIDs, c)
	}
	sort.Ints(custIDs)
	for _, c := range custIDs {
		rs := byCust[c]
		for i, r := range rs {
			a.primary[r] = r
			for j := 0; j < i; j++ {
				e := rs[j]
				if e.Category != r.Category {
					continue
				}
				days := dateOnly(r.Received).Sub(dateOnly(e.Received)).Hours() / 24
				if days > 7 {
					continue
				}
				if g.validReply(e) && !r.Received.Before(e.Replied) {
					continue
				}
				a.primary[r] = a.primary[e]
				break
			}
			p := a.primary[r]
			a.group[p] = append(a.group[p], r)
		}
		var prim []*record
		for _, r := range rs {
			if a.primary[r] == r {
				prim = append(prim, r)
			}
		}
		for i := 1; i < len(prim); i++ {
			if dateOnly(prim[i].Received).Sub(dateOnly(prim[i-1].Received)).Hours()/24 <= 90 {
				a.repeat[c] = true
			}
		}
	}
	return a
}

func (g *gen) inWindow(t time.Time) bool { return !t.Before(g.first) && t.Before(g.endNext) }

func (g *gen) truth() *Truth {
	a := g.analyse()
	t := &Truth{
		Window: Window{monthKey(g.first), monthKey(g.months[len(g.months)-1])},
		Seed:   g.opts.Seed, Months: g.opts.Months, Rows: g.opts.Rows,
		AsOfNote: fmt.Sprintf("Figures use the newest version of every record across all exports: hotline_%s.csv (as of %s) "+
			"updated by the incremental hotline_%s.csv (as of %s); the other exports are as of %s. Reply dates after %s are 'in the future'.",
			g.cutE1.AddDate(0, 0, -1).Format("20060102"), fmtD(g.cutE1.AddDate(0, 0, -1)), g.cutE2.Format("20060102"), fmtD(g.cutE2.AddDate(0, 0, -1)),
			fmtD(g.cutOther.AddDate(0, 0, -1)), fmtD(g.cutE2)),
		Definitions: []string{
			"received_records: complaint records (hotline 工单类型 投诉; every record of the other sources) received (Beijing date) in the month; rejected rows and not-accepted (不予受理) records excluded; withdrawn included; each (source, id) once at its newest version",
			"received_primary: received_records counting each duplicate group once, as its earliest record (domain.md section 5: same customer by any shared phone/ID/card, same business category, received within 7 calendar days of the earlier and before the earlier's reply)",
			"received_regulator: primaries whose duplicate group holds a regulator referral; received_major: primaries whose group holds a major complaint",
			"closed_records / closed_primary: records / primaries, not withdrawn, whose valid reply date (not before receipt, not in the future) falls in the month",
			"category: the record's true business category code (bank_card only where the export says just 银行卡)",
		},
		Files: g.fileTruths,
	}
	type mc struct{ m, c string }
	cat := map[mc]*MonthCategory{}
	cause := map[mc]*MonthCause{}
	ch := map[mc]*MonthChannel{}
	br := map[[2]string]*MonthBranch{}
	gdSQ := map[string]int{} // GD001 x service_quality received records by month
	getCat := func(m, c string) *MonthCategory {
		k := mc{m, c}
		if cat[k] == nil {
			cat[k] = &MonthCategory{Month: m, BusinessCategory: c}
		}
		return cat[k]
	}
	groupHas := func(p *record, f func(*record) bool) bool {
		for _, r := range a.group[p] {
			if f(r) {
				return true
			}
		}
		return false
	}
	tot := &t.Totals
	for _, r := range a.counted {
		if !g.inWindow(r.Received) {
			continue
		}
		m := monthKey(r.Received)
		isP := a.primary[r] == r
		x := getCat(m, r.Category)
		x.ReceivedRecords++
		tot.ReceivedRecords++
		if r.Status == "withdrawn" {
			x.Withdrawn++
			tot.Withdrawn++
		}
		if r.ReplyFlag != "" {
			tot.ReplyInvalid++
		}
		if r.Type == "" {
			tot.TypeMissing++
		}
		if isP {
			x.ReceivedPrimary++
			tot.ReceivedPrimary++
			if groupHas(r, func(q *record) bool { return q.Intake == "regulator_referral" }) {
				x.ReceivedRegulator++
			}
			if groupHas(r, func(q *record) bool { return q.Major }) {
				x.ReceivedMajor++
			}
		} else {
			tot.DuplicatesLinked++
		}
		k := mc{m, r.Cause}
		if cause[k] == nil {
			cause[k] = &MonthCause{Month: m, Cause: r.Cause}
		}
		cause[k].ReceivedRecords++
		if isP {
			cause[k].ReceivedPrimary++
		}
		k = mc{m, r.Intake}
		if ch[k] == nil {
			ch[k] = &MonthChannel{Month: m, IntakeChannel: r.Intake}
		}
		ch[k].ReceivedRecords++
		bk := [2]string{m, branches[r.Branch].Code}
		if br[bk] == nil {
			br[bk] = &MonthBranch{Month: m, Branch: bk[1]}
		}
		if bk[1] == "GD001" && r.Cause == "service_quality" {
			gdSQ[m]++
		}
		br[bk].ReceivedRecords++
		if isP {
			br[bk].ReceivedPrimary++
		}
	}
	for _, r := range a.counted {
		if r.Status == "withdrawn" {
			continue
		}
		if g.validReply(r) && g.inWindow(r.Replied) {
			x := getCat(monthKey(r.Replied), r.Category)
			x.ClosedRecords++
			if a.primary[r] == r {
				x.ClosedPrimary++
			}
		}
		// open at end: primaries received by the last day, not replied to by it (withdrawn and invalid replies excluded)
		if a.primary[r] == r && r.ReplyFlag == "" && r.Received.Before(g.endNext) {
			if !g.validReply(r) || !r.Replied.Before(g.endNext) {
				tot.OpenAtEnd++
			}
		}
	}
	for _, v := range cat {
		t.ByMonthCategory = append(t.ByMonthCategory, *v)
	}
	sort.Slice(t.ByMonthCategory, func(i, j int) bool {
		a, b := t.ByMonthCategory[i], t.ByMonthCategory[j]
		if a.Month != b.Month {
			return a.Month < b.Month
		}
		return a.BusinessCategory < b.BusinessCategory
	})
	for _, v := range cause {
		t.ByMonthCause = append(t.ByMonthCause, *v)
	}
	sort.Slice(t.ByMonthCause, func(i, j int) bool {
		a, b := t.ByMonthCause[i], t.ByMonthCause[j]
		if a.Month != b.Month {
			return a.Month < b.Month
		}
		return a.Cause < b.Cause
	})
	for _, v := range ch {
		t.ByMonthChannel = append(t.ByMonthChannel, *v)
	}
	sort.Slice(t.ByMonthChannel, func(i, j int) bool {
		a, b := t.ByMonthChannel[i], t.ByMonthChannel[j]
		if a.Month != b.Month {
			return a.Month < b.Month
		}
		return a.IntakeChannel < b.IntakeChannel
	})
	for _, v := range br {
		t.ByMonthBranch = append(t.ByMonthBranch, *v)
	}
	sort.Slice(t.ByMonthBranch, func(i, j int) bool {
		a, b := t.ByMonthBranch[i], t.ByMonthBranch[j]
		if a.Month != b.Month {
			return a.Month < b.Month
		}
		return a.Branch < b.Branch
	})

	// totals
	bySrc := map[string]*SourceTotal{}
	for _, s := range sourceOrder {
		bySrc[s] = &SourceTotal{Source: s}
	}
	for _, r := range g.recs {
		s := bySrc[r.Source]
		s.Records++
		tot.Records++
		if r.Kind == "complaint" {
			s.Complaints++
			tot.Complaints++
			if g.inWindow(r.Received) {
				s.InWindow++
				tot.ComplaintsWindow++
				if r.Status == "not_accepted" {
					tot.NotAccepted++
				}
			}
		} else {
			s.NonComplaints++
			tot.NonComplaints++
		}
	}
	for _, s := range sourceOrder {
		tot.BySource = append(tot.BySource, *bySrc[s])
	}
	for _, f := range g.fileTruths {
		tot.RejectedRows += f.Rejected
	}
	custs := map[int]bool{}
	for _, r := range a.counted {
		custs[a.custOf[r]] = true
	}
	tot.UniqueCustomers = len(custs)

	g.plantedTruth(t, a, gdSQ)
	return t
}

func (g *gen) plantedTruth(t *Truth, a *analysis, per map[string]int) {
	p := &t.Planted
	bi := branchIndex("GD001")
	p.Recurring = RecurringTruth{BranchCode: "GD001", BranchName: branches[bi].Name, Cause: "service_quality"}
	recM := map[string]bool{}
	for _, m := range g.recurringMonths() {
		k := monthKey(m)
		p.Recurring.Months = append(p.Recurring.Months, k)
		p.Recurring.PlantedExtra = append(p.Recurring.PlantedExtra, MonthCount{k, g.plant.recurringExtra[k]})
		recM[k] = true
	}
	sum, n := 0, 0
	for _, m := range g.months {
		k := monthKey(m)
		p.Recurring.Counts = append(p.Recurring.Counts, MonthCount{k, per[k]})
		if !recM[k] {
			sum += per[k]
			n++
		}
	}
	p.Recurring.BaselineMean = float64(int(float64(sum)/float64(n)*100+0.5)) / 100

	sm := g.spikeMonth()
	p.Spike = SpikeTruth{Month: monthKey(sm), BusinessCategory: "payment_settlement", BusinessChannel: "mobile_app", Cause: "facilities_systems", Planted: len(g.plant.spikeRecs)}
	bySrc := map[string]int{}
	for _, r := range g.plant.spikeRecs {
		bySrc[r.Source]++
	}
	for _, s := range sourceOrder {
		if bySrc[s] > 0 {
			p.Spike.PlantedBySource = append(p.Spike.PlantedBySource, SourceCount{s, bySrc[s]})
		}
	}
	cc := map[string]int{}
	for _, r := range a.counted {
		if g.inWindow(r.Received) && r.Category == "payment_settlement" && r.Cause == "facilities_systems" {
			cc[monthKey(r.Received)]++
		}
	}
	for _, m := range g.months {
		p.Spike.CategoryCause = append(p.Spike.CategoryCause, MonthCount{monthKey(m), cc[monthKey(m)]})
	}

	p.Repeat.PlantedCustomers = len(g.plant.repeatCusts)
	p.Repeat.RepeatCustomers = len(a.repeat)
	for _, rs := range g.plant.repeatCusts {
		var refs []RecordRef
		for _, r := range rs {
			refs = append(refs, ref(r))
		}
		p.Repeat.Customers = append(p.Repeat.Customers, refs)
	}
	pair := func(pr [2]*record, dup bool) PairTruth {
		return PairTruth{Primary: ref(pr[0]), Second: ref(pr[1]), Category: pr[0].Category, PrimaryReceived: fmtT(pr[0].Received),
			PrimaryReplied: fmtT(pr[0].Replied), SecondReceived: fmtD(pr[1].Received), IsDuplicate: dup}
	}
	for _, pr := range g.plant.dupPairs {
		p.Duplicates = append(p.Duplicates, pair(pr, true))
	}
	for _, pr := range g.plant.nonDupPairs {
		p.NotDups = append(p.NotDups, pair(pr, false))
	}
	sortPairs(p.Duplicates)
	sortPairs(p.NotDups)
	for _, h := range g.plant.holiday {
		r := h.rec
		rd := dateOnly(r.Replied)
		p.Holidays = append(p.Holidays, HolidayTruth{Ref: ref(r), Occasion: h.Occasion, Received: fmtT(r.Received), ComplaintType: r.Type,
			InternalLimitDays: h.InternalLimitWorkday, InternalDeadline: fmtD(h.InternalDeadline), RegulatoryDeadline: fmtD(h.RegulatoryDeadline),
			Replied: fmtT(r.Replied), InternalOnTime: !rd.After(h.InternalDeadline), RegulatoryOnTime: !rd.After(h.RegulatoryDeadline)})
	}
	sort.SliceStable(p.Holidays, func(i, j int) bool { return p.Holidays[i].Ref.ID < p.Holidays[j].Ref.ID })
	for _, r := range g.plant.utc {
		p.UTCEdge = append(p.UTCEdge, EdgeTruth{Ref: ref(r), CreatedAt: r.Received.Format(time.RFC3339), Month: monthKey(r.Received)})
	}
	sort.SliceStable(p.UTCEdge, func(i, j int) bool { return p.UTCEdge[i].Ref.ID < p.UTCEdge[j].Ref.ID })
	for _, r := range g.plant.reclass {
		p.Reclass = append(p.Reclass, ReclassTruth{Ref: ref(r), From: r.E1Category, To: r.Category})
	}
	sort.SliceStable(p.Reclass, func(i, j int) bool { return p.Reclass[i].Ref.ID < p.Reclass[j].Ref.ID })
	for _, r := range g.plant.overdueOpen {
		p.OverdueOpen = append(p.OverdueOpen, ref(r))
	}
	sortRefs(p.OverdueOpen)
	for _, r := range g.recs {
		if r.Major {
			p.Major = append(p.Major, ref(r))
		}
		if r.ReplyFlag != "" {
			p.ReplyFlags = append(p.ReplyFlags, FlagTruth{Ref: ref(r), Check: r.ReplyFlag, Received: fmtT(r.Received), Replied: fmtT(r.Replied)})
		}
		if r.Kind == "complaint" && g.inWindow(r.Received) && r.Status == "not_accepted" {
			p.NotAccepted = append(p.NotAccepted, ref(r))
		}
	}
	sortRefs(p.Major)
	sortRefs(p.NotAccepted)
	sort.SliceStable(p.ReplyFlags, func(i, j int) bool {
		a, b := p.ReplyFlags[i].Ref, p.ReplyFlags[j].Ref
		if a.Source != b.Source {
			return a.Source < b.Source
		}
		return a.ID < b.ID
	})
	p.Withdrawn = t.Totals.Withdrawn
}

func sortRefs(r []RecordRef) {
	sort.SliceStable(r, func(i, j int) bool {
		if r[i].Source != r[j].Source {
			return r[i].Source < r[j].Source
		}
		return r[i].ID < r[j].ID
	})
}

func sortPairs(p []PairTruth) {
	sort.SliceStable(p, func(i, j int) bool { return p[i].Primary.ID < p[j].Primary.ID })
}
