// Package atomicfile owns writing an output file so that a reader never sees half of it: the bytes go to a
// temporary file beside the target, which is renamed over it when complete. Reports, dashboards, lists and CSV
// exports use it. It also holds the permission every written file gets (SetMode, config privacy.file_mode):
// 0600 unless configured, whatever the umask, because outputs hold complaint details.
package atomicfile

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
)

// DefaultMode is the permission of written files unless SetMode changes it.
const DefaultMode os.FileMode = 0o600

var mode atomic.Uint32

func init() { mode.Store(uint32(DefaultMode)) }

// SetMode sets the permission of the files written from now on (the config's privacy.file_mode); 0 restores
// DefaultMode.
func SetMode(m os.FileMode) {
	if m == 0 {
		m = DefaultMode
	}
	mode.Store(uint32(m.Perm()))
}

// Mode is the permission written files get.
func Mode() os.FileMode { return os.FileMode(mode.Load()) }

// Write writes b to path through a temporary file in the same folder, with permission Mode().
func Write(path string, b []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("write %q: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return fmt.Errorf("write %q: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %q: %w", path, err)
	}
	if err := os.Chmod(tmp.Name(), Mode()); err != nil {
		return fmt.Errorf("write %q: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %q: %w", path, err)
	}
	return nil
}

// SafeName keeps a text (a branch name or code) usable as part of an output file name on any system: path
// separators, the characters Windows forbids and spaces become '_'.
func SafeName(s string) string {
	return strings.Map(func(r rune) rune {
		if strings.ContainsRune(`/\:*?"<>| `, r) || r < 0x20 {
			return '_'
		}
		return r
	}, s)
}
