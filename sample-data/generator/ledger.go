package generator

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"time"
)

// Ledger mode (complaints sample --ledgers monthly): a bank whose complaint system exports a cumulative ledger
// every month: each month's file holds every complaint received since the window started, with its status at
// the end of that month. It streams: a complaint's fields are drawn from its own random source (seed, index),
// so a month's ledger is written row by row by drawing its complaints again, and nothing but the month counts is
// kept between rows or months. Memory does not grow with the rows.
//
// A complaint's row changes at most twice in the ledgers: when it is closed (处理状态, 办结时间, 更新时间) and
// when the customer's satisfaction is recorded some days later (满意度, 更新时间). Its distinct versions are the
// distinct ledger months among its receipt, its closing and its satisfaction (those after the last ledger not
// counted): 1, 2 or 3. LedgerSummary.Versions counts the complaints of each.

// LedgerFile is one written ledger.
type LedgerFile struct {
	File  string // relative to the project folder: exports/ledger_20261031.csv
	Month string // YYYY-MM
	AsOf  string // YYYY-MM-DD, the month's last day (in the file name)
	Rows  int
}

// LedgerSummary is what GenerateLedgers wrote.
type LedgerSummary struct {
	Complaints int
	Files      []LedgerFile
	Rows       int          // rows in all ledgers
	Versions   [4]int       // Versions[v]: complaints with v distinct versions across the written ledgers (v = 1..3)
	Hotline    *HotlineFile // the hotline's export (Options.HotlineRows), nil without
}

// DistinctVersions is the number of distinct rows across the ledgers: what a warehouse that lands each version
// once holds.
func (s *LedgerSummary) DistinctVersions() int {
	return s.Versions[1] + 2*s.Versions[2] + 3*s.Versions[3]
}

var ledgerHeader = []string{"工单编号", "受理时间", "客户姓名", "联系电话", "业务类别", "投诉原因", "所属机构", "所属省份",
	"处理状态", "办结时间", "满意度", "投诉内容", "更新时间"}

// ledgerComplaint is one complaint of the ledger bank, drawn from (seed, index).
type ledgerComplaint struct {
	id                         string
	received, replied, satisAt time.Time // replied zero: still open at the window's end; satisAt zero: none recorded
	name, phone, category      string
	cause, narrative, satisf   string
	branch                     int
}

// ledgerBank holds what every ledger needs: the months and how many complaints each received.
type ledgerBank struct {
	seed   int64
	months []time.Time // first day of each month, Beijing time
	first  []int       // first[j]: index of month j's first complaint; first[len(months)] = total
	cal    *calendar
}

func newLedgerBank(opts Options) *ledgerBank {
	end := time.Date(opts.End.Year(), opts.End.Month(), 1, 0, 0, 0, 0, bj)
	b := &ledgerBank{seed: opts.Seed, cal: newCalendar()}
	for i := opts.Months - 1; i >= 0; i-- {
		b.months = append(b.months, end.AddDate(0, -i, 0))
	}
	// volumes grow slowly through the window (about 1% a month)
	var total float64
	w := make([]float64, len(b.months))
	for j := range w {
		w[j] = 1 + 0.01*float64(j)
		total += w[j]
	}
	b.first = make([]int, len(b.months)+1)
	acc := 0.0
	for j := range w {
		acc += w[j]
		b.first[j+1] = int(float64(opts.Rows) * acc / total)
	}
	b.first[len(b.months)] = opts.Rows
	return b
}

// cut is the end of ledger j (exclusive): the first instant of the next month.
func (b *ledgerBank) cut(j int) time.Time { return b.months[j].AddDate(0, 1, 0) }

// ledgerOf is the index of the first ledger that shows an event at t (len(months) when none does).
func (b *ledgerBank) ledgerOf(t time.Time) int {
	for j := range b.months {
		if t.Before(b.cut(j)) {
			return j
		}
	}
	return len(b.months)
}

func pickWeighted(rng *rand.Rand, ws []weighted) string {
	var total float64
	for _, w := range ws {
		total += w.W
	}
	x := rng.Float64() * total
	for _, w := range ws {
		if x < w.W {
			return w.Code
		}
		x -= w.W
	}
	return ws[len(ws)-1].Code
}

var ledgerPhonePrefixes = []string{"135", "138", "139", "150", "158", "186", "189", "199"}

// complaint draws complaint i of month j.
func (b *ledgerBank) complaint(i, j int) ledgerComplaint {
	rng := rand.New(rand.NewPCG(uint64(b.seed), uint64(i)))
	m := b.months[j]
	c := ledgerComplaint{id: fmt.Sprintf("LG%s%07d", m.Format("200601"), i-b.first[j]+1)}
	day := m.AddDate(0, 0, rng.IntN(daysIn(m)))
	c.received = day.Add(time.Duration(8*60+rng.IntN(12*60)) * time.Minute)
	c.name = surnames[rng.IntN(len(surnames))] + givenChars[rng.IntN(len(givenChars))]
	if rng.Float64() < 0.6 {
		c.name += givenChars[rng.IntN(len(givenChars))]
	}
	c.phone = ledgerPhonePrefixes[rng.IntN(len(ledgerPhonePrefixes))] + fmt.Sprintf("%08d", rng.IntN(100000000))
	c.category = pickWeighted(rng, categoryWeights)
	c.cause = pickWeighted(rng, causeWeights)
	c.branch = pickBranchIndex(rng)
	if ts := narrativeByCause[c.cause]; len(ts) > 0 {
		c.narrative = fmt.Sprintf(ts[rng.IntN(len(ts))], "手机银行", catWordZH[c.category]) + narrativeTail[rng.IntN(len(narrativeTail))]
	} else {
		c.narrative = "客户来电反映" + catWordZH[c.category] + "问题。"
	}
	// working days to the reply: most within 15, some beyond, a few never in the window
	var lag int
	switch x := rng.Float64(); {
	case x < 0.70:
		lag = 1 + rng.IntN(15)
	case x < 0.92:
		lag = 16 + rng.IntN(30)
	case x < 0.99:
		lag = 46 + rng.IntN(60)
	default:
		lag = -1
	}
	if lag > 0 {
		c.replied = b.addDays(c.received, lag).Add(time.Duration(9*60+rng.IntN(8*60)) * time.Minute)
		if rng.Float64() < 0.3 {
			c.satisAt = c.replied.AddDate(0, 0, 3+rng.IntN(25))
			c.satisf = satisfactionZH(pickWeighted(rng, []weighted{{"satisfied", 70}, {"basically_satisfied", 20}, {"dissatisfied", 10}}), "")
		}
	}
	return c
}

// pickBranchIndex draws a branch by its weight.
func pickBranchIndex(rng *rand.Rand) int {
	var total float64
	for _, br := range branches {
		total += br.Weight
	}
	x := rng.Float64() * total
	for k, br := range branches {
		if x < br.Weight {
			return k
		}
		x -= br.Weight
	}
	return len(branches) - 1
}

// addDays adds n working days where the calendar knows the year, calendar days beyond it.
func (b *ledgerBank) addDays(t time.Time, n int) time.Time {
	if b.cal.covers(t.Year()) && b.cal.covers(t.AddDate(0, 0, 2*n).Year()) {
		return b.cal.addWorkingDays(t, n)
	}
	return t.AddDate(0, 0, n*7/5)
}

// row is complaint c as ledger j shows it.
func (b *ledgerBank) row(c *ledgerComplaint, j int) []string {
	cut := b.cut(j)
	br := branches[c.branch]
	status, replied, satisf, updated := "处理中", "", "", c.received.Add(10*time.Minute)
	if !c.replied.IsZero() && c.replied.Before(cut) {
		status, replied, updated = "已办结", c.replied.Format(hotlineTime), c.replied
		if !c.satisAt.IsZero() && c.satisAt.Before(cut) {
			satisf, updated = c.satisf, c.satisAt
		}
	}
	return []string{c.id, c.received.Format(hotlineTime), c.name, c.phone, spellZH["business_category"][c.category][0],
		spellZH["cause"][c.cause][0], br.Name, br.ProvName, status, replied, satisf, c.narrative, updated.Format(hotlineTime)}
}

// versions is the number of distinct rows complaint c of month j shows across the ledgers from ledger from on.
func (b *ledgerBank) versions(c *ledgerComplaint, j, from int) int {
	v, last := 1, max(j, from)
	for _, t := range []time.Time{c.replied, c.satisAt} {
		if t.IsZero() {
			break
		}
		if k := b.ledgerOf(t); k < len(b.months) && k > last {
			v, last = v+1, k
		}
	}
	return v
}

// GenerateLedgers writes the ledger bank's project into outDir: exports/ledger_<as-of>.csv for each month of
// the window (UTF-8, the hotline's time format; only the last opts.LastLedgers when set), the hotline's export
// when opts.HotlineRows is set (ledger_hotline.go), branches.csv and a complaints.yaml that reads the ledgers as
// one full-snapshot source (and the hotline as another). opts.Rows is the number of distinct complaints in the
// ledgers. The same options give the same bytes.
func GenerateLedgers(opts Options, outDir string) (*LedgerSummary, error) {
	if opts.Months < 1 || opts.Rows < 1 {
		return nil, fmt.Errorf("generator: ledgers need at least one month and one complaint")
	}
	if err := os.MkdirAll(filepath.Join(outDir, "exports"), 0o755); err != nil {
		return nil, err
	}
	b := newLedgerBank(opts)
	s := &LedgerSummary{Complaints: opts.Rows}
	from := 0
	if opts.LastLedgers > 0 && opts.LastLedgers < len(b.months) {
		from = len(b.months) - opts.LastLedgers
	}
	for j := from; j < len(b.months); j++ {
		asOf := b.cut(j).AddDate(0, 0, -1)
		lf := LedgerFile{File: "exports/ledger_" + asOf.Format("20060102") + ".csv", Month: b.months[j].Format("2006-01"), AsOf: asOf.Format("2006-01-02")}
		f, err := os.Create(filepath.Join(outDir, lf.File))
		if err != nil {
			return nil, err
		}
		bw := bufio.NewWriterSize(f, 1<<20)
		w := csv.NewWriter(bw)
		_ = w.Write(ledgerHeader)
		for m := 0; m <= j; m++ {
			for i := b.first[m]; i < b.first[m+1]; i++ {
				c := b.complaint(i, m)
				if err := w.Write(b.row(&c, j)); err != nil {
					f.Close()
					return nil, err
				}
				lf.Rows++
				if j == len(b.months)-1 {
					s.Versions[b.versions(&c, m, from)]++
				}
			}
		}
		w.Flush()
		if err := w.Error(); err != nil {
			f.Close()
			return nil, err
		}
		if err := bw.Flush(); err != nil {
			f.Close()
			return nil, err
		}
		if err := f.Close(); err != nil {
			return nil, err
		}
		s.Rows += lf.Rows
		s.Files = append(s.Files, lf)
	}
	conf := ledgerConfig(opts.Seed)
	if opts.HotlineRows > 0 {
		h, err := writeLedgerHotline(opts, outDir)
		if err != nil {
			return nil, err
		}
		s.Hotline = h
		conf += hotlineConfig()
	}
	if err := os.WriteFile(filepath.Join(outDir, "branches.csv"), branchesCSV(), 0o644); err != nil {
		return nil, err
	}
	return s, os.WriteFile(filepath.Join(outDir, "complaints.yaml"), []byte(conf), 0o644)
}

func ledgerConfig(seed int64) string {
	return fmt.Sprintf(`# Sample bank with cumulative monthly ledgers. Paths are relative to this file.
# Written by complaints/sample-data/generator (complaints sample --ledgers monthly, seed %d).
institution: 示例银行股份有限公司
language: zh
branches: branches.csv
sources:
  # 投诉台账: every month the complaint system exports every complaint since the start, with that month's status.
  - name: ledger
    label: 投诉台账
    glob: exports/ledger_*.csv
    format: csv
    encoding: utf-8
    delimiter: ","
    header_row: 1
    intake_channel: phone
    date_formats: ["2006/1/2 15:04", "2006/1/2"]
    snapshot: full
    columns: {source_id: 工单编号, received_at: 受理时间, customer_name: 客户姓名, customer_phone: 联系电话, business_category: 业务类别, cause: 投诉原因, branch: 所属机构, province: 所属省份, status: 处理状态, replied_at: 办结时间, satisfaction: 满意度, narrative: 投诉内容, updated_at: 更新时间}
`, seed)
}
