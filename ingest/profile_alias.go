package ingest

import "complaints/ingest/profile"

// Profile is a source system's export as the config describes it (package profile owns the type; config uses it
// without importing ingest).
type Profile = profile.Profile

// Limits bound what one file may cost to read (package profile owns the type).
type Limits = profile.Limits

// DefaultLimits are the bounds used where a Limits field is zero.
var DefaultLimits = profile.DefaultLimits

// ColumnMap is a profile's columns: field -> header text, or alternative names (package profile owns the type).
type ColumnMap = profile.ColumnMap

// ReceivedDateAsOf is the received_date that dates every record by its export's as-of date.
const ReceivedDateAsOf = profile.ReceivedDateAsOf
