package dashboards

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

const chromiumPath = "/usr/bin/chromium"

// Payloads that would set window.__pwned if a label ever ran as code.
const (
	pwnScript   = `</script><script>window.__pwned=1</script>`
	pwnFunction = `__f__(function(){window.__pwned=1})()__f__`
)

// browserEvents collects what the page did that the test forbids.
type browserEvents struct {
	mu       sync.Mutex
	problems []string
	requests []string
}

func (b *browserEvents) add(format string, args ...any) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.problems = append(b.problems, fmt.Sprintf(format, args...))
}

func (b *browserEvents) listen(ev any) {
	switch e := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		if e.Type == runtime.ConsoleAPICalledTypeError || e.Type == runtime.ConsoleAPICalledTypeAssert {
			var args []string
			for _, a := range e.Args {
				args = append(args, string(a.Value)+a.Description)
			}
			b.add("console.%s: %s", e.Type, strings.Join(args, " "))
		}
	case *runtime.EventExceptionThrown:
		b.add("exception: %s %v", e.ExceptionDetails.Text, e.ExceptionDetails.Exception)
	case *log.EventEntryAdded:
		if e.Entry.Level == log.EntryLevelError {
			b.add("log %s: %s %s", e.Entry.Source, e.Entry.Text, e.Entry.URL)
		}
	case *network.EventRequestWillBeSent:
		b.mu.Lock()
		b.requests = append(b.requests, e.Request.URL)
		b.mu.Unlock()
		if !strings.HasPrefix(e.Request.URL, "file://") && !strings.HasPrefix(e.Request.URL, "data:") {
			b.add("network request to %s", e.Request.URL)
		}
	case *cdppage.EventJavascriptDialogOpening:
		b.add("dialog opened: %s", e.Message)
	}
}

// TestDashboardInBrowser opens the written page in Chromium and checks that every chart is a live ECharts
// instance with data, that nothing failed, nothing was fetched, and no payload ran. The fixture has a branch
// master and the recurring rows, so the bank-wide pages draw the control chart (and the recurring table with the
// remediation file's actions); the map page (--map) draws the China map from the inlined china.js.
func TestDashboardInBrowser(t *testing.T) {
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("COMPLAINTS_REQUIRE_BROWSER") == "1" {
			t.Fatalf("COMPLAINTS_REQUIRE_BROWSER=1 but %s is missing: apt-get install chromium fonts-noto-cjk", chromiumPath)
		}
		t.Skipf("%s is missing (apt-get install chromium fonts-noto-cjk; COMPLAINTS_REQUIRE_BROWSER=1 makes this fail)", chromiumPath)
	}
	if testing.Short() && os.Getenv("COMPLAINTS_REQUIRE_BROWSER") != "1" {
		t.Skip("browser test skipped in -short mode")
	}
	if _, err := echartsScript(); err != nil {
		t.Fatalf("the ECharts asset is not available: %v", err)
	}
	db := seed(t)
	seedRecurring(t, db)
	seedBranchMaster(t, db)
	remediation := filepath.Join(t.TempDir(), "remediation.csv")
	if err := os.WriteFile(remediation, []byte("branch,cause,action,owner,status,due\n广州分行,pricing_fees,复核收费公示,运营管理部,进行中,2026-09-30\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// The __pwned payloads as a business category, a cause and a branch, in both marts the page reads.
	martsCategory := `INSERT INTO mart_category_month (month, business_category, received, received_regulator, received_major, closed)
		VALUES (DATE '2026-10-01', ?, 1, 0, 0, 0)`
	exec(t, db, martsCategory, pwnScript)
	exec(t, db, martsCategory, pwnFunction)
	exec(t, db, `INSERT INTO mart_cause_month VALUES (DATE '2026-10-01', ?, 1), (DATE '2026-10-01', ?, 1)`, pwnScript, pwnFunction)
	exec(t, db, `INSERT INTO mart_dimension_month VALUES
		(DATE '2026-10-01', 'phone', 'other', ?, ?, 'general', ?, '', 1, 0),
		(DATE '2026-10-01', 'phone', 'other', ?, ?, 'general', ?, '', 1, 0)`,
		pwnScript, pwnFunction, pwnScript, pwnFunction, pwnScript, pwnFunction)

	shotDir := os.Getenv("COMPLAINTS_SCREENSHOT_DIR")
	if shotDir == "" {
		shotDir = t.TempDir()
	} else if err := os.MkdirAll(shotDir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name   string
		opts   Options
		charts int
		must   []string // chart ids the page must have
	}{
		{"bank", Options{Institution: "示例银行", AsOf: "2026-10-31", RemediationFile: remediation}, 15, []string{"control", "repeats", "rccauses", "rcchannels"}},
		{"bank-en", Options{Institution: "Example Bank", Lang: "en"}, 15, []string{"control", "repeats", "rccauses", "rcchannels"}},
		{"map", Options{Institution: "示例银行", AsOf: "2026-10-31", Map: true, RemediationFile: remediation}, 16, []string{"control", "map", "provinces"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			if c.opts.Map {
				requireChinaMap(t)
			}
			out := filepath.Join(t.TempDir(), "dashboard.html")
			c.opts.From, c.opts.To, c.opts.Out = "2025-10", "2026-10", out
			c.opts.GeneratedAt = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
			if err := Write(context.Background(), db, c.opts); err != nil {
				t.Fatal(err)
			}
			fi, _ := os.Stat(out)
			t.Logf("%s page: %d bytes", c.name, fi.Size())
			shot := filepath.Join(shotDir, "dashboard-"+c.name+".png")
			openInBrowser(t, out, c.charts, c.must, shot)
			t.Logf("screenshot: %s", shot)
		})
	}
}

func openInBrowser(t *testing.T, file string, wantCharts int, mustHave []string, shot string) {
	t.Helper()
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(chromiumPath),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1400, 1000),
	)
	defer cancelAlloc()
	events := &browserEvents{}
	ctx, cancel := chromedp.NewContext(allocCtx, chromedp.WithListener(events.listen))
	defer cancel()
	// Start the browser on the first Run without a timeout (a timeout on it would stop the browser), then bound the rest.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start %s: %v", chromiumPath, err)
	}
	runCtx, cancelRun := context.WithTimeout(ctx, 60*time.Second)
	defer cancelRun()

	u := (&url.URL{Scheme: "file", Path: file}).String()
	if err := chromedp.Do(runCtx, chromedp.Navigate(u)); err != nil {
		t.Fatalf("open %s: %v", u, err)
	}
	n, err := chromedp.Run(runCtx, chromedp.Poll[int](`Number(document.body.dataset.charts || 0)`, chromedp.WithPollingTimeout(30*time.Second)))
	if err != nil {
		t.Fatalf("charts never initialised: %v", err)
	}
	if n != wantCharts {
		t.Errorf("page initialised %d charts, want %d", n, wantCharts)
	}
	type chartState struct {
		ID       string `json:"id"`
		Live     bool   `json:"live"`
		Series   int    `json:"series"`
		Data     int    `json:"data"`
		Canvases int    `json:"canvases"`
		Width    int    `json:"width"`
	}
	states, err := chromedp.Run(runCtx, chromedp.Evaluate[[]chartState](`Array.from(document.querySelectorAll(".chart")).map(function (el) {
		var inst = echarts.getInstanceByDom(el);
		var series = inst ? (inst.getOption().series || []) : [];
		var data = 0;
		series.forEach(function (s) { data += (s.data || []).length; });
		return {id: el.id, live: !!inst && !inst.isDisposed(), series: series.length, data: data,
			canvases: el.querySelectorAll("canvas").length, width: el.clientWidth};
	})`))
	if err != nil {
		t.Fatal(err)
	}
	if len(states) != wantCharts {
		t.Errorf("%d chart containers, want %d", len(states), wantCharts)
	}
	have := map[string]bool{}
	for _, s := range states {
		have[strings.TrimPrefix(s.ID, "chart-")] = true
		if !s.Live || s.Series == 0 || s.Data == 0 || s.Canvases == 0 || s.Width == 0 {
			t.Errorf("chart %s: %+v", s.ID, s)
		}
	}
	for _, id := range mustHave {
		if !have[id] {
			t.Errorf("no live chart %s", id)
		}
	}
	pwned, err := chromedp.Run(runCtx, chromedp.Evaluate[string](`typeof window.__pwned`))
	if err != nil || pwned != "undefined" {
		t.Errorf("window.__pwned is %q (%v): a payload ran", pwned, err)
	}
	png, err := chromedp.Run(runCtx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(shot, png, 0o644); err != nil {
		t.Fatal(err)
	}
	// The phone: at 390 px wide no element sticks out of the viewport (every table opened).
	if err := chromedp.Do(runCtx, chromedp.EmulateViewport(390, 844)); err != nil {
		t.Fatal(err)
	}
	bad, err := chromedp.Run(runCtx, chromedp.Evaluate[[]string](phoneOverflow))
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range bad {
		t.Errorf("at 390 px: %s", b)
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
