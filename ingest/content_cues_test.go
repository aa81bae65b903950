package ingest

import (
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// cueMapped maps header over rows by content and returns the fields mapped (field -> header), the word that
// cued each, and the keys of the notes.
func cueMapped(t *testing.T, header []string, rows [][]string) (map[string]string, map[string]string, []string) {
	t.Helper()
	tb := &table{Header: header, personal: make([]string, len(header))}
	for i, r := range rows {
		tb.sample = append(tb.sample, rawRow{Num: i + 2, Fields: r})
	}
	cm := resolveColumns(header, nil)
	notes := mapByContent(&cm, tb, nil)
	got := map[string]string{}
	for f, c := range cm.Index {
		if cm.By[f] == "content" {
			got[f] = header[c]
		}
	}
	var keys []string
	for _, n := range notes {
		keys = append(keys, n.Key)
	}
	return got, cm.ContentWord, keys
}

// TestContentCues: header words map a column when its values agree (a flag for 重大, money for 赔, flags and
// short texts for the reply elements, satisfaction words for 结果); a word whose column's values disagree maps
// nothing and says so; two columns cued to one field, and one column cued to two fields, map nothing and say so.
func TestContentCues(t *testing.T) {
	header := []string{"流水", "重大件", "赔付额", "核查结论", "追责", "整改", "处理结果评价", "办理耗时", "坐席分机", "退款方式", "退款笔数", "整改报告"}
	var rows [][]string
	for i := range 30 {
		rows = append(rows, []string{
			fmt.Sprintf("Q%06d", 7919*i%1000003), []string{"是", "否", "否"}[i%3], []string{"0.00", "0", "50.00", "0.00", ""}[i%5],
			[]string{"Y", "Y", "情况属实", ""}[i%4], []string{"Y", "已批评教育"}[i%2], []string{"Y", "加强培训"}[i%2],
			[]string{"满意", "不满意", "Y"}[i%3], []string{"Y", fmt.Sprintf("2026-03-%02d 10:00", 1+i%20)}[i%2],
			[]string{"Y", "0755-80327000"}[i%2], []string{"原路退回", "现金", "转账"}[i%3], fmt.Sprint(1 + i%4),
			fmt.Sprintf("第%d季度起对全辖柜面人员开展服务规范培训并纳入考核", 1+i%4),
		})
	}
	want := map[string]string{"source_id": "流水", "major": "重大件", "compensation": "赔付额", "reply_facts": "核查结论",
		"reply_accountability": "追责", "reply_remediation": "整改", "reply_satisfaction": "处理结果评价",
		"reply_time": "办理耗时", "reply_handler_contact": "坐席分机"}
	got, words, notes := cueMapped(t, header, rows)
	if !maps.Equal(got, want) {
		t.Errorf("mapped by content %v, want %v", got, want)
	}
	if words["major"] != "重大" || words["reply_handler_contact"] != "分机" || words["source_id"] != "" {
		t.Errorf("words %v", words)
	}
	// 退款方式 and 退款笔数 have 退款 in their headers, but hold no amounts of money (counts are no money: none
	// written with decimals, none zero); 整改报告 holds long texts, no flags or short texts.
	for _, k := range []string{"msg_content2_mapped_cue", "msg_content_mapped", "msg_content2_cue_disagrees"} {
		if !slices.Contains(notes, k) {
			t.Errorf("no note %s: %v", k, notes)
		}
	}
	for range 3 {
		if again, _, _ := cueMapped(t, header, rows); !maps.Equal(again, got) {
			t.Fatalf("mapped %v, then %v", got, again)
		}
	}
	// One more column: 调查情况 reads as reply_facts too, so neither it nor 核查结论 is mapped; 核查及整改 reads
	// as reply_facts and reply_remediation alike, so it is mapped to neither (整改 still is).
	for _, c := range []struct {
		header string
		gone   []string
		note   string
	}{
		{"调查情况", []string{"reply_facts"}, "msg_content2_cue_field_ambiguous"},
		{"核查及整改", nil, "msg_content2_cue_column_ambiguous"},
	} {
		h := append(slices.Clone(header), c.header)
		var rs [][]string
		for i, r := range rows {
			rs = append(rs, append(slices.Clone(r), []string{"Y", "N"}[i%2]))
		}
		got, _, notes := cueMapped(t, h, rs)
		w := maps.Clone(want)
		for _, f := range c.gone {
			delete(w, f)
		}
		if !maps.Equal(got, w) || !slices.Contains(notes, c.note) {
			t.Errorf("with %s: mapped by content %v, want %v; notes %v", c.header, got, w, notes)
		}
	}
}

// TestContentBranchMaster: a column of branch short names without a branch ending (朝阳, 海淀) reads as the
// branch when the branch master lists them (Options.BranchSpellings, from the config's branches file), and as
// nothing without it.
func TestContentBranchMaster(t *testing.T) {
	spellings, err := ReadBranchSpellings(filepath.Join("testdata", "branch_master", "branches.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(spellings, "bj001") || !slices.Contains(spellings, "朝阳") || !slices.Contains(spellings, "北京朝阳支行") {
		t.Fatalf("spellings %v", spellings)
	}
	var b strings.Builder
	b.WriteString("单据,收件,归口,全文\n")
	short := []string{"朝阳", "海淀", "浦东", "朝阳网点"}
	for i := range 40 {
		fmt.Fprintf(&b, "GD2026%04d,2026-03-%02d,%s,客户反映第%d笔转账到账延迟，多次联系客服未果，要求解释原因\n", i, 1+i%20, short[i%4], i)
	}
	path := filepath.Join(t.TempDir(), "short_branches.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	p := &Profile{Name: "short", Format: "csv", Encoding: "utf-8"}
	rep, err := Check(context.Background(), path, p, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := rep.Mapping["branch"]; ok {
		t.Errorf("without a branch master, branch mapped to %q", rep.Mapping["branch"])
	}
	opts := testOptions()
	opts.BranchSpellings = spellings
	if rep, err = Check(context.Background(), path, p, opts); err != nil {
		t.Fatal(err)
	}
	if rep.Mapping["branch"] != "归口" || rep.MappedBy["branch"] != "content" {
		t.Errorf("with the branch master, branch mapped to %q (%s)", rep.Mapping["branch"], rep.MappedBy["branch"])
	}
}

// TestContentValuesColumnTie: a column whose values fit two fields alike (服务态度 is a cause and a complaint
// type) maps to neither, and says so.
func TestContentValuesColumnTie(t *testing.T) {
	header := []string{"流水", "性质"}
	var rows [][]string
	for i := range 30 {
		rows = append(rows, []string{fmt.Sprintf("Q%06d", 7919*i%1000003), "服务态度"})
	}
	got, _, notes := cueMapped(t, header, rows)
	if want := map[string]string{"source_id": "流水"}; !maps.Equal(got, want) || !slices.Contains(notes, "msg_content2_values_column_ambiguous") {
		t.Errorf("mapped %v, want %v; notes %v", got, want, notes)
	}
}

// TestContentCueDuration: a column of handling durations under 时长 is the reply's handling time; one of the day
// limits 15/30/60 under 时长 is the extension tier (by its values), not a duration.
func TestContentCueDuration(t *testing.T) {
	header := []string{"流水", "处理时长", "延期时长"}
	var rows [][]string
	for i := range 30 {
		rows = append(rows, []string{fmt.Sprintf("Q%06d", 7919*i%1000003), []string{"3天", "2.5小时", "40分钟", "5个工作日", "15天"}[i%5],
			[]string{"15天", "30天", "60天"}[i%3]})
	}
	got, _, _ := cueMapped(t, header, rows)
	want := map[string]string{"source_id": "流水", "reply_time": "处理时长", "extension_tier": "延期时长"}
	if !maps.Equal(got, want) {
		t.Errorf("mapped %v, want %v", got, want)
	}
}

// TestContentCueAmbiguousNotFreeText: a column of short Chinese texts cued to two fields (核查 and 整改) is
// mapped to neither, nor taken for the narrative.
func TestContentCueAmbiguousNotFreeText(t *testing.T) {
	header := []string{"流水", "核查整改情况"}
	var rows [][]string
	for i := range 30 {
		rows = append(rows, []string{fmt.Sprintf("Q%06d", 7919*i%1000003), fmt.Sprintf("经核实第%d笔情况属实已整改", i)})
	}
	got, _, notes := cueMapped(t, header, rows)
	if want := map[string]string{"source_id": "流水"}; !maps.Equal(got, want) || !slices.Contains(notes, "msg_content2_cue_column_ambiguous") {
		t.Errorf("mapped %v, want %v; notes %v", got, want, notes)
	}
}

// TestContentCueNames: a column of people's names under 调查 (the investigator) is no reply element.
func TestContentCueNames(t *testing.T) {
	header := []string{"流水", "调查人"}
	var rows [][]string
	for i := range 30 {
		rows = append(rows, []string{fmt.Sprintf("Q%06d", 7919*i%1000003), []string{"王芳", "李强", "张伟", "刘洋", "陈静"}[i%5]})
	}
	got, _, _ := cueMapped(t, header, rows)
	if f := got["reply_facts"]; f != "" {
		t.Errorf("reply_facts mapped to %q: %v", f, got)
	}
}
