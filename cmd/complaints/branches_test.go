package main

import (
	"database/sql"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"complaints/catalog"
)

var updateGolden = flag.Bool("update-golden", false, "rewrite the golden files of testdata/ from the output")

// TestBranchesSuggest: on constructed records, `branches suggest` gives a branch the province 95% (or exactly
// 90%) of its records name, leaves one at 80%, a credit-card centre spread over provinces, a remote-banking unit
// whose records all name one province (and both named in English), a branch with too few records and one with
// none without a province, fills a master unit that has none, keeps (and questions) a master province the
// records contradict (the draft is the golden file testdata/branches_suggest/draft.csv; -update-golden rewrites
// it); the draft, named as the branch master, gives the records without a province their branch's.
func TestBranchesSuggest(t *testing.T) {
	t.Cleanup(func() { catalog.SetLang("zh") })
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("投诉编号,受理时间,投诉内容,所属机构,省份\n")
	n := 0
	add := func(branch, province string, k int) {
		for range k {
			n++
			fmt.Fprintf(&b, "H%d,2026-10-%02d 09:00:00,卡被吞,%s,%s\n", n, 1+n%28, branch, province)
		}
	}
	add("广州天河支行", "广东省", 19)
	add("广州天河支行", "北京市", 1)
	add("杭州西湖支行", "浙江省", 8)
	add("杭州西湖支行", "江苏省", 2)
	add("成都锦江支行", "四川省", 9) // exactly 90%: learned
	add("成都锦江支行", "重庆市", 1)
	for _, p := range []string{"上海市", "北京市", "广东省", "四川省", "湖北省"} {
		add("信用卡中心", p, 4)
	}
	add("远程银行中心", "上海市", 10)
	add("Credit Card Centre", "上海市", 6) // head-office units named in English
	add("Remote Banking Dept", "广东省", 6)
	add("新开支行", "四川省", 3)
	add("无省支行", "", 6)
	add("福田网点", "广东省", 6)
	add("福田网点", "", 5)     // gain the learned province once the draft is the master
	add("历下支行", "江苏省", 10) // the master says 山东省
	export := filepath.Join(dir, "hotline_20261031.csv")
	master := "code,name,aliases,parent,province_code,province_name\nGD003,深圳福田支行,福田网点,,,\nSD001,济南历下支行,历下支行,,370000,山东省\n"
	for name, body := range map[string]string{"hotline_20261031.csv": b.String(), "branches.csv": master,
		"complaints.yaml": "language: en\nbranches: branches.csv\n"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	wh := filepath.Join(dir, "w.duckdb")
	g := []string{"--config", filepath.Join(dir, "complaints.yaml"), "--warehouse", wh}
	for _, args := range [][]string{{"ingest", export}, {"normalize"}} {
		if out, err := run(t, append(g, args...)...); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, out)
		}
	}
	draft := filepath.Join(dir, "draft.csv")
	out, err := run(t, append(g, "branches", "suggest", "--out", draft)...)
	if err != nil {
		t.Fatalf("suggest: %v\n%s", err, out)
	}
	if !strings.Contains(out, "11 rows, 3 given a province learned from the records, 7 left without one, 1 keeping the master's") {
		t.Errorf("summary:\n%s", out)
	}
	got, err := os.ReadFile(draft)
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "branches_suggest", "draft.csv")
	if *updateGolden {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(string(got)) != strings.TrimSpace(string(want)) {
		t.Errorf("draft:\n%s\nwant (%s):\n%s", got, golden, want)
	}
	// the same warehouse writes the same file
	again := filepath.Join(dir, "again.csv")
	if _, err := run(t, append(g, "branches", "suggest", "--out", again)...); err != nil {
		t.Fatal(err)
	}
	if b2, _ := os.ReadFile(again); string(b2) != string(got) {
		t.Error("a second draft differs from the first")
	}

	// the draft as the branch master: 广州天河支行's and 福田网点's records without a province gain theirs
	db := openReadOnly(t, wh)
	before := provinceCounts(t, db)
	db.Close()
	if err := os.WriteFile(filepath.Join(dir, "complaints.yaml"), []byte("language: en\nbranches: draft.csv\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := run(t, append(g, "normalize")...); err != nil {
		t.Fatalf("normalize with the draft: %v\n%s", err, out)
	}
	db = openReadOnly(t, wh)
	defer db.Close()
	after := provinceCounts(t, db)
	if before["440000"] != 35 || after["440000"] != 40 || before[""] != 11 || after[""] != 6 {
		t.Errorf("records by province before %v, after %v", before, after)
	}
}

// provinceCounts counts the complaints by province ("" none).
func provinceCounts(t *testing.T, db *sql.DB) map[string]int {
	t.Helper()
	rows, err := db.Query("SELECT coalesce(province, ''), count(*) FROM complaints GROUP BY ALL")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var p string
		var n int
		if err := rows.Scan(&p, &n); err != nil {
			t.Fatal(err)
		}
		out[p] = n
	}
	return out
}

// TestSourcesCheckProvinceShare: `sources check` states per file the share of rows without a province: a file
// with a province column some rows leave empty, one with none (its branch's province comes from the master), one
// with neither a province nor a branch.
func TestSourcesCheckProvinceShare(t *testing.T) {
	t.Cleanup(func() { catalog.SetLang("zh") })
	dir := t.TempDir()
	files := map[string]string{
		"some.csv":     "工单编号,受理时间,投诉内容,所属机构,省份\nA1,2026-10-05,文本,天河支行,广东省\nA2,2026-10-06,文本,天河支行,\nA3,2026-10-06,文本,天河支行,广东省\n",
		"none.csv":     "工单编号,受理时间,投诉内容,所属机构\nA1,2026-10-05,文本,天河支行\nA2,2026-10-06,文本,天河支行\n",
		"nobranch.csv": "工单编号,受理时间,投诉内容\nA1,2026-10-05,文本\n",
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cfg := filepath.Join(dir, "complaints.yaml")
	if err := os.WriteFile(cfg, []byte("language: en\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{
		"some.csv":     "rows without a province: 1 of 3 (33.3%); normalize fills in the branch's province from the branch master",
		"none.csv":     "rows without a province: 2 of 2 (100.0%); the file has no province column: normalize takes the branch's province from the branch master",
		"nobranch.csv": "rows without a province: 1 of 1 (100.0%); the file has no branch column either: these rows will have no province",
	} {
		out, err := run(t, "--config", cfg, "sources", "check", filepath.Join(dir, name))
		if err != nil {
			t.Fatalf("%s: %v\n%s", name, err, out)
		}
		if !strings.Contains(out, want) {
			t.Errorf("%s: no %q in\n%s", name, want, out)
		}
	}
}
