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

	"complaints/catalog"
	"complaints/ingest/profile"

	"github.com/xuri/excelize/v2"
)

// contentMapped resolves header over rows (the sample) with profile p and returns the fields mapped by content,
// field -> header.
func contentMapped(t *testing.T, header []string, rows [][]string, p *Profile) map[string]string {
	t.Helper()
	tb := &table{Header: header, personal: make([]string, len(header))}
	for i, r := range rows {
		tb.sample = append(tb.sample, rawRow{Num: i + 2, Fields: r})
	}
	cm := resolveColumns(header, p)
	notes := mapByContent(&cm, tb, p)
	out := map[string]string{}
	for f, c := range cm.Index {
		if cm.By[f] == "content" {
			out[f] = header[c]
		}
	}
	said := 0
	for _, n := range notes {
		if n.Key == "msg_content_mapped" || n.Key == "msg_content2_mapped_cue" {
			said++
		}
	}
	if said != len(out) {
		t.Errorf("%d notes for %d columns mapped by content", said, len(out))
	}
	return out
}

// TestContentAmbiguous: a file whose columns could each be more than one thing maps none of them: two date
// columns filled on every row (even in a steady order), a column of amounts, two columns of branch names, two
// free-text columns of like length, a column of 是/否. Only the complaint id, which is clear, is mapped.
func TestContentAmbiguous(t *testing.T) {
	header := []string{"流水", "日期一", "日期二", "金额", "办理行", "开户行", "说明甲", "说明乙", "标记"}
	branches := []string{"武汉江汉支行", "深圳福田支行", "上海浦东支行", "北京分行营业部"}
	var rows [][]string
	for i := range 40 {
		rows = append(rows, []string{
			fmt.Sprintf("Q%06d", 7919*i%1000003),
			fmt.Sprintf("2026-%02d-%02d", 1+i%12, 1+i%28),
			fmt.Sprintf("2026-%02d-%02d 18:00", 1+i%12, 1+i%28),
			fmt.Sprintf("%d.%02d", 37*i*i%9000+15, i*13%100),
			branches[i%4], branches[(i+1)%4],
			fmt.Sprintf("客户第%d次来电反映信用卡年费被重复扣收，要求退还", i), fmt.Sprintf("经核实第%d笔扣费系系统重复扣收，已安排退还", i),
			[]string{"是", "否"}[i%2],
		})
	}
	got := contentMapped(t, header, rows, nil)
	want := map[string]string{"source_id": "流水"}
	if !maps.Equal(got, want) {
		t.Errorf("mapped by content %v, want only %v", got, want)
	}
	// The two columns of branch names are said to be ambiguous.
	if _, _, notes := cueMapped(t, header, rows); !slices.Contains(notes, "msg_content2_values_field_ambiguous") {
		t.Errorf("no note says the branch columns are ambiguous: %v", notes)
	}
	// Ingest refuses the file for want of received_at, and quotes its headers (content found them to be
	// headers, though no synonym names one), so the user sees what to put in the profile.
	var b strings.Builder
	for _, r := range append([][]string{header}, rows...) {
		b.WriteString(strings.Join(r, ",") + "\n")
	}
	path := filepath.Join(t.TempDir(), "ambiguous.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	rep, err := Check(context.Background(), path, &Profile{Name: "ambiguous", Format: "csv", Encoding: "utf-8"}, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	if !catalog.HasKey(rep.Refused, "msg_ingest_missing_columns") || !strings.Contains(rep.Refused.Error(), `"日期一"`) {
		t.Errorf("refused %v", rep.Refused)
	}
}

// TestContentClear: clear columns map, a profile's fields (found or missing) and synonym headers are never
// touched, and the same rows map the same way every time.
func TestContentClear(t *testing.T) {
	header := []string{"单号X", "收件", "了结", "时限(天)", "网点", "所在", "全文", "归属"}
	var rows [][]string
	for i := range 30 {
		reply := ""
		if i%5 != 0 {
			reply = fmt.Sprintf("2026-03-%02d", 2+i%20)
		}
		rows = append(rows, []string{
			fmt.Sprintf("GD2026%04d", i), fmt.Sprintf("2026-03-%02d", 1+i%20), reply,
			[]string{"15", "30", "60天"}[i%3], "江汉支行", []string{"湖北省", "广东", "北京市"}[i%3],
			fmt.Sprintf("客户反映第%d笔转账到账延迟，多次联系客服未果，要求解释原因", i), []string{"湖北", "广东"}[i%2],
		})
	}
	got := contentMapped(t, header, rows, nil)
	want := map[string]string{"source_id": "单号X", "received_at": "收件", "replied_at": "了结", "extension_tier": "时限(天)",
		"narrative": "全文"}
	// 网点 is branch's synonym; 所在 and 归属 both hold provinces: a tie maps neither, and says so.
	if !maps.Equal(got, want) {
		t.Errorf("mapped by content %v, want %v", got, want)
	}
	if _, _, notes := cueMapped(t, header, rows); !slices.Contains(notes, "msg_content2_values_field_ambiguous") {
		t.Errorf("no note says the province columns are ambiguous: %v", notes)
	}
	for range 3 {
		if again := contentMapped(t, header, rows, nil); !maps.Equal(again, got) {
			t.Fatalf("mapped %v, then %v", got, again)
		}
	}
	// A profile that names replied_at (a header the file lacks) and province keeps both from the content.
	p := &Profile{Name: "p", Columns: profile.ColumnMap{"replied_at": "答复日期", "province": "归属"}}
	got = contentMapped(t, header, rows, p)
	delete(want, "replied_at")
	if !maps.Equal(got, want) {
		t.Errorf("with a profile: mapped by content %v, want %v", got, want)
	}
}

// TestContentBelowMergedTitle: a workbook whose header no synonym names, under a title merged across the sheet
// (filled into every cell it covers), is read from the header row below the title and mapped by content.
func TestContentBelowMergedTitle(t *testing.T) {
	src, err := excelize.OpenFile(filepath.Join("testdata", "otherbank", "walkin.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := src.GetRows("Sheet1")
	src.Close()
	if err != nil {
		t.Fatal(err)
	}
	x := excelize.NewFile()
	x.SetCellValue("Sheet1", "A1", "网点客户投诉接待台账（截至2026年10月31日）")
	if err := x.MergeCell("Sheet1", "A1", "L1"); err != nil {
		t.Fatal(err)
	}
	for i, r := range rows[:60] {
		cells := make([]any, len(r))
		for j, v := range r {
			cells[j] = v
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		x.SetSheetRow("Sheet1", cell, &cells)
	}
	path := filepath.Join(t.TempDir(), "walkin_titled.xlsx")
	if err := x.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	rep, err := Check(context.Background(), path, &Profile{Name: "walkin", Format: "xlsx"}, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	if rep.HeaderRow != 2 || rep.Refused != nil || rep.Mapping["source_id"] != "台账序号" || rep.Mapping["received_at"] != "到访日" {
		t.Errorf("header row %d, refused %v, mapping %v", rep.HeaderRow, rep.Refused, rep.Mapping)
	}
}

// TestContentHeaderless: a file without a header row, whose first row is a customer's record, is not mapped by
// content (its first record would be taken for headers and quoted in the notes): it is refused as before,
// quoting none of its cells.
func TestContentHeaderless(t *testing.T) {
	var b strings.Builder
	for i := range 30 {
		fmt.Fprintf(&b, "GD2026%04d,2026-03-%02d,张伟,江汉支行,客户反映第%d笔转账到账延迟，多次联系客服未果，要求解释原因\n", i, 1+i%20, i)
	}
	path := filepath.Join(t.TempDir(), "noheader.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	rep, err := Check(context.Background(), path, &Profile{Name: "noheader", Format: "csv", Encoding: "utf-8"}, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	if rep.Refused == nil || len(rep.Mapping) > 0 || strings.Contains(rep.Refused.Error(), "张伟") || strings.Contains(rep.Refused.Error(), "GD2026") {
		t.Errorf("refused %v, mapping %v", rep.Refused, rep.Mapping)
	}
}
