package ingest

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"complaints/warehouse"
)

// builtinDateLayouts are tried after a profile's date_formats. A layout with no zone is read as Beijing wall
// clock; one with a zone (Z, +08:00) is converted to Beijing.
var builtinDateLayouts = []string{
	"2006-01-02 15:04:05",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05Z07:00",
	"2006-01-02T15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05 -0700",
	"2006-01-02T15:04:05",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02T15:04",
	"2006-01-02 15:04",
	"2006-01-02",
	"2006/1/2 15:04:05",
	"2006/1/2 15:04",
	"2006/1/2",
	"2006-1-2 15:04:05",
	"2006-1-2 15:04",
	"2006-1-2",
	"2006.1.2 15:04:05",
	"2006.1.2 15:04",
	"2006.1.2",
	"2006年1月2日 15:04:05",
	"2006年1月2日 15:04",
	"2006年1月2日15:04:05",
	"2006年1月2日15:04",
	"2006年1月2日 15时04分",
	"2006年1月2日15时04分",
	"2006年1月2日",
	"2006年1月2号",
	"20060102150405",
	"20060102",
	"1/2/2006 15:04:05",
	"1/2/2006 15:04",
	"1/2/2006",
}

var fullWidthDigits = strings.NewReplacer("０", "0", "１", "1", "２", "2", "３", "3", "４", "4", "５", "5", "６", "6", "７", "7", "８", "8", "９", "9",
	"：", ":", "／", "/", "－", "-", "．", ".", "　", " ")

var spaces = regexp.MustCompile(`\s+`)

// parseDate reads a date or date-time as Beijing wall clock. xlsxSerials allows a plain number to be read as
// an Excel serial date (only for workbooks, where the reader did not already convert a date-formatted cell).
func parseDate(raw string, layouts []string, xlsxSerials, date1904 bool) (time.Time, bool) {
	return parseDateHint(raw, layouts, xlsxSerials, date1904, nil)
}

// parseDateHint is parseDate trying first the layout that last succeeded for the same column (*hint), which
// it updates: a column is almost always written one way.
func parseDateHint(raw string, layouts []string, xlsxSerials, date1904 bool, hint *string) (time.Time, bool) {
	s := strings.TrimSpace(fullWidthDigits.Replace(raw))
	s = spaces.ReplaceAllString(s, " ")
	if s == "" {
		return time.Time{}, false
	}
	if hint != nil && *hint != "" {
		if t, err := time.ParseInLocation(*hint, s, warehouse.Beijing); err == nil && t.Year() >= 1900 && t.Year() <= 2200 {
			return t.In(warehouse.Beijing), true
		}
	}
	for _, group := range [][]string{layouts, builtinDateLayouts} {
		for _, l := range group {
			if t, err := time.ParseInLocation(l, s, warehouse.Beijing); err == nil {
				if t.Year() < 1900 || t.Year() > 2200 {
					continue
				}
				// Remember the layout only when trying it first cannot change a result: it is the first
				// layout there is to try anyway, or the profile gave none (the built-in ones do not overlap).
				if hint != nil && (len(layouts) == 0 || l == layouts[0]) {
					*hint = l
				}
				return t.In(warehouse.Beijing), true
			}
		}
	}
	if xlsxSerials {
		if f, err := strconv.ParseFloat(s, 64); err == nil {
			if t, ok := excelSerial(f, date1904); ok {
				return t, true
			}
		}
	}
	return time.Time{}, false
}

// excelSerial converts an Excel serial day number to Beijing wall-clock time. In the 1900 system Excel counts
// 1900-02-29, which never existed (serial 60), so serials from 61 count from 1899-12-30 and earlier ones from
// 1899-12-31; serial 60 is read as 1900-02-28. In the 1904 system day 0 is 1904-01-01.
func excelSerial(f float64, date1904 bool) (time.Time, bool) {
	if f < 1 || f > 2958465 || math.IsNaN(f) {
		return time.Time{}, false
	}
	day := math.Floor(f)
	secs := math.Round((f - day) * 86400)
	var base time.Time
	switch {
	case date1904:
		base = time.Date(1904, 1, 1, 0, 0, 0, 0, warehouse.Beijing)
	case day >= 61:
		base = time.Date(1899, 12, 30, 0, 0, 0, 0, warehouse.Beijing)
	case day == 60:
		return time.Date(1900, 2, 28, 0, 0, 0, 0, warehouse.Beijing).Add(time.Duration(secs) * time.Second), true
	default:
		base = time.Date(1899, 12, 31, 0, 0, 0, 0, warehouse.Beijing)
	}
	return base.AddDate(0, 0, int(day)).Add(time.Duration(secs) * time.Second), true
}

// serialText formats a serial for a date-formatted workbook cell: a whole day as a date, else a date-time.
func serialText(f float64, date1904 bool) (string, bool) {
	t, ok := excelSerial(f, date1904)
	if !ok {
		return "", false
	}
	if f == math.Floor(f) {
		return t.Format("2006-01-02"), true
	}
	return t.Format("2006-01-02 15:04:05"), true
}

var (
	fileNameDate = regexp.MustCompile(`(?:^|[^0-9])(20\d{2})[-_.]?(0[1-9]|1[0-2])[-_.]?(0[1-9]|[12]\d|3[01])(?:[^0-9]|$)`)
	titleAsOf    = regexp.MustCompile(`(?:截至|截止|截止到|截至到|数据日期|导出日期|as of)[:：\s]*(\d{4})\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})`)
)

// asOfFromName finds a date such as 20261020 or 2026-10-20 in a file name.
func asOfFromName(name string) (time.Time, bool) {
	m := fileNameDate.FindStringSubmatch(name)
	if m == nil {
		return time.Time{}, false
	}
	return mkDate(m[1], m[2], m[3])
}

// asOfFromTitle finds 截至2026年10月31日 (or "as of 2026-10-31") in a title row.
func asOfFromTitle(s string) (time.Time, bool) {
	m := titleAsOf.FindStringSubmatch(fullWidthDigits.Replace(s))
	if m == nil {
		return time.Time{}, false
	}
	return mkDate(m[1], m[2], m[3])
}

func mkDate(y, m, d string) (time.Time, bool) {
	yi, _ := strconv.Atoi(y)
	mi, _ := strconv.Atoi(m)
	di, _ := strconv.Atoi(d)
	t := time.Date(yi, time.Month(mi), di, 0, 0, 0, 0, warehouse.Beijing)
	if t.Month() != time.Month(mi) || t.Day() != di {
		return time.Time{}, false
	}
	return t, true
}
