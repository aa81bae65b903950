package scope

import (
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// removeStaleScopes removes the scoped copies left in base by processes that are gone (killed before their
// Close): a copy's folder is named scope-<pid>-<random>, and a pid that no longer runs marks it stale. Folders
// of a live pid (this process's other copies, a concurrent report) and folders named otherwise are left alone.
func removeStaleScopes(base string, log *slog.Logger) {
	entries, err := os.ReadDir(base)
	if err != nil {
		return
	}
	for _, en := range entries {
		pidText, _, ok := strings.Cut(strings.TrimPrefix(en.Name(), "scope-"), "-")
		if !en.IsDir() || !strings.HasPrefix(en.Name(), "scope-") || !ok {
			continue
		}
		pid, err := strconv.Atoi(pidText)
		if err != nil || pid <= 0 || processAlive(pid) {
			continue
		}
		p := filepath.Join(base, en.Name())
		if err := os.RemoveAll(p); err != nil && log != nil {
			log.Warn("scope: cannot remove a stale scoped copy", "dir", p, "err", err)
		} else if log != nil {
			log.Info("scope: removed a stale scoped copy of a process that is gone", "dir", p, "pid", pid)
		}
	}
}

// processAlive says whether a process with this pid exists (signal 0 checks without sending anything).
func processAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
