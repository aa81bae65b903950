//go:build unix

package bench

import (
	"os"
	"runtime"
	"syscall"
)

// peakRSS is the maximum resident set size of the finished process, in bytes (0 when unknown).
func peakRSS(ps *os.ProcessState) int64 {
	ru, ok := ps.SysUsage().(*syscall.Rusage)
	if !ok {
		return 0
	}
	if runtime.GOOS == "darwin" {
		return ru.Maxrss // bytes on macOS
	}
	return ru.Maxrss * 1024 // kilobytes on Linux and the BSDs
}
