package main

import (
	"bytes"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"complaints/catalog"
)

// TestSourcesCheckFailsWhenIngestWouldRefuse: `sources check` exits non-zero (returns an error) for every file
// ingest would refuse, and zero for one it would land.
func TestSourcesCheckFailsWhenIngestWouldRefuse(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"good.csv":     "工单编号,受理时间,投诉内容\nA1,2026-10-05,文本\nA2,2026-10-06,文本\n",
		"nodate.csv":   "工单编号,投诉内容\nA1,文本\n",
		"rejects.csv":  "工单编号,受理时间,投诉内容\nA1,2026-10-05,文本\nA2,不是日期,文本\nA3,也不是,文本\n",
		"noheader.csv": "",
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if out, err := run(t, "sources", "check", filepath.Join(dir, "good.csv")); err != nil {
		t.Fatalf("good file: %v\n%s", err, out)
	}
	for _, name := range []string{"nodate.csv", "rejects.csv", "noheader.csv", "absent.csv"} {
		out, err := run(t, "sources", "check", filepath.Join(dir, name))
		if err == nil {
			t.Errorf("%s: check succeeded for a file ingest refuses\n%s", name, out)
		}
		if (name == "nodate.csv" || name == "rejects.csv") && !catalog.HasKey(err, "msg_misc_check_refused") {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestDemoRefusesAnExistingWarehouse: `demo --warehouse X` with X (or its WAL) present refuses and leaves both.
func TestDemoRefusesAnExistingWarehouse(t *testing.T) {
	dir := t.TempDir()
	wh := filepath.Join(dir, "prod.duckdb")
	for _, p := range []string{wh, wh + ".wal"} {
		if err := os.WriteFile(p, []byte("precious"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	_, err := run(t, "demo", "--warehouse", wh, "--out", filepath.Join(dir, "out"), "--data", filepath.Join("..", "..", "sample-data"))
	if !catalog.HasKey(err, "msg_misc_demo_existing_warehouse") {
		t.Fatalf("demo on an existing warehouse: %v", err)
	}
	for _, p := range []string{wh, wh + ".wal"} {
		if b, err := os.ReadFile(p); err != nil || string(b) != "precious" {
			t.Errorf("%s was touched: %q %v", p, b, err)
		}
	}
}

// TestLogLinesCannotBeForged: a file name with a newline, an escape sequence or a bidi override logged as a
// value gives one line with none of them raw, in both log formats.
func TestLogLinesCannotBeForged(t *testing.T) {
	for _, format := range []string{"text", "json"} {
		var b bytes.Buffer
		l, err := newLogger(&b, format, slog.LevelInfo)
		if err != nil {
			t.Fatal(err)
		}
		name := "exports/a\nlevel=ERROR msg=forged\x1b[2J\u202e.csv"
		l.With("file", name).Error("ingest failed", "err", errors.New("read "+name+": boom"))
		s := b.String()
		if strings.Count(s, "\n") != 1 || strings.ContainsAny(s, "\x1b\u202e") {
			t.Errorf("%s: %q", format, s)
		}
	}
}

// TestErrorLinesCleaned: the final error's lines show a file name's newline and escapes escaped; the errors an
// errors.Join holds stay one a line.
func TestErrorLinesCleaned(t *testing.T) {
	err := errors.Join(errors.New("file a\nb\x1b[31m.csv: boom"), errors.New("second"))
	lines := errorLines(err)
	if len(lines) != 2 || lines[0] != `file a\nb\x1b[31m.csv: boom` || lines[1] != "second" {
		t.Errorf("%q", lines)
	}
}

// sources check lists a reject by row, column, stored value and reason: never the row's id, which a check keys
// with a throw-away key (a phone keyed so could be recovered by enumeration).
func TestSourcesCheckRejectsShowNoID(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "phones.csv")
	body := "工单编号,受理时间,投诉内容\n13612345678,不是日期,文本\n13712345678,2026-10-05,文本\n13812345678,2026-10-06,文本\n13912345678,2026-10-07,文本\n13512345678,2026-10-08,文本\n13412345678,2026-10-09,文本\n"
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	out, _ := run(t, "sources", "check", p)
	row2, _, _ := strings.Cut(catalog.Msg("msg_profiles_reject_row_value", 2, "受理时间", "不是日期", "\x00").Error(), "\x00")
	if !strings.Contains(out, row2) {
		t.Fatalf("the reject is not listed:\n%s", out)
	}
	for _, bad := range []string{"sourceID", "13612345678"} {
		if strings.Contains(out, bad) {
			t.Errorf("sources check shows %q:\n%s", bad, out)
		}
	}
}
