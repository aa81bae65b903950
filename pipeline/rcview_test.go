package pipeline

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"complaints/catalog"
	"complaints/sample-data/generator"
	"complaints/warehouse"
)

// checkOutageByChannel: the demo's planted outage (truth.Planted.Spike) shows in the business-channel view of the
// month's 根因 sheet and dashboard as its channel rising: the month's count is above the month before by at
// least the planted complaints' share in that channel.
func checkOutageByChannel(t *testing.T, ctx context.Context, env *Env, w *warehouse.Warehouse, truth *generator.Truth, out, july string) {
	t.Helper()
	s := truth.Planted.Spike
	label := catalog.Label("business_channel", s.BusinessChannel, "zh")
	m, err := time.Parse("2006-01", s.Month)
	if err != nil {
		t.Fatal(err)
	}
	prev := m.AddDate(0, -1, 0).Format("2006-01")
	rise := func(where string, before, during int) {
		t.Logf("%s: %s %s %d, %s %d", where, label, prev, before, s.Month, during)
		if during-before < s.Planted/2 {
			t.Errorf("%s: %s %s %d, %s %d: the outage (%d planted) does not show", where, label, prev, before, s.Month, during, s.Planted)
		}
	}
	// the 根因 sheet: the business-channel table has one column per month
	f, err := excelize.OpenFile(july)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(catalog.Text("rpt_rc_sheet", "zh"), excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	header, found := -1, false
	for i, r := range rows {
		if len(r) > 0 && r[0] == catalog.Text("rc_view_channels_title", "zh") {
			header = i + 1
		}
		if header > 0 && i > header && len(r) > 2 && r[1] == label {
			col := func(m string) int {
				for j, h := range rows[header] {
					if h == m {
						n, _ := strconv.Atoi(r[j])
						return n
					}
				}
				t.Fatalf("no column %s in %v", m, rows[header])
				return 0
			}
			rise("根因 sheet", col(prev), col(s.Month))
			found = true
			break
		}
	}
	if !found {
		t.Errorf("the 根因 sheet for %s has no %s row in its business-channel view", s.Month, label)
	}
	// the dashboard ending at the month: the data table of the business-channel chart
	path, err := env.Dashboard(ctx, w, "", s.Month, "zh", filepath.Join(out, "dashboard-"+s.Month+".html"), false)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	page := string(b)
	i := strings.Index(page, `id="chart-rcchannels"`)
	if i < 0 {
		t.Fatal("the dashboard has no business-channel view")
	}
	panel := page[i:]
	panel = panel[:strings.Index(panel, "</table>")]
	cells := func(re, s string) []string {
		var out []string
		for _, m := range regexp.MustCompile(re).FindAllStringSubmatch(s, -1) {
			out = append(out, m[1])
		}
		return out
	}
	heads := cells(`<th>(.*?)</th>`, panel)
	byMonth := map[string][]string{}
	for _, tr := range cells(`(?s)<tr>(.*?)</tr>`, panel) {
		if td := cells(`<td>(.*?)</td>`, tr); len(td) > 0 {
			byMonth[td[0]] = td
		}
	}
	for j, h := range heads {
		if h == label && len(byMonth[prev]) > j && len(byMonth[s.Month]) > j {
			before, _ := strconv.Atoi(byMonth[prev][j])
			during, _ := strconv.Atoi(byMonth[s.Month][j])
			rise("dashboard", before, during)
			return
		}
	}
	t.Errorf("the dashboard's business-channel view has no %s column for %s and %s: %v", label, prev, s.Month, heads)
}
