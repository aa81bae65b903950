package dashboards

import (
	"context"
	"path/filepath"
	"strconv"
	"testing"

	"complaints/catalog"
	"complaints/readmodel"
	"complaints/readmodel/readmodeltest"
)

// TestBandsNotRecorded: the duration-bands chart of CFPB complaints (closed without reply dates, domain.md
// section 9) has a fifth bar "not recorded" holding them, so the bars add up to closed; with handling days only
// it keeps its four bars.
func TestBandsNotRecorded(t *testing.T) {
	ctx := context.Background()
	w := readmodeltest.Landed(t, filepath.Join("..", "testdata", "public", "cfpb", "consumer_complaints_2016_349rows.csv"))
	m, _ := readmodel.ParseMonth("2016-09")
	months, err := readmodel.LoadDashMonthFigures(ctx, w.DB, m, m)
	if err != nil {
		t.Fatal(err)
	}
	closed := months[m].Closed
	if closed == 0 {
		t.Fatal("the extract has no closed complaint in 2016-09")
	}
	_, tbl := bandsChart("zh", m, m, months)
	notRecorded := catalog.Text("dash_band_not_recorded", "zh")
	if n := len(tbl.Rows); n != 6 || tbl.Rows[4][0] != notRecorded || tbl.Rows[4][1] != strconv.FormatInt(closed, 10) {
		t.Fatalf("bands %v: want four zero bands, %q with the %d closed, and the total", tbl.Rows, notRecorded, closed)
	}
	if got := tbl.Rows[5][1]; got != strconv.FormatInt(closed, 10) {
		t.Errorf("bands total %s, want closed %d", got, closed)
	}

	_, tbl = bandsChart("zh", m, m, map[readmodel.Month]readmodel.DashMonthFigures{m: {Closed: 3, Closed0To15: 2, ClosedOver60: 1}})
	if len(tbl.Rows) != 5 {
		t.Errorf("bands with handling days only: %v, want four bands and the total", tbl.Rows)
	}
}
