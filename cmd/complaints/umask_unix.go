//go:build unix

package main

import (
	"os"
	"syscall"
)

// restrictUmask narrows the process umask so that files other libraries create (DuckDB's warehouse and WAL)
// get no more group and other permission than privacy.file_mode allows; folders keep the search bit where the
// mode lets a group or others read (0640: files 0640, folders 0750).
func restrictUmask(mode os.FileMode) {
	m := mode.Perm()
	allow := m | (m&0o044)>>2
	old := syscall.Umask(0)
	syscall.Umask(old | int(0o077&^allow))
}
