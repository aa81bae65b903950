package rootcause

// SampleDB is the shared sample warehouse, for the package's external tests (those that render findings).
var SampleDB = sampleDB
