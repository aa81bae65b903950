package scope_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"complaints/catalog"
	"complaints/config"
	"complaints/ingest"
	"complaints/internal/sqlrows"
	"complaints/pipeline"
	"complaints/scope"
	"complaints/warehouse"
)

func init() { os.Setenv("COMPLAINTS_HMAC_KEY", "test-key-of-the-scope-tests") }

const (
	branches = "code,name,aliases,parent,province_code,province_name\n" +
		"GD000,广东省分行,,,440000,广东省\nGD001,广州天河支行,天河支行,GD000,440000,广东省\nBJ000,北京分行,,,110000,北京市\n"
	export = "工单编号,受理时间,业务类别,投诉原因,投诉类型,所属机构,处理状态,办结时间\n" +
		"H1,2026-10-08 09:00:00,信用卡,收费,工作失误,天河支行,处理中,\n" +
		"H2,2026-10-12 10:00:00,借记卡,收费,工作失误,广东省分行,已办结,2026-10-20 16:00:00\n" +
		"H3,2026-10-15 11:00:00,信用卡,收费,工作失误,北京分行,处理中,\n" +
		"H4,2026-10-16 11:00:00,信用卡,收费,工作失误,无此网点,处理中,\n" +
		",2026-10-17 11:00:00,信用卡,收费,工作失误,北京分行,处理中,\n" // a reject
	corrections = `- {complaint: "hotline:H3", action: reclassify, field: business_category, value: 借记卡, who: qa, when: "2026-11-01", why: misfiled}` + "\n"
	cfgText     = `institution: 测试银行
branches: branches.csv
corrections: corrections.yaml
sources:
  - name: hotline
    glob: exports/hotline_*.csv
    format: csv
    encoding: utf-8
    delimiter: ","
    header_row: 1
    intake_channel: phone
    columns: {source_id: 工单编号, received_at: 受理时间, business_category: 业务类别, cause: 投诉原因, complaint_type: 投诉类型, branch: 所属机构, status: 处理状态, replied_at: 办结时间}
`
)

// newWarehouse builds a real warehouse: the migrations, one ingested export (with a reject, an unknown branch
// and a correction) and a normalise, as the monthly job leaves it.
func newWarehouse(t *testing.T) *pipeline.Env {
	t.Helper()
	dir := t.TempDir()
	for name, text := range map[string]string{"branches.csv": branches, "corrections.yaml": corrections,
		"complaints.yaml": cfgText, "exports/hotline_20261105.csv": export} {
		must(t, os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755))
		must(t, os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644))
	}
	cfg, err := config.Load(filepath.Join(dir, "complaints.yaml"))
	must(t, err)
	now := time.Date(2026, 11, 5, 10, 0, 0, 0, warehouse.Beijing)
	env := &pipeline.Env{Config: cfg, WarehousePath: filepath.Join(dir, "w.duckdb"), Now: func() time.Time { return now }}
	ctx := context.Background()
	w, err := env.OpenWarehouse(ctx, false)
	must(t, err)
	defer w.Close()
	res, err := ingest.IngestFiles(ctx, w, env.IngestOptions(false), []string{filepath.Join(dir, "exports/hotline_20261105.csv")}, "")
	must(t, err)
	if len(res) != 1 || res[0].Err != nil || res[0].Accepted != 4 || res[0].Rejected != 1 {
		t.Fatalf("ingest: %+v", res)
	}
	_, err = env.Normalize(ctx, w)
	must(t, err)
	return env
}

// relations lists the warehouse's tables and views (main schema), as a scoped copy sees them.
func relations(t *testing.T, env *pipeline.Env) []string {
	t.Helper()
	ctx := context.Background()
	w, err := env.OpenWarehouse(ctx, true)
	must(t, err)
	defer w.Close()
	names, err := sqlrows.Query(ctx, w.DB, func(s *string) []any { return []any{s} },
		`SELECT table_name FROM duckdb_tables() WHERE NOT temporary AND schema_name = 'main'
		 UNION ALL SELECT view_name FROM duckdb_views() WHERE NOT internal AND NOT temporary AND schema_name = 'main'
		 ORDER BY 1`)
	must(t, err)
	return names
}

func exec(t *testing.T, env *pipeline.Env, stmt string) {
	t.Helper()
	ctx := context.Background()
	w, err := env.OpenWarehouse(ctx, false)
	must(t, err)
	defer w.Close()
	_, err = w.DB.ExecContext(ctx, stmt)
	must(t, err)
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestEveryWarehouseTableHasAPolicy: every table and view of a real warehouse (migrated, ingested, normalised)
// has a scoped-copy policy; a table added without one makes both kinds of copy refuse, naming it, and leaves
// no copy behind.
func TestEveryWarehouseTableHasAPolicy(t *testing.T) {
	env := newWarehouse(t)
	names := relations(t, env)
	if len(names) < 25 {
		t.Fatalf("the warehouse lists only %d tables: %v", len(names), names)
	}
	if err := scope.Check(names); err != nil {
		t.Fatalf("%v (add the table to scope.Policies)", err)
	}
	have := map[string]bool{}
	for _, n := range names {
		have[n] = true
	}
	for _, p := range scope.Policies {
		if !have[p.Table] {
			t.Logf("policy of %s: no such table in this warehouse (yet)", p.Table)
		}
	}
	ctx := context.Background()
	asOf, _ := scope.ParseAsOf("2026-11-05")
	for _, o := range []scope.Options{{Branch: "GD000"}, {AsOf: asOf}, {AsOf: asOf, Branch: "天河支行"}} {
		s, err := env.OpenScope(ctx, o)
		if err != nil {
			t.Fatalf("%+v: %v", o, err)
		}
		s.Close()
	}

	for _, add := range []struct{ name, stmt string }{
		{"complaint_notes", "CREATE TABLE complaint_notes (complaint_key VARCHAR, note VARCHAR)"},
		{"notes_by_branch", "CREATE VIEW notes_by_branch AS SELECT branch, count(*) AS n FROM complaints GROUP BY ALL"},
	} {
		exec(t, env, add.stmt)
		err := scope.Check(relations(t, env))
		if !catalog.HasKey(err, "msg_scope_no_policy") || !strings.Contains(err.Error(), add.name) {
			t.Errorf("%s without a policy: Check says %v", add.name, err)
		}
		for _, o := range []scope.Options{{Branch: "GD000"}, {AsOf: asOf}} {
			s, err := env.OpenScope(ctx, o)
			if err == nil {
				s.Close()
				t.Errorf("%+v: a copy was made with %s unknown", o, add.name)
			} else if !catalog.HasKey(err, "msg_scope_no_policy") || !strings.Contains(err.Error(), add.name) {
				t.Errorf("%+v: %v", o, err)
			}
		}
		exec(t, env, "DROP "+strings.Fields(add.stmt)[1]+" "+add.name)
	}
	left, _ := filepath.Glob(filepath.Join(env.WarehouseFile()+".tmp", "scope-*"))
	if len(left) > 0 {
		t.Errorf("refused copies left behind: %v", left)
	}
}

// TestRebuiltTablesAreFilled: a table a copy rebuilds (the marts, the per-complaint figures, what the as-of
// normalise loads) is filled in the copy when the warehouse has rows in it, so a rebuild policy cannot hide a
// table nobody recomputes. The data-quality lists may rightly be empty for a subtree.
func TestRebuiltTablesAreFilled(t *testing.T) {
	env := newWarehouse(t)
	ctx := context.Background()
	count := func(db *sql.DB, table string) int64 { // -1: no such table (views are not counted)
		var n int64
		must(t, db.QueryRowContext(ctx, `SELECT count(*) FROM duckdb_tables() WHERE table_name = ? AND schema_name = 'main'
			AND database_name = current_database()`, table).Scan(&n))
		if n == 0 {
			return -1
		}
		must(t, db.QueryRowContext(ctx, "SELECT count(*) FROM main."+table).Scan(&n))
		return n
	}
	w, err := env.OpenWarehouse(ctx, true)
	must(t, err)
	whole := map[string]int64{}
	for _, p := range scope.Policies {
		whole[p.Table] = count(w.DB, p.Table)
	}
	w.Close()
	maybeEmpty := map[string]bool{"consistency_issues": true, "unmapped_values": true, "corrections_unmatched": true}
	asOf, _ := scope.ParseAsOf("2026-11-05")
	for _, o := range []scope.Options{{Branch: "GD000"}, {AsOf: asOf}} {
		s, err := env.OpenScope(ctx, o)
		must(t, err)
		for _, p := range scope.Policies {
			r := p.Branch
			if !o.AsOf.IsZero() {
				r = p.AsOf
			}
			if r.Action != scope.Rebuild || whole[p.Table] <= 0 || maybeEmpty[p.Table] {
				continue
			}
			if n := count(s.DB, p.Table); n == 0 {
				t.Errorf("%+v: %s has %d rows in the warehouse and none in the copy: who rebuilds it?", o, p.Table, whole[p.Table])
			}
		}
		s.Close()
	}
}
