package catalog

// TextIn is the entry of key in exactly lang, without Text's fallback to Chinese; ok is false when the catalogue
// has no text for key in lang.
func TextIn(key, lang string) (string, bool) {
	load()
	s := labels[key][lang]
	return s, s != ""
}
