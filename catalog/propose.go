package catalog

import (
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Evidence kinds of a Proposal, strongest first.
const (
	EvidenceCrosswalk = "crosswalk" // a public vocabulary's crosswalk (CFPBCrosswalk) lists the value
	EvidenceRecords   = "records"   // other sources' records of the same complaint id or narrative carry the code
	EvidenceWords     = "words"     // the value shares words with the code's spellings, keywords and value words
)

// Proposal is a code proposed for a raw value that maps to none, with the evidence for it. It is never applied:
// `taxonomy unmapped` prints it and can write it to the user taxonomy file for review.
type Proposal struct {
	Code     string
	Evidence string // EvidenceCrosswalk, EvidenceRecords or EvidenceWords
	Detail   string // the crosswalk value, the shared words, or the record count
	Score    int    // within one kind: larger is stronger
}

// RecordEvidence is how many records of other sources that share a complaint id or narrative with records of an
// unmapped value carry a code (readmodel.LoadValueEvidence).
type RecordEvidence struct {
	Code    string
	Records int
}

// Propose ranks codes of a dimension for a raw value that maps to none by meaning: the crosswalk's code for the
// same value, then codes that other sources' records of the same complaints carry (records), then the codes
// whose spellings, keywords and value words share words with the value (whole terms it contains, then shared
// English words and Chinese two-character words), only when neither of the first two has any. Spelling alone
// (edit distance) is no evidence. At most n.
func Propose(dimension, raw string, records []RecordEvidence, n int) []Proposal {
	v := Normalize(raw)
	best := map[string]Proposal{}
	add := func(p Proposal) {
		if o, ok := best[p.Code]; !ok || rank(p) < rank(o) || (rank(p) == rank(o) && p.Score > o.Score) {
			best[p.Code] = p
		}
	}
	xw := CFPBCrosswalk()
	switch dimension {
	case "business_category":
		if c, ok := xw.Category(raw, ""); ok {
			add(Proposal{Code: c, Evidence: EvidenceCrosswalk, Detail: raw, Score: 1})
		}
	case "cause":
		if c, ok := xw.Cause(raw, ""); ok {
			add(Proposal{Code: c, Evidence: EvidenceCrosswalk, Detail: raw, Score: 1})
		}
	}
	for _, r := range records {
		if r.Code != "unmapped" && r.Code != "" {
			add(Proposal{Code: r.Code, Evidence: EvidenceRecords, Detail: strconv.Itoa(r.Records), Score: r.Records})
		}
	}
	vw := valueWords(v)
	var terms []Synonym
	if len(best) == 0 { // a crosswalk or other sources' records outweigh shared words
		terms = proposalTerms(dimension)
	}
	for _, t := range terms {

		var shared []string
		score := 0
		if containsTerm(v, t.Text) {
			shared, score = []string{t.Text}, 2*utf8.RuneCountInString(t.Text)
		} else {
			for w := range valueWords(t.Text) {
				if vw[w] {
					shared = append(shared, w)
					score += utf8.RuneCountInString(w)
				}
			}
		}
		if score == 0 {
			continue
		}
		if t.Code == "other" {
			score = 1 // a word of code other is no evidence beside any other code's
		}
		sort.Strings(shared)
		add(Proposal{Code: t.Code, Evidence: EvidenceWords, Detail: strings.Join(shared, " "), Score: score})
	}
	out := make([]Proposal, 0, len(best))
	for _, p := range best {
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool {
		if rank(out[i]) != rank(out[j]) {
			return rank(out[i]) < rank(out[j])
		}
		if out[i].Score != out[j].Score {
			return out[i].Score > out[j].Score
		}
		return out[i].Code < out[j].Code
	})
	if len(out) > n {
		out = out[:n]
	}
	return out
}

func rank(p Proposal) int {
	switch p.Evidence {
	case EvidenceCrosswalk:
		return 0
	case EvidenceRecords:
		return 1
	}
	return 2
}

// proposalTerms are the texts whose words speak for a code: spellings, keywords and value words, folded.
func proposalTerms(dimension string) []Synonym {
	var out []Synonym
	for _, s := range Synonyms() {
		if s.Dimension == dimension && utf8.RuneCountInString(s.Text) >= 2 {
			out = append(out, s)
		}
	}
	for _, r := range KeywordRules() {
		if r.Dimension == dimension {
			out = append(out, Synonym{Dimension: dimension, Text: r.Keyword, Code: r.Code})
		}
	}
	for _, w := range ValueWords() {
		if w.Dimension == dimension {
			out = append(out, w)
		}
	}
	return out
}

// containsTerm says whether folded value v contains term t: an ASCII term as whole words (plural s/es allowed),
// any other as a substring of two characters or more.
func containsTerm(v, t string) bool {
	if utf8.RuneCountInString(t) < 2 {
		return false
	}
	if !isASCII(t) {
		return strings.Contains(v, t)
	}
	pad := " " + strings.Join(asciiWords(v), " ") + " "
	tw := strings.Join(asciiWords(t), " ")
	return tw != "" && (strings.Contains(pad, " "+tw+" ") || strings.Contains(pad, " "+tw+"s ") || strings.Contains(pad, " "+tw+"es "))
}

// valueWords are the words of a folded text: English words of three letters or more (a trailing s or es
// dropped) and every two Chinese characters in a row.
func valueWords(s string) map[string]bool {
	out := map[string]bool{}
	for _, w := range asciiWords(s) {
		if len(w) >= 3 && !stopWords[w] {
			out[stem(w)] = true
		}
	}
	var run []rune
	flush := func() {
		for i := 0; i+1 < len(run); i++ {
			out[string(run[i:i+2])] = true
		}
		run = run[:0]
	}
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			run = append(run, r)
		} else {
			flush()
		}
	}
	flush()
	return out
}

var stopWords = map[string]bool{"the": true, "and": true, "for": true, "with": true, "not": true, "other": true, "from": true, "your": true}

func stem(w string) string {
	switch {
	case strings.HasSuffix(w, "ies") && len(w) > 4:
		return w[:len(w)-3] + "y"
	case strings.HasSuffix(w, "es") && len(w) > 4 && strings.ContainsAny(w[len(w)-3:len(w)-2], "sxz"):
		return w[:len(w)-2]
	case strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && len(w) > 3:
		return w[:len(w)-1]
	}
	return w
}

func asciiWords(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9') })
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
