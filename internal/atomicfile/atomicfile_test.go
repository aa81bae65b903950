//go:build unix

package atomicfile

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestModeIgnoresUmask: under a umask of 022 a written file is 0600, not 0644; SetMode changes it.
func TestModeIgnoresUmask(t *testing.T) {
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	defer SetMode(0)
	p := filepath.Join(t.TempDir(), "report.xlsx")
	for _, want := range []os.FileMode{0o600, 0o640, 0o600} {
		if want != 0o600 {
			SetMode(want)
		} else {
			SetMode(0)
		}
		if err := Write(p, []byte("x")); err != nil {
			t.Fatal(err)
		}
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != want {
			t.Fatalf("mode %v, want %v", fi.Mode().Perm(), want)
		}
	}
}

func TestSafeName(t *testing.T) {
	if got := SafeName("广州/天河 支行:1\n"); got != "广州_天河_支行_1_" {
		t.Fatalf("%q", got)
	}
}
