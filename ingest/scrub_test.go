package ingest

import (
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"complaints/warehouse"
)

// scrubRegexp is the regular-expression Scrub the hand-written scanner replaced, kept as the reference the
// scanner must agree with.
func scrubRegexp(text string, names ...string) string {
	if text == "" {
		return text
	}
	s := halfWidthRef(text)
	if strings.IndexByte(s, '@') >= 0 {
		s = emailPattern.ReplaceAllString(s, maskEmail)
	}
	if countDigits(s) >= 10 {
		s = digitRunRef.ReplaceAllStringFunc(s, scrubDigits)
	}
	for _, n := range names {
		n = strings.TrimSpace(n)
		if utf8.RuneCountInString(n) >= 2 {
			s = strings.ReplaceAll(s, n, maskName)
		}
	}
	if s == halfWidthRef(text) {
		return text
	}
	return s
}

var digitRunRef = regexp.MustCompile(`\+?[0-9](?:[ \-]?[0-9])*(?:[ \-]?[Xx])?`)

func halfWidthRef(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '０' && r <= '９', r >= 'Ａ' && r <= 'Ｚ', r >= 'ａ' && r <= 'ｚ', r == '＠', r == '＋', r == '－', r == '．', r == '＿':
			b.WriteRune(r - 0xFEE0)
		case r == 0x3000:
			b.WriteRune(' ')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// TestScrubTricky pins cases at the edges of the scanner: separators, X check characters, + prefixes,
// full-width forms, runs that are too short, numbers beside dates, and names.
func TestScrubTricky(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"", ""},
		{"没有数字的文本，只有标点。", "没有数字的文本，只有标点。"},
		{"１３８１２３４５６７８", "[手机号]"},
		{"１３８－１２３４－５６７８，谢谢", "[手机号]，谢谢"},
		{"号码138　1234　5678", "号码[手机号]"},
		{"138 1234 5678x", "138 1234 5678x"}, // the x joins the run: 11 digits and an X is no known shape
		{"身份证11010119900307123x结束", "身份证[证件号]结束"},
		{"身份证110101 19900307 123-X", "身份证[证件号]"},
		{"1+13812345678", "1[手机号]"}, // the + belongs to the number
		{"+8613812345678", "[手机号]"},
		{"0086 138 1234 5678", "[手机号]"},
		{"2025-10-03 13812345678", "2025-10-03 [手机号]"},
		{"2025-10-03-13812345678", "2025-10-03-[手机号]"},
		{"138123456789", "138123456789"}, // 12 digits, no leading 0: not a known shape
		{"123456789", "123456789"},
		{"1-2-3-4-5-6-7-8-9-0", "1-2-3-4-5-6-7-8-9-0"},
		{"call 555-867-5309 now", "call [电话] now"},
		{"金额1,234,567,890元", "金额1,234,567,890元"},
		{"a@b", "a@b"},
		{"mail Ａ.Ｂ＠ｘ．ｃｏｍ done", "mail [邮箱] done"},
		{"卡6222021234567890123与6222021234567890", "卡[卡号]与[卡号]"},
		{"1 2", "1 2"},
		{"323 978-385x 1", "[电话] 1"}, // 3-3-4 with the X in the last group reads as a North American number
		{"--13812345678--", "--[手机号]--"},
		{"张三的电话13812345678，张三", "[姓名]的电话[手机号]，[姓名]"},
	} {
		if got := Scrub(c.in, "张三"); got != c.want {
			t.Errorf("Scrub(%q) = %q, want %q", c.in, got, c.want)
		}
		if got, ref := Scrub(c.in, "张三"), scrubRegexp(c.in, "张三"); got != ref {
			t.Errorf("Scrub(%q) = %q, the regular expressions gave %q", c.in, got, ref)
		}
	}
}

// TestScrubAgreesWithRegexp compares the scanner with the regular expressions on random text built from the
// characters that matter (a fixed seed: the same strings every run).
func TestScrubAgreesWithRegexp(t *testing.T) {
	alphabet := []string{"0", "1", "3", "5", "8", "9", "6", "2", " ", " ", "-", "+", "X", "x", "@", ".", "a", "Z", "_",
		"０", "１", "３", "８", "　", "－", "＋", "，", "张", "三", "号", "\t", "\n", "．", "＠", "ｃ", "m", "c", "o"}
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 50000; i++ {
		var b strings.Builder
		n := rng.IntN(40)
		for j := 0; j < n; j++ {
			if rng.IntN(3) == 0 {
				// Bias toward long digit runs.
				for k := rng.IntN(14); k > 0; k-- {
					b.WriteByte(byte('0' + rng.IntN(10)))
				}
			}
			b.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		s := b.String()
		if got, want := Scrub(s, "张三"), scrubRegexp(s, "张三"); got != want {
			t.Fatalf("Scrub(%q) = %q, the regular expressions gave %q", s, got, want)
		}
	}
}

// TestFastDateAgreesWithLayouts compares the hand-written date reader with the built-in layouts on random
// date-like text (a fixed seed), and on the layouts it claims.
func TestFastDateAgreesWithLayouts(t *testing.T) {
	check := func(s string) {
		t.Helper()
		want := ""
		if tm, ok := parseNormDate(normDateText(s), nil, false, false, nil); ok {
			want = warehouse.WallClockText(tm)
		}
		got, ok := fastDate(normDateText(s))
		if ok && got != want {
			t.Fatalf("fastDate(%q) = %q, the layouts give %q", s, got, want)
		}
		if full, _ := parseDateText(s, nil, false, false, nil); full != want {
			t.Fatalf("parseDateText(%q) = %q, the layouts give %q", s, full, want)
		}
	}
	for _, s := range []string{"2025-10-03", "2025-10-03 10:05:06", "2025-1-3 9:05", "2025/10/3 14:05", "2025.1.2", "2025年10月3日",
		"2025年10月3日 9:05", "2025年10月3日09:05:07", "2025年10月3号", "2025-10-03T10:05", "2025-10-03T10:05:06", "2024-02-29",
		"2025-02-29", "2100-02-29", "2000-02-29", "2025-10-3T10:05", "2025/10/03T10:05", "2025-10-03 24:00", "2025-10-03 10:60",
		"2025-10-03 10:05:6", "2025-10-03 10:5", "1991-10-03", "2201-01-01", "2025-13-01", "2025-00-01", "2025-10-00", "2025-10-03 ",
		"2025-10-03 10:05:06.5", "2025-10-03 10:05:06Z", "2025年10月3号 10:00", "2025年10月3日 15时04分", "20251003"} {
		check(s)
	}
	parts := []string{"2025", "1999", "2000", "2200", "1991", "-", "/", ".", "年", "月", "日", "号", " ", "T", ":", "0", "1", "2", "3", "9",
		"10", "12", "13", "29", "30", "31", "59", "60", "23", "24", "05", "Z", "+08:00"}
	rng := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 100000; i++ {
		var b strings.Builder
		b.WriteString(parts[rng.IntN(5)])
		for j := rng.IntN(10); j > 0; j-- {
			b.WriteString(parts[rng.IntN(len(parts))])
		}
		check(b.String())
	}
}

func TestTrimSpaceAgrees(t *testing.T) {
	parts := []string{" ", "\t", "\n", "\u3000", "\u00a0", "\u2003", "\u1680", "\u0085", "a", "张", "，", "\u00e9", "\u2014", "x y", "\u3001"}
	rng := rand.New(rand.NewPCG(5, 6))
	for i := 0; i < 20000; i++ {
		var b strings.Builder
		for j := rng.IntN(6); j > 0; j-- {
			b.WriteString(parts[rng.IntN(len(parts))])
		}
		s := b.String()
		if got, want := trimSpace(s), strings.TrimSpace(s); got != want {
			t.Fatalf("trimSpace(%q) = %q, want %q", s, got, want)
		}
		if got, want := isBlank(s), strings.TrimSpace(s) == ""; got != want {
			t.Fatalf("isBlank(%q) = %v, want %v", s, got, want)
		}
	}
}
