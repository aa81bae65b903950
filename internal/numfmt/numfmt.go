// Package numfmt owns how a count is written for people: with thousands separators (1,234,567), as a workbook's
// #,##0 shows it, in the workbooks and the dashboard alike.
package numfmt

import "strconv"

// Grouped writes n with a comma every three digits.
func Grouped(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := n < 0
	if neg {
		s = s[1:]
	}
	var out []byte
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	if neg {
		return "-" + string(out)
	}
	return string(out)
}
