package ingest

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/xuri/excelize/v2"
)

// calendarYears is what the pipeline passes: the years transform/calendar covers (lunar-go's, here 2001-2027).
func calendarYears() []int {
	var ys []int
	for y := 2001; y <= 2027; y++ {
		ys = append(ys, y)
	}
	return ys
}

func rejectKeys(rs []Reject) map[string]int {
	out := map[string]int{}
	for _, r := range rs {
		out[r.Key]++
	}
	return out
}

func TestReceiptOutsideCalendarOrAfterAsOfIsRejected(t *testing.T) {
	ctx := context.Background()
	w := openTestWarehouse(t)
	dir := t.TempDir()
	p := writeFile(t, dir, "hotline_20261031.csv", "工单编号,受理时间,投诉内容\n"+
		"A1,2026-10-03 10:00:00,正常\n"+
		"A2,1900-01-01,远古\n"+
		"A3,2100-01-01 00:00:00,未来\n"+
		"A4,2028-01-03 09:00:00,日历之后一年\n"+
		"A5,2026-11-01 09:00:00,截至日之后\n"+
		"A6,2026-10-31 23:59:00,截至日当天\n")
	opts := testOptions()
	opts.MaxRejectRate = 0.9
	opts.CalendarYears = calendarYears()
	res, err := IngestFiles(ctx, w, opts, []string{p}, "")
	if err != nil || res[0].Err != nil {
		t.Fatalf("ingest: %+v %v", res, err)
	}
	if res[0].Accepted != 2 || res[0].Rejected != 4 {
		t.Fatalf("accepted %d rejected %d, want 2 and 4: %+v", res[0].Accepted, res[0].Rejected, res[0].Rejects)
	}
	keys := rejectKeys(res[0].Rejects)
	if keys["msg_poison_receipt_year_uncovered"] != 3 || keys["msg_poison_receipt_after_as_of"] != 1 {
		t.Fatalf("reject keys %v", keys)
	}
	for _, r := range res[0].Rejects {
		if r.Reason == "" || r.Column != "受理时间" {
			t.Fatalf("reject without reason or column: %+v", r)
		}
	}
	var stored int
	if err := w.DB.QueryRow("SELECT count(*) FROM rejects WHERE reason LIKE '%2100-01-01%'").Scan(&stored); err != nil || stored != 1 {
		t.Fatalf("rejects table: %d %v", stored, err)
	}
	// sources check shows the same rejects
	rep, err := Check(ctx, p, nil, opts)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Rejected != 4 || rejectKeys(rep.Rejects)["msg_poison_receipt_year_uncovered"] != 3 {
		t.Fatalf("check: rejected %d %+v", rep.Rejected, rep.Rejects)
	}
}

func TestReceiptAfterIngestDateWithoutAsOf(t *testing.T) {
	w := openTestWarehouse(t)
	p := writeFile(t, t.TempDir(), "hotline.csv", "工单编号,受理时间\nB1,2026-11-05 20:00:00\nB2,2026-11-06 08:00:00\n")
	opts := testOptions() // ingest time 2026-11-05 09:00 Beijing
	opts.CalendarYears = calendarYears()
	res, err := IngestFiles(context.Background(), w, opts, []string{p}, "")
	if err != nil || res[0].Err != nil {
		t.Fatalf("ingest: %+v %v", res, err)
	}
	if res[0].Accepted != 1 || rejectKeys(res[0].Rejects)["msg_poison_receipt_after_ingest"] != 1 {
		t.Fatalf("accepted %d rejects %+v", res[0].Accepted, res[0].Rejects)
	}
}

// Unset CalendarYears: 2001 up to the year after the ingest year's, so a 1900 receipt is still refused.
func TestReceiptYearsDefault(t *testing.T) {
	p := writeFile(t, t.TempDir(), "hotline.csv", "工单编号,受理时间\nC1,2026-10-05\nC2,1900-01-01\nC3,2000-12-31\n")
	opts := testOptions()
	opts.MaxRejectRate = 0.9
	rep, err := Check(context.Background(), p, nil, opts)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Accepted != 1 || rejectKeys(rep.Rejects)["msg_poison_receipt_year_uncovered"] != 2 {
		t.Fatalf("accepted %d rejects %+v", rep.Accepted, rep.Rejects)
	}
}

// writeSerial60 writes a walk-in workbook of six records (2026-10-05 to 10-09) whose second record was received on serial 60 (1900-02-29, the day
// Excel counts that never existed), in a date-formatted cell.
func writeSerial60(path string) error {
	f := excelize.NewFile()
	defer f.Close()
	s := "Sheet1"
	date, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	if err != nil {
		return err
	}
	cells := [][]any{{"登记编号", "登记日期", "投诉摘要"}, {"W1", 46300, "排队时间长"}, {"W2", 60, "日期为序列号60"}, {"W3", 46301, "收费"},
		{"W4", 46302, "态度差"}, {"W5", 46303, "ATM吞卡"}, {"W6", 46304, "理财"}}
	for i, row := range cells {
		for j, v := range row {
			ref, _ := excelize.CoordinatesToCellName(j+1, i+1)
			if err := f.SetCellValue(s, ref, v); err != nil {
				return err
			}
			if i > 0 && j == 1 {
				if err := f.SetCellStyle(s, ref, ref, date); err != nil {
					return err
				}
			}
		}
	}
	return f.SaveAs(path)
}

func TestXLSXSerial60IsRejected(t *testing.T) {
	p := filepath.Join(t.TempDir(), "walkin.xlsx")
	if err := writeSerial60(p); err != nil {
		t.Fatal(err)
	}
	opts := testOptions()
	opts.CalendarYears = calendarYears()
	rep, err := Check(context.Background(), p, nil, opts)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Accepted != 5 || rep.Rejected != 1 || rejectKeys(rep.Rejects)["msg_poison_receipt_year_uncovered"] != 1 || rep.Rejects[0].Row != 3 {
		t.Fatalf("accepted %d rejected %d %+v", rep.Accepted, rep.Rejected, rep.Rejects)
	}
	if *updateFixtures {
		if err := writeSerial60("../testdata/bad-inputs/poison/walkin_serial60_20261031.xlsx"); err != nil {
			t.Fatal(err)
		}
	}
}

// An ambiguous year-last receipt date (05/10/2026, read once the file's day/month order is known) is placed in
// time by its year, and is after the as-of date only when both of its readings are.
func TestAmbiguousReceiptDatesPlacedInTime(t *testing.T) {
	ctx := context.Background()
	w := openTestWarehouse(t)
	dir := t.TempDir()
	p := writeFile(t, dir, "hotline_20261031.csv", "工单编号,受理时间,投诉内容\n"+
		"A1,05/10/2026,两种读法都在截至日之前\n"+
		"A2,11/12/2026,两种读法都在截至日之后\n"+
		"A3,03/04/2031,日历没有的年份\n"+
		"A4,10/11/2026,一种读法在截至日之后\n"+
		"A5,2026-10-01,正常\n"+
		"A6,2026-10-02,正常\n")
	opts := testOptions()
	opts.MaxRejectRate = 0.9
	opts.CalendarYears = calendarYears()
	res, err := IngestFiles(ctx, w, opts, []string{p}, "")
	if err != nil || res[0].Err != nil {
		t.Fatalf("ingest: %+v %v", res, err)
	}
	keys := rejectKeys(res[0].Rejects)
	if res[0].Accepted != 4 || keys["msg_poison_receipt_after_as_of"] != 1 || keys["msg_poison_receipt_year_uncovered"] != 1 {
		t.Fatalf("accepted %d, rejects %v: %+v", res[0].Accepted, keys, res[0].Rejects)
	}
	var bad int
	if err := w.DB.QueryRow("SELECT count(*) FROM landed_rows WHERE TRY_CAST(received_at AS TIMESTAMP) IS NULL").Scan(&bad); err != nil || bad != 0 {
		t.Fatalf("%d landed receipt dates are not dates (%v)", bad, err)
	}
}

// An ambiguous receipt date that passed by its earlier reading is rejected once the file's order reads it after
// the export's as-of date, and the counts say so.
func TestAmbiguousReceiptReadLateIsRejected(t *testing.T) {
	ctx := context.Background()
	w := openTestWarehouse(t)
	p := writeFile(t, t.TempDir(), "hotline_20261031.csv", "工单编号,受理时间,投诉内容\n"+
		"A1,13/10/2026,日在前\n"+
		"A2,10/11/2026,按日在前读是11月10日\n"+
		"A3,05/10/2026,10月5日\n"+
		"A4,2026-10-01,正常\n")
	opts := testOptions()
	opts.MaxRejectRate = 0.9
	opts.CalendarYears = calendarYears()
	res, err := IngestFiles(ctx, w, opts, []string{p}, "")
	if err != nil || res[0].Err != nil {
		t.Fatalf("ingest: %+v %v", res, err)
	}
	r := res[0]
	if r.Read != 4 || r.Accepted != 3 || r.Rejected != 1 || rejectKeys(r.Rejects)["msg_poison_receipt_after_as_of"] != 1 {
		t.Fatalf("read %d = %d + %d, rejects %+v", r.Read, r.Accepted, r.Rejected, r.Rejects)
	}
	var landed, late, rejected, acc int
	w.DB.QueryRow("SELECT count(*), count(*) FILTER (WHERE received_at > '2026-11') FROM landed_rows").Scan(&landed, &late)
	w.DB.QueryRow("SELECT count(*) FROM rejects").Scan(&rejected)
	w.DB.QueryRow("SELECT rows_accepted FROM batches").Scan(&acc)
	if landed != 3 || late != 0 || rejected != 1 || acc != 3 {
		t.Fatalf("warehouse: %d landed (%d late), %d rejects, batch says %d accepted", landed, late, rejected, acc)
	}
}
