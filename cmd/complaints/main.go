// Command complaints turns banks' consumer-complaint exports into regulator workbooks and offline dashboards.
// It is a thin shell: flags into a struct, then calls into pipeline, ingest, transform, reports and
// dashboards. Exit codes: 0 success, 1 a step failed, 2 a usage or configuration error.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"complaints/internal/termtext"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := newRoot().ExecuteContext(ctx)
	stop()
	if err != nil {
		for _, line := range errorLines(err) {
			fmt.Fprintln(os.Stderr, "complaints:", line)
		}
		var u usageError
		if errors.As(err, &u) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

// usageError marks errors in how the command was called (exit code 2).
type usageError struct{ err error }

func (u usageError) Error() string { return u.err.Error() }
func (u usageError) Unwrap() error { return u.err }

// errorLines is the final error as lines for stderr: the errors an errors.Join holds one a line, each shown
// with termtext.Clean, so a file name or value with a newline or an escape sequence can neither forge a line
// nor act on the terminal.
func errorLines(err error) []string {
	if j, ok := err.(interface{ Unwrap() []error }); ok && isJoin(err) {
		var out []string
		for _, e := range j.Unwrap() {
			out = append(out, errorLines(e)...)
		}
		return out
	}
	return []string{termtext.Clean(err.Error())}
}

// isJoin says whether err is what errors.Join makes (its text is its errors' texts, one a line).
func isJoin(err error) bool { return fmt.Sprintf("%T", err) == "*errors.joinError" }
