package ingest

import "strings"

// trimSpace is strings.TrimSpace with a fast answer for the usual cell: one that neither starts nor ends with
// white space is returned without decoding a rune. Only runes whose UTF-8 form starts with C2 (U+0085,
// U+00A0), E1 (U+1680), E2 (U+2000-U+205F) or E3 (U+3000) are Unicode white space beyond ASCII.
func trimSpace(s string) string {
	if s == "" {
		return s
	}
	if !mayBeSpace(s[0]) {
		i := len(s) - 1
		for i > 0 && s[i]&0xC0 == 0x80 { // back to the last rune's first byte
			i--
		}
		if !mayBeSpace(s[i]) {
			return s
		}
	}
	return strings.TrimSpace(s)
}

func mayBeSpace(b byte) bool {
	switch b {
	case ' ', '\t', '\n', '\v', '\f', '\r', 0xC2, 0xE1, 0xE2, 0xE3:
		return true
	}
	return false
}

// isBlank says whether s is empty or only white space.
func isBlank(s string) bool {
	for i := 0; i < len(s); i++ {
		if !mayBeSpace(s[i]) && s[i]&0xC0 != 0x80 { // not white space nor inside a multi-byte rune
			return false
		}
	}
	return strings.TrimSpace(s) == ""
}
