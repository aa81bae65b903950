package transform

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
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
		if _, err := w.DB.ExecContext(ctx, fmt.Sprintf(`INSERT INTO batches (batch_id, source_system, file_path, file_sha256, file_size, format, encoding, sheet, export_as_of, rows_read, rows_accepted, rows_rejected, ingested_at) VALUES (%d, 'synthetic', 'f%d.csv', 'sha%d', 1, 'csv',
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
		w, err := warehouse.Open(ctx, warehouse.Options{Path: path, MemoryLimit: benchMemoryLimit()})
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

// benchMemoryLimit is the config's default memory limit, as the CLI runs, or BENCH_MEM when set.
func benchMemoryLimit() string {
	if m := os.Getenv("BENCH_MEM"); m != "" {
		return m
	}
	return config.DefaultMemoryLimit
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

// floorExpr gives the canonical columns that have no landed column of their name a plain expression over the
// landed row of the same kind of value (keys stay high-cardinality text, flags are comparisons, days are date
// arithmetic): no join, no rule, no lookup.
var floorExpr = map[string]string{
	"complaint_key":            "source_system || ':' || source_id",
	"primary_key":              "source_system || ':' || source_id",
	"duplicate_of":             "CASE WHEN row_number % 1000 = 0 THEN source_system || ':' || source_id END",
	"customer_key":             "coalesce(customer_id_key, customer_phone_key, customer_card_key)",
	"version_count":            "1",
	"is_complaint":             "record_type = '投诉'",
	"intake_channel_raw":       "intake_channel",
	"business_channel_raw":     "business_channel",
	"business_category_raw":    "business_category",
	"cause_raw":                "cause",
	"branch_raw":               "branch",
	"complaint_class":          "complaint_type",
	"received_date":            "TRY_CAST(received_at AS DATE)",
	"replied_date":             "TRY_CAST(replied_at AS DATE)",
	"reply_date_invalid":       "replied_at IS NOT NULL AND TRY_CAST(replied_at AS DATE) IS NULL",
	"is_regulator_referral":    "intake_channel = '12378'",
	"group_regulator_referral": "intake_channel = '12378'",
	"is_major":                 "major = '是'",
	"is_primary":               "row_number % 1000 <> 0",
	"repeat_complainant":       "row_number % 7 = 0",
	"handling_days":            "date_diff('day', TRY_CAST(received_at AS DATE), TRY_CAST(replied_at AS DATE))",
	"calendar_days_to_reply":   "date_diff('day', TRY_CAST(received_at AS DATE), TRY_CAST(replied_at AS DATE))",
	"working_days_to_reply":    "date_diff('day', TRY_CAST(received_at AS DATE), TRY_CAST(replied_at AS DATE)) * 5 // 7",
	"internal_limit_days":      "3",
	"regulatory_limit_days":    "15",
	"internal_deadline":        "TRY_CAST(received_at AS DATE) + 3",
	"regulatory_deadline":      "TRY_CAST(received_at AS DATE) + 15",
	"internal_on_time":         "TRY_CAST(replied_at AS DATE) <= TRY_CAST(received_at AS DATE) + 3",
	"regulatory_on_time":       "TRY_CAST(replied_at AS DATE) <= TRY_CAST(received_at AS DATE) + 15",
	"category_rule":            "CASE WHEN business_category IS NULL THEN 'kw-' || (row_number % 40) END",
	"cause_rule":               "CASE WHEN cause IS NULL THEN 'kw-' || (row_number % 40) END",
	"extension_approved":       "extension_approved = '是'",
	"reply_facts":              "coalesce(reply_facts, '否') <> '否'",
	"reply_accountability":     "coalesce(reply_accountability, '否') <> '否'",
	"reply_remediation":        "coalesce(reply_remediation, '否') <> '否'",
	"reply_satisfaction":       "coalesce(reply_satisfaction, '否') <> '否'",
	"reply_time":               "coalesce(reply_time, '否') <> '否'",
	"reply_handler_contact":    "coalesce(reply_handler_contact, '否') <> '否'",
}

// floorSelect is one SELECT over landed_rows giving every column of the canonical complaints table, in its order
// and type: a landed column of the same name cast to the canonical type, else floorExpr's expression.
func floorSelect(ctx context.Context, w *warehouse.Warehouse) (string, error) {
	rows, err := w.DB.QueryContext(ctx, `SELECT c.column_name, c.data_type, l.column_name IS NOT NULL
		FROM information_schema.columns c
		LEFT JOIN information_schema.columns l ON l.table_name = 'landed_rows' AND l.column_name = c.column_name
		WHERE c.table_name = 'complaints' ORDER BY c.ordinal_position`)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	var cols []string
	for rows.Next() {
		var name, typ string
		var landed bool
		if err := rows.Scan(&name, &typ, &landed); err != nil {
			return "", err
		}
		expr, ok := floorExpr[name]
		switch {
		case ok:
		case landed && typ == "VARCHAR":
			expr = name
		case landed:
			expr = fmt.Sprintf("TRY_CAST(%s AS %s)", name, typ)
		default:
			return "", fmt.Errorf("complaints column %s (%s) has no floor expression: add one to floorExpr", name, typ)
		}
		cols = append(cols, fmt.Sprintf("CAST(%s AS %s) AS %s", expr, typ, name))
	}
	if err := rows.Err(); err != nil {
		return "", err
	}
	return "SELECT " + strings.Join(cols, ",\n") + "\nFROM landed_rows", nil
}

// BenchmarkFloorNormalise1M: what DuckDB alone costs on the 1,000,000 landed rows of BenchmarkNormalize1M, with
// no rule at all, under the same settings (config's memory limit, both cores, one transaction each):
//   - copy_s: one statement reading every landed row and writing it, typed, into a table of the canonical
//     complaints table's width and types (no current-version pick, no mapping, no join);
//   - write_s: the write alone: the same rows already typed in a temp table, inserted into such a table.
//
// A normalise reads the landed rows and writes the canonical ones, so it cannot take less than copy_s. With
// BENCH_WAREHOUSE set to a warehouse file holding landed rows (a copy: the floor tables are created and
// dropped in it), those rows are used instead of synthetic ones, e.g. the make bench-1m project's. BENCH_MEM
// sets the memory limit; BENCH_COPY_ONLY skips write_s, so that peak RSS is the copy's.
// Run: go test -tags duckdb_arrow ./transform/ -run '^$' -bench FloorNormalise1M -benchtime 1x
func BenchmarkFloorNormalise1M(b *testing.B) {
	ctx := context.Background()
	for range b.N {
		b.StopTimer()
		path := os.Getenv("BENCH_WAREHOUSE")
		synthetic := path == ""
		if synthetic {
			path = filepath.Join(b.TempDir(), "floor.duckdb")
		}
		w, err := warehouse.Open(ctx, warehouse.Options{Path: path, MemoryLimit: benchMemoryLimit()})
		if err != nil {
			b.Fatal(err)
		}
		if synthetic {
			if err := landSynthetic(ctx, w, 1, benchRows(), 100_000); err != nil {
				b.Fatal(err)
			}
		}
		sel, err := floorSelect(ctx, w)
		if err != nil {
			b.Fatal(err)
		}
		var landed int
		if err := w.DB.QueryRowContext(ctx, "SELECT count(*) FROM landed_rows").Scan(&landed); err != nil {
			b.Fatal(err)
		}
		inTx := func(qs ...string) time.Duration {
			t0 := time.Now()
			tx, err := w.DB.BeginTx(ctx, nil)
			if err != nil {
				b.Fatal(err)
			}
			for _, q := range qs {
				if _, err := tx.ExecContext(ctx, q); err != nil {
					tx.Rollback()
					b.Fatal(err)
				}
			}
			if err := tx.Commit(); err != nil {
				b.Fatal(err)
			}
			return time.Since(t0)
		}
		inTx("DROP TABLE IF EXISTS floor_copy", "DROP TABLE IF EXISTS floor_write",
			"CREATE TABLE floor_copy AS SELECT * FROM complaints LIMIT 0",
			"CREATE TABLE floor_write AS SELECT * FROM complaints LIMIT 0")
		b.StartTimer()
		copyTime := inTx("INSERT INTO floor_copy " + sel)
		b.StopTimer()
		b.ReportMetric(copyTime.Seconds(), "copy_s")
		if os.Getenv("BENCH_COPY_ONLY") != "" { // peak RSS of the copy alone, without the ready rows held in memory
			b.Logf("%d landed rows: copy (read, type, write) %.2f s", landed, copyTime.Seconds())
			w.Close()
			continue
		}
		// the write alone: typed rows ready in memory (a temp table lives only in its connection: one connection)
		conn, err := w.DB.Conn(ctx)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := conn.ExecContext(ctx, "CREATE TEMP TABLE floor_ready AS SELECT * FROM floor_copy"); err != nil {
			b.Fatal(err)
		}
		t0 := time.Now()
		if _, err := conn.ExecContext(ctx, "INSERT INTO floor_write SELECT * FROM floor_ready"); err != nil {
			b.Fatal(err)
		}
		writeTime := time.Since(t0)
		conn.Close()
		inTx("DROP TABLE floor_copy", "DROP TABLE floor_write")
		b.ReportMetric(writeTime.Seconds(), "write_s")
		b.Logf("%d landed rows: copy (read, type, write) %.2f s; write alone %.2f s", landed, copyTime.Seconds(), writeTime.Seconds())
		w.Close()
	}
}
