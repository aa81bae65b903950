// Package yamlerr owns the one way a YAML decoding error is shown to a user: goccy/go-yaml's position
// ("[3:1] unknown field \"x\"") kept, its source excerpt dropped, so the message is one line a scheduler log
// can hold.
package yamlerr

import (
	"errors"
	"strings"

	"github.com/goccy/go-yaml"
)

// Line is err as one line; unknownFieldHint, when not empty, is appended in brackets to an "unknown field"
// error (where the user can look the keys up).
func Line(err error, unknownFieldHint string) string {
	var yerr yaml.Error
	msg := err.Error()
	if errors.As(err, &yerr) {
		msg = yerr.FormatError(false, false)
	}
	first, _, _ := strings.Cut(strings.TrimSpace(msg), "\n")
	if unknownFieldHint != "" && strings.Contains(first, "unknown field") {
		first += " (" + unknownFieldHint + ")"
	}
	return first
}
