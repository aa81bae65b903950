// Package editdist owns the edit distance used to suggest the closest header or code for a value that matched
// none (ingest's missing-column message, the taxonomy's unmapped list).
package editdist

// Runes is the Levenshtein distance between a and b, counted in runes (a Chinese character is one edit).
func Runes(a, b []rune) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			c := 1
			if a[i-1] == b[j-1] {
				c = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+c)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
