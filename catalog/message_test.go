package catalog

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
)

func TestMessageRendersInEachLanguage(t *testing.T) {
	m := Msg("msg_test_example", "a.csv", 7)
	if got := m.In("en"); got != `file "a.csv" line 7: example` {
		t.Fatalf("en: %q", got)
	}
	if got := m.In("zh"); !strings.Contains(got, "第 7 行") {
		t.Fatalf("zh: %q", got)
	}
	wrapped := fmt.Errorf("outer: %w", Errorf("msg_test_example", "b.csv", 1, io.EOF))
	if !HasKey(wrapped, "msg_test_example") || HasKey(wrapped, "other") {
		t.Fatal("HasKey does not see through wrapping")
	}
	if !errors.Is(wrapped, io.EOF) {
		t.Fatal("errors.Is does not see an error argument")
	}
	SetLang("en")
	defer SetLang("zh")
	if !strings.HasPrefix(m.Error(), "file ") {
		t.Fatalf("process language en: %q", m.Error())
	}
}

// Every message template has the same verbs in both languages (a zh template that drops an argument would print
// %!(EXTRA ...) or lose the place of an error).
func TestMessageTemplatesAgree(t *testing.T) {
	for _, k := range TextKeys() {
		if !strings.HasPrefix(k, "msg_") {
			continue
		}
		zh, en := verbs(Text(k, "zh")), verbs(Text(k, "en"))
		if zh != en {
			t.Errorf("%s: zh verbs %q, en verbs %q", k, zh, en)
		}
	}
}

// verbs lists a template's argument uses, sorted by index (%[2]d and %d count as uses of their index).
func verbs(t string) string {
	var uses []string
	next := 1
	for i := 0; i < len(t); i++ {
		if t[i] != '%' || i+1 >= len(t) {
			continue
		}
		if t[i+1] == '%' {
			i++
			continue
		}
		j := i + 1
		idx := next
		if t[j] == '[' {
			k := strings.IndexByte(t[j:], ']')
			fmt.Sscanf(t[j+1:j+k], "%d", &idx)
			j += k + 1
		}
		for j < len(t) && strings.IndexByte("+-# 0123456789.", t[j]) >= 0 {
			j++
		}
		if j < len(t) {
			uses = append(uses, fmt.Sprintf("%d%c", idx, t[j]))
		}
		next = idx + 1
		i = j
	}
	// order-independent
	for a := 0; a < len(uses); a++ {
		for b := a + 1; b < len(uses); b++ {
			if uses[b] < uses[a] {
				uses[a], uses[b] = uses[b], uses[a]
			}
		}
	}
	return strings.Join(uses, ",")
}
