package catalog

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"testing"
)

// TestLogKeepsCodeAndEnglish: a catalogue message logged as JSON carries the text in the process language, its
// key as code and its English text, also for an argument rendered per language.
func TestLogKeepsCodeAndEnglish(t *testing.T) {
	SetLang("zh")
	var buf bytes.Buffer
	l := slog.New(slog.NewJSONHandler(&buf, nil))
	per := func(lang string) string { return map[string]string{"zh": "甲.csv", "en": "a.csv"}[lang] }
	Warn(l, Msg("msg_test_example", per, 7), "file", "x")
	var got map[string]any
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"msg": Msg("msg_test_example", "甲.csv", 7).In("zh"), "code": "msg_test_example",
		"msg_en": `file "a.csv" line 7: example`, "level": "WARN", "file": "x"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %v, want %v", k, got[k], v)
		}
	}
	Log(t.Context(), nil, slog.LevelWarn, Msg("msg_test_example", "a", 1)) // a nil logger logs nothing
}
