package catalog

import (
	"sort"
	"strings"

	"complaints/internal/editdist"
)

// Match is a code suggested for a raw spelling, with how far the nearest of its spellings is.
type Match struct {
	Code     string
	Spelling string
	Distance int
}

// Closest suggests up to n codes of a dimension for a raw value that maps to none: by edit distance over runes
// between the folded value and every spelling, with a spelling contained in the value (or the value in it)
// counted as close. It helps a user write a synonym; it never classifies anything by itself.
func Closest(dimension, raw string, n int) []Match {
	v := []rune(Normalize(raw))
	best := map[string]Match{}
	for _, s := range Synonyms() {
		if s.Dimension != dimension {
			continue
		}
		d := editdist.Runes(v, []rune(s.Text))
		if strings.Contains(string(v), s.Text) || strings.Contains(s.Text, string(v)) {
			d = min(d, abs(len([]rune(s.Text))-len(v)))
		}
		if m, ok := best[s.Code]; !ok || d < m.Distance {
			best[s.Code] = Match{Code: s.Code, Spelling: s.Text, Distance: d}
		}
	}
	out := make([]Match, 0, len(best))
	for _, m := range best {
		out = append(out, m)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Distance != out[j].Distance {
			return out[i].Distance < out[j].Distance
		}
		return out[i].Code < out[j].Code
	})
	if len(out) > n {
		out = out[:n]
	}
	return out
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
