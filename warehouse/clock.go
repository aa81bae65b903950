package warehouse

import "time"

// Beijing is the zone of every timestamp in the warehouse (China has no daylight saving time since 1991, so a
// fixed offset is exact for every date the warehouse holds and needs no tzdata on the machine).
var Beijing = time.FixedZone("CST", 8*60*60)

// WallClock returns t's Beijing wall-clock time as a zone-less value (UTC location, same digits), which is the
// form every TIMESTAMP column of the warehouse holds.
//
// Why: duckdb-go binds a Go time.Time as an instant. A value in Asia/Shanghai such as 2026-10-01 00:30 +08:00
// would be stored as 2026-09-30 16:30 in a naive TIMESTAMP column, moving the complaint into September. Binding
// WallClock(t) stores 2026-10-01 00:30, the time the bank's staff saw. The same holds for DuckDB's own JSON
// reader, which shifts "+08:00" strings to UTC: ingest parses such strings in Go instead.
func WallClock(t time.Time) time.Time {
	b := t.In(Beijing)
	return time.Date(b.Year(), b.Month(), b.Day(), b.Hour(), b.Minute(), b.Second(), b.Nanosecond(), time.UTC)
}

// FromWallClock reads a TIMESTAMP scanned from the warehouse (zone-less digits) back as a Beijing time.
func FromWallClock(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), Beijing)
}

// WallClockText formats t as the landing text form 'YYYY-MM-DD HH:MM:SS' in Beijing wall-clock time. It is
// t.In(Beijing).Format("2006-01-02 15:04:05") written out digit by digit: ingest formats every date of every
// row, and the layout-driven Format was a large share of reading an export (TestWallClockTextIsFormat).
func WallClockText(t time.Time) string {
	t = t.In(Beijing)
	y, mo, d := t.Date()
	if y < 0 || y > 9999 {
		return t.Format("2006-01-02 15:04:05")
	}
	h, mi, s := t.Clock()
	b := [19]byte{'0' + byte(y/1000), '0' + byte(y/100%10), '0' + byte(y/10%10), '0' + byte(y%10), '-',
		'0' + byte(mo/10), '0' + byte(mo%10), '-', '0' + byte(d/10), '0' + byte(d%10), ' ',
		'0' + byte(h/10), '0' + byte(h%10), ':', '0' + byte(mi/10), '0' + byte(mi%10), ':', '0' + byte(s/10), '0' + byte(s%10)}
	return string(b[:])
}
