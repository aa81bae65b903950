//go:build !unix

package main

import "os"

// restrictUmask has nothing to narrow where there is no umask.
func restrictUmask(os.FileMode) {}
