package transform

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"complaints/config"
	"complaints/warehouse"
)

// landSynthetic lands n synthetic rows in batches of per rows (batch ids from first), in SQL: complaints of
// about n/4 customers over 2025-2026, every fifth row a later version of an earlier complaint, spellings from
// the catalogue's usual ones (some full-width, some unmapped), branches by name, alias or code.
func landSynthetic(ctx context.Context, w *warehouse.Warehouse, first, n, per int) error {
	for b := 0; b*per < n; b++ {
		id := first + b
		lo, hi := b*per, min((b+1)*per, n)
		if _, err := w.DB.ExecContext(ctx, fmt.Sprintf(`INSERT INTO batches VALUES (%d, 'synthetic', 'f%d.csv', 'sha%d', 1, 'csv',
			'utf-8', NULL, NULL, %d, %d, 0, TIMESTAMP '2026-11-01 09:00:00' + INTERVAL (%d) MINUTE)`, id, id, id, hi-lo, hi-lo, id), nil); err != nil {
			return err
		}
		q := fmt.Sprintf(`INSERT INTO landed_rows (batch_id, source_system, file_path, file_sha256, row_number, ingested_at,
			source_id, record_type, received_at, updated_at, intake_channel, business_channel, business_category, cause,
			complaint_type, demand, branch, province, customer_phone_key, customer_id_key, status, replied_at, paused_days,
			extension_tier, satisfaction, reply_facts, reply_accountability, reply_remediation, reply_satisfaction, reply_time,
			reply_handler_contact, major, summary)
		SELECT %[1]d, 'synthetic', 'f%[1]d.csv', 'sha%[1]d', i - %[2]d + 2, TIMESTAMP '2026-11-01 09:00:00' + INTERVAL (%[1]d) MINUTE,
			'S' || CASE WHEN i %% 5 = 4 THEN i - 3 ELSE i END,
			(['投诉', '投诉', '投诉', '投诉', '咨询', NULL])[i %% 6 + 1],
			strftime(TIMESTAMP '2025-01-01 08:00:00' + INTERVAL ((CASE WHEN i %% 5 = 4 THEN i - 3 ELSE i END) * 7919 %% 690) DAY
				+ INTERVAL (i %% 600) MINUTE, '%%Y-%%m-%%d %%H:%%M:%%S'),
			CASE WHEN i %% 5 = 4 THEN strftime(TIMESTAMP '2026-10-30 10:00:00', '%%Y-%%m-%%d %%H:%%M:%%S') END,
			(['电话', '网银', '12378', '上门', '信函', '微信'])[i %% 6 + 1],
			(['营业网点', '手机银行', '网上银行', 'ATM'])[i %% 4 + 1],
			(['信用卡', '借记卡', '贷款', 'ＤＥＢＩＴ　ＣＡＲＤ', '理财', '神秘业务', '支付结算'])[i %% 7 + 1],
			(['态度差', '服务态度', '收费', '流程繁琐', '其他', '信息泄露'])[i %% 6 + 1],
			(['工作失误', '服务产品', NULL, '服务态度'])[i %% 4 + 1],
			(['退费', '道歉', NULL])[i %% 3 + 1],
			(['朝阳支行', 'BJ001', '浦东网点', '鼓楼支行', '火星支行', NULL, '北京海淀支行'])[i %% 7 + 1],
			(['北京市', NULL, '广东省'])[i %% 3 + 1],
			'p' || (i * 31 %% %[4]d), CASE WHEN i %% 3 = 0 THEN 'i' || (i * 17 %% %[4]d) END,
			CASE WHEN i %% 5 = 4 THEN '已办结' ELSE '处理中' END,
			CASE WHEN i %% 5 = 4 THEN strftime(TIMESTAMP '2026-10-29 10:00:00', '%%Y-%%m-%%d %%H:%%M:%%S') END,
			CASE WHEN i %% 50 = 0 THEN '3' END, CASE WHEN i %% 40 = 0 THEN '30天' END,
			(['满意', '基本满意', '不满意', NULL])[i %% 4 + 1],
			'是', '已处理', CASE WHEN i %% 2 = 0 THEN '否' ELSE '已整改' END, '满意', '3天', '王五',
			CASE WHEN i %% 97 = 0 THEN '是' ELSE '否' END,
			'客户反映问题' || (i %% 1000)
		FROM range(%[2]d, %[3]d) r(i)`, id, lo, hi, max(n/4, 1))
		if _, err := w.DB.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	return nil
}

// BenchmarkNormalize1M: a full normalise of 1,000,000 landed rows, then an incremental one after a batch of
// 10,000 more. Run: go test ./transform/ -run '^$' -bench Normalize1M -benchtime 1x (peak RSS: /usr/bin/time -v).
func BenchmarkNormalize1M(b *testing.B) {
	ctx := context.Background()
	for range b.N {
		b.StopTimer()
		path := filepath.Join(b.TempDir(), "bench.duckdb")
		if p := os.Getenv("BENCH_DB"); p != "" {
			path = p // kept after the run, to look at with EXPLAIN ANALYZE
		}
		// the config's default memory limit, as the CLI runs; BENCH_MEM overrides it
		mem := config.DefaultMemoryLimit
		if m := os.Getenv("BENCH_MEM"); m != "" {
			mem = m
		}
		w, err := warehouse.Open(ctx, warehouse.Options{Path: path, MemoryLimit: mem})
		if err != nil {
			b.Fatal(err)
		}
		t0 := time.Now()
		if err := landSynthetic(ctx, w, 1, benchRows(), 100_000); err != nil {
			b.Fatal(err)
		}
		b.Logf("landed 1,000,000 rows in %.1f s", time.Since(t0).Seconds())
		branches := filepath.Join(b.TempDir(), "branches.csv")
		if err := writeBranches(branches); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		t0 = time.Now()
		res, err := Normalize(ctx, w, Options{BranchesFile: branches, Logger: benchLogger()})
		if err != nil {
			b.Fatal(err)
		}
		full := time.Since(t0)
		b.StopTimer()
		b.ReportMetric(full.Seconds(), "full_s")
		b.Logf("full: %.2f s, %+v", full.Seconds(), *res)
		if err := landSynthetic(ctx, w, 100, 10_000, 10_000); err != nil {
			b.Fatal(err)
		}
		t0 = time.Now()
		res, err = Normalize(ctx, w, Options{BranchesFile: branches, Logger: benchLogger()})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(time.Since(t0).Seconds(), "incremental_s")
		b.Logf("incremental after 10,000 more rows: %.2f s, %+v", time.Since(t0).Seconds(), *res)
		w.Close()
	}
}

// benchRows is 1,000,000, or BENCH_ROWS when set (to look at scaling).
func benchRows() int {
	if n, err := strconv.Atoi(os.Getenv("BENCH_ROWS")); err == nil && n > 0 {
		return n
	}
	return 1_000_000
}

// benchLogger prints per-model timings when BENCH_VERBOSE is set.
func benchLogger() *slog.Logger {
	if os.Getenv("BENCH_VERBOSE") == "" {
		return nil
	}
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

func writeBranches(path string) error {
	return writeFileErr(path, branchCSV+"BJ002,北京海淀支行,海淀支行,BJ000,110000,北京市,,,\n")
}
