package termtext

import "testing"

func TestClean(t *testing.T) {
	cases := map[string]string{
		"广州天河支行":               "广州天河支行",
		"plain text":           "plain text",
		"\x1b[31mred\x1b[0m":   `\x1b[31mred\x1b[0m`,
		"a\nlevel=ERROR msg=x": `a\nlevel=ERROR msg=x`,
		"a\r\tb":               `a\r\tb`,
		"bell\a\x00":           `bell\x07\x00`,
		"c1\u009b31m":          `c1\u009b31m`,
		"evil\u202egnp.exe":    `evil\u202egnp.exe`,
		"bad\xffutf8":          `bad\xffutf8`,
		"del\x7f":              `del\x7f`,
	}
	for in, want := range cases {
		if got := Clean(in); got != want {
			t.Errorf("Clean(%q) = %q, want %q", in, got, want)
		}
	}
}
