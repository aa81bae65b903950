package pipeline

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"complaints/internal/textwidth"
)

// TableWidth is the width the terminal tables keep to: an 80-column terminal (tmux pane) shows them unbroken.
const TableWidth = 80

// table is a terminal table measured in display columns (a full-width character counts 2): every column but the
// last is as wide as its widest cell (shrinkable ones shortened when the table would be too wide), numbers
// right-aligned; the last column takes the width that is left and wraps there, or, when less than minLast
// columns are left and a cell does not fit, that cell goes under its row, indented, wrapped to the width.
type table struct {
	head   []string
	right  []bool // right-aligned columns
	shrink []int  // columns that may be shortened (shorten) when the table is too wide, first to last
	rows   [][]string
}

const (
	tableGap = 2
	minLast  = 24
	indent   = 4
	// minShrunk is the narrowest a shrinkable column gets.
	minShrunk = 16
)

func (t *table) add(cells ...string) { t.rows = append(t.rows, cells) }

func (t *table) write(out io.Writer, width int) {
	last := len(t.head) - 1
	widths := make([]int, last)
	for _, r := range append([][]string{t.head}, t.rows...) {
		for i := 0; i < last; i++ {
			widths[i] = max(widths[i], textwidth.Of(r[i]))
		}
	}
	fixed := 0
	for _, w := range widths {
		fixed += w + tableGap
	}
	// The last column wants its longest cell, up to minLast, else the longest that is shorter (those cells then
	// stay on their row): shrinkable columns give way, first to last, for the widest of these that they can make
	// room for, and at least so that the other columns fit.
	room := 0
	for _, i := range t.shrink {
		room += max(0, widths[i]-minShrunk)
	}
	targets := []int{0}
	for _, r := range t.rows {
		targets = append(targets, min(textwidth.Of(r[last]), minLast))
	}
	slices.Sort(targets)
	for _, want := range slices.Backward(targets) {
		if fixed+want-width > room {
			continue
		}
		for _, i := range t.shrink {
			if over := fixed + want - width; over > 0 {
				if cut := min(over, widths[i]-minShrunk); cut > 0 {
					widths[i] -= cut
					fixed -= cut
				}
			}
		}
		break
	}
	lastW := width - fixed
	inline := lastW >= minLast // some cell of the last column stays on its row: its heading too
	for _, r := range t.rows {
		inline = inline || textwidth.Of(r[last]) <= lastW
	}
	for n, r := range append([][]string{t.head}, t.rows...) {
		var b strings.Builder
		for i := 0; i < last; i++ {
			cell := shorten(r[i], widths[i])
			pad := strings.Repeat(" ", widths[i]-textwidth.Of(cell))
			if t.right[i] {
				b.WriteString(pad + cell)
			} else {
				b.WriteString(cell + pad)
			}
			b.WriteString(strings.Repeat(" ", tableGap))
		}
		if w := textwidth.Of(r[last]); (w > lastW || n == 0 && !inline) && lastW < minLast { // under the row, indented
			fmt.Fprintln(out, strings.TrimRight(b.String(), " "))
			for _, l := range wrap(r[last], width-indent) {
				fmt.Fprintln(out, strings.Repeat(" ", indent)+l)
			}
			continue
		}
		lines := wrap(r[last], lastW)
		fmt.Fprintln(out, strings.TrimRight(b.String()+lines[0], " "))
		for _, l := range lines[1:] {
			fmt.Fprintln(out, strings.Repeat(" ", fixed)+l)
		}
	}
}

// wrap breaks s into lines of at most width display columns, at spaces where it can, else inside a word (Chinese
// text has no spaces). It gives at least one line.
func wrap(s string, width int) []string {
	var lines []string
	for textwidth.Of(s) > width {
		cut, w := 0, 0 // cut: the byte offset where the line ends
		space := -1
		for i, r := range s {
			rw := textwidth.Of(string(r))
			if w+rw > width {
				break
			}
			w += rw
			cut = i + utf8.RuneLen(r)
			if r == ' ' {
				space = i
			}
		}
		if space > 0 && space > cut/2 {
			lines = append(lines, strings.TrimRight(s[:space], " "))
			s = strings.TrimLeft(s[space:], " ")
			continue
		}
		if cut == 0 { // a single character wider than the width
			_, n := utf8.DecodeRuneInString(s)
			cut = n
		}
		lines = append(lines, s[:cut])
		s = strings.TrimLeft(s[cut:], " ")
	}
	return append(lines, s)
}

// shorten keeps s within width display columns, cutting its middle (the start and the extension of a file name
// stay readable).
func shorten(s string, width int) string {
	if textwidth.Of(s) <= width {
		return s
	}
	r := []rune(s)
	tail := 0
	for w := 0; tail < len(r) && w+textwidth.Of(string(r[len(r)-1-tail])) <= width/3; tail++ {
		w += textwidth.Of(string(r[len(r)-1-tail]))
	}
	const ellipsis = "..." // not "…": its width is ambiguous, one column on most terminals, two in textwidth
	room := width - textwidth.Of(ellipsis) - textwidth.Of(string(r[len(r)-tail:]))
	head := 0
	for w := 0; head < len(r)-tail && w+textwidth.Of(string(r[head])) <= room; head++ {
		w += textwidth.Of(string(r[head]))
	}
	return string(r[:head]) + ellipsis + string(r[len(r)-tail:])
}
