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
	s := normDateText(raw)
	if s == "" {
		return time.Time{}, false
	}
	return parseNormDate(s, layouts, xlsxSerials, date1904, hint)
}

// parseDateText is parseDateHint giving the landing text 'YYYY-MM-DD HH:MM:SS'. The common layouts without a
// zone (yyyy-mm-dd, yyyy/m/d, yyyy.m.d, yyyy年m月d日, each with an optional h:mm or h:mm:ss) are read by hand
// (fastDate), straight to text; they come after a profile's date_formats, which may read the same text
// another way, and before the built-in layouts, which read it the same way.
func parseDateText(raw string, layouts []string, xlsxSerials, date1904 bool, hint *string) (string, bool) {
	s := normDateText(raw)
	if s == "" {
		return "", false
	}
	if len(layouts) == 0 {
		if t, ok := fastDate(s); ok {
			return t, true
		}
	}
	t, ok := parseNormDate(s, layouts, xlsxSerials, date1904, hint)
	if !ok {
		return "", false
	}
	return warehouse.WallClockText(t), true
}

// normDateText trims a date, turns full-width digits and separators to ASCII and runs of white space into
// one space. Text with no control character, no double space and no byte that can start a full-width form
// (EF ..) or U+3000 (E3 ..) only needs trimming.
func normDateText(raw string) string {
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if c < ' ' || c == 0xEF || c == 0xE3 || c == ' ' && i+1 < len(raw) && raw[i+1] == ' ' {
			s := strings.TrimSpace(fullWidthDigits.Replace(raw))
			return spaces.ReplaceAllString(s, " ")
		}
	}
	return strings.TrimSpace(raw)
}

func parseNormDate(s string, layouts []string, xlsxSerials, date1904 bool, hint *string) (time.Time, bool) {
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
			if t, ok := excelSerial(f, date1904); ok && t.Year() <= 2200 { // the layouts' range: text reads back
				return t, true
			}
		}
	}
	return time.Time{}, false
}

// fastDate reads the common zone-less layouts by hand, as the built-in layouts would (and ok=false for
// anything else, which then goes through them): a 4-digit year 1992-2200 (Beijing has kept no daylight
// saving since 1991, so wall-clock digits never move), 1-2 digit month and day separated by '-', '/' or '.'
// (or 年 月 日/号), then optionally ' ' (or 'T' after a 2-digit yyyy-mm-dd; or nothing after 日) and h:mm or
// h:mm:ss with a 1-2 digit hour.
func fastDate(s string) (string, bool) {
	if len(s) < 8 || !isDigit(s[0]) || !isDigit(s[1]) || !isDigit(s[2]) || !isDigit(s[3]) {
		return "", false
	}
	year := int(s[0]-'0')*1000 + int(s[1]-'0')*100 + int(s[2]-'0')*10 + int(s[3]-'0')
	if year < 1992 || year > 2200 {
		return "", false
	}
	i := 4
	var sep byte
	cjk := false
	switch {
	case s[i] == '-' || s[i] == '/' || s[i] == '.':
		sep = s[i]
		i++
	case strings.HasPrefix(s[i:], "年"):
		cjk = true
		i += len("年")
	default:
		return "", false
	}
	month, n := num12(s, i)
	if n == 0 {
		return "", false
	}
	twoDigits := n == 2
	i += n
	if cjk {
		if !strings.HasPrefix(s[i:], "月") {
			return "", false
		}
		i += len("月")
	} else {
		if i >= len(s) || s[i] != sep {
			return "", false
		}
		i++
	}
	day, n := num12(s, i)
	if n == 0 {
		return "", false
	}
	twoDigits = twoDigits && n == 2
	i += n
	if cjk {
		switch {
		case strings.HasPrefix(s[i:], "日"):
			i += len("日")
		case strings.HasPrefix(s[i:], "号") && i+len("号") == len(s):
			i += len("号")
		default:
			return "", false
		}
	}
	if month < 1 || month > 12 || day < 1 || day > daysIn(month, year) {
		return "", false
	}
	hour, minute, second := 0, 0, 0
	if i < len(s) {
		switch {
		case s[i] == ' ':
			i++
		case s[i] == 'T' && sep == '-' && twoDigits:
			i++
		case cjk && isDigit(s[i]):
		default:
			return "", false
		}
		if n = 0; i < len(s) {
			hour, n = num12(s, i)
		}
		if n == 0 || i+n+3 > len(s) || s[i+n] != ':' || !isDigit(s[i+n+1]) || !isDigit(s[i+n+2]) {
			return "", false
		}
		i += n + 1
		minute = int(s[i]-'0')*10 + int(s[i+1]-'0')
		i += 2
		if i < len(s) {
			if i+3 != len(s) || s[i] != ':' || !isDigit(s[i+1]) || !isDigit(s[i+2]) {
				return "", false
			}
			second = int(s[i+1]-'0')*10 + int(s[i+2]-'0')
		}
		if hour > 23 || minute > 59 || second > 59 {
			return "", false
		}
	}
	var b [19]byte
	put2 := func(at, v int) { b[at], b[at+1] = byte('0'+v/10), byte('0'+v%10) }
	copy(b[:4], s[:4])
	b[4], b[7], b[10], b[13], b[16] = '-', '-', ' ', ':', ':'
	put2(5, month)
	put2(8, day)
	put2(11, hour)
	put2(14, minute)
	put2(17, second)
	return string(b[:]), true
}

// num12 reads a 1- or 2-digit number at s[i]; n is how many digits (0: none).
func num12(s string, i int) (v, n int) {
	if i >= len(s) || !isDigit(s[i]) {
		return 0, 0
	}
	v, n = int(s[i]-'0'), 1
	if i+1 < len(s) && isDigit(s[i+1]) {
		v, n = v*10+int(s[i+1]-'0'), 2
	}
	return v, n
}

func daysIn(month, year int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
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
