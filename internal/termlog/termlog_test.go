package termlog

import (
	"bytes"
	"fmt"
	"testing"
)

// TestHeldLinesFollowTheBars: on a fake terminal, log lines written while bars are held come out whole, in order,
// after the bars' last frame; nothing is lost, and lines go straight through when nothing is held.
func TestHeldLinesFollowTheBars(t *testing.T) {
	var term bytes.Buffer
	w := New(&term)
	fmt.Fprintln(w, "before")
	release := w.Hold()
	inner := w.Hold()
	for i := range 3 {
		term.WriteString("\x1b[1A\rbar " + fmt.Sprint(i) + "/3") // a redraw in place
		fmt.Fprintf(w, "log line %d\n", i)
	}
	inner()
	if got := term.String(); bytes.Contains([]byte(got), []byte("log line")) {
		t.Fatalf("a log line reached the terminal while bars were live: %q", got)
	}
	term.WriteString("\x1b[1A\rbar 3/3\n")
	release()
	release()
	want := "before\n\x1b[1A\rbar 0/3\x1b[1A\rbar 1/3\x1b[1A\rbar 2/3\x1b[1A\rbar 3/3\nlog line 0\nlog line 1\nlog line 2\n"
	if got := term.String(); got != want {
		t.Fatalf("terminal:\n%q\nwant\n%q", got, want)
	}
	fmt.Fprintln(w, "after")
	if got := term.String(); got != want+"after\n" {
		t.Fatalf("not written through after release: %q", got)
	}
}
