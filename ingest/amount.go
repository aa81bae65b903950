package ingest

import (
	"strings"
	"unicode/utf8"
)

// amountWidth maps full-width digits, signs, separators and brackets to ASCII, and drops the spaces a money
// cell may hold (thin, no-break, ideographic).
var amountWidth = strings.NewReplacer("０", "0", "１", "1", "２", "2", "３", "3", "４", "4", "５", "5", "６", "6", "７", "7", "８", "8", "９", "9",
	"．", ".", "，", ",", "､", ",", "－", "-", "−", "-", "＋", "+", "（", "(", "）", ")", "＄", "",
	" ", "", "\t", "", "\u00a0", "", "\u2009", "", "\u202f", "", "　", "", "'", "")

// amountCurrency are the currency marks a compensation cell may carry, dropped wherever they stand.
var amountCurrency = strings.NewReplacer("人民币", "", "RMB", "", "rmb", "", "CNY", "", "cny", "", "¥", "", "￥", "", "元", "", "圆", "")

// maxAmountDigits bounds the digits of an amount (DECIMAL(18,2) in the warehouse, with room to spare).
const maxAmountDigits = 24

// parseAmount reads a money amount as written in the banks' exports and gives its canonical decimal text
// (optional '-', digits without leading zeros, optionally '.' and the fraction as written): full-width digits
// and separators, currency marks (元, ¥, RMB, CNY, 人民币), thousands separators, a trailing 万 (x 10,000),
// accounting parentheses (negative) and a decimal comma when it cannot be a thousands separator
// (1.234,50 -> 1234.50; 12,5 -> 12.5; 1,234 -> 1234). ok is false for an empty cell and for anything that
// cannot be read unambiguously (1,2345; 1.234.5; two signs; letters): such a value lands raw and staging
// flags it (compensation_unparseable) rather than guessing.
func parseAmount(raw string) (string, bool) {
	s := strings.TrimSpace(raw)
	if s == "" || len(s) > 64 || !utf8.ValidString(s) {
		return "", false
	}
	s = amountCurrency.Replace(amountWidth.Replace(s))
	neg := false
	if strings.HasPrefix(s, "(") && strings.HasSuffix(s, ")") {
		neg, s = true, s[1:len(s)-1]
	}
	wan := false
	if strings.HasSuffix(s, "万") {
		wan, s = true, strings.TrimSuffix(s, "万")
	}
	if s != "" && (s[0] == '-' || s[0] == '+') {
		if neg && s[0] == '-' {
			return "", false // (-100): which sign is meant?
		}
		neg = neg || s[0] == '-'
		s = s[1:]
	}
	if s == "" {
		return "", false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !isDigit(c) && c != '.' && c != ',' {
			return "", false
		}
	}
	intPart, frac, ok := splitAmount(s)
	if !ok {
		return "", false
	}
	if wan {
		frac += strings.Repeat("0", 4)
		intPart, frac = intPart+frac[:4], frac[4:]
		frac = strings.TrimRight(frac, "0")
	}
	intPart = strings.TrimLeft(intPart, "0")
	if intPart == "" {
		intPart = "0"
	}
	if len(intPart)+len(frac) > maxAmountDigits {
		return "", false
	}
	out := intPart
	if frac != "" {
		out += "." + frac
	}
	if neg && strings.Trim(intPart+frac, "0") != "" {
		out = "-" + out
	}
	return out, true
}

// splitAmount splits digits with '.' and ',' into the integer digits and the fraction digits, or ok=false when
// the separators do not say unambiguously which is which.
func splitAmount(s string) (intPart, frac string, ok bool) {
	dots, commas := strings.Count(s, "."), strings.Count(s, ",")
	lastDot, lastComma := strings.LastIndexByte(s, '.'), strings.LastIndexByte(s, ',')
	switch {
	case dots == 0 && commas == 0:
		return s, "", true
	case dots > 0 && commas > 0:
		// both: the last one is the decimal separator and must occur once; the other groups thousands
		dec, thou := byte('.'), ","
		if lastComma > lastDot {
			dec, thou = ',', "."
		}
		if strings.Count(s, string(dec)) != 1 {
			return "", "", false
		}
		i := strings.LastIndexByte(s, dec)
		if !grouped(s[:i], thou) || !digits(s[i+1:]) {
			return "", "", false
		}
		return strings.ReplaceAll(s[:i], thou, ""), s[i+1:], true
	case dots == 1:
		// one dot: the decimal point (1.234 is one and a bit, as a Chinese export writes it)
		if !digits(s[:lastDot]) || !digits(s[lastDot+1:]) {
			return "", "", false
		}
		return s[:lastDot], s[lastDot+1:], true
	case dots > 1:
		// 1.234.567: dots grouping thousands
		if !grouped(s, ".") {
			return "", "", false
		}
		return strings.ReplaceAll(s, ".", ""), "", true
	case commas > 1 || len(s)-lastComma-1 == 3:
		// 1,234 and 1,234,567: commas grouping thousands
		if !grouped(s, ",") {
			return "", "", false
		}
		return strings.ReplaceAll(s, ",", ""), "", true
	default:
		// one comma followed by 1-2 digits: a decimal comma (12,5); anything else (1,2345) is ambiguous
		tail := s[lastComma+1:]
		if len(tail) > 2 || !digits(s[:lastComma]) || !digits(tail) {
			return "", "", false
		}
		return s[:lastComma], tail, true
	}
}

// grouped says whether s is 1-3 digits then groups of exactly 3 digits, separated by sep.
func grouped(s, sep string) bool {
	parts := strings.Split(s, sep)
	if len(parts[0]) < 1 || len(parts[0]) > 3 || !digits(parts[0]) {
		return false
	}
	for _, p := range parts[1:] {
		if len(p) != 3 || !digits(p) {
			return false
		}
	}
	return true
}

// digits says whether s is one or more ASCII digits.
func digits(s string) bool { return s != "" && isDigits(s) }
