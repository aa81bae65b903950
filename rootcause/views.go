package rootcause

import "sort"

// Read-only views of a run's series for the outputs to draw: the series the findings flag, the causes over time
// and the business channels over time. They are the series the tests ran on (mart_dimension_month by
// Findings.Months), so a chart and a finding never disagree; the outputs only lay them out.

// SeriesCounts is one series' complaints by Findings.Months. Others is the sum of the series a view leaves out;
// Types are the finding types that flag the series (FindingControl ...), empty in a descriptive view.
type SeriesCounts struct {
	Key    Key      `json:"key"`
	Counts []int    `json:"counts"`
	Others bool     `json:"others,omitempty"`
	Types  []string `json:"types,omitempty"`
	// Tested marks the months (by Findings.Months) the series' findings tested.
	Tested []bool `json:"tested,omitempty"`
}

// NoData says whether month m (YYYY-MM) is before the data's first month: no data, a gap in a chart, never 0.
func (f *Findings) NoData(m string) bool { return f.firstData == "" || m < f.firstData }

// FlaggedSeries are the series of Findings.Ranked, each once, in rank order (the bank total when it is flagged,
// KindTotal): what a control chart draws. Empty when nothing was flagged.
func (f *Findings) FlaggedSeries() []SeriesCounts {
	out := []SeriesCounts{}
	at := map[string]int{}
	for _, fd := range f.Ranked {
		id := fd.Key.id()
		i, ok := at[id]
		if !ok {
			i = len(out)
			at[id] = i
			out = append(out, SeriesCounts{Key: fd.Key, Counts: fd.Counts, Tested: make([]bool, len(f.Months))})
		}
		s := &out[i]
		s.Types = append(s.Types, fd.Type)
		for j, m := range f.Months {
			for _, t := range fd.Months {
				if m == t {
					s.Tested[j] = true
				}
			}
		}
	}
	return out
}

// TotalCounts is every complaint received by Findings.Months (the bank total).
func (f *Findings) TotalCounts() []int {
	if f.BankTotal != nil {
		return f.BankTotal.Counts
	}
	out := make([]int, len(f.Months))
	for _, d := range f.series.sorted(KindCategory) {
		for i, n := range d.counts {
			out[i] += n
		}
	}
	return out
}

// CauseView is the top causes by complaints over Findings.Months, most first, then the other causes summed
// (Others, when there are any): the causes over time.
func (f *Findings) CauseView(top int) []SeriesCounts { return f.view(KindCause, top) }

// ChannelView is every business channel by month, most complaints over Findings.Months first: an outage of one
// channel (the mobile app) shows as that channel's rise.
func (f *Findings) ChannelView() []SeriesCounts { return f.view(KindChannel, 0) }

// view lists the series of one kind, most complaints first (ties by code); top > 0 keeps that many and sums the
// rest into Others.
func (f *Findings) view(kind string, top int) []SeriesCounts {
	all := []SeriesCounts{}
	sums := map[string]int{}
	for _, d := range f.series.sorted(kind) {
		s := 0
		for _, n := range d.counts {
			s += n
		}
		if s == 0 {
			continue
		}
		sums[d.key.id()] = s
		all = append(all, SeriesCounts{Key: d.key, Counts: d.counts})
	}
	sort.SliceStable(all, func(i, j int) bool { return sums[all[i].Key.id()] > sums[all[j].Key.id()] })
	if top <= 0 || len(all) <= top {
		return all
	}
	rest := SeriesCounts{Key: Key{Kind: kind}, Counts: make([]int, len(f.Months)), Others: true}
	for _, s := range all[top:] {
		for i, n := range s.Counts {
			rest.Counts[i] += n
		}
	}
	return append(all[:top], rest)
}
