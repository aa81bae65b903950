package ingest

import (
	"maps"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/width"

	"complaints/catalog"
)

// Header cues: a column no synonym names whose header holds a word of a field's cue (catalog.HeaderCues) is
// mapped to that field when its values agree: at least contentShare of its sampled non-empty values are of one
// of the cue's value kinds. Cues are read before the values alone (a header word with agreeing values is the
// stronger evidence); a column cued to two fields whose values fit both, or a field cued by two columns, maps
// nothing and says so; a cue whose column's values disagree maps nothing and, when nothing else maps that
// column, says so.

// cueClaim is a field a column's header cues, with the word found.
type cueClaim struct{ field, word string }

// cueResult is what the header cues say of a file's columns.
type cueResult struct {
	found    map[string]int    // field -> column
	words    map[string]string // field -> the word that cued it
	notes    []*catalog.Message
	disagree map[int]cueClaim // column -> a cue its values contradict
	// ambiguous: the fields cued by several columns and the columns cued to several fields; content maps none
	// of them by their values either.
	ambiguousFields map[string]bool
	ambiguousCols   map[int]bool
}

// mapByCues reads the cues of the columns in cols.
func mapByCues(cols []*contentColumn, header []string, personal []string, layouts []string,
	known map[string]map[string]bool, open func(string) bool) cueResult {
	r := cueResult{found: map[string]int{}, words: map[string]string{}, disagree: map[int]cueClaim{},
		ambiguousFields: map[string]bool{}, ambiguousCols: map[int]bool{}}
	disagree := r.disagree
	byField := map[string][]int{}
	fieldWord := map[[2]any]string{}
	for _, cc := range cols {
		if personal[cc.col] != "" {
			continue
		}
		h := normHeader(header[cc.col])
		var agree []cueClaim
		for _, cue := range catalog.HeaderCues() {
			if !open(cue.Field) {
				continue
			}
			for _, w := range cue.Words {
				if strings.Contains(h, normHeader(w)) {
					c := cueClaim{cue.Field, w}
					if cueValuesAgree(cc, cue.Values, layouts, known) {
						agree = append(agree, c)
					} else if _, seen := disagree[cc.col]; !seen {
						disagree[cc.col] = c
					}
					break
				}
			}
		}
		switch len(agree) {
		case 0:
		case 1:
			byField[agree[0].field] = append(byField[agree[0].field], cc.col)
			fieldWord[[2]any{agree[0].field, cc.col}] = agree[0].word
			delete(disagree, cc.col)
		default:
			var fs []string
			for _, c := range agree {
				fs = append(fs, c.field)
			}
			r.notes = append(r.notes, catalog.Msg("msg_content2_cue_column_ambiguous", quoteCell(header[cc.col]), strings.Join(fs, ", ")))
			r.ambiguousCols[cc.col] = true
			delete(disagree, cc.col)
		}
	}
	for _, f := range slices.Sorted(maps.Keys(byField)) {
		cs := byField[f]
		if len(cs) > 1 {
			var hs []string
			for _, c := range cs {
				hs = append(hs, quoteCell(header[c]))
			}
			r.notes = append(r.notes, catalog.Msg("msg_content2_cue_field_ambiguous", strings.Join(hs, ", "), f))
			r.ambiguousFields[f] = true
			continue
		}
		r.found[f] = cs[0]
		r.words[f] = fieldWord[[2]any{f, cs[0]}]
	}
	return r
}

// cueValuesAgree: at least contentShare of the column's values are of one of the kinds (header_cues.yaml),
// a column of amounts holds one written with decimals or is zero or empty on half of its rows, a column of
// durations is not all day limits (15/30/60: the extension tier's), and a column of short texts is not names.
func cueValuesAgree(cc *contentColumn, kinds []string, layouts []string, known map[string]map[string]bool) bool {
	fit, decimals, zeros, dayLimits := 0, 0, 0, 0
	for _, v := range cc.values {
		if isDayLimit(v) {
			dayLimits++
		}
		for _, k := range kinds {
			ok := false
			switch k {
			case "amount":
				if m := amountPattern.FindStringSubmatch(v); m != nil {
					ok = true
					if m[1] != "" {
						decimals++
					}
					if strings.Trim(v, "0.¥￥元, ") == "" {
						zeros++
					}
				}
			case "flag":
				ok = isFlag(v)
			case "short_text":
				ok = isShortText(v, layouts)
			case "date":
				_, ok = parseDate(v, layouts, false, false)
			case "duration":
				ok = durationPattern.MatchString(strings.TrimSpace(v))
			case "phone":
				ok = isPhoneNumber(v)
			case "satisfaction":
				ok = known["satisfaction"][catalog.Normalize(v)]
			}
			if ok {
				fit++
				break
			}
		}
	}
	if float64(fit) < contentShare*float64(len(cc.values)) {
		return false
	}
	if slices.Contains(kinds, "duration") && dayLimits == len(cc.values) {
		return false // the extension tier's day limits, by its values
	}
	if slices.Contains(kinds, "short_text") && share(cc.values, looksLikeName) >= contentNameShare {
		return false // people's names (an investigator's, a handler's), not the reply's words
	}
	if slices.Equal(kinds, []string{"amount"}) {
		empty := cc.rows - len(cc.values)
		return decimals > 0 || 2*(zeros+empty) >= cc.rows
	}
	return true
}

// amountPattern: money, with at most two decimals (group 1), an optional currency sign or 元, and thousands
// separators.
var amountPattern = regexp.MustCompile(`^[¥￥]?\s*(?:\d{1,3}(?:,\d{3})+|\d+)(\.\d{1,2})?\s*元?$`)

// durationPattern: a number with a unit of time.
var durationPattern = regexp.MustCompile(`(?i)^\d+(\.\d+)?\s*(个?工作日|个?自然日|天|日|个?小时|小时|时|分钟|分|h|hrs?|hours?|d|days?|min|mins|minutes?)$`)

// flagWords are the spellings of a yes/no mark, folded by foldFlag.
var flagWords = map[string]bool{"y": true, "n": true, "yes": true, "no": true, "是": true, "否": true, "有": true,
	"无": true, "無": true, "√": true, "✓": true, "✔": true, "×": true, "✗": true, "true": true, "false": true,
	"1": true, "0": true}

func isFlag(v string) bool {
	return flagWords[strings.ToLower(strings.TrimSpace(width.Fold.String(v)))]
}

// isShortText: at most 20 characters on one line, neither a date nor a number.
func isShortText(v string, layouts []string) bool {
	if utf8.RuneCountInString(v) > 20 || strings.ContainsAny(v, "\r\n") || amountPattern.MatchString(v) {
		return false
	}
	_, date := parseDate(v, layouts, false, false)
	return !date
}

// isPhoneNumber: 3 to 20 digits, with + - ( ) spaces, 转 or ext (an extension).
func isPhoneNumber(v string) bool {
	digits := 0
	rest := strings.NewReplacer("转", "", "ext", "", "EXT", "", "Ext", "").Replace(v)
	for _, r := range rest {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '+' || r == '-' || r == '(' || r == ')' || r == ' ':
		default:
			return false
		}
	}
	return digits >= 3 && digits <= 20
}
