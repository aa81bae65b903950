package reports

import (
	"fmt"

	"github.com/xuri/excelize/v2"
)

// styles are the workbook's cell styles, created once per workbook.
type styles struct {
	title, subtitle, section, header, label, text, wrap int
	count, ratio, noFigure                              int
	totalText, totalCount, totalRatio, totalNoFigure    int
	days, points, totalDays                             int
	note                                                int // grey wrapped text without borders
	rate3                                               int // a u-chart rate per 10,000 customers: 0.000
	// print: which styles wrap, each non-wrapping style's wrapping twin (fitForPrint gives it to a text too long
	// for its column), and each style's font size in points
	wraps  map[int]bool
	wrapOf map[int]int
	size   map[int]float64
	// the word after a difference of rates (个百分点, pp), as numFmtPoints shows it
	pointsUnit string
}

const (
	numFmtCount = "#,##0"
	numFmtRatio = "0.0%"
	numFmtDays  = "0.0"
	numFmtRate3 = "0.000"
)

// numFmtPoints shows a difference of rates in percentage points, signed, with the unit word.
func numFmtPoints(unit string) string {
	return fmt.Sprintf(`+0.0"%[1]s";-0.0"%[1]s";0.0"%[1]s"`, unit)
}

// FontFamily is the one font of every cell style, the workbook's default font included: 宋体 (SimSun) is on every
// Chinese Windows, and its Latin letters and digits are half the width of a Chinese character, which is how
// column widths are counted (displayWidth). Page headers and footers use it too.
const FontFamily = "宋体"

func newStyles(f *excelize.File, pointsUnit string) (*styles, error) {
	if err := f.SetDefaultFont(FontFamily); err != nil {
		return nil, fmt.Errorf("workbook font: %w", err)
	}
	thin := []excelize.Border{
		{Type: "left", Color: "A6A6A6", Style: 1}, {Type: "right", Color: "A6A6A6", Style: 1},
		{Type: "top", Color: "A6A6A6", Style: 1}, {Type: "bottom", Color: "A6A6A6", Style: 1},
	}
	totalBorder := []excelize.Border{
		{Type: "left", Color: "A6A6A6", Style: 1}, {Type: "right", Color: "A6A6A6", Style: 1},
		{Type: "top", Color: "000000", Style: 1}, {Type: "bottom", Color: "000000", Style: 6},
	}
	count, ratio, days, points, rate3 := numFmtCount, numFmtRatio, numFmtDays, numFmtPoints(pointsUnit), numFmtRate3
	totalFill := excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"F2F2F2"}}
	s := &styles{pointsUnit: pointsUnit, wraps: map[int]bool{}, wrapOf: map[int]int{}, size: map[int]float64{}}
	all := []struct {
		dst *int
		s   excelize.Style
	}{
		{&s.title, excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}, Alignment: &excelize.Alignment{Vertical: "center"}}},
		{&s.subtitle, excelize.Style{Font: &excelize.Font{Color: "595959"}}},
		{&s.section, excelize.Style{Font: &excelize.Font{Bold: true, Size: 12}}},
		{&s.header, excelize.Style{Font: &excelize.Font{Bold: true}, Border: thin,
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}}},
		{&s.label, excelize.Style{Font: &excelize.Font{Bold: true}, Border: thin, Alignment: &excelize.Alignment{Vertical: "top"}}},
		{&s.text, excelize.Style{Border: thin}},
		{&s.wrap, excelize.Style{Border: thin, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}}},
		{&s.count, excelize.Style{Border: thin, CustomNumFmt: &count}},
		{&s.ratio, excelize.Style{Border: thin, CustomNumFmt: &ratio}},
		{&s.noFigure, excelize.Style{Border: thin, Alignment: &excelize.Alignment{Horizontal: "right"}}},
		{&s.totalText, excelize.Style{Font: &excelize.Font{Bold: true}, Border: totalBorder, Fill: totalFill}},
		{&s.totalCount, excelize.Style{Font: &excelize.Font{Bold: true}, Border: totalBorder, Fill: totalFill, CustomNumFmt: &count}},
		{&s.totalRatio, excelize.Style{Font: &excelize.Font{Bold: true}, Border: totalBorder, Fill: totalFill, CustomNumFmt: &ratio}},
		{&s.days, excelize.Style{Border: thin, CustomNumFmt: &days}},
		{&s.rate3, excelize.Style{Border: thin, CustomNumFmt: &rate3}},
		{&s.points, excelize.Style{Border: thin, CustomNumFmt: &points}},
		{&s.totalDays, excelize.Style{Font: &excelize.Font{Bold: true}, Border: totalBorder, Fill: totalFill, CustomNumFmt: &days}},
		{&s.note, excelize.Style{Font: &excelize.Font{Color: "595959"}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}}},
		{&s.totalNoFigure, excelize.Style{Font: &excelize.Font{Bold: true}, Border: totalBorder, Fill: totalFill, Alignment: &excelize.Alignment{Horizontal: "right"}}},
	}
	for _, x := range all {
		st := x.s
		if st.Font == nil {
			st.Font = &excelize.Font{}
		}
		font := *st.Font
		font.Family = FontFamily
		st.Font = &font
		id, err := f.NewStyle(&st)
		if err != nil {
			return nil, fmt.Errorf("workbook style: %w", err)
		}
		*x.dst = id
		s.size[id] = max(font.Size, 11)
		if st.Alignment != nil && st.Alignment.WrapText {
			s.wraps[id] = true
			continue
		}
		align := excelize.Alignment{Vertical: "top"}
		if st.Alignment != nil {
			align = *st.Alignment
		}
		align.WrapText = true
		st.Alignment = &align
		twin, err := f.NewStyle(&st)
		if err != nil {
			return nil, fmt.Errorf("workbook style: %w", err)
		}
		s.wrapOf[id], s.wraps[twin], s.size[twin] = twin, true, s.size[id]
	}
	return s, nil
}
