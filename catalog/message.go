package catalog

import (
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
)

// Message is a user-facing sentence of the catalogue with its arguments. The catalogue entry (labels_msg_*.yaml)
// is a fmt template in each language; use explicit argument indexes (%[1]s) where the languages order them
// differently. A Message is an error: Error renders it in the process language (SetLang), In in any language.
// Tests match on Key, never on the rendered words.
type Message struct {
	Key  string
	Args []any
}

// Msg makes a message. An argument that is an error is rendered through its own Error (so a wrapped Message is
// rendered in the same language) and is reachable with errors.Is / errors.As through Unwrap; an argument that is
// a func(lang string) string is called with the language the message renders in.
func Msg(key string, args ...any) *Message { return &Message{Key: key, Args: args} }

// Errorf is Msg typed as an error, for return statements.
func Errorf(key string, args ...any) error { return Msg(key, args...) }

func (m *Message) Error() string { return m.In(Lang()) }

// In renders the message in lang ("zh" or "en").
func (m *Message) In(lang string) string {
	args := make([]any, len(m.Args))
	for i, a := range m.Args {
		switch v := a.(type) {
		case *Message:
			args[i] = v.In(lang)
		case func(lang string) string:
			args[i] = v(lang)
		case error:
			args[i] = Localize(v, lang)
		default:
			args[i] = a
		}
	}
	t := Text(m.Key, lang)
	if strings.HasPrefix(t, "?") {
		return t + fmt.Sprint(args...)
	}
	return fmt.Sprintf(t, args...)
}

// Unwrap gives the error arguments, so errors.Is and errors.As see through a message.
func (m *Message) Unwrap() []error {
	var errs []error
	for _, a := range m.Args {
		if e, ok := a.(error); ok {
			errs = append(errs, e)
		}
	}
	return errs
}

// Localize renders err in lang: a Message (or an error that is one at its top) in that language, anything else
// as its own text.
func Localize(err error, lang string) string {
	if err == nil {
		return ""
	}
	var m *Message
	if errors.As(err, &m) && m == err {
		return m.In(lang)
	}
	return err.Error()
}

// HasKey says whether err is, or wraps, the catalogue message key.
func HasKey(err error, key string) bool {
	for e := range walk(err) {
		if m, ok := e.(*Message); ok && m.Key == key {
			return true
		}
	}
	return false
}

func walk(err error) func(func(error) bool) {
	return func(yield func(error) bool) {
		var rec func(error) bool
		rec = func(e error) bool {
			if e == nil {
				return true
			}
			if !yield(e) {
				return false
			}
			switch u := e.(type) {
			case interface{ Unwrap() error }:
				return rec(u.Unwrap())
			case interface{ Unwrap() []error }:
				for _, x := range u.Unwrap() {
					if !rec(x) {
						return false
					}
				}
			}
			return true
		}
		rec(err)
	}
}

var lang atomic.Value // string

// SetLang sets the language messages render in for this process ("zh" or "en"; the CLI sets it from the
// config's language or --lang). The default is Chinese, the config's default.
func SetLang(l string) {
	if l != "en" {
		l = "zh"
	}
	lang.Store(l)
}

// Lang is the process language of messages.
func Lang() string {
	if l, ok := lang.Load().(string); ok {
		return l
	}
	return "zh"
}
