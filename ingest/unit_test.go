package ingest

import (
	"testing"

	"complaints/warehouse"
)

func TestNormalizeIdentifiers(t *testing.T) {
	for _, c := range []struct{ fn, in, want string }{
		{"id", "11010119900307123x", "11010119900307123X"},
		{"id", "１１０１０１ １９９００３０７ １２３Ｘ", "11010119900307123X"},
		{"id", "110101900307123", "110101199003071233"}, // 15 -> 18 with the GB 11643 check digit
		{"phone", "+86 138-1234-5678", "13812345678"},
		{"phone", "0086 13812345678", "13812345678"},
		{"phone", "8613812345678", "13812345678"},
		{"phone", "１３８１２３４５６７８", "13812345678"},
		{"card", "6222 0212-3456 7890 123", "6222021234567890123"},
	} {
		var got string
		switch c.fn {
		case "id":
			got = NormalizeIDNumber(c.in)
		case "phone":
			got = NormalizePhone(c.in)
		case "card":
			got = NormalizeCard(c.in)
		}
		if got != c.want {
			t.Errorf("%s(%q) = %q, want %q", c.fn, c.in, got, c.want)
		}
	}
	if idCheckDigit("11010519491231002") != "X" {
		t.Error("check digit of the GB 11643 example 11010519491231002X")
	}
	for in, want := range map[string]string{"张三": "张*", "欧阳娜娜": "欧***", "李": "李*", "": ""} {
		if got := MaskName(in); got != want {
			t.Errorf("MaskName(%q) = %q, want %q", in, got, want)
		}
	}
	if got := MaskPhone("13812345678"); got != "138****5678" {
		t.Errorf("MaskPhone = %q", got)
	}
	if CustomerKey([]byte("k"), "13812345678") == CustomerKey([]byte("other"), "13812345678") || CustomerKey([]byte("k"), "") != "" {
		t.Error("CustomerKey must depend on the key and be empty for an empty identifier")
	}
}

func TestScrub(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"2025-10-03 13812345678", "2025-10-03 [手机号]"},
		{"工单2025100300012号", "工单2025100300012号"}, // 13 digits in one group: a card-length number is masked? see below
		{"金额1234.56元，日期2025年10月3日", "金额1234.56元，日期2025年10月3日"},
		{"电话010-12345678", "电话[电话]"},
		{"卡号 6222 0212 3456 7890", "卡号 [卡号]"},
		{"+86 138 1234 5678。", "[手机号]。"},
		{"证件110101199003071234，", "证件[证件号]，"},
		{"mail: a.b-c@x.com.cn!", "mail: [邮箱]!"},
		{"张三说", "[姓名]说"},
	} {
		got := Scrub(c.in, "张三")
		want := c.want
		if c.in == "工单2025100300012号" {
			want = "工单[卡号]号" // any 13-19 digit run is treated as a card number: privacy over keeping a number
		}
		if got != want {
			t.Errorf("Scrub(%q) = %q, want %q", c.in, got, want)
		}
	}
}

func TestParseDate(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"2025/10/3 14:05", "2025-10-03 14:05:00"},
		{"2025/10/3", "2025-10-03 00:00:00"},
		{"2025-1-2", "2025-01-02 00:00:00"},
		{"2025年10月3日", "2025-10-03 00:00:00"},
		{"2025年10月3日 9:05", "2025-10-03 09:05:00"},
		{"2024-11-01T01:21:00+08:00", "2024-11-01 01:21:00"},
		{"2025-09-30T16:30:00Z", "2025-10-01 00:30:00"},
		{"2025-07-11T14:42:24.000Z", "2025-07-11 22:42:24"},
		{"09/12/2016", "2016-09-12 00:00:00"},
		{"２０２５－１０－０３", "2025-10-03 00:00:00"},
		{"2025/2/30 9:15", ""},
		{"0000/0/0", ""},
		{"待补录", ""},
		{"45933", ""}, // a number is a serial only in workbooks
	} {
		got := ""
		if tm, ok := parseDate(c.in, nil, false, false); ok {
			got = warehouse.WallClockText(tm)
		}
		if got != c.want {
			t.Errorf("parseDate(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	if tm, ok := parseDate("45933", nil, true, false); !ok || warehouse.WallClockText(tm) != "2025-10-03 00:00:00" {
		t.Errorf("serial in a workbook: %v %v", tm, ok)
	}
	if tm, ok := parseDate("03.10.2025", []string{"02.01.2006"}, false, false); !ok || tm.Day() != 3 || tm.Month() != 10 {
		t.Errorf("profile layout: %v %v", tm, ok)
	}
}

func TestDetectEncodingAndDelimiter(t *testing.T) {
	for _, c := range []struct {
		head []byte
		utf8 bool
		want string
	}{
		{[]byte("\xEF\xBB\xBFa,b"), true, "utf-8-bom"},
		{[]byte("\xFF\xFEa\x00,\x00"), false, "utf-16le"},
		{[]byte("\xFE\xFF\x00a\x00,"), false, "utf-16be"},
		{[]byte("a\x00,\x00b\x00,\x00c\x00\n\x00"), false, "utf-16le"},
		{[]byte("工单编号,受理时间"), true, "utf-8"},
		{[]byte("\xb9\xa4\xb5\xa5\xb1\xe0\xba\xc5"), false, "gb18030"},
	} {
		var st textStats
		if !c.utf8 {
			tc := textCounter{st: &st}
			tc.feed(c.head, true)
		}
		if got, _ := detectEncoding(c.head, c.utf8, st); got != c.want {
			t.Errorf("detectEncoding(%q) = %q, want %q", c.head, got, c.want)
		}
	}
	for in, want := range map[string]byte{
		"a,b,c\n1,2,3\n":                  ',',
		"a;b;c\n1;\"2;x\";3\n":            ';',
		"a\tb\tc\n1\t2,5\t3\n":            '\t',
		"a|b|c\n1|2|3\n":                  '|',
		"a,b;c;d\n1,2;3;4\n5,6;7;8\n":     ';',
		"title\n\na,b\n1,\"x\ny\"\n2,z\n": ',',
	} {
		if got := sniffDelimiter(in); got != want {
			t.Errorf("sniffDelimiter(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestHeaderSynonyms(t *testing.T) {
	cm := resolveColumns([]string{"序号", "工单编号", "受理时间（北京时间）", "客户.手机", "customer.id", "Date received", "备注", "网点名称"}, nil)
	for f, want := range map[string]int{"source_id": 1, "received_at": 2, "customer_phone": 3, "customer_id_number": 4, "narrative": 6, "branch": 7} {
		if got, ok := cm.Index[f]; !ok || got != want {
			t.Errorf("%s -> column %d (%v), want %d", f, got, ok, want)
		}
	}
	p := &Profile{Columns: map[string]string{"received_at": "Date received"}}
	cm = resolveColumns([]string{"工单编号", "受理时间", "Date received"}, p)
	if cm.Index["received_at"] != 2 || cm.By["received_at"] != "profile" {
		t.Errorf("profile columns must win: %+v", cm)
	}
	// Every landing field (and each personal input) has synonyms.
	for _, c := range landingColumns {
		switch c {
		case "customer_id_key", "customer_phone_key", "customer_card_key", "customer_name_masked", "customer_phone_masked", "row_flags", "row_hash", "raw_hash",
			"source_id_masked", "referral_ref_masked":
			continue
		}
		if f := fieldByName[c]; f == nil || len(f.Synonyms) == 0 {
			t.Errorf("landing field %s has no header synonyms", c)
		}
	}
}
