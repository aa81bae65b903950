package config

import (
	"testing"

	"complaints/catalog"
)

func TestDateOrderValidated(t *testing.T) {
	for _, v := range []string{"dmy", "mdy", "ymd"} {
		if _, err := Parse([]byte("sources:\n  - name: a\n    date_order: "+v+"\n"), "test.yaml"); err != nil {
			t.Errorf("date_order %s: %v", v, err)
		}
	}
	_, err := Parse([]byte("sources:\n  - name: a\n    date_order: dd/mm\n"), "test.yaml")
	if !catalog.HasKey(err, "msg_misc_date_order_value") {
		t.Errorf("date_order dd/mm: %v", err)
	}
}
