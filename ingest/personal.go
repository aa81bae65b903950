package ingest

import (
	"complaints/ingest/profile"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"slices"
	"strings"
	"time"

	"complaints/catalog"
)

// Personal columns (ingest/README.md, Privacy). An id column (source_id, referral_ref: landed as text, never
// scrubbed) whose values are mostly phone, ID or card numbers is personal: its values land keyed ("k:" and a
// keyed hash), so complaint_key, workbooks and lists never show them, while the same id in a re-export gets
// the same key. The decision is per column, from the first personalSample data rows; a profile's personal /
// not_personal lists override it.

// personalSample is how many data rows are looked at to decide which columns are personal.
const personalSample = 300

// Kinds of personal column.
const (
	personalPhone    = "phone"
	personalID       = "id_number"
	personalCard     = "card"
	personalDeclared = "declared" // the profile says so
	personalNever    = "never"    // the profile's not_personal: lands as exported, whatever it looks like
)

// KeyableFields are the landing fields a personal column is keyed in (profile.KeyableFields).
var KeyableFields = profile.KeyableFields

// keyedIDHex is how many hex digits of the HMAC a keyed id keeps (80 bits: no two ids of a warehouse share one
// in practice).
const keyedIDHex = 20

// keyedIDPrefix marks a keyed id.
const keyedIDPrefix = "k:"

// sampleColumns reads up to personalSample data rows ahead and decides, per column of the header, which kind
// of personal data it mostly holds ("" when none). The rows read (and an error met) are yielded again first.
func sampleColumns(t *table) []string {
	var buf []rawRow
	var stop error
	for len(buf) < personalSample {
		r, err := t.next()
		if err != nil {
			stop = err
			break
		}
		buf = append(buf, r)
	}
	t.replay(buf, stop)
	t.sample = buf
	kinds := make([]string, len(t.Header))
	for c := range t.Header {
		var n, phones, ids, cards int
		for _, r := range buf {
			if c >= len(r.Fields) || r.Problem != "" {
				continue
			}
			v := trimSpace(r.Fields[c])
			if v == "" {
				continue
			}
			n++
			switch personalKind(v) {
			case personalPhone:
				phones++
			case personalID:
				ids++
			case personalCard:
				cards++
			}
		}
		if 2*(phones+ids+cards) <= n || n == 0 {
			continue
		}
		switch {
		case phones >= ids && phones >= cards:
			kinds[c] = personalPhone
		case ids >= cards:
			kinds[c] = personalID
		default:
			kinds[c] = personalCard
		}
	}
	return kinds
}

// personalKind classifies one value strictly: a mobile number (1[3-9] and 9 digits, with a +86 / 0086 / 86
// prefix allowed), a resident ID number (check digit valid, a valid birth date) or a card number (Luhn valid,
// a plausible issuer prefix); "" otherwise. Only digits and the separators numbers are written with count.
func personalKind(v string) string {
	v = halfWidth(v)
	for _, r := range v {
		if !(r >= '0' && r <= '9' || r == ' ' || r == '-' || r == '+' || r == '(' || r == ')' || r == 'x' || r == 'X') {
			return ""
		}
	}
	if p := NormalizePhone(v); len(p) == 11 && p[0] == '1' && p[1] >= '3' && p[1] <= '9' && !strings.ContainsAny(v, "xX") {
		return personalPhone
	}
	if validIDNumber(NormalizeIDNumber(v)) {
		return personalID
	}
	if c := NormalizeCard(v); !strings.ContainsAny(v, "xX+") && plausibleCard(c) {
		return personalCard
	}
	return ""
}

// validIDNumber: 18 characters, 17 digits and the GB 11643 check character, with a real birth date.
func validIDNumber(id string) bool {
	if len(id) != 18 || !isDigits(id[:17]) || idCheckDigit(id[:17]) != id[17:] {
		return false
	}
	d, err := time.Parse("20060102", id[6:14])
	return err == nil && d.Year() >= 1900 && d.Year() <= 2100
}

// plausibleCard: 13 to 19 digits, Luhn valid, beginning as payment cards do (Visa 4, Mastercard 51-55 and
// 22-27, Amex 34/37, JCB 35, UnionPay 62, Discover 60/65, Chinese domestic debit 95).
func plausibleCard(d string) bool {
	if len(d) < 13 || len(d) > 19 || !isDigits(d) || !luhn(d) {
		return false
	}
	if d[0] == '4' {
		return true
	}
	switch d[:2] {
	case "51", "52", "53", "54", "55", "22", "23", "24", "25", "26", "27", "34", "37", "35", "62", "60", "65", "95":
		return true
	}
	return false
}

func luhn(d string) bool {
	sum := 0
	for i := 0; i < len(d); i++ {
		n := int(d[len(d)-1-i] - '0')
		if i%2 == 1 {
			n *= 2
			if n > 9 {
				n -= 9
			}
		}
		sum += n
	}
	return sum%10 == 0
}

// normaliseAs normalises an id value of a personal column for keying: as a phone, ID or card number when it is
// one (so 138 1234 5678 and +8613812345678 key alike), else its half-width trimmed text.
func normaliseAs(v string) string {
	switch personalKind(v) {
	case personalPhone:
		return NormalizePhone(v)
	case personalID:
		return NormalizeIDNumber(v)
	case personalCard:
		return NormalizeCard(v)
	}
	return halfWidth(trimSpace(v))
}

// keyedID is the landed form of an id from a personal column: "k:" and the first keyedIDHex hex digits of the
// HMAC (under the privacy key) of "id:" and the normalised value.
func keyedID(key []byte, v string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("id:"))
	m.Write([]byte(normaliseAs(v)))
	return keyedIDPrefix + hex.EncodeToString(m.Sum(nil))[:keyedIDHex]
}

// maskedID is the display form landed beside a keyed id (source_id_masked, referral_ref_masked): a mobile as
// MaskPhone, an ID number as MaskIDNumber, a card number as MaskCard, any other value of the column (a typo, a
// column declared personal) with only its last characters (maskTail). It never holds the id in clear.
func maskedID(v string) string {
	switch personalKind(v) {
	case personalPhone:
		return MaskPhone(NormalizePhone(v))
	case personalID:
		return MaskIDNumber(NormalizeIDNumber(v))
	case personalCard:
		return MaskCard(NormalizeCard(v))
	}
	return maskTail(halfWidth(trimSpace(v)))
}

// personalFields decides which keyable fields of a mapping land keyed: a profile's personal list keys a field,
// its not_personal list lands it as is, and otherwise the kind sampled from the field's column decides. It
// returns, per inputFields index, the reason ("" for as is).
func personalFields(p *Profile, cm columnMap, kinds []string) []string {
	out := make([]string, len(inputFields))
	for _, f := range KeyableFields {
		c, ok := cm.Index[f]
		if !ok {
			continue
		}
		fi := fieldIndex(f)
		if c < len(kinds) {
			out[fi] = kinds[c]
		}
		if p != nil {
			if slices.Contains(p.Personal, f) {
				if out[fi] == "" {
					out[fi] = personalDeclared
				}
			} else if slices.Contains(p.NotPersonal, f) {
				out[fi] = personalNever
			}
		}
	}
	return out
}

// withoutPersonal lists the header cells whose column is not personal.
func withoutPersonal(header, kinds []string) []string {
	var out []string
	for i, h := range header {
		if i < len(kinds) && kinds[i] != "" {
			continue
		}
		out = append(out, h)
	}
	return out
}

// commonSurnames are the surnames ScrubFileName takes a name beside a masked number by (the most common
// hundred or so, and the compound ones).
var commonSurnames = []string{"欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "慕容", "令狐"}

const singleSurnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"

// ScrubFileName removes personal data from a file name before it is landed (batches.file_path,
// source_system), logged or quoted: phone, ID and card numbers and e-mail addresses (Scrub), and a name of two
// to four Chinese characters beginning with a common surname when it stands beside a masked number as its own
// part of the name (投诉_13812345678_张三.csv -> 投诉_[手机号]_[姓名].csv).
func ScrubFileName(name string) string {
	s := Scrub(name)
	if s == name {
		return name
	}
	parts := splitNameParts(s)
	for i, p := range parts {
		if !strings.HasPrefix(p, "[") || !strings.HasSuffix(p, "]") {
			continue
		}
		for _, j := range []int{i - 2, i + 2} { // parts alternate text and separators
			if j >= 0 && j < len(parts) && looksLikeName(parts[j]) {
				parts[j] = maskName
			}
		}
	}
	return strings.Join(parts, "")
}

// splitNameParts splits a file name into its parts and the separators between them (_ - . space and path
// separators), alternately, starting with a part.
func splitNameParts(s string) []string {
	var out []string
	start := 0
	for i, r := range s {
		if strings.ContainsRune("_-. /\\", r) {
			out = append(out, s[start:i], s[i:i+1])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

// looksLikeName: two to four Chinese characters beginning with a common surname.
func looksLikeName(s string) bool {
	rs := []rune(s)
	if len(rs) < 2 || len(rs) > 4 {
		return false
	}
	for _, r := range rs {
		if r < 0x4E00 || r > 0x9FFF {
			return false
		}
	}
	for _, c := range commonSurnames {
		if strings.HasPrefix(s, c) {
			return true
		}
	}
	return len(rs) <= 3 && strings.ContainsRune(singleSurnames, rs[0])
}

// scrubbedError shows an error with file names (and any personal pattern) scrubbed: an os error quotes the real
// path. errors.Is, errors.As and catalog.HasKey see through it.
type scrubbedError struct{ err error }

func (e scrubbedError) Error() string { return ScrubFileName(e.err.Error()) }
func (e scrubbedError) Unwrap() error { return e.err }

func scrubError(err error) error {
	if err == nil {
		return nil
	}
	if _, ok := err.(scrubbedError); ok {
		return err
	}
	return scrubbedError{err}
}

// personalColumns are the messages (msg_privacy_personal_column) naming the id columns of an opened file that
// land keyed.
func personalColumns(o *opened) []error {
	var out []error
	for _, f := range KeyableFields {
		fi := fieldIndex(f)
		kind := o.mapper.keyed[fi]
		if kind == "" {
			continue
		}
		header := ""
		if c := o.mapper.col[fi]; c >= 0 && c < len(o.table.Header) {
			header = cellText(o.table.Header[c])
		}
		out = append(out, catalog.Errorf("msg_privacy_personal_column", header, f, catalog.Msg("msg_privacy_kind_"+kind)))
	}
	return out
}

// logPersonalColumns says in the log which id columns land keyed: a column judged personal in one export and
// not in the next would split its complaints (a profile's personal / not_personal settles it).
func logPersonalColumns(log *slog.Logger, o *opened) {
	for _, err := range personalColumns(o) {
		if m, ok := err.(*catalog.Message); ok {
			catalog.Warn(log, m)
		} else {
			log.Warn(err.Error())
		}
	}
}
