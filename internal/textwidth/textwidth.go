// Package textwidth owns how wide a text prints in a spreadsheet column or a terminal: East Asian wide,
// full-width and ambiguous characters (which CJK fonts draw wide) count 2, others 1.
package textwidth

import "golang.org/x/text/width"

// Of is the display width of s in character cells.
func Of(s string) int {
	n := 0
	for _, r := range s {
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth, width.EastAsianAmbiguous:
			n += 2
		default:
			n++
		}
	}
	return n
}
