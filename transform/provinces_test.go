package transform

import (
	"context"
	"testing"
)

// provinceMasterCSV: a unit that moved province on 2026-07-01 (two rows of one code with their validity), a
// unit with no province under a parent that has one, a unit with only a province name, and a head-office unit
// with none up its chain.
const provinceMasterCSV = "code,name,aliases,parent,province_code,province_name,valid_from,valid_to,successor\n" +
	"GD000,广东省分行,,,440000,广东省,,,\n" +
	"GD001,广州天河支行,天河支行,GD000,,,,,\n" +
	"MV001,流动支行,,,440000,广东省,,2026-06-30,\n" +
	"MV001,流动支行,,,350000,福建省,2026-07-01,,\n" +
	"NM001,成都锦江支行,锦江支行,,,四川省,,,\n" +
	"HQ000,总行,,,,,,,\n" +
	"CC001,信用卡中心,,HQ000,,,,,\n"

// TestProvinceFromBranchMaster: a record without a province takes its branch's from the master (valid on the
// date of receipt; a parent's when the unit has none; a province name folded to its code); a record's own
// province wins; a unit with none up its chain leaves the record without one.
func TestProvinceFromBranchMaster(t *testing.T) {
	rows := []landed{
		{batch: 1, source: "hotline", id: "A", received: "2026-05-01 10:00:00", category: "信用卡", branch: "天河支行"},
		{batch: 1, source: "hotline", id: "B", received: "2026-05-02 10:00:00", category: "信用卡", branch: "天河支行", province: "北京市"},
		{batch: 1, source: "hotline", id: "C", received: "2026-06-30 10:00:00", category: "信用卡", branch: "流动支行"},
		{batch: 1, source: "hotline", id: "D", received: "2026-07-01 10:00:00", category: "信用卡", branch: "流动支行"},
		{batch: 1, source: "hotline", id: "E", received: "2026-05-03 10:00:00", category: "信用卡", branch: "锦江支行"},
		{batch: 1, source: "hotline", id: "F", received: "2026-05-04 10:00:00", category: "信用卡", branch: "信用卡中心"},
		{batch: 1, source: "hotline", id: "G", received: "2026-05-05 10:00:00", category: "信用卡", branch: "火星支行"},
		{batch: 1, source: "hotline", id: "H", received: "2026-05-06 10:00:00", category: "信用卡"},
	}
	w := setup(t, rows)
	if _, err := Normalize(context.Background(), w, Options{BranchesFile: writeFile(t, "branches.csv", provinceMasterCSV)}); err != nil {
		t.Fatal(err)
	}
	wantRows(t, w.DB, "SELECT source_id, branch, province FROM complaints ORDER BY source_id",
		"A|GD001|440000", // the parent's
		"B|GD001|110000", // the record's own
		"C|MV001|440000", // the row valid on 06-30
		"D|MV001|350000", // the row valid from 07-01
		"E|NM001|510000", // the province name, folded to its code
		"F|CC001|-",      // a head-office unit: none up the chain
		"G|火星支行|-",       // unknown to the master
		"H|-|-",
	)
	wantRows(t, w.DB, "SELECT province, sum(received)::BIGINT FROM mart_dimension_month GROUP BY ALL ORDER BY ALL",
		"|3", "110000|1", "350000|1", "440000|2", "510000|1")
}
