package warehouse

import (
	"math/rand/v2"
	"testing"
	"time"
)

// WallClockText writes the digits itself; it must give exactly what the layout gives, in every zone t may come
// in and at the edges of the years it handles itself.
func TestWallClockTextIsFormat(t *testing.T) {
	zones := []*time.Location{time.UTC, Beijing, time.FixedZone("W", -11*3600), time.FixedZone("E", 14*3600+1800)}
	edges := []time.Time{
		time.Date(0, 1, 1, 0, 0, 0, 0, Beijing), time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(999, 12, 31, 23, 59, 59, 999999999, Beijing), time.Date(1900, 2, 28, 8, 0, 0, 0, time.UTC),
		time.Date(9999, 12, 31, 15, 59, 59, 0, time.UTC), time.Date(9999, 12, 31, 16, 0, 0, 0, time.UTC),
		time.Date(-1, 6, 1, 0, 0, 0, 0, Beijing), time.Date(12345, 6, 1, 0, 0, 0, 0, Beijing),
		time.Date(2026, 10, 31, 16, 0, 0, 0, time.UTC), time.Date(2024, 2, 29, 23, 59, 59, 0, Beijing),
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		edges = append(edges, time.Unix(r.Int64N(400*365*86400)-200*365*86400, r.Int64N(1e9)).In(zones[r.IntN(len(zones))]))
	}
	for _, tm := range edges {
		if got, want := WallClockText(tm), tm.In(Beijing).Format("2006-01-02 15:04:05"); got != want {
			t.Fatalf("WallClockText(%v) = %q, want %q", tm, got, want)
		}
	}
}
