package ingest

// LandEveryRow lets the external tests land every row as a version (landEveryRow).
func LandEveryRow(on bool) { landEveryRow = on }
