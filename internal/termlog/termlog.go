// Package termlog owns the process's log output on the terminal (stderr) while progress bars are drawn there.
// A bar redraws its lines in place, so a log line written between two redraws would break the bars and be broken
// by them: while any bar container is live (Hold), log lines are kept, in order, and written whole once the last
// one is done. Outside that, a line goes straight through.
package termlog

import (
	"bytes"
	"io"
	"os"
	"sync"
)

// Writer is a log destination that can be held while progress bars run.
type Writer struct {
	mu    sync.Mutex
	out   io.Writer
	holds int
	held  bytes.Buffer
}

// New is a Writer on out.
func New(out io.Writer) *Writer { return &Writer{out: out} }

// Stderr is the process's log output: the command line's logger writes to it, and whatever draws progress bars
// on stderr holds it while they are live.
var Stderr = New(os.Stderr)

// Write writes b through, or keeps it while the writer is held. A logger writes one whole line a call.
func (w *Writer) Write(b []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.holds > 0 {
		return w.held.Write(b)
	}
	return w.out.Write(b)
}

// Hold keeps what is written until release is called (once the bars are done: after mpb's Progress.Wait).
// Holds nest: the lines kept go out, in the order written, when the last hold is released. release may be
// called more than once.
func (w *Writer) Hold() (release func()) {
	w.mu.Lock()
	w.holds++
	w.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			w.mu.Lock()
			defer w.mu.Unlock()
			if w.holds--; w.holds == 0 && w.held.Len() > 0 {
				_, _ = w.out.Write(w.held.Bytes())
				w.held.Reset()
			}
		})
	}
}
