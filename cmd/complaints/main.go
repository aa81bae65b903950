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
	"runtime/pprof"
	"syscall"

	"complaints/internal/termtext"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	stopProfile := cpuProfile(os.Getenv("COMPLAINTS_CPUPROFILE"))
	err := newRoot().ExecuteContext(ctx)
	stopProfile()
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

// cpuProfile writes a CPU profile of the whole command to path (COMPLAINTS_CPUPROFILE, for the measurements of
// docs/performance.md; "" : none) and returns what stops it.
func cpuProfile(path string) func() {
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, "complaints: cpu profile:", err)
		return func() {}
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		fmt.Fprintln(os.Stderr, "complaints: cpu profile:", err)
		return func() {}
	}
	return func() { pprof.StopCPUProfile(); f.Close() }
}
