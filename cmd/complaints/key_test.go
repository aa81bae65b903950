package main

import "os"

// The tests set their own privacy key: ingest has no built-in one. A test of the missing key unsets it with
// t.Setenv("COMPLAINTS_HMAC_KEY", "").
func init() { os.Setenv("COMPLAINTS_HMAC_KEY", "test-key-of-the-main-tests") }
