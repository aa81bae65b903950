package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"complaints/catalog"
	"complaints/config"
	"complaints/ingest/profile"
)

// TestSourcesCheckSentencesAndProfileUsed: `sources check` lists each reject as one sentence (row, column,
// value, why) and prints the profile it used as YAML that loads as a config's sources and maps the same way;
// the exit status stays "1 when ingest would refuse".
func TestSourcesCheckSentencesAndProfileUsed(t *testing.T) {
	dir := t.TempDir()
	body := "工单编号,受理时间,处理结果,投诉内容\nS1,2026-10-05,已办结,甲\nS2,不是日期,已办结,乙\n" +
		"S3,2026-10-06,处理中,丙\nS4,2026-10-07,处理中,丁\nS5,2026-10-08,处理中,戊\n"
	file := filepath.Join(dir, "strict.csv")
	if err := os.WriteFile(file, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := "language: en\nsources:\n  - name: strict\n    glob: strict.csv\n    columns: {status: 处理结果, outcome: 处理结果, narrative: [投诉详情, 投诉内容]}\n"
	cfgPath := filepath.Join(dir, "complaints.yaml")
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := run(t, "--config", cfgPath, "sources", "check", file)
	if err != nil {
		t.Fatalf("a file that lands: %v\n%s", err, out)
	}
	sentence := catalog.Msg("msg_profiles_reject_row_value", 3, "受理时间", "不是日期", catalog.Msg("msg_ingest_received_unparseable")).Error()
	if !strings.Contains(out, sentence) {
		t.Errorf("the reject is not the sentence %q:\n%s", sentence, out)
	}
	if !strings.Contains(out, catalog.Msg("msg_profiles_alternative_used", "narrative", `"投诉详情"`, `"投诉内容"`).Error()) {
		t.Errorf("the alternative header is not said:\n%s", out)
	}
	// the profile used, pasted under sources:, loads and names every mapping
	head := catalog.Msg("msg_profiles_used").Error()
	i := strings.Index(out, head)
	if i < 0 {
		t.Fatalf("no profile used:\n%s", out)
	}
	block, _, _ := strings.Cut(out[i+len(head)+1:], "\n\n")
	c, err := config.Parse([]byte("sources:\n"+block+"\n"), "pasted")
	if err != nil || len(c.Sources) != 1 {
		t.Fatalf("the profile used does not load: %v\n%s", err, block)
	}
	p := c.Sources[0]
	want := map[string]string{"source_id": "工单编号", "received_at": "受理时间", "status": "处理结果", "outcome": "处理结果",
		"narrative": "投诉详情" + profile.AltSep + "投诉内容"}
	for f, h := range want {
		if p.Columns[f] != h {
			t.Errorf("columns.%s = %q, want %q\n%s", f, p.Columns[f], h, block)
		}
	}
	if p.Name != "strict" || p.Format != "csv" || p.Encoding != "utf-8" || p.HeaderRow != 1 {
		t.Errorf("profile used %+v", p)
	}
}

// TestSourcesCheckMissingHeaderRefuses: a profile mapping a header the file lacks makes check exit non-zero and
// name the closest header, where it used to say "no problems foreseen".
func TestSourcesCheckMissingHeaderRefuses(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "strict.csv")
	if err := os.WriteFile(file, []byte("工单编号,受理时间,处理状态\nS1,2026-10-05,已办结\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfgPath := filepath.Join(dir, "complaints.yaml")
	if err := os.WriteFile(cfgPath, []byte("language: en\nsources:\n  - {name: strict, glob: strict.csv, columns: {status: 办理状态}}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := run(t, "--config", cfgPath, "sources", "check", file)
	if !catalog.HasKey(err, "msg_misc_check_refused") || !strings.Contains(out, `"处理状态"`) || strings.Contains(out, catalog.Msg("msg_cli_check_no_problems").Error()) {
		t.Fatalf("%v\n%s", err, out)
	}
	// the refusal still says which profile was used, as configured
	if !strings.Contains(out, "profile: strict") || !strings.Contains(out, catalog.Msg("msg_profiles_used").Error()) ||
		!strings.Contains(out, "status: 办理状态") {
		t.Errorf("the profile used is not shown:\n%s", out)
	}
}

// TestSourcesCheckContentSnippet: a file whose headers no synonym names (the other bank's letters) is mapped by
// its values; `sources check` marks those fields (content), says so as notes, and prints the profile lines that
// pin them, which load and name the same headers.
func TestSourcesCheckContentSnippet(t *testing.T) {
	dir := t.TempDir()
	src, err := os.ReadFile(filepath.Join("..", "..", "ingest", "testdata", "otherbank", "letters.csv"))
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "letters.csv")
	if err := os.WriteFile(file, src, 0o644); err != nil {
		t.Fatal(err)
	}
	cfgPath := filepath.Join(dir, "complaints.yaml")
	if err := os.WriteFile(cfgPath, []byte("language: en\nsources:\n  - {name: letters, glob: letters.csv, format: csv, encoding: utf-8-bom}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := run(t, "--config", cfgPath, "sources", "check", file)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if !strings.Contains(out, catalog.Msg("msg_content_mapped", `"函件号"`, "source_id").Error()) || !strings.Contains(out, "(content)") {
		t.Errorf("the content mapping is not said:\n%s", out)
	}
	head := catalog.Msg("msg_content_pin").Error()
	i := strings.Index(out, head)
	if i < 0 {
		t.Fatalf("no snippet:\n%s", out)
	}
	snippet, _, _ := strings.Cut(strings.TrimSpace(out[i+len(head):]), "\n")
	c, err := config.Parse([]byte("sources:\n  - name: letters\n    "+snippet+"\n"), "pasted")
	if err != nil || len(c.Sources) != 1 {
		t.Fatalf("the snippet does not load: %v\n%s", err, snippet)
	}
	want := map[string]string{"source_id": "函件号", "received_at": "签收日", "replied_at": "复函日", "branch": "被投诉网点",
		"narrative": "信件正文", "status": "进展", "cause": "反映问题"}
	for f, h := range want {
		if c.Sources[0].Columns[f] != h {
			t.Errorf("snippet columns.%s = %q, want %q\n%s", f, c.Sources[0].Columns[f], h, snippet)
		}
	}
}
