package dashboards

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"complaints/catalog"
)

// chinaJSRegions are the 34 region names of map/js/china.js in npm echarts@4.9.0, as the file has them.
var chinaJSRegions = []string{"台湾", "河北", "山西", "内蒙古", "辽宁", "吉林", "黑龙江", "江苏", "浙江", "安徽", "福建", "江西", "山东",
	"河南", "湖北", "湖南", "广东", "广西", "海南", "四川", "贵州", "云南", "西藏", "陕西", "甘肃", "青海", "宁夏", "新疆", "北京", "天津",
	"上海", "重庆", "香港", "澳门"}

// requireChinaMap skips a test that needs china.js when it was not fetched, except in CI
// (COMPLAINTS_REQUIRE_BROWSER=1, where `make test` fetches it first), where that is a failure.
func requireChinaMap(t *testing.T) []byte {
	t.Helper()
	js, err := chinaMapScript()
	if errors.Is(err, ErrNoChinaMap) {
		if os.Getenv("COMPLAINTS_REQUIRE_BROWSER") == "1" {
			t.Fatalf("COMPLAINTS_REQUIRE_BROWSER=1 but %v", err)
		}
		t.Skipf("%v (COMPLAINTS_REQUIRE_BROWSER=1 makes this fail)", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	return js
}

// Every one of the 34 provincial units of GB/T 2260 maps to its own china.js region, by code, by full name and
// by English name; nothing else does.
func TestMapRegionAllProvinces(t *testing.T) {
	units := catalog.Dimension("province")
	if len(units) != 34 {
		t.Fatalf("the catalogue has %d provinces, want 34", len(units))
	}
	regions := map[string]bool{}
	for _, r := range chinaJSRegions {
		regions[r] = true
	}
	seen := map[string]string{}
	for _, u := range units {
		for _, in := range []string{u.Code, u.ZH, u.EN} {
			got, ok := mapRegion(in)
			if !ok || !regions[got] {
				t.Errorf("%s (%s): region %q, %v", in, u.Code, got, ok)
			}
			if prev, dup := seen[got]; dup && prev != u.Code {
				t.Errorf("%s and %s both map to %s", prev, u.Code, got)
			}
			seen[got] = u.Code
		}
	}
	if len(seen) != 34 {
		t.Errorf("%d distinct regions, want 34", len(seen))
	}
	for in, want := range map[string]string{"广东省": "广东", "广西壮族自治区": "广西", "北京市": "北京", "内蒙古自治区": "内蒙古",
		"新疆维吾尔自治区": "新疆", "宁夏回族自治区": "宁夏", "西藏自治区": "西藏", "香港特别行政区": "香港", "澳门特别行政区": "澳门",
		"台湾省": "台湾", "黑龙江省": "黑龙江", "重庆市": "重庆", "440000": "广东", "Inner Mongolia": "内蒙古"} {
		if got, _ := mapRegion(in); got != want {
			t.Errorf("mapRegion(%q) = %q, want %q", in, got, want)
		}
	}
	for _, in := range []string{"", "广州市", "999999", scriptPayload} {
		if got, ok := mapRegion(in); ok {
			t.Errorf("mapRegion(%q) = %q", in, got)
		}
	}
}

// The fetched china.js names exactly the 34 regions above.
func TestChinaJSRegionNames(t *testing.T) {
	js := requireChinaMap(t)
	var got []string
	for _, m := range regexp.MustCompile(`"properties":\{[^}]*"name":"([^"]+)"`).FindAllSubmatch(js, -1) {
		got = append(got, string(m[1]))
	}
	want := append([]string(nil), chinaJSRegions...)
	sort.Strings(got)
	sort.Strings(want)
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("china.js regions %v, want %v", got, want)
	}
}

// The map page inlines china.js after ECharts and colours each region by the complaints received over the range:
// 110000: 5+6+4+8 = 23, 310000: 8+5 = 13, 440000: 3 (the fixture's dimension rows; 2025-09 is outside), every
// other region 0; the 3 complaints with no province are not on the map.
func TestDashboardMapEqualsFixture(t *testing.T) {
	chinaJS := requireChinaMap(t)
	page := writeOpts(t, Options{Map: true})
	if mapScript(t, page) != string(chinaJS) {
		t.Fatal("the China map is not inlined as the second script")
	}
	charts := rawCharts(t, page)
	m := charts["map"]
	if m == nil || len(charts) != 16 {
		t.Fatalf("%d charts; map %v", len(charts), m != nil)
	}
	data, _ := get(m, "series", 0, "data").([]any)
	if len(data) != 34 {
		t.Fatalf("%d regions in the data, want 34", len(data))
	}
	values := map[string]float64{}
	for _, d := range data {
		values[get(d, "name").(string)] = get(d, "value").(float64)
	}
	for name, want := range map[string]float64{"北京市": 23, "上海市": 13, "广东省": 3, "广西壮族自治区": 0, "台湾省": 0} {
		if v, ok := values[name]; !ok || v != want {
			t.Errorf("%s = %v (%v), want %v", name, v, ok, want)
		}
	}
	var sum float64
	for _, v := range values {
		sum += v
	}
	if sum != 39 {
		t.Errorf("map total %v, want 23+13+3 = 39", sum)
	}
	if get(m, "series", 0, "map") != "china" || get(m, "series", 0, "nameMap", "广东") != "广东省" ||
		get(m, "series", 0, "nameMap", "内蒙古") != "内蒙古自治区" || get(m, "visualMap", "max") != 23.0 {
		t.Errorf("map series %s", js(m))
	}
	if get(m, "tooltip") == nil || get(m, "toolbox", "feature", "saveAsImage") == nil || !strings.Contains(get(m, "title", "subtext").(string), "单位：件") {
		t.Error("the map lacks a tooltip, saveAsImage or the unit")
	}
	if !strings.Contains(page, "无审图号") {
		t.Error("the map page does not say the map has no approval number")
	}
	en := rawCharts(t, writeOpts(t, Options{Map: true, Lang: "en"}))["map"]
	if get(en, "series", 0, "nameMap", "广东") != "Guangdong" {
		t.Errorf("English nameMap %v", get(en, "series", 0, "nameMap"))
	}
}

// Without --map the page carries no map, whether or not china.js was fetched; without china.js the binary still
// writes every other page, and --map fails with a sentence that says how to fetch it.
func TestDashboardMapIsOptIn(t *testing.T) {
	page := writeOpts(t, Options{})
	if mapScript(t, page) != "" || strings.Contains(page, "ECharts Map is not loaded") || rawCharts(t, page)["map"] != nil {
		t.Error("a page without --map carries the China map")
	}

	echartsJS, err := fs.ReadFile(embedded, "assets/echarts.min.js")
	if err != nil {
		t.Fatalf("the ECharts asset is not available: %v", err)
	}
	sum, _ := fs.ReadFile(embedded, "assets/echarts.min.js.sha256")
	saved := assetFS
	t.Cleanup(func() { assetFS = saved })
	assetFS = fstest.MapFS{
		"assets/echarts.min.js":        {Data: echartsJS},
		"assets/echarts.min.js.sha256": {Data: sum},
		"assets/china.js.sha256":       {Data: []byte("6e763608cb7a0e2fa571ebca3127f6d10940068853b5b404c234feb2f5be15e6  china.js\n")},
	}
	db := seed(t)
	opts := Options{From: "2025-10", To: "2026-10", Out: filepath.Join(t.TempDir(), "plain.html"), GeneratedAt: time.Unix(0, 0)}
	if err := Write(context.Background(), db, opts); err != nil {
		t.Fatalf("a page without --map needs no china.js: %v", err)
	}
	opts.Map, opts.Out = true, filepath.Join(t.TempDir(), "map.html")
	err = Write(context.Background(), db, opts)
	if !errors.Is(err, ErrNoChinaMap) || !strings.Contains(err.Error(), "make assets") || !strings.Contains(err.Error(), "fetch-chinamap.sh") {
		t.Errorf("--map without china.js: %v", err)
	}
	if _, statErr := os.Stat(opts.Out); statErr == nil {
		t.Error("--map without china.js wrote a file")
	}
}
