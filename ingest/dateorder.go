package ingest

import (
	"context"
	"database/sql/driver"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"complaints/catalog"
	"complaints/warehouse"
)

// Day/month order of year-last dates (05/10/2026, 13.10.2026, 10-13-2026 ...). The order is decided per file:
// a value whose first part is over 12 can only be day first, one whose second part is over 12 only month first.
// Values that settle it are read as they must be at once; a value whose two parts are both 12 or less (and
// differ) cannot be read on its own, so it is landed as "DD/DD/YYYY HH:MM:SS" (ambiguousLanding) and rewritten
// inside the landing transaction, before COMMIT, once the whole file has been seen (fixAmbiguousDates): in the
// file's order when its values settle one, else the profile's date_order, else month first (the layouts'
// long-standing reading of 1/2/2006). The summary then says which order was assumed and how to change it.
// A file whose values settle both orders reads its ambiguous ones by the profile (or month first) and says so.
// With date_order: ymd year-last dates are not expected: an ambiguous one is not read (a reject for the receipt
// date, raw text for the others), those that settle an order still are.

// dateOrderDefault is the reading of an ambiguous year-last date when neither the file nor the profile says.
const dateOrderDefault = "mdy"

// dateEvidence counts, over a whole file (shared by the mapping workers), the year-last values that can only be
// day first, only month first, and those that are ambiguous.
type dateEvidence struct {
	dmy, mdy, ambiguous atomic.Int64
}

// yearLast reads d/m/yyyy-style text (already normalised by normDateText): two 1-2 digit parts and a 4-digit
// year separated by the same '/', '.' or '-', then optionally ' ' or 'T' and h:mm or h:mm:ss.
func yearLast(s string) (a, b, year, hour, minute, second int, ok bool) {
	i := 0
	a, n := num12(s, i)
	if n == 0 || i+n >= len(s) {
		return
	}
	i += n
	sep := s[i]
	if sep != '/' && sep != '.' && sep != '-' {
		return
	}
	i++
	b, n = num12(s, i)
	if n == 0 || i+n >= len(s) || s[i+n] != sep {
		return
	}
	i += n + 1
	if i+4 > len(s) || !digits(s[i:i+4]) {
		return
	}
	year = int(s[i]-'0')*1000 + int(s[i+1]-'0')*100 + int(s[i+2]-'0')*10 + int(s[i+3]-'0')
	i += 4
	if i < len(s) {
		if s[i] != ' ' && s[i] != 'T' {
			return
		}
		i++
		hour, n = num12(s, i)
		if n == 0 || i+n+3 > len(s) || s[i+n] != ':' || !isDigit(s[i+n+1]) || !isDigit(s[i+n+2]) {
			return
		}
		i += n + 1
		minute = int(s[i]-'0')*10 + int(s[i+1]-'0')
		i += 2
		if i < len(s) {
			if i+3 != len(s) || s[i] != ':' || !isDigit(s[i+1]) || !isDigit(s[i+2]) {
				return
			}
			second = int(s[i+1]-'0')*10 + int(s[i+2]-'0')
		}
		if hour > 23 || minute > 59 || second > 59 {
			return
		}
	}
	if year < 1900 || year > 2200 || a < 1 || b < 1 {
		return
	}
	return a, b, year, hour, minute, second, true
}

// Results of yearLastText.
const (
	notYearLast   = iota // not a year-last date: the other layouts decide
	yearSettled          // read: the text is Beijing wall clock
	yearAmbiguous        // both parts <= 12: the text is the placeholder fixAmbiguousDates rewrites
	yearUnread           // a year-last date that cannot be read (no such day, or ambiguous under date_order: ymd)
)

// yearLastText reads a year-last date for the mapping step (see yearLastText's results).
func (m *mapper) yearLastText(raw string) (string, int) {
	r := strings.TrimSpace(raw)
	if len(r) < 8 || !(r[0] >= 0x80 || isDigit(r[0]) && (isSep(r[1]) || isDigit(r[1]) && isSep(r[2]))) {
		return "", notYearLast
	}
	s := normDateText(raw)
	a, b, year, h, mi, sec, ok := yearLast(s)
	if !ok {
		return "", notYearLast
	}
	var day, month int
	switch {
	case a > 12 && b > 12:
		return "", yearUnread
	case a > 12:
		day, month = a, b
		m.dates.dmy.Add(1)
	case b > 12:
		day, month = b, a
		m.dates.mdy.Add(1)
	case a == b:
		day, month = a, b
	default:
		if m.dateOrder() == "ymd" {
			return "", yearUnread
		}
		m.dates.ambiguous.Add(1)
		return fmt.Sprintf("%02d/%02d/%04d %02d:%02d:%02d", a, b, year, h, mi, sec), yearAmbiguous
	}
	if day > daysIn(month, year) {
		return "", yearUnread
	}
	return fmt.Sprintf("%04d-%02d-%02d %02d:%02d:%02d", year, month, day, h, mi, sec), yearSettled
}

func isSep(c byte) bool { return c == '/' || c == '.' || c == '-' }

// dateText reads a date field for the mapping step: the profile's date_formats first, then year-last dates
// by the file's day/month order, then the built-in layouts.
func (m *mapper) dateText(raw string, hint *string) (string, bool) {
	if len(m.layouts) > 0 {
		s := normDateText(raw)
		for _, l := range m.layouts {
			if t, err := time.ParseInLocation(l, s, warehouse.Beijing); err == nil && t.Year() >= 1900 && t.Year() <= 2200 {
				return warehouse.WallClockText(t.In(warehouse.Beijing)), true
			}
		}
	}
	switch t, st := m.yearLastText(raw); st {
	case yearSettled, yearAmbiguous:
		return t, true
	case yearUnread:
		return "", false
	}
	return parseDateText(raw, m.layouts, m.table.Serials, m.table.Date1904, hint)
}

// dateOrder is the profile's date_order ("" when it gives none).
func (m *mapper) dateOrder() string {
	if m.profile == nil {
		return ""
	}
	return m.profile.DateOrder
}

// decideDateOrder is the order the file's ambiguous year-last dates are read in, and the note for the summary
// (nil when there is nothing to say).
func decideDateOrder(ev *dateEvidence, profileOrder string) (string, *catalog.Message) {
	dmy, mdy, amb := ev.dmy.Load(), ev.mdy.Load(), ev.ambiguous.Load()
	fallback := profileOrder
	if fallback == "" || fallback == "ymd" {
		fallback = dateOrderDefault
	}
	switch {
	case amb == 0:
		if dmy > 0 && mdy > 0 {
			return fallback, catalog.Msg("msg_misc_date_order_mixed", dmy, mdy, 0, fallback)
		}
		return fallback, nil
	case dmy > 0 && mdy == 0:
		return "dmy", nil
	case mdy > 0 && dmy == 0:
		return "mdy", nil
	case dmy > 0 && mdy > 0:
		return fallback, catalog.Msg("msg_misc_date_order_mixed", dmy, mdy, amb, fallback)
	case profileOrder != "":
		return fallback, nil
	}
	return fallback, catalog.Msg("msg_misc_date_order_assumed", amb, fallback)
}

// dateLandingColumns are the landing columns holding dates (the receipt date and the other date fields).
var dateLandingColumns = func() []string {
	var out []string
	for _, f := range inputFields {
		if _, ok := landingIndex[f.Name]; ok && (f.Kind == kindDate || f.Kind == kindRequired) {
			out = append(out, f.Name)
		}
	}
	return out
}()

// readAmbiguous is fixAmbiguousDates for one value (sources check's sample rows): a placeholder read in order,
// anything else as it is.
func readAmbiguous(v, order string) string {
	if len(v) != 19 || v[2] != '/' || v[5] != '/' || !digits(v[:2]) || !digits(v[3:5]) {
		return v
	}
	a, b := v[:2], v[3:5]
	if a < "01" || a > "12" || b < "01" || b > "12" {
		return v
	}
	if order == "dmy" {
		a, b = b, a
	}
	return v[6:10] + "-" + a + "-" + b + v[10:]
}

// fixAmbiguousDates rewrites, in the open landing transaction, the placeholders of ambiguous year-last dates
// of batch batchID in the order decided for the file.
func fixAmbiguousDates(ctx context.Context, ex driver.ExecerContext, batchID int64, order string) error {
	for _, c := range dateLandingColumns {
		first, second := "substr(%[1]s, 1, 2)", "substr(%[1]s, 4, 2)" // month, day for mdy
		if order == "dmy" {
			first, second = second, first
		}
		q := fmt.Sprintf(`UPDATE landed_rows SET %[1]s = substr(%[1]s, 7, 4) || '-' || `+first+` || '-' || `+second+` || substr(%[1]s, 11)
			WHERE batch_id = ? AND regexp_full_match(%[1]s, '\d\d/\d\d/\d{4} \d\d:\d\d:\d\d')
			  AND CAST(substr(%[1]s, 1, 2) AS INTEGER) BETWEEN 1 AND 12 AND CAST(substr(%[1]s, 4, 2) AS INTEGER) BETWEEN 1 AND 12`, c)
		if _, err := ex.ExecContext(ctx, q, namedValues(batchID)); err != nil {
			return fmt.Errorf("read ambiguous dates of %s: %w", c, err)
		}
	}
	return nil
}
