package ingest

import "complaints/catalog"

// The ingest tests read messages in English (the golden files' reasons); tests of the Chinese text render it
// with catalog.Localize or Message.In.
func init() { catalog.SetLang("en") }
