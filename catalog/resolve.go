package catalog

import "strings"

// Resolve finds the code of a dimension that a user typed: the code itself, its zh or en label as the outputs
// show it, its short form or any synonym (folded as Normalize folds them; a user file's spellings included), or
// for a province a CFPB region's code or name (zh or en). A code's own label wins over another code's synonym (a
// user file may move the spelling 信用卡 to a new code while the credit_card row is still labelled 信用卡). On a
// miss it returns up to three suggestions (Closest).
func Resolve(dimension, text string) (code string, suggestions []Match, ok bool) {
	v := Normalize(text)
	if v == "" {
		return "", nil, false
	}
	if c, found := Lookup(dimension, strings.TrimSpace(text)); found {
		return c.Code, nil, true
	}
	for _, c := range Dimension(dimension) {
		if Normalize(c.ZH) == v || Normalize(c.EN) == v {
			return c.Code, nil, true
		}
	}
	for _, s := range Synonyms() {
		if s.Dimension == dimension && s.Text == v {
			return s.Code, nil, true
		}
	}
	if dimension == "province" {
		if c, found := CFPBCrosswalk().RegionSynonyms()[v]; found {
			return c, nil, true
		}
		for _, r := range CFPBCrosswalk().Regions {
			if Normalize(r.Zh) == v {
				return RegionPrefix + r.Code, nil, true
			}
		}
		if _, found := regionLabel(strings.ToUpper(strings.TrimSpace(text)), "en"); found {
			return strings.ToUpper(strings.TrimSpace(text)), nil, true
		}
	}
	return "", Closest(dimension, text, 3), false
}
