//go:build unix

package main

import (
	"os"
	"syscall"
)

// restrictUmask narrows the process umask so that files other libraries create (DuckDB's warehouse and WAL)
// get no more group and other permission than privacy.file_mode allows.
func restrictUmask(mode os.FileMode) {
	old := syscall.Umask(0)
	syscall.Umask(old | int(0o077&^mode.Perm()))
}
