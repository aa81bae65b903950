package rootcause

// SampleDB is the shared sample warehouse, for the package's external tests (those that render findings).
var SampleDB = sampleDB

// HandWorked is the hand-worked bank of excess_test.go, analysed.
func HandWorked() *Findings {
	f, _ := handWorked()
	return f
}
