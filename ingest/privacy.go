package ingest

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"complaints/catalog"
	"complaints/warehouse"
)

// The privacy boundary (domain.md section 5): names, phones, ID and card numbers and e-mail addresses never
// reach the warehouse in clear. Each identifier is normalised and replaced by an HMAC-SHA256 key (hex), so
// records of one customer share a key across sources and months while the key cannot be reversed without the
// secret; display masks keep what staff need to recognise a case (张*, 138****5678).

// halfWidth maps full-width digits, letters and the few symbols that make up identifiers to ASCII, leaving
// other full-width punctuation (，。：) of Chinese text alone. Text without such characters is returned as is
// (a byte scan, no allocation).
func halfWidth(s string) string {
	if !hasHalfWidthable(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r >= '０' && r <= '９', r >= 'Ａ' && r <= 'Ｚ', r >= 'ａ' && r <= 'ｚ', r == '＠', r == '＋', r == '－', r == '．', r == '＿':
			b.WriteByte(byte(r - 0xFEE0))
		case r == 0x3000:
			b.WriteByte(' ')
		case r < utf8.RuneSelf:
			b.WriteByte(byte(r))
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// hasHalfWidthable says whether s holds a character halfWidth changes: U+3000 (E3 80 80) or one of the
// full-width forms it maps (U+FF0B-FF0E, U+FF10-FF19, U+FF20-FF3A, U+FF3F, U+FF41-FF5A: EF BC xx / EF BD xx).
func hasHalfWidthable(s string) bool {
	for i := 0; i+2 < len(s); i++ {
		switch s[i] {
		case 0xE3:
			if s[i+1] == 0x80 && s[i+2] == 0x80 {
				return true
			}
		case 0xEF:
			c := s[i+2]
			switch s[i+1] {
			case 0xBC:
				if c == 0x8B || c == 0x8D || c == 0x8E || c >= 0x90 && c <= 0x99 || c >= 0xA0 && c <= 0xBA || c == 0xBF {
					return true
				}
			case 0xBD:
				if c >= 0x81 && c <= 0x9A {
					return true
				}
			}
		}
	}
	return false
}

func digitsOnly(s string) string {
	s = halfWidth(s)
	if isDigits(s) {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			b = append(b, s[i])
		}
	}
	return string(b)
}

// NormalizeIDNumber normalises a resident ID number: full-width digits to ASCII, spaces and dashes removed,
// upper-case X, and a 15-digit first-generation number converted to 18 digits (century 19 inserted, check
// digit computed by GB 11643).
func NormalizeIDNumber(s string) string {
	var b strings.Builder
	for _, r := range halfWidth(s) {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == 'x' || r == 'X':
			b.WriteRune('X')
		case r == ' ' || r == '-':
		default:
			b.WriteRune(r)
		}
	}
	id := b.String()
	if len(id) == 15 && isDigits(id) {
		body := id[:6] + "19" + id[6:]
		id = body + idCheckDigit(body)
	}
	return id
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// idCheckDigit is the GB 11643-1999 check character of a 17-digit body.
func idCheckDigit(body17 string) string {
	weights := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i := 0; i < 17; i++ {
		sum += int(body17[i]-'0') * weights[i]
	}
	return string("10X98765432"[sum%11])
}

// NormalizePhone keeps the digits of a phone number and removes a +86 / 0086 / 86 country prefix.
func NormalizePhone(s string) string {
	d := digitsOnly(s)
	switch {
	case strings.HasPrefix(d, "0086") && len(d) > 11:
		d = d[4:]
	case strings.HasPrefix(d, "86") && len(d) == 13:
		d = d[2:]
	}
	return d
}

// NormalizeCard keeps the digits of a card or account number.
func NormalizeCard(s string) string { return digitsOnly(s) }

// CustomerKey is the HMAC-SHA256 (hex) of a normalised identifier; "" for an empty identifier. The same key
// and identifier give the same hash in every source, which is what links a customer's records.
func CustomerKey(key []byte, normalised string) string {
	if normalised == "" {
		return ""
	}
	m := hmac.New(sha256.New, key)
	m.Write([]byte(normalised))
	return hex.EncodeToString(m.Sum(nil))
}

// MaskName keeps the first character: 张三 -> 张*, 欧阳娜娜 -> 欧***.
func MaskName(s string) string {
	s = trimSpace(s)
	n := utf8.RuneCountInString(s)
	if n == 0 {
		return ""
	}
	r, _ := utf8.DecodeRuneInString(s)
	return string(r) + strings.Repeat("*", max(n-1, 1))
}

// MaskPhone shows the first three and last four digits of a mobile number (138****5678); shorter numbers
// keep only their last two digits.
func MaskPhone(normalised string) string {
	d := normalised
	switch {
	case d == "":
		return ""
	case len(d) >= 11:
		return d[:3] + strings.Repeat("*", len(d)-7) + d[len(d)-4:]
	case len(d) > 4:
		return strings.Repeat("*", len(d)-2) + d[len(d)-2:]
	default:
		return strings.Repeat("*", len(d))
	}
}

// MaskIDNumber shows the first six (the issuing region) and last four characters of a normalised resident ID
// number (110101********1234): the birth date never shows. Other lengths are masked as maskTail does.
func MaskIDNumber(normalised string) string {
	if len(normalised) != 18 {
		return maskTail(normalised)
	}
	return normalised[:6] + strings.Repeat("*", 8) + normalised[14:]
}

// MaskCard shows the first six (the issuer) and last four digits of a card number (622202*********1234), as
// card receipts do; fewer than 13 digits are masked as maskTail does.
func MaskCard(digits string) string {
	if len(digits) < 13 {
		return maskTail(digits)
	}
	return digits[:6] + strings.Repeat("*", len(digits)-10) + digits[len(digits)-4:]
}

// maskTail masks all but the last characters of a value: the last four of eight or more, the last two of five
// to seven, none of four or fewer (*****5678).
func maskTail(s string) string {
	rs := []rune(s)
	keep := 0
	switch {
	case len(rs) >= 8:
		keep = 4
	case len(rs) > 4:
		keep = 2
	}
	return strings.Repeat("*", len(rs)-keep) + string(rs[len(rs)-keep:])
}

// maskRaw masks a personal field's raw value for the rejects table.
func maskRaw(field, raw string) string {
	switch field {
	case "customer_name":
		return MaskName(raw)
	case "customer_phone":
		return MaskPhone(NormalizePhone(raw))
	case "":
		return raw
	default:
		d := NormalizeIDNumber(raw)
		if len(d) <= 4 {
			return strings.Repeat("*", len(d))
		}
		return strings.Repeat("*", len(d)-4) + d[len(d)-4:]
	}
}

// Scrub masks.
const (
	maskPhone    = "[手机号]"
	maskLandline = "[电话]"
	maskID       = "[证件号]"
	maskCard     = "[卡号]"
	maskEmail    = "[邮箱]"
	maskName     = "[姓名]"
)

var (
	// emailPattern runs only on text with an '@' (rare in narratives).
	emailPattern = regexp.MustCompile(`[A-Za-z0-9._%+\-]+\s?@\s?[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}`)
)

// minMaskedDigits is the fewest digits a masked number has (a North American 555-867-5309); shorter digit
// runs (dates, amounts, counts) are never touched.
const minMaskedDigits = 10

// Scrub removes phone numbers, ID numbers, card numbers and e-mail addresses from free text (also written with
// full-width digits, spaces or dashes between digits), and the customer's own names where the export has them.
//
// Digit runs are found by a hand-written scanner (scanDigitRun): digits, possibly separated by single spaces or
// dashes, with an optional + before and an optional X check character after, the shapes phones, IDs and cards
// are written in. Text with no run of at least minMaskedDigits digits and no '@' costs one byte scan.
func Scrub(text string, names ...string) string {
	if text == "" {
		return text
	}
	s := halfWidth(text)
	changed := false
	if strings.IndexByte(s, '@') >= 0 {
		if e := emailPattern.ReplaceAllString(s, maskEmail); e != s {
			s, changed = e, true
		}
	}
	if countDigits(s) >= minMaskedDigits {
		if d, ok := scrubRuns(s); ok {
			s, changed = d, true
		}
	}
	for _, n := range names {
		n = trimSpace(n)
		if utf8.RuneCountInString(n) >= 2 && strings.Contains(s, n) {
			s, changed = strings.ReplaceAll(s, n, maskName), true
		}
	}
	if !changed {
		return text // nothing personal: keep the original characters
	}
	return s
}

// scrubRuns masks the personal digit runs of s; ok is false when nothing changed.
func scrubRuns(s string) (string, bool) {
	var b []byte
	last := 0 // s[:last] is already in b (when b != nil)
	for i := 0; i < len(s); {
		c := s[i]
		if !(c >= '0' && c <= '9' || c == '+' && i+1 < len(s) && isDigit(s[i+1])) {
			i++
			continue
		}
		end, digits := scanDigitRun(s, i)
		if digits >= minMaskedDigits {
			run := s[i:end]
			if m := scrubDigits(run); m != run {
				if b == nil {
					b = make([]byte, 0, len(s))
				}
				b = append(b, s[last:i]...)
				b = append(b, m...)
				last = end
			}
		}
		i = end
	}
	if b == nil {
		return s, false
	}
	b = append(b, s[last:]...)
	return string(b), true
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// scanDigitRun reads the digit run starting at s[i] (a digit, or a + before one), as the regular expression
// \+?[0-9](?:[ \-]?[0-9])*(?:[ \-]?[Xx])? would: it returns the end of the run and its number of digits
// (a trailing X included).
func scanDigitRun(s string, i int) (end, digits int) {
	if s[i] == '+' {
		i++
	}
	i++ // the first digit
	digits = 1
	for i < len(s) {
		if isDigit(s[i]) {
			i++
			digits++
		} else if (s[i] == ' ' || s[i] == '-') && i+1 < len(s) && isDigit(s[i+1]) {
			i += 2
			digits++
		} else {
			break
		}
	}
	// A trailing X counts toward the length: classifyGroups reads "555-867-530X"'s last group as four long.
	if i < len(s) && (s[i] == 'X' || s[i] == 'x') {
		i++
		digits++
	} else if i+1 < len(s) && (s[i] == ' ' || s[i] == '-') && (s[i+1] == 'X' || s[i+1] == 'x') {
		i += 2
		digits++
	}
	return i, digits
}

// scrubDigits classifies a run of digit groups, masking the longest sequences of groups that form a phone,
// ID or card number and keeping the rest (such as a date written beside a phone number).
func scrubDigits(run string) string {
	plus := strings.HasPrefix(run, "+")
	body := strings.TrimPrefix(run, "+")
	groups, seps := splitGroups(body)
	var b strings.Builder
	if plus {
		b.WriteString("+")
	}
	for i := 0; i < len(groups); {
		matched := false
		for j := len(groups); j > i; j-- {
			if m := classifyGroups(groups[i:j]); m != "" {
				if plus && i == 0 {
					// "+86 138..." : the + belongs to the masked number.
					s := b.String()
					b.Reset()
					b.WriteString(strings.TrimSuffix(s, "+"))
				}
				b.WriteString(m)
				if j < len(groups) {
					b.WriteString(seps[j-1])
				}
				i, matched = j, true
				break
			}
		}
		if !matched {
			b.WriteString(groups[i])
			if i < len(seps) {
				b.WriteString(seps[i])
			}
			i++
		}
	}
	return b.String()
}

// splitGroups splits a digit run at its single spaces and dashes: the groups and the separators between them.
func splitGroups(body string) (groups, seps []string) {
	start := 0
	for i := 0; i < len(body); i++ {
		if body[i] == ' ' || body[i] == '-' {
			groups = append(groups, body[start:i])
			seps = append(seps, body[i:i+1])
			start = i + 1
		}
	}
	return append(groups, body[start:]), seps
}

// classifyGroups says which mask a sequence of digit groups needs, or "" when it is not personal. A card
// number written in groups has groups of four or more (6222 0212 3456 7890 123); a date beside a number
// (2025-10-03 138...) does not, so it is not swallowed into a "card".
func classifyGroups(groups []string) string {
	m := classifyDigits(strings.Join(groups, ""))
	if m == "" && len(groups) == 3 && len(groups[0]) == 3 && len(groups[1]) == 3 && len(groups[2]) == 4 {
		return maskLandline // a North American number, 555-867-5309 (CFPB narratives)
	}
	if m == maskCard {
		for _, g := range groups[:len(groups)-1] {
			if len(g) < 4 {
				return ""
			}
		}
	}
	return m
}

// classifyDigits says which mask a digit string needs, or "" when it is not personal.
func classifyDigits(d string) string {
	x := strings.ToUpper(d)
	n := len(x)
	if strings.HasSuffix(x, "X") {
		if (n == 18 || n == 15) && isDigits(x[:n-1]) {
			return maskID
		}
		return ""
	}
	switch {
	case n == 11 && x[0] == '1' && x[1] >= '3' && x[1] <= '9':
		return maskPhone
	case n == 13 && strings.HasPrefix(x, "861") && x[3] >= '3':
		return maskPhone
	case n == 15 && strings.HasPrefix(x, "00861"):
		return maskPhone
	case n == 18 && plausibleID18(x):
		return maskID
	case n == 15 && plausibleID15(x):
		return maskID
	case n >= 13 && n <= 19:
		return maskCard
	case (n == 11 || n == 12) && x[0] == '0':
		return maskLandline
	}
	return ""
}

func plausibleID18(x string) bool {
	y := x[6:10]
	return (y >= "1900" && y <= "2099") && x[10:12] >= "01" && x[10:12] <= "12" && x[12:14] >= "01" && x[12:14] <= "31"
}

func plausibleID15(x string) bool {
	return x[8:10] >= "01" && x[8:10] <= "12" && x[10:12] >= "01" && x[10:12] <= "31"
}

func countDigits(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			n++
		}
	}
	return n
}

// keyFingerprintText is the fixed string whose HMAC under the key is the warehouse's key fingerprint.
const keyFingerprintText = "complaints: privacy key fingerprint v1"

// keyFingerprintName is the warehouse_meta row holding the fingerprint.
const keyFingerprintName = "key_fingerprint"

// KeyFingerprint identifies a key without revealing it: the HMAC-SHA256 (hex) of a fixed string under the key.
func KeyFingerprint(key []byte) string { return CustomerKey(key, keyFingerprintText) }

// DefaultKeyEnv is the environment variable the key is read from when the config names none.
const DefaultKeyEnv = "COMPLAINTS_HMAC_KEY"

// ErrNoKey is the error (msg_privacy_no_key) of an ingest without a key; env names the variable to set.
func ErrNoKey(env string) error {
	if env == "" {
		env = DefaultKeyEnv
	}
	return catalog.Errorf("msg_privacy_no_key", env)
}

// CheckKey compares the key with the fingerprint the warehouse was built with, storing it first when the
// warehouse has none and store is set (the first ingest). A different key is refused (msg_privacy_key_differs):
// its hashes would never match the stored ones, so customers would silently stop linking. Neither key is shown.
// A warehouse without a fingerprint that already holds keyed data (built by a version before fingerprints) is
// refused too (msg_privacy_key_unknown) unless adopt says the key is the one it was built with: nothing landed
// can tell.
func CheckKey(ctx context.Context, w *warehouse.Warehouse, key []byte, store, adopt bool) error {
	fp := KeyFingerprint(key)
	have, err := w.Meta(ctx, keyFingerprintName)
	if err != nil {
		return err
	}
	if have == "" && store {
		if !adopt {
			var keyed bool
			if err := w.DB.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM landed_rows WHERE customer_id_key IS NOT NULL
				OR customer_phone_key IS NOT NULL OR customer_card_key IS NOT NULL OR source_id LIKE 'k:%')`).Scan(&keyed); err != nil {
				return err
			}
			if keyed {
				return catalog.Errorf("msg_privacy_key_unknown", w.Path)
			}
		}
		if have, err = w.SetMetaOnce(ctx, keyFingerprintName, fp); err != nil {
			return err
		}
	}
	if have != "" && !hmac.Equal([]byte(have), []byte(fp)) {
		return catalog.Errorf("msg_privacy_key_differs", w.Path)
	}
	return nil
}

// maxQuotedRunes is the most characters of one cell an error or log line quotes.
const maxQuotedRunes = 40

// quoteCell is how every error, log line and note quotes text read from a file (a header cell, a rejected
// value): personal patterns scrubbed (Scrub: phones, ID and card numbers, e-mail addresses), control characters
// such as line breaks shown as spaces (a swallowed file cannot forge lines), cut to maxQuotedRunes characters
// with an ellipsis, and quoted as Go's %q does.
func quoteCell(s string) string { return strconv.Quote(cellText(s)) }

// quoteCells quotes a row's cells the way %q quotes a []string: ["a" "b"].
func quoteCells(cells []string) string {
	q := make([]string, len(cells))
	for i, c := range cells {
		q[i] = quoteCell(c)
	}
	return "[" + strings.Join(q, " ") + "]"
}

// cellText is quoteCell's text before the quotes.
func cellText(s string) string {
	s = Scrub(s)
	var b strings.Builder
	n := 0
	for _, r := range s {
		if n == maxQuotedRunes {
			b.WriteString("…")
			break
		}
		if unicode.IsControl(r) {
			r = ' '
		}
		b.WriteRune(r)
		n++
	}
	return b.String()
}

// maxHeaderRunes is the longest cell a header row may have: longer ones are data (or a quote that swallowed
// the file).
const maxHeaderRunes = 60

// looksLikeHeader says whether a row chosen as the header may be quoted in an error: at least one cell is a
// known column name (a header synonym), no cell holds a personal pattern, a line break or more than
// maxHeaderRunes characters, and at most half of its non-empty cells are data values (numbers, dates, amounts).
// A headerless file's first row (a customer's name, masked phone, narrative ...) fails.
func looksLikeHeader(cells []string) bool {
	values, nonEmpty, known := 0, 0, 0
	for _, c := range cells {
		c = strings.TrimSpace(c)
		if c == "" {
			continue
		}
		nonEmpty++
		if personalText(c) || strings.ContainsAny(c, "\r\n") || utf8.RuneCountInString(c) > maxHeaderRunes {
			return false
		}
		if valueLike(c) {
			values++
		}
		if _, ok := matchHeader(c); ok {
			known++
		}
	}
	// a row none of whose cells is a known column name may be a data row (a name, a narrative): not quoted
	return known > 0 && 2*values <= nonEmpty
}

// personalText says whether text holds a phone, ID or card number or an e-mail address (Scrub would mask it).
func personalText(s string) bool { return Scrub(s) != s }

// valueLike says whether a cell reads as a data value rather than a column name: mostly digits and the
// punctuation of dates, times and amounts (2026-10-05, 1,234.50, 14:05).
func valueLike(s string) bool {
	digits, other := 0, 0
	for _, r := range halfWidth(s) {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case strings.ContainsRune(" -/:.,+年月日时分秒元", r):
		default:
			other++
		}
	}
	return digits >= 3 && other <= 1
}
