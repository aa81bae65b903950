package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"log/slog"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"complaints/catalog"
)

// TestHelpTextsAreComplete walks the whole command tree (cobra's help and completion commands included) and
// wants a zh and an en text for every command's short help, for its long help and example where it has one, and
// for every flag it defines. A long help composed elsewhere (composedLong; rootcause's, rootcauseHelp) is exempt.
func TestHelpTextsAreComplete(t *testing.T) {
	root := newRoot()
	root.InitDefaultHelpCmd()
	root.InitDefaultCompletionCmd()
	n := 0
	has := func(c *cobra.Command, key string) {
		n++
		for _, lang := range []string{"zh", "en"} {
			if s, ok := catalog.TextIn(key, lang); !ok || strings.TrimSpace(s) == "" {
				t.Errorf("%q: no %s text %s", c.CommandPath(), lang, key)
			}
		}
	}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		k := helpKey(c)
		has(c, k+"_short")
		if _, composed := composedLong[k]; c.Long != "" && !composed && c.Name() != "rootcause" {
			has(c, k+"_long")
		}
		if c.Example != "" {
			has(c, k+"_example")
		}
		c.InitDefaultHelpFlag()
		flag := func(f *pflag.Flag) {
			if f.Name == "help" {
				has(c, "help_flag_help")
				return
			}
			has(c, flagKey(k, f.Name))
		}
		c.LocalNonPersistentFlags().VisitAll(flag)
		c.PersistentFlags().VisitAll(flag)
		for _, s := range c.Commands() {
			walk(s)
		}
	}
	walk(root)
	if n < 150 {
		t.Fatalf("only %d help texts checked", n)
	}
}

// TestHelpFollowsTheLanguage: --lang on the command line chooses the help's language; without it and without a
// config file the help is Chinese. Examples keep their commands and flags in every language.
func TestHelpFollowsTheLanguage(t *testing.T) {
	t.Chdir(t.TempDir()) // no complaints.yaml
	han := regexp.MustCompile(`\p{Han}`)
	en, err := run(t, "report", "--help", "--lang", "en")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{catalog.Text("help_report_long", "en")[:40], "Usage:", "Examples:", "Flags:", "Global Flags:", "help for report"} {
		if !strings.Contains(en, want) {
			t.Errorf("report --help --lang en lacks %q:\n%s", want, en)
		}
	}
	// the English help holds Chinese only where the example does (a sheet name)
	for _, line := range strings.Split(en, "\n") {
		if han.MatchString(line) && !strings.Contains(line, "封面") && !strings.Contains(line, "更正") {
			t.Errorf("English help line in Chinese: %q", line)
		}
	}
	zh, err := run(t, "report", "--help")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{catalog.Text("help_report_long", "zh")[:30], "用法：", "示例：", "选项：", "全局选项：", catalog.Text("help_report_flag_period", "zh"), catalog.Text("help_root_flag_config", "zh")} {
		if !strings.Contains(zh, want) {
			t.Errorf("report --help (no config) lacks %q:\n%s", want, zh)
		}
	}
	if strings.Contains(zh, "Usage:") || strings.Contains(zh, "writes the Excel workbook") || strings.Contains(zh, "(default ") {
		t.Errorf("report --help (no config) is not Chinese:\n%s", zh)
	}
	// a config saying English makes the help English; the global --lang and the help command follow the flag
	if err := os.WriteFile("complaints.yaml", []byte("language: en\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, _ := run(t, "report", "--help"); !strings.Contains(out, "Usage:") {
		t.Errorf("report --help with language: en in the config:\n%s", out)
	}
	if out, _ := run(t, "help", "ingest", "--lang", "zh"); !strings.Contains(out, catalog.Text("help_ingest_short", "zh")) && !strings.Contains(out, "用法：") {
		t.Errorf("help ingest --lang zh:\n%s", out)
	}
	for _, lang := range []string{"zh", "en"} {
		for _, line := range strings.Split(catalog.Text("help_report_example", lang), "\n") {
			if f := strings.Fields(line); len(f) > 0 && f[0] != "#" && f[0] != "complaints" {
				t.Errorf("%s example line is no command: %q", lang, line)
			}
		}
	}
}

// TestHelpExamplesAgree: the examples in both languages run the same commands (only comments and quoted prose
// such as a --reason differ).
func TestHelpExamplesAgree(t *testing.T) {
	quoted := regexp.MustCompile(`"[^"]*"`)
	strip := func(s string) []string {
		var out []string
		for _, l := range strings.Split(s, "\n") {
			l = quoted.ReplaceAllString(l, `""`)
			if i := strings.Index(l, "#"); i >= 0 {
				l = l[:i]
			}
			if l = strings.TrimSpace(l); l != "" {
				out = append(out, strings.Join(strings.Fields(l), " "))
			}
		}
		return out
	}
	for _, k := range catalog.TextKeys() {
		if !strings.HasPrefix(k, "help_") || !strings.HasSuffix(k, "_example") {
			continue
		}
		zh, en := strip(catalog.Text(k, "zh")), strip(catalog.Text(k, "en"))
		if strings.Join(zh, "\n") != strings.Join(en, "\n") {
			t.Errorf("%s: the commands differ:\nzh %q\nen %q", k, zh, en)
		}
	}
}

// TestLogLinesKeepTheirCode: the process logger writes a catalogue message in the user's language; as JSON with
// its code and English text beside it (alert rules match those), as text with its code only.
func TestLogLinesKeepTheirCode(t *testing.T) {
	catalog.SetLang("zh")
	m := catalog.Msg("msg_cli_files_failed", 1, 3)
	var buf bytes.Buffer
	l, err := newLogger(&buf, "json", slog.LevelInfo)
	if err != nil {
		t.Fatal(err)
	}
	catalog.Warn(l, m)
	var got map[string]any
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if got["msg"] != m.In("zh") || got["code"] != "msg_cli_files_failed" || got["msg_en"] != m.In("en") {
		t.Errorf("json log line: %s", buf.String())
	}
	buf.Reset()
	if l, err = newLogger(&buf, "text", slog.LevelInfo); err != nil {
		t.Fatal(err)
	}
	catalog.Warn(l, m)
	if s := buf.String(); !strings.Contains(s, m.In("zh")) || !strings.Contains(s, "code=msg_cli_files_failed") || strings.Contains(s, "msg_en") {
		t.Errorf("text log line: %s", s)
	}
}

// TestMessagesFollowTheLanguage: what a command says on the terminal, errors included, is in --lang when given
// (a command's own --lang or the global one), else the config's language, else Chinese.
func TestMessagesFollowTheLanguage(t *testing.T) {
	t.Chdir(t.TempDir())
	defer catalog.SetLang("zh")
	cases := []struct {
		args []string
		lang string
	}{
		{[]string{"dashboard", "--from", "2026-10", "--to", "2026-09"}, "zh"},
		{[]string{"dashboard", "--from", "2026-10", "--to", "2026-09", "--lang", "en"}, "en"},
		{[]string{"--lang", "en", "ingest", "--max-reject-rate", "2"}, "en"},
		{[]string{"ingest", "--max-reject-rate", "2"}, "zh"},
		{[]string{"report", "--lang", "en", "--perod", "2026-10"}, "en"},
		{[]string{"report", "--perod", "2026-10"}, "zh"},
	}
	for _, c := range cases {
		_, err := run(t, c.args...)
		var m *catalog.Message
		if !errors.As(err, &m) {
			t.Fatalf("%v: %v is no catalogue message", c.args, err)
		}
		if got, want := err.Error(), m.In(c.lang); got != want {
			t.Errorf("%v: %q, want %q", c.args, got, want)
		}
	}
	if err := os.WriteFile("complaints.yaml", []byte("language: en\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := run(t, "dashboard", "--from", "2026-10", "--to", "2026-09")
	if !catalog.HasKey(err, "msg_cli_from_after_to") || err.Error() != catalog.Msg("msg_cli_from_after_to", "2026-10", "2026-09").In("en") {
		t.Errorf("config language en: %v", err)
	}
}

// TestHelpExamplesRun: every example line in either language names a real command and only flags it has.
func TestHelpExamplesRun(t *testing.T) {
	root := newRoot()
	n := 0
	for _, k := range catalog.TextKeys() {
		if !strings.HasPrefix(k, "help_") || !strings.HasSuffix(k, "_example") {
			continue
		}
		for _, lang := range []string{"zh", "en"} {
			for _, line := range strings.Split(catalog.Text(k, lang), "\n") {
				if i := strings.Index(line, "#"); i >= 0 {
					line = line[:i]
				}
				f := strings.Fields(line)
				i := slices.Index(f, "complaints")
				if i < 0 {
					continue
				}
				var args []string
				for _, a := range f[i+1:] {
					if a == ">" || a == ">>" || a == "|" {
						break
					}
					args = append(args, a)
				}
				c, rest, err := root.Find(args)
				if err != nil {
					t.Errorf("%s %s: %q: %v", k, lang, line, err)
					continue
				}
				n++
				for _, a := range rest {
					if name, ok := strings.CutPrefix(a, "--"); ok {
						name, _, _ = strings.Cut(name, "=")
						if c.Flags().Lookup(name) == nil && c.InheritedFlags().Lookup(name) == nil {
							t.Errorf("%s %s: %q: %s has no --%s", k, lang, line, c.CommandPath(), name)
						}
					}
				}
			}
		}
	}
	if n < 50 {
		t.Fatalf("only %d example lines checked", n)
	}
}
