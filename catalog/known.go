package catalog

// Known says whether text is a code or a spelling (label, short form, synonym) of a code of dimension, as
// normalise's mapping reads it (folded with Normalize). A dimension the catalogue does not have knows nothing.
func Known(dimension, text string) bool {
	n := Normalize(text)
	for _, s := range Synonyms() {
		if s.Dimension == dimension && s.Text == n {
			return true
		}
	}
	return false
}
