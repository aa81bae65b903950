package reports

import (
	"strconv"
	"strings"

	"complaints/readmodel"
)

// What a period covers and what it is compared with: the months with data (source coverage, domain.md section 5)
// named on the cover and the disclosure, "no data" for a comparison base before any data, one 上年 column where
// the previous period is the year before, and the trend by quarter for a quarter or a half-year.

// dataMonths is the first and last month of the period that a source covers (ok false when none does, or when the
// warehouse has not judged coverage).
func (w *workbook) dataMonths() (first, last readmodel.Month, ok bool) {
	for _, r := range w.coverage.Rows {
		if !r.Covered || !w.period.Contains(r.Month) {
			continue
		}
		if !ok || r.Month < first {
			first = r.Month
		}
		if !ok || r.Month > last {
			last = r.Month
		}
		ok = true
	}
	return first, last, ok
}

// monthText is a month in words: 2026年5月, or 5月 when short (the year said before); 2026-05 in English.
func (w *workbook) monthText(m readmodel.Month, short bool) string {
	key := "per_month"
	if short {
		key = "per_month_short"
	}
	return strings.NewReplacer("{y}", strconv.Itoa(m.Year()), "{m}", strconv.Itoa(m.Mon()), "{ym}", m.String()).Replace(w.t(key))
}

// dataSpan is the period's months with data in words ("2026年5月至12月"), or that it has none.
func (w *workbook) dataSpan() string {
	first, last, ok := w.dataMonths()
	if !ok {
		return w.t("per_no_data")
	}
	if first == last {
		return w.monthText(first, false)
	}
	return strings.NewReplacer("{from}", w.monthText(first, false), "{to}", w.monthText(last, first.Year() == last.Year())).Replace(w.t("per_span"))
}

// noData says whether a comparison base q has no data: its first month is before any data (a base that data
// covers only in part is no base either). Never shown as 0, never the base of a change.
func (w *workbook) noData(q readmodel.Period) bool { return w.coverage.IsNoData(q.Start) }

// oneYearBase says whether the previous period is the year before (a year): one 上年 column then, no 上期 and no
// 环比 beside a 同比 that says the same.
func (w *workbook) oneYearBase() bool { return w.period.Previous() == w.period.YearEarlier() }

// lastYearHeader is the header of the year before's column of a year: 上年 2025.
func (w *workbook) lastYearHeader() string {
	return w.t("rk_last_year") + " " + w.period.YearEarlier().String()
}

// trendPeriods are the points of the summary's trend, oldest first: for a quarter or a half-year the quarters from
// the same period a year earlier to this one, else the TrendMonths months ending with the period's last month.
func (w *workbook) trendPeriods() []readmodel.Period {
	p := w.period
	var out []readmodel.Period
	if p.Kind == readmodel.Quarterly || p.Kind == readmodel.HalfYearly {
		for m := p.YearEarlier().Start; m <= p.End(); m += 3 {
			out = append(out, readmodel.Period{Kind: readmodel.Quarterly, Start: m, Len: 3})
		}
		return out
	}
	for i := range TrendMonths {
		out = append(out, readmodel.Period{Kind: readmodel.Monthly, Start: p.End() - TrendMonths + 1 + readmodel.Month(i), Len: 1})
	}
	return out
}

// trendTitle is the trend's section heading and chart title.
func (w *workbook) trendTitle() string {
	if w.period.Kind == readmodel.Quarterly || w.period.Kind == readmodel.HalfYearly {
		return strings.ReplaceAll(w.t("per_trend_quarters"), "{n}", strconv.Itoa(len(w.trendPeriods())))
	}
	return w.t("trend_13_months")
}
