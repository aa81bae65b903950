package ingest

import (
	"maps"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"complaints/catalog"
)

// Mapping by content: a column that neither the profile nor a header synonym claimed is mapped from its own
// values, read in the file's first data rows (the rows sampleColumns holds: the same rows every time), when the
// evidence is clear. The rules (docs/decisions.md, "Ingest"):
//   - a value kind fits a column when at least contentShare of its non-empty sampled values have it, and the
//     column has at least contentMinValues of them;
//   - a column fitting several fields by the same share, or a field fitted by several columns by the same share,
//     maps nothing (ties are never broken by column order);
//   - a field the profile names (found or missing) and a column the profile or a synonym took are never touched;
//   - header words with agreeing values (content_cues.go, catalog/header_cues.yaml) are read before values alone.
const (
	contentShare     = 0.9
	contentNameShare = 0.8 // names: the surname list holds the common surnames only
	contentMinValues = 5
	contentNearlyAll = 0.98 // ids and receipts: filled (and distinct) on this share of rows; date order likewise
)

// contentDimensions are the catalogue dimensions a column's values may be recognised by (the catalogue's codes,
// labels and synonyms), with the input field each fills.
var contentDimensions = []string{"business_category", "cause", "status", "satisfaction", "complaint_type", "demand",
	"record_type", "intake_channel", "business_channel", "province"}

// branchSuffixes end the names of bank branches and outlets.
var branchSuffixes = []string{"支行", "分行", "营业部", "网点", "营业厅", "分理处", "储蓄所"}

// contentColumn is what the sample says about one column.
type contentColumn struct {
	col    int
	values []string    // non-empty sampled values, in row order
	rows   int         // sampled rows
	times  []time.Time // per sampled row (zero: empty or not a date), only for date columns
	dates  int         // values that parse as dates
}

// contentFit is one field a column fits, with the share of its values that fit.
type contentFit struct {
	field string
	share float64
}

// mapByContent maps the columns left unmapped by the profile and the synonyms from the sampled rows, into cm
// (By = "content"), and returns one summary note per column mapped.
func mapByContent(cm *columnMap, t *table, p *Profile) []*catalog.Message {
	used := map[int]bool{}
	for _, c := range cm.Index {
		used[c] = true
	}
	found := map[string]int{} // field -> column
	var cues cueResult
	open := func(f string) bool { // a field content may fill
		if _, ok := found[f]; ok || cues.ambiguousFields[f] {
			return false
		}
		if _, ok := cm.Index[f]; ok || slices.Contains(cm.Missing, f) {
			return false
		}
		if p != nil {
			if _, ok := p.Columns[f]; ok {
				return false
			}
		}
		return true
	}
	var layouts []string
	if p != nil {
		layouts = p.DateFormats
	}
	texts := map[string]int{}
	for _, h := range cm.Header {
		texts[dupKey(h)]++
	}
	var cols []*contentColumn
	for c, h := range cm.Header {
		if used[c] || strings.TrimSpace(h) == "" || texts[dupKey(h)] > 1 {
			continue // a header written twice is the profile's to settle (duplicateHeaders)
		}
		if _, ok := matchHeader(h); ok {
			continue // a synonym's header whose field went elsewhere is not the content's to reassign
		}
		cc := &contentColumn{col: c, times: make([]time.Time, len(t.sample))}
		for i, r := range t.sample {
			if r.Problem != "" || r.Issue != nil {
				continue
			}
			cc.rows++
			if c >= len(r.Fields) {
				continue
			}
			v := trimSpace(r.Fields[c])
			if v == "" {
				continue
			}
			cc.values = append(cc.values, v)
			if tm, ok := parseDate(v, layouts, false, false); ok {
				cc.times[i] = tm
				cc.dates++
			}
		}
		if len(cc.values) >= contentMinValues {
			cols = append(cols, cc)
		}
	}
	var dateCols []*contentColumn
	fits := map[int][]contentFit{}
	known := knownSpellings()
	cues = mapByCues(cols, cm.Header, t.personal, layouts, known, open)
	maps.Copy(found, cues.found)
	cued := maps.Clone(cues.ambiguousCols)
	for _, c := range found {
		cued[c] = true
	}
	for _, cc := range cols {
		if cued[cc.col] {
			continue
		}
		n := float64(len(cc.values))
		if float64(cc.dates) >= contentShare*n {
			dateCols = append(dateCols, cc)
			continue
		}
		if kind := t.personal[cc.col]; kind != "" {
			fits[cc.col] = append(fits[cc.col], contentFit{personalField(kind), 1})
			continue
		}
		var f []contentFit
		add := func(field string, share, need float64) {
			if share >= need {
				f = append(f, contentFit{field, share})
			}
		}
		add("source_id", idShare(cc), 1)
		add("branch", share(cc.values, func(v string) bool { return isBranchName(v) || t.branches[catalog.Normalize(v)] }), contentShare)
		add("extension_tier", share(cc.values, isDayLimit), 1)
		add("customer_name", share(cc.values, looksLikeName), contentNameShare)
		add("handler", share(cc.values, isStaffNumber), contentShare)
		add("compensation", compensationShare(cc), 1)
		for _, dim := range contentDimensions {
			add(dim, share(cc.values, func(v string) bool { return known[dim][catalog.Normalize(v)] }), contentShare)
		}
		fits[cc.col] = f
	}
	// A column keeps its best fit, unless another fit has the same share.
	byField := map[string][]int{}
	shareOf := map[[2]any]float64{}
	colTies := map[int][]string{} // column -> the open fields it fits alike
	var tieNotes []*catalog.Message
	for _, c := range slices.Sorted(maps.Keys(fits)) {
		f := fits[c]
		if len(f) == 0 {
			continue
		}
		slices.SortStableFunc(f, func(a, b contentFit) int {
			switch {
			case a.share > b.share:
				return -1
			case a.share < b.share:
				return 1
			}
			return 0
		})
		if len(f) > 1 && f[1].share == f[0].share {
			for _, x := range f {
				if x.share == f[0].share && open(x.field) {
					colTies[c] = append(colTies[c], x.field)
				}
			}
			continue
		}
		byField[f[0].field] = append(byField[f[0].field], c)
		shareOf[[2]any{f[0].field, c}] = f[0].share
	}
	// A field keeps its best column, unless another column fits it as well.
	for _, field := range slices.Sorted(maps.Keys(byField)) {
		cs := byField[field]
		if !open(field) {
			continue
		}
		best, bestShare, tie := -1, 0.0, false
		for _, c := range cs {
			s := shareOf[[2]any{field, c}]
			switch {
			case s > bestShare:
				best, bestShare, tie = c, s, false
			case s == bestShare:
				tie = true
			}
		}
		if best >= 0 && !tie {
			found[field] = best
		} else if tie {
			var hs []string
			for _, c := range cs {
				if shareOf[[2]any{field, c}] == bestShare {
					hs = append(hs, quoteCell(cm.Header[c]))
				}
			}
			tieNotes = append(tieNotes, catalog.Msg("msg_content2_values_field_ambiguous", strings.Join(hs, ", "), field))
		}
	}
	mapDates(dateCols, open, found)
	free := slices.DeleteFunc(slices.Clone(cols), func(cc *contentColumn) bool { return cues.ambiguousCols[cc.col] })
	mapFreeText(free, fits, dateCols, found, open)
	if headerIsData(cm.Header, found, layouts, known) {
		return nil
	}
	cm.HeaderByContent = len(found) > 0
	var notes []*catalog.Message
	mapped := map[int]bool{}
	for _, f := range slices.Sorted(maps.Keys(found)) {
		c := found[f]
		mapped[c] = true
		cm.Index[f], cm.By[f] = c, "content"
		if w, ok := cues.words[f]; ok {
			if cm.ContentWord == nil {
				cm.ContentWord = map[string]string{}
			}
			cm.ContentWord[f] = w
			notes = append(notes, catalog.Msg("msg_content2_mapped_cue", quoteCell(cm.Header[c]), f, w))
		} else {
			notes = append(notes, catalog.Msg("msg_content_mapped", quoteCell(cm.Header[c]), f))
		}
	}
	notes = append(notes, cues.notes...)
	notes = append(notes, tieNotes...)
	for _, c := range slices.Sorted(maps.Keys(colTies)) {
		if fs := colTies[c]; !mapped[c] && len(fs) > 1 {
			notes = append(notes, catalog.Msg("msg_content2_values_column_ambiguous", quoteCell(cm.Header[c]), strings.Join(fs, ", ")))
		}
	}
	for _, c := range slices.Sorted(maps.Keys(cues.disagree)) {
		if d := cues.disagree[c]; !mapped[c] {
			notes = append(notes, catalog.Msg("msg_content2_cue_disagrees", quoteCell(cm.Header[c]), d.word, d.field))
		}
	}
	return notes
}

// headerIsData says whether the header row reads as one more record: a cell holds personal data, a line
// break, more than maxHeaderRunes characters, or a value of the kind its column was mapped by (a date over
// dates, an id over ids, a name over names, a catalogue word over catalogue words), or more than half its cells read as values. A headerless
// file's first record is then neither mapped by content nor quoted in a note.
func headerIsData(header []string, found map[string]int, layouts []string, known map[string]map[string]bool) bool {
	values, nonEmpty := 0, 0
	for _, h := range header {
		h = strings.TrimSpace(h)
		if h == "" {
			continue
		}
		nonEmpty++
		if personalText(h) || strings.ContainsAny(h, "\r\n") || utf8.RuneCountInString(h) > maxHeaderRunes {
			return true
		}
		if valueLike(h) {
			values++
		}
	}
	if 2*values > nonEmpty {
		return true
	}
	for f, c := range found {
		h := strings.TrimSpace(header[c])
		var data bool
		switch f {
		case "received_at", "replied_at", "updated_at":
			_, data = parseDate(h, layouts, false, false)
		case "source_id":
			data = idShare(&contentColumn{values: []string{h}, rows: 1}) == 1
		case "branch", "handler", "narrative", "summary":
			// headers name these by the same words (承办网点, 坐席工号): no evidence either way
		case "extension_tier":
			data = isDayLimit(h)
		case "customer_name":
			data = looksLikeName(h)
		default:
			data = known[f][catalog.Normalize(h)]
		}
		if data {
			return true
		}
	}
	return false
}

// personalField is the input field of a personal kind (personal.go).
func personalField(kind string) string {
	switch kind {
	case personalPhone:
		return "customer_phone"
	case personalID:
		return "customer_id_number"
	}
	return "customer_card"
}

// mapDates reads receipt, reply and update times off the date columns. The receipt is the one column filled
// on contentNearlyAll of the sampled rows and not after any other date column (on contentNearlyAll of the rows
// where both are filled). Alone, it is received_at. With one other date column, that column is replied_at when it
// is emptier than the receipt (a reply is missing while a complaint is open). With two others, the emptier one is
// replied_at and the fuller one updated_at, when the reply is not after the update. Anything else maps no date:
// two date columns filled on every row say nothing of which is the receipt.
func mapDates(cols []*contentColumn, open func(string) bool, found map[string]int) {
	var rec *contentColumn
	for _, c := range cols {
		if float64(c.dates) < contentNearlyAll*float64(c.rows) {
			continue
		}
		first := true
		for _, o := range cols {
			if o != c && !notAfter(c, o) {
				first = false
			}
		}
		if first {
			if rec != nil {
				return // two columns could be the receipt
			}
			rec = c
		}
	}
	if rec == nil {
		return
	}
	var rest []*contentColumn
	for _, c := range cols {
		if c != rec {
			rest = append(rest, c)
		}
	}
	set := func(field string, c *contentColumn) {
		if open(field) {
			found[field] = c.col
		}
	}
	switch len(rest) {
	case 0:
		set("received_at", rec)
	case 1:
		if rest[0].dates < rec.dates {
			set("received_at", rec)
			set("replied_at", rest[0])
		}
	case 2:
		reply, update := rest[0], rest[1]
		if update.dates < reply.dates {
			reply, update = update, reply
		}
		if reply.dates < update.dates && reply.dates < rec.dates && notAfter(reply, update) {
			set("received_at", rec)
			set("replied_at", reply)
			set("updated_at", update)
		}
	}
}

// notAfter: a's time is not after b's on contentNearlyAll of the sampled rows where both are filled (and there
// are contentMinValues such rows).
func notAfter(a, b *contentColumn) bool {
	n, ok := 0, 0
	for i := range a.times {
		if a.times[i].IsZero() || b.times[i].IsZero() {
			continue
		}
		n++
		if !a.times[i].After(b.times[i]) {
			ok++
		}
	}
	return n >= contentMinValues && float64(ok) >= contentNearlyAll*float64(n)
}

// mapFreeText finds narrative and summary among the columns nothing else fits, in Chinese free text (at least
// contentShare of the values mostly Han characters). The narrative: at least half of its values distinct, at
// least 10 characters on average, and at least twice as long as any other such column. The summary: the one
// other column with at least a fifth of its values distinct and 6 characters on average, at most half the
// narrative's. Two candidates for either maps neither.
func mapFreeText(cols []*contentColumn, fits map[int][]contentFit, dateCols []*contentColumn, found map[string]int, open func(string) bool) {
	taken := map[int]bool{}
	for _, c := range found {
		taken[c] = true
	}
	for _, d := range dateCols {
		taken[d.col] = true
	}
	type text struct {
		col      int
		mean     float64
		distinct float64 // share of the values that are distinct
	}
	var texts []text
	for _, cc := range cols {
		if taken[cc.col] || len(fits[cc.col]) > 0 || share(cc.values, mostlyHan) < contentShare {
			continue
		}
		total := 0
		for _, v := range cc.values {
			total += utf8.RuneCountInString(v)
		}
		n := float64(len(cc.values))
		texts = append(texts, text{cc.col, float64(total) / n, float64(distinct(cc.values)) / n})
	}
	narrative := -1
	for i, tx := range texts {
		if tx.distinct < 0.5 || tx.mean < 10 {
			continue
		}
		longest := true
		for j, o := range texts {
			if j != i && o.mean*2 > tx.mean {
				longest = false
			}
		}
		if longest {
			narrative = i
		}
	}
	if narrative < 0 {
		return
	}
	if open("narrative") {
		found["narrative"] = texts[narrative].col
	}
	summary := -1
	for i, tx := range texts {
		if i == narrative || tx.distinct < 0.2 || tx.mean < 6 || tx.mean*2 > texts[narrative].mean {
			continue
		}
		if summary >= 0 {
			return
		}
		summary = i
	}
	if summary >= 0 && open("summary") {
		found["summary"] = texts[summary].col
	}
}

// knownSpellings are, per contentDimensions dimension, its spellings folded by catalog.Normalize.
func knownSpellings() map[string]map[string]bool {
	out := map[string]map[string]bool{}
	for _, d := range contentDimensions {
		out[d] = map[string]bool{}
	}
	for _, s := range catalog.Synonyms() {
		if m, ok := out[s.Dimension]; ok {
			m[s.Text] = true
		}
	}
	return out
}

func share(values []string, fits func(string) bool) float64 {
	n := 0
	for _, v := range values {
		if fits(v) {
			n++
		}
	}
	return float64(n) / float64(len(values))
}

func distinct(values []string) int {
	seen := map[string]bool{}
	for _, v := range values {
		seen[v] = true
	}
	return len(seen)
}

// idShare is 1 when the column looks like a complaint id: filled on contentNearlyAll of the sampled rows, as
// many of its values distinct, none a date, and every value 4-40 letters, digits and - _ / with a digit and a
// letter, or at least 6 digits.
func idShare(cc *contentColumn) float64 {
	n := float64(len(cc.values))
	if n < contentNearlyAll*float64(cc.rows) || float64(distinct(cc.values)) < contentNearlyAll*n || cc.dates > 0 {
		return 0
	}
	for _, v := range cc.values {
		if len(v) < 4 || len(v) > 40 {
			return 0
		}
		digits, letters := 0, 0
		for _, r := range v {
			switch {
			case r >= '0' && r <= '9':
				digits++
			case r >= 'A' && r <= 'Z', r >= 'a' && r <= 'z':
				letters++
			case r == '-' || r == '_' || r == '/':
			default:
				return 0
			}
		}
		if digits == 0 || (letters == 0 && digits < 6) {
			return 0
		}
	}
	return 1
}

// compensationShare is 1 when the column reads as the compensation paid by its values alone: contentShare of
// them amounts (cueValuesAgree), one of them written with two decimals, and zero or empty on at least half of
// the sampled rows (most complaints are closed without a payment).
func compensationShare(cc *contentColumn) float64 {
	twoDecimals, zeroOrEmpty, amounts := false, cc.rows-len(cc.values), 0
	for _, v := range cc.values {
		m := amountPattern.FindStringSubmatch(v)
		if m == nil {
			continue
		}
		amounts++
		twoDecimals = twoDecimals || len(m[1]) == 3
		if strings.Trim(v, "0.¥￥元, ") == "" {
			zeroOrEmpty++
		}
	}
	if float64(amounts) < contentShare*float64(len(cc.values)) || !twoDecimals || 2*zeroOrEmpty < cc.rows {
		return 0
	}
	return 1
}

// isStaffNumber: a staff number written with its word (工号D5795, 坐席1024, 柜员号0032).
func isStaffNumber(v string) bool {
	for _, p := range []string{"工号", "坐席", "柜员"} {
		if rest, ok := strings.CutPrefix(v, p); ok && rest != "" {
			return true
		}
	}
	return false
}

func isBranchName(v string) bool {
	for _, s := range branchSuffixes {
		if strings.HasSuffix(v, s) && utf8.RuneCountInString(v) > utf8.RuneCountInString(s) {
			return true
		}
	}
	return false
}

// isDayLimit: 15, 30 or 60, optionally followed by 天 or 日 (the handling time limits of domain.md).
func isDayLimit(v string) bool {
	v = strings.TrimSuffix(strings.TrimSuffix(v, "天"), "日")
	return v == "15" || v == "30" || v == "60"
}

// mostlyHan: at least half of the value's letters are Han characters.
func mostlyHan(v string) bool {
	han, letters := 0, 0
	for _, r := range v {
		if unicode.Is(unicode.Han, r) {
			han++
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			letters++
		}
	}
	return han > 0 && 2*han >= letters
}
