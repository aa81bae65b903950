// Package termtext owns the one rule for text from data or file names written to a terminal or a log: nothing
// in it may act on the terminal or start a line of its own.
package termtext

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Clean shows s safe for a terminal or a log line: control characters (C0, DEL, C1: ESC and so every terminal
// escape sequence, newlines, carriage returns, tabs), the bidirectional overrides and isolates that reorder
// what is shown (U+202A-U+202E, U+2066-U+2069) and bytes that are not UTF-8 are written escaped (\n, \r, \t,
// \x1b, \u202e, \xff); everything else is kept. Text that needs nothing is returned as it is.
func Clean(s string) string {
	if !needs(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n <= 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
		case r >= 0x80 && r <= 0x9f, r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x2028, r == 0x2029:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

func needs(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == 0x7f || c >= 0x80 {
			if c >= 0x80 {
				return needsRunes(s[i:])
			}
			return true
		}
	}
	return false
}

func needsRunes(s string) bool {
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n <= 1 || r < 0x20 || r == 0x7f || r >= 0x80 && r <= 0x9f ||
			r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069 || r == 0x2028 || r == 0x2029 {
			return true
		}
		i += n
	}
	return false
}
