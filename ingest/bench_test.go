package ingest

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"complaints/warehouse"
)

// Benchmarks of whole-file ingest into a fresh warehouse (go test -run '^$' -bench . -benchtime 1x ./ingest/).
// Each reports rows/s; the input is generated once per run, outside the timer.

const benchHeader = "工单编号,受理时间,客户姓名,联系电话,业务类别,投诉原因,处理状态,回复时间,投诉内容\n"

func benchRow(w io.Writer, i int) {
	fmt.Fprintf(w, "HL%08d,2025/10/%d %02d:%02d,张三,1381234%04d,信用卡,服务态度差,已办结,2025/10/%d 9:30,客户来电称柜员态度差，回拨电话1381234%04d，要求道歉\n",
		i, 1+i%28, i%24, i%60, i%10000, 1+(i+2)%28, i%10000)
}

func writeBenchCSV(b *testing.B, path string, n int, gb18030 bool) {
	b.Helper()
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	var out io.Writer = f
	if gb18030 {
		out = simplifiedchinese.GB18030.NewEncoder().Writer(f)
	}
	bw := bufio.NewWriterSize(out, 1<<20)
	bw.WriteString(benchHeader)
	for i := 0; i < n; i++ {
		benchRow(bw, i)
	}
	if err := bw.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
}

func writeBenchXLSX(b *testing.B, path string, n int) {
	b.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		b.Fatal(err)
	}
	dt, err := f.NewStyle(&excelize.Style{NumFmt: 22})
	if err != nil {
		b.Fatal(err)
	}
	sw.SetRow("A1", []any{"工单编号", "受理时间", "客户姓名", "联系电话", "业务类别", "投诉原因", "处理状态", "回复时间", "投诉内容"})
	base := time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < n; i++ {
		recv := serialOf(base.Add(time.Duration(i%(27*24*60))*time.Minute), false)
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		err := sw.SetRow(cell, []any{fmt.Sprintf("XL%08d", i), excelize.Cell{StyleID: dt, Value: recv}, "张三", fmt.Sprintf("1381234%04d", i%10000),
			"信用卡", "服务态度差", "已办结", excelize.Cell{StyleID: dt, Value: recv + 2}, fmt.Sprintf("客户来电称柜员态度差，回拨电话1381234%04d", i%10000)})
		if err != nil {
			b.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := f.SaveAs(path); err != nil {
		b.Fatal(err)
	}
}

func benchIngest(b *testing.B, path string, rows int) {
	b.Helper()
	b.ReportAllocs()
	benchOnFreshWarehouse(b, rows, func(w *warehouse.Warehouse) error {
		res, err := IngestFiles(context.Background(), w, testOptions(), []string{path}, "")
		if err != nil || res[0].Err != nil || res[0].Accepted != rows {
			return fmt.Errorf("%+v %v", res, err)
		}
		return nil
	})
}

// benchOnFreshWarehouse times run b.N times, each on a new warehouse (opening and closing it untimed), and
// reports rows/s.
func benchOnFreshWarehouse(b *testing.B, rows int, run func(w *warehouse.Warehouse) error) {
	b.Helper()
	b.ResetTimer()
	var elapsed time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		w, err := warehouse.Open(context.Background(), warehouse.Options{Path: filepath.Join(b.TempDir(), "w.duckdb"), Threads: benchThreads()})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start := time.Now()
		err = run(w)
		elapsed += time.Since(start)
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		w.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(rows)*float64(b.N)/elapsed.Seconds(), "rows/s")
}

func BenchmarkIngestCSVUTF8_1M(b *testing.B) {
	p := filepath.Join(b.TempDir(), "hotline.csv")
	writeBenchCSV(b, p, 1_000_000, false)
	benchIngest(b, p, 1_000_000)
}

func BenchmarkIngestCSVGB18030_1M(b *testing.B) {
	p := filepath.Join(b.TempDir(), "hotline_gb.csv")
	writeBenchCSV(b, p, 1_000_000, true)
	benchIngest(b, p, 1_000_000)
}

func BenchmarkIngestXLSX_100k(b *testing.B) {
	p := filepath.Join(b.TempDir(), "walkin.xlsx")
	writeBenchXLSX(b, p, 100_000)
	benchIngest(b, p, 100_000)
}

// benchThreads is the warehouse's DuckDB threads for the benchmarks: BENCH_THREADS, else the default (CPUs).
func benchThreads() int {
	n, _ := strconv.Atoi(os.Getenv("BENCH_THREADS"))
	return n
}

// The floor: what DuckDB itself needs for the same 1M-row UTF-8 file, with nothing of ours in the way. These
// are not ingest paths (no row numbers, no rejects, no scrubbing); they bound what any ingest built on this
// warehouse can reach on this machine, and are the measured reason the CSV targets are out of reach here
// (figures: docs/performance.md).

// BenchmarkFloorReadCSVStore: DuckDB's own parallel CSV reader, every column as text, stored as is in a table
// of the file's 9 columns (both cores, one transaction).
func BenchmarkFloorReadCSVStore(b *testing.B) {
	benchFloor(b, `CREATE TABLE raw AS SELECT * FROM read_csv(?, all_varchar = true, header = true)`)
}

// BenchmarkFloorReadCSVMapped: as above, plus the least mapping the issue asks for, done in DuckDB's SQL:
// dates normalised, the phone keyed (sha256 standing in for HMAC), name and phone masked, the customer's name
// replaced in the narrative; into a 13-column landing table. No regular-expression scrubbing, no row numbers.
func BenchmarkFloorReadCSVMapped(b *testing.B) {
	benchFloor(b, `CREATE TABLE narrow AS SELECT 1 AS batch_id, 0 AS row_number, 工单编号 AS source_id,
		strftime(strptime(受理时间, '%Y/%m/%d %H:%M'), '%Y-%m-%d %H:%M:%S') AS received_at, 业务类别 AS business_category,
		投诉原因 AS cause, 处理状态 AS status, strftime(strptime(回复时间, '%Y/%m/%d %H:%M'), '%Y-%m-%d %H:%M:%S') AS replied_at,
		sha256('key' || 联系电话) AS customer_phone_key, left(客户姓名, 1) || '*' AS customer_name_masked,
		left(联系电话, 3) || '****' || right(联系电话, 4) AS customer_phone_masked,
		replace(投诉内容, 客户姓名, '*') AS narrative, 'bench' AS source_system
		FROM read_csv(?, all_varchar = true, header = true)`)
}

func benchFloor(b *testing.B, query string) {
	p := filepath.Join(b.TempDir(), "hotline.csv")
	writeBenchCSV(b, p, 1_000_000, false)
	benchOnFreshWarehouse(b, 1_000_000, func(w *warehouse.Warehouse) error {
		tx, err := w.DB.Begin()
		if err != nil {
			return err
		}
		if _, err := tx.Exec(query, p); err != nil {
			tx.Rollback()
			return err
		}
		return tx.Commit()
	})
}
