package dashboards

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"complaints/readmodel/readmodeltest"
)

// phoneOverflow lists the elements that stick out of a viewport W wide, leaving out those inside a box that
// scrolls (or clips) sideways and itself fits: the page never scrolls sideways, a wide table scrolls in its box.
// Every data table is opened first.
const phoneOverflow = `(function () {
  document.querySelectorAll("details").forEach(function (d) { d.open = true; });
  var W = document.documentElement.clientWidth, bad = [];
  if (document.documentElement.scrollWidth > W + 1) { bad.push("the page is " + document.documentElement.scrollWidth + " px wide"); }
  document.querySelectorAll("body *").forEach(function (e) {
    var r = e.getBoundingClientRect();
    if ((r.width === 0 && r.height === 0) || (r.left >= -1 && r.right <= W + 1)) { return; }
    for (var a = e.parentElement; a && a !== document.body; a = a.parentElement) {
      var ox = getComputedStyle(a).overflowX, ar = a.getBoundingClientRect();
      if ((ox === "auto" || ox === "scroll" || ox === "hidden") && ar.left >= -1 && ar.right <= W + 1) { return; }
    }
    bad.push(e.tagName + (e.id ? "#" + e.id : "") + (e.className ? "." + e.className : "") + " " + Math.round(r.left) + ".." + Math.round(r.right));
  });
  return bad.slice(0, 20);
})()`

// TestDrillInBrowser clicks a bar of the categories chart and a cell of the heatmap (through the canvas) and a name
// in the branch table of the CFPB extract's page: each opens the table of the month's complaints with the rows and the list command.
// In print media every chart fits a page and no panel, chart, table or row breaks (checkPrint); at 390 px wide
// no element sticks out of the viewport (the page and the open drill-down). Nothing may fail or be fetched.
func TestDrillInBrowser(t *testing.T) {
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("COMPLAINTS_REQUIRE_BROWSER") == "1" {
			t.Fatalf("COMPLAINTS_REQUIRE_BROWSER=1 but %s is missing", chromiumPath)
		}
		t.Skipf("%s is missing", chromiumPath)
	}
	if testing.Short() && os.Getenv("COMPLAINTS_REQUIRE_BROWSER") != "1" {
		t.Skip("browser test skipped in -short mode")
	}
	w := readmodeltest.Landed(t, filepath.Join("..", "testdata", "public", "cfpb", "consumer_complaints_2016_349rows.csv"))
	out := filepath.Join(t.TempDir(), "dashboard.html")
	if err := Write(context.Background(), w.DB, Options{From: "2016-09", To: "2016-09", Out: out,
		GeneratedAt: time.Date(2016, 10, 1, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	ctx, events, done := startBrowser(t)
	defer done()
	u := (&url.URL{Scheme: "file", Path: out}).String()
	if err := chromedp.Do(ctx, chromedp.Navigate(u)); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[int](`Number(document.body.dataset.charts || 0)`, chromedp.WithPollingTimeout(30*time.Second))); err != nil {
		t.Fatalf("charts never initialised: %v", err)
	}

	// A bar: the middle of the categories chart's first bar, in page coordinates.
	xy, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](`(function () {
		var el = document.getElementById("chart-categories");
		el.scrollIntoView();
		var inst = echarts.getInstanceByDom(el), v = inst.getOption().series[0].data[0].value;
		var p = inst.convertToPixel({seriesIndex: 0}, [v / 2, 0]), r = el.getBoundingClientRect();
		return [r.left + p[0], r.top + p[1]];
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.MouseClickXY(xy[0], xy[1])); err != nil {
		t.Fatal(err)
	}
	checkDrill(t, ctx, "complaints list --period 2016-09 --figure received --category ")

	// A heatmap cell opens its branch.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(document.getElementById("drill").hidden = true, true)`)); err != nil {
		t.Fatal(err)
	}
	xy, err = chromedp.Run(ctx, chromedp.Evaluate[[]float64](`(function () {
		var el = document.getElementById("chart-heatmap");
		el.scrollIntoView();
		var inst = echarts.getInstanceByDom(el), v = inst.getOption().series[0].data[0];
		var p = inst.convertToPixel({seriesIndex: 0}, [v[0], v[1]]), r = el.getBoundingClientRect();
		return [r.left + p[0], r.top + p[1]];
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.MouseClickXY(xy[0], xy[1])); err != nil {
		t.Fatal(err)
	}
	checkDrill(t, ctx, "complaints list --period 2016-09 --figure received --branch ")

	// A table cell: a branch's name in the branch ranking (its table opened first).
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(document.getElementById("drill").hidden = true,
		document.querySelectorAll("#branches details").forEach(function (d) { d.open = true; }), true)`)); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#branches td.drillable`))); err != nil {
		t.Fatal(err)
	}
	checkDrill(t, ctx, "")

	// Print: each chart fits a page and nothing breaks inside a panel, chart, table or row.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(document.getElementById("drill").hidden = true, true)`)); err != nil {
		t.Fatal(err)
	}
	t.Logf("printed: %d pages", checkPrint(t, ctx))
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#branches td.drillable`))); err != nil {
		t.Fatal(err)
	}
	checkDrill(t, ctx, "")

	// The phone: 390 px wide, with the drill-down open and closed.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844)); err != nil {
		t.Fatal(err)
	}
	if vw, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.clientWidth`)); err != nil || vw != 390 {
		t.Fatalf("the viewport is %d px wide (%v), want 390", vw, err)
	}
	for _, state := range []string{"open", "closed"} {
		bad, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](phoneOverflow))
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range bad {
			t.Errorf("at 390 px, drill-down %s: %s", state, b)
		}
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(document.getElementById("drill").hidden = true, true)`)); err != nil {
			t.Fatal(err)
		}
	}
	shot := filepath.Join(t.TempDir(), "phone.png")
	if dir := os.Getenv("COMPLAINTS_SCREENSHOT_DIR"); dir != "" {
		shot = filepath.Join(dir, "dashboard-phone.png")
	}
	if png, err := chromedp.Run(ctx, chromedp.FullScreenshot(80)); err == nil {
		_ = os.WriteFile(shot, png, 0o644)
	}
	events.mu.Lock()
	defer events.mu.Unlock()
	for _, p := range events.problems {
		t.Error(p)
	}
	if len(events.requests) != 1 || events.requests[0] != u {
		t.Errorf("requests %v, want only the page itself", events.requests)
	}
}

// checkDrill: the drill-down is open with rows, a total, and (when wantCommand is given) a command starting so.
func checkDrill(t *testing.T, ctx context.Context, wantCommand string) {
	t.Helper()
	type state struct {
		Open    bool   `json:"open"`
		Title   string `json:"title"`
		Rows    int    `json:"rows"`
		Total   string `json:"total"`
		Command string `json:"command"`
	}
	s, err := chromedp.Run(ctx, chromedp.Poll[state](`(function () {
		var d = document.getElementById("drill");
		if (!d || d.hidden) { return null; }
		var c = d.querySelector(".drill-command");
		return {open: true, title: d.querySelector("h3").textContent, rows: d.querySelectorAll(".drill-rows tbody tr").length,
			total: d.querySelector(".drill-total").textContent, command: c ? c.textContent : ""};
	})()`, chromedp.WithPollingTimeout(10*time.Second)))
	if err != nil {
		t.Fatalf("no drill-down opened: %v", err)
	}
	if s.Rows == 0 || s.Rows > drillMaxRows || s.Total == "" || !strings.HasPrefix(s.Command, "complaints list --period 2016-09 --figure received") ||
		!strings.HasPrefix(s.Command, wantCommand) {
		t.Errorf("drill-down %+v", s)
	}
	t.Logf("drill-down: %s, %s, %d rows: %s", s.Title, s.Total, s.Rows, s.Command)
}

// printFits lists, in print media at A4 landscape's printable width, each chart taller than the printable page
// (186 mm) or wider than its panel, and each panel, chart, table and table row that may break across pages.
const printFits = `(function () {
  var bad = [], page = 186 * 96 / 25.4;
  document.querySelectorAll("details").forEach(function (d) { d.open = true; });
  document.querySelectorAll(".chart").forEach(function (el) {
    var r = el.getBoundingClientRect(), c = el.querySelector("canvas"), p = el.parentElement.getBoundingClientRect();
    if (r.height > page) { bad.push(el.id + " is " + Math.round(r.height) + " px high"); }
    if (c && c.getBoundingClientRect().width > p.width + 1) { bad.push(el.id + " is wider than its panel"); }
  });
  document.querySelectorAll(".panel, .chart, .kpi, table, tr").forEach(function (el) {
    var b = getComputedStyle(el).breakInside;
    if (b !== "avoid") { bad.push(el.tagName + "." + el.className + " breaks inside (" + b + ")"); }
  });
  return bad.slice(0, 20);
})()`

// checkPrint checks the page in print media (printFits) and prints it to PDF, returning the page count.
func checkPrint(t *testing.T, ctx context.Context) int {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		if _, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
			return err
		}
		return nil
	})); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1032, 700)); err != nil { // 273 mm: A4 landscape less 12 mm margins
		t.Fatal(err)
	}
	// the page resizes its charts on the resize and print-media events, which the renderer dispatches after
	// the emulation calls return: a chart is judged once they have had time to run (up to 10 s on a busy machine)
	var bad []string
	for try := 0; ; try++ {
		var err error
		if bad, err = chromedp.Run(ctx, chromedp.Evaluate[[]string](printFits)); err != nil {
			t.Fatal(err)
		}
		if try == 100 || !slices.ContainsFunc(bad, func(b string) bool { return strings.HasSuffix(b, "wider than its panel") }) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	for _, b := range bad {
		t.Errorf("print: %s", b)
	}
	var pdf []byte
	if err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		yes := true
		res, err := cdp.Call(ctx, tg, cdppage.PrintToPDF, cdppage.PrintToPDFParams{PreferCSSPageSize: &yes})
		pdf = res.Data
		return err
	})); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{})
		return err
	})); err != nil {
		t.Fatal(err)
	}
	return strings.Count(string(pdf), "/Type /Page\n") + strings.Count(string(pdf), "/Type /Page/") + strings.Count(string(pdf), "/Type /Page>")
}

// startBrowser starts headless Chromium with the listener of browser_test.go; done stops it.
func startBrowser(t *testing.T) (context.Context, *browserEvents, func()) {
	t.Helper()
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(chromiumPath), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck, chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true), chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1400, 1000))
	events := &browserEvents{}
	ctx, cancel := chromedp.NewContext(allocCtx, chromedp.WithListener(events.listen))
	if err := chromedp.Do(ctx); err != nil {
		cancel()
		cancelAlloc()
		t.Fatalf("start %s: %v", chromiumPath, err)
	}
	runCtx, cancelRun := context.WithTimeout(ctx, 90*time.Second)
	return runCtx, events, func() { cancelRun(); cancel(); cancelAlloc() }
}
