package ingest

import (
	"bytes"
	"encoding/binary"
	"math/bits"
	"strings"
	"unicode/utf8"

	"complaints/catalog"
)

// textStats weighs how a text file's bytes read in the two 8-bit encodings we accept, over the whole file
// (scanFile counts them in its one pass). Only non-ASCII bytes and NULs count.
type textStats struct {
	// UTF8Chars are valid multi-byte UTF-8 characters, UTF8Bad invalid UTF-8 sequences (one per byte that
	// cannot start or continue a character).
	UTF8Chars, UTF8Bad int64
	// GBChars and GBBad are the same read as GB18030. They are counted from the first 256 KiB chunk that is not
	// valid UTF-8 on (a file valid UTF-8 throughout has none: it is read as UTF-8 unless a profile says otherwise).
	GBChars, GBBad int64
	// GBWhole: the GB18030 counts cover the whole file (its first chunk was not valid UTF-8).
	GBWhole bool
	// NUL bytes are never text in an 8-bit encoding (a binary file).
	NUL int64
}

// textCounter counts textStats over a stream of chunks (sequences may span two chunks).
type textCounter struct {
	st             *textStats
	ucarry, gcarry []byte
}

func (c *textCounter) feed(b []byte, final bool) {
	c.ucarry = feedCarry(c.ucarry, b, final, c.st, countUTF8)
	c.gcarry = feedCarry(c.gcarry, b, final, c.st, countGB18030)
}

// feedCarry counts carry (an incomplete sequence from the last chunk) and b, and returns the new carry. The
// carry is completed from b's first bytes (a sequence is at most 4 bytes), so b itself is never copied.
func feedCarry(carry, b []byte, final bool, st *textStats, count func([]byte, bool, *textStats) int) []byte {
	if len(carry) > 0 {
		k := min(len(b), 8)
		tmp := append(carry[:len(carry):len(carry)], b[:k]...)
		n := count(tmp, final && k == len(b), st)
		if n < len(carry) { // still incomplete: b is used up
			return tmp[n:]
		}
		b = b[n-len(carry):]
	}
	n := count(b, final, st)
	return append([]byte(nil), b[n:]...)
}

const highBits = 0x8080808080808080

// skipASCII returns the index of the first non-ASCII byte at or after i (8 bytes at a time).
func skipASCII(d []byte, i int) int {
	for i+8 <= len(d) && binary.LittleEndian.Uint64(d[i:])&highBits == 0 {
		i += 8
	}
	for i < len(d) && d[i] < 0x80 {
		i++
	}
	return i
}

// leadBytes counts the bytes >= 0xC0 (in valid UTF-8: the multi-byte characters), 8 bytes at a time.
func leadBytes(b []byte) int64 {
	var n int64
	i := 0
	for ; i+8 <= len(b); i += 8 {
		w := binary.LittleEndian.Uint64(b[i:])
		n += int64(bits.OnesCount64(w & (w << 1) & highBits))
	}
	for ; i < len(b); i++ {
		if b[i] >= 0xC0 {
			n++
		}
	}
	return n
}

// countUTF8 counts d's characters and returns how many bytes it consumed (an incomplete sequence at the end
// is left for the next chunk unless final).
func countUTF8(d []byte, final bool, st *textStats) int {
	i := 0
	for {
		i = skipASCII(d, i)
		if i >= len(d) {
			return i
		}
		if !final && !utf8.FullRune(d[i:]) {
			return i
		}
		r, size := utf8.DecodeRune(d[i:])
		if r == utf8.RuneError && size == 1 {
			st.UTF8Bad++
		} else {
			st.UTF8Chars++
		}
		i += size
	}
}

// countGB18030 is countUTF8 for GB18030 (as golang.org/x/text decodes it: 0x80 is the euro sign; a lead byte
// 0x81-0xFE takes a trail 0x40-0x7E or 0x80-0xFE, or three more bytes 0x30-0x39, 0x81-0xFE, 0x30-0x39).
func countGB18030(d []byte, final bool, st *textStats) int {
	i := 0
	for {
		i = skipASCII(d, i)
		if i >= len(d) {
			return i
		}
		c0 := d[i]
		switch {
		case c0 == 0x80:
			st.GBChars++
			i++
			continue
		case c0 == 0xFF:
			st.GBBad++
			i++
			continue
		}
		if i+1 >= len(d) {
			if !final {
				return i
			}
			st.GBBad++
			i++
			continue
		}
		switch c1 := d[i+1]; {
		case c1 >= 0x40 && c1 <= 0xFE && c1 != 0x7F:
			st.GBChars++
			i += 2
		case c1 >= 0x30 && c1 <= 0x39:
			if i+3 >= len(d) {
				if !final {
					return i
				}
				st.GBBad++
				i++
				continue
			}
			if c2, c3 := d[i+2], d[i+3]; c2 >= 0x81 && c2 <= 0xFE && c3 >= 0x30 && c3 <= 0x39 {
				st.GBChars++
				i += 4
			} else {
				st.GBBad++
				i++
			}
		default:
			st.GBBad++
			i++
		}
	}
}

// commonBad says invalid bytes are common: at least 3 invalid sequences, and more than 1 in 20 of the
// non-ASCII characters.
func commonBad(bad, good int64) bool { return bad >= 3 && bad*20 > bad+good }

func badRate(bad, good int64) float64 {
	if bad+good == 0 {
		return 0
	}
	return float64(bad) / float64(bad+good)
}

// guess8bit chooses between UTF-8 and GB18030 for a file that is not valid UTF-8 throughout. Valid multi-byte
// UTF-8 is strong evidence (GB18030 text forms it by chance for about one character in seven, each beside an
// invalid sequence; UTF-8 Chinese reads as valid GB18030 pairs whenever a run has an even number of
// characters): at least two valid UTF-8 characters per invalid sequence is UTF-8. Else the encoding with the
// smaller share of invalid sequences wins; UTF-8 on a tie.
func guess8bit(st textStats) string {
	if st.UTF8Chars >= 2*(st.UTF8Bad+st.NUL) {
		return "utf-8"
	}
	if badRate(st.GBBad+st.NUL, st.GBChars) < badRate(st.UTF8Bad+st.NUL, st.UTF8Chars) {
		return "gb18030"
	}
	return "utf-8"
}

// Text levels of a table: how much the mapping step checks each field.
const (
	// textUnchecked: every field is checked for invalid UTF-8 (readers that do not vouch for their text).
	textUnchecked = iota
	// textClean: the reader vouches that every field is valid UTF-8 without NULs (no check).
	textClean
	// textSuspect: the file holds bytes that are not text in its encoding: every field is checked for invalid
	// UTF-8, NULs and U+FFFD (what the decoders put for an invalid sequence).
	textSuspect
)

// checkEncoding decides, for a text file read in enc (canonical name), whether its bytes are text in enc:
// the text level of its fields, or the error refusing the file (invalid bytes common) with the encoding that
// would read it.
func checkEncoding(enc string, head []byte, st textStats) (int, error) {
	var bad, good int64
	utf16 := ""
	if e, _ := detectEncoding(head, false, textStats{}); strings.HasPrefix(e, "utf-16") {
		utf16 = e
	}
	switch enc {
	case "utf-8", "utf-8-bom":
		bad, good = st.UTF8Bad+st.NUL, st.UTF8Chars
		if commonBad(bad, good) {
			if utf16 != "" {
				return 0, catalog.Errorf("msg_csv_wrong_encoding", "UTF-8", bad, good, utf16)
			}
			if !commonBad(st.GBBad+st.NUL, st.GBChars) && st.GBChars > 0 {
				return 0, catalog.Errorf("msg_csv_wrong_encoding", "UTF-8", bad, good, "gb18030")
			}
			return 0, catalog.Errorf("msg_csv_not_text", bad)
		}
	case "gb18030":
		bad, good = st.GBBad+st.NUL, st.GBChars
		// A file of ten or more multi-byte characters that are (nearly) all valid UTF-8 is UTF-8: GB18030 text
		// does not form valid UTF-8 by chance.
		readsUTF8 := !commonBad(st.UTF8Bad+st.NUL, st.UTF8Chars) && st.UTF8Chars >= 10 && st.UTF8Bad*100 <= st.UTF8Chars
		if commonBad(bad, good) || readsUTF8 {
			if readsUTF8 {
				return 0, catalog.Errorf("msg_csv_wrong_encoding", "GB18030", max(bad, 1), good, "utf-8")
			}
			if utf16 != "" {
				return 0, catalog.Errorf("msg_csv_wrong_encoding", "GB18030", bad, good, utf16)
			}
			return 0, catalog.Errorf("msg_csv_not_text", bad)
		}
	default: // UTF-16: the decoder marks what it cannot read with U+FFFD
		return textSuspect, nil
	}
	if bad == 0 && (enc != "gb18030" || st.GBWhole || st.UTF8Chars == 0) {
		return textClean, nil
	}
	return textSuspect, nil
}

// validText says whether a field may land as it is at text level lvl.
func validText(s string, lvl int) bool {
	switch lvl {
	case textClean:
		return true
	case textSuspect:
		return utf8.ValidString(s) && strings.IndexByte(s, 0) < 0 && !strings.Contains(s, "\uFFFD")
	}
	return utf8.ValidString(s)
}

// fixText replaces invalid UTF-8 and NULs by U+FFFD.
func fixText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if strings.IndexByte(s, 0) >= 0 {
		s = strings.ReplaceAll(s, "\x00", "\uFFFD")
	}
	return s
}

// nulCount counts NUL bytes.
func nulCount(b []byte) int64 { return int64(bytes.Count(b, []byte{0})) }
