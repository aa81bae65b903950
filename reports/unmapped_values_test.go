package reports

import (
	"testing"

	"complaints/catalog"
	"complaints/transform"
)

// TestQualitySheetListsUnmappedStatuses: the data-quality sheet's unmapped values list a status, a demand and a
// satisfaction that map to no code under their own dimension labels, in Chinese and English; values their words
// map (已销号) are not listed.
func TestQualitySheetListsUnmappedStatuses(t *testing.T) {
	cols := []string{"source_id", "received_at", "business_category", "status", "demand", "satisfaction"}
	db := landBatch(t, "2026-11-01 09:00:00", cols, [][]any{
		{"U1", "2026-10-05 10:00:00", "贷款", "待审批", "退费并赔偿", "基本认可"},
		{"U2", "2026-10-06 10:00:00", "贷款", "已销号", "退款", "满意"},
	}, transform.Options{})
	for _, lang := range []string{"zh", "en"} {
		f, _ := writeE2E(t, db, lang, "2026-10", Options{})
		rows, err := f.GetRows(catalog.Text("sheet_quality", lang))
		if err != nil {
			t.Fatal(err)
		}
		listed := map[string]string{}
		for _, r := range rows {
			if len(r) >= 6 && r[4] != "" {
				listed[r[4]] = r[3]
			}
		}
		for raw, dim := range map[string]string{"待审批": "rpt_dim_status", "退费并赔偿": "rpt_dim_demand", "基本认可": "rpt_dim_satisfaction"} {
			if got, want := listed[raw], catalog.Text(dim, lang); got != want {
				t.Errorf("%s: %q listed under %q, want %q", lang, raw, got, want)
			}
		}
		for _, raw := range []string{"已销号", "退款", "满意"} {
			if _, ok := listed[raw]; ok {
				t.Errorf("%s: %q is listed, but maps", lang, raw)
			}
		}
	}
}
