package rootcause

// SampleDB is the shared sample warehouse, for the package's external tests (those that render findings).
var SampleDB = sampleDB

// HandWorked is the hand-worked bank of excess_test.go, analysed.
func HandWorked() *Findings {
	f, _ := handWorked()
	return f
}

// ShortHistoryFindings are the generator's bank analysed in its third month (insufficient history everywhere).
var ShortHistoryFindings = shortHistoryFindings
