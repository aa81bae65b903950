package warehouse

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"complaints/catalog"
)

func TestMigrationsApplyOnceAndAgainWithoutChange(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "w.duckdb")
	w, err := Open(ctx, Options{Path: path, Threads: 1, MemoryLimit: "256MB"})
	if err != nil {
		t.Fatal(err)
	}
	migs, _ := Migrations()
	var n int
	if err := w.DB.QueryRow("SELECT count(*) FROM schema_migrations").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != len(migs) || n == 0 {
		t.Fatalf("schema_migrations has %d rows, want %d", n, len(migs))
	}
	before := schemaDump(t, w)
	applied, err := w.Migrate(ctx)
	if err != nil || len(applied) != 0 {
		t.Fatalf("second Migrate applied %v, err %v; want nothing", applied, err)
	}
	w.Close()
	w2, err := Open(ctx, Options{Path: path, Threads: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer w2.Close()
	if after := schemaDump(t, w2); after != before {
		t.Fatalf("schema changed on reopen:\n%s\n---\n%s", before, after)
	}
}

func schemaDump(t *testing.T, w *Warehouse) string {
	rows, err := w.DB.Query(`SELECT table_name, column_name, data_type FROM information_schema.columns ORDER BY table_name, ordinal_position`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var a, c, d string
		rows.Scan(&a, &c, &d)
		b.WriteString(a + "." + c + " " + d + "\n")
	}
	var n int
	w.DB.QueryRow("SELECT count(*) FROM schema_migrations").Scan(&n)
	b.WriteString(strings.Repeat("m", n))
	return b.String()
}

func TestSettingsAreExplicit(t *testing.T) {
	w, err := Open(context.Background(), Options{Path: filepath.Join(t.TempDir(), "w.duckdb"), Threads: 1, MemoryLimit: "300MB"})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	checks := map[string]string{
		"threads":                      "1",
		"autoinstall_known_extensions": "false",
		"allocator_background_threads": "true",
		"TimeZone":                     "Asia/Shanghai",
	}
	for name, want := range checks {
		var got string
		if err := w.DB.QueryRow("SELECT current_setting('" + name + "')::VARCHAR").Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	var mem string
	w.DB.QueryRow("SELECT current_setting('memory_limit')").Scan(&mem)
	if !strings.Contains(mem, "MiB") && !strings.Contains(mem, "MB") {
		t.Errorf("memory_limit = %q, want about 300MB", mem)
	}
}

// TestBeijingWallClockRoundTrip pins the time convention: a Beijing time bound through WallClock lands with the
// digits staff saw, while binding the zoned value directly lands 8 hours early (the trap this guards against).
func TestBeijingWallClockRoundTrip(t *testing.T) {
	w, err := Open(context.Background(), Options{Path: ":memory:"})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if _, err := w.DB.Exec("CREATE TABLE t (k VARCHAR, ts TIMESTAMP)"); err != nil {
		t.Fatal(err)
	}
	bj := time.Date(2026, 10, 1, 0, 30, 0, 0, Beijing)
	w.DB.Exec("INSERT INTO t VALUES ('wall', ?)", WallClock(bj))
	w.DB.Exec("INSERT INTO t VALUES ('zoned', ?)", bj)
	var text string
	w.DB.QueryRow("SELECT strftime(ts, '%Y-%m-%d %H:%M:%S') FROM t WHERE k = 'wall'").Scan(&text)
	if text != "2026-10-01 00:30:00" {
		t.Fatalf("wall-clock bind stored %s, want 2026-10-01 00:30:00", text)
	}
	w.DB.QueryRow("SELECT strftime(ts, '%Y-%m-%d %H:%M:%S') FROM t WHERE k = 'zoned'").Scan(&text)
	if text != "2026-09-30 16:30:00" {
		t.Fatalf("zoned bind stored %s; the duckdb-go behaviour this convention works around has changed, revisit docs/schema.md", text)
	}
	var back time.Time
	w.DB.QueryRow("SELECT ts FROM t WHERE k = 'wall'").Scan(&back)
	if got := FromWallClock(back); !got.Equal(bj) {
		t.Fatalf("read back %v, want %v", got, bj)
	}
	// Landing text form and DuckDB's cast agree.
	w.DB.QueryRow("SELECT strftime(CAST(? AS TIMESTAMP), '%Y-%m-%d %H:%M:%S')", WallClockText(bj.UTC())).Scan(&text)
	if text != "2026-10-01 00:30:00" {
		t.Fatalf("text cast gave %s", text)
	}
}

// TestSecondProcessGetsOneClearSentence opens the warehouse in a child process and checks the parent's message.
func TestSecondProcessGetsOneClearSentence(t *testing.T) {
	if os.Getenv("WAREHOUSE_HOLDER") != "" {
		w, err := Open(context.Background(), Options{Path: os.Getenv("WAREHOUSE_HOLDER")})
		if err != nil {
			os.Exit(3)
		}
		os.Stdout.WriteString("ready\n")
		time.Sleep(20 * time.Second)
		w.Close()
		os.Exit(0)
	}
	path := filepath.Join(t.TempDir(), "held.duckdb")
	cmd := exec.Command(os.Args[0], "-test.run=^TestSecondProcessGetsOneClearSentence$")
	cmd.Env = append(os.Environ(), "WAREHOUSE_HOLDER="+path)
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	buf := make([]byte, 6)
	if _, err := out.Read(buf); err != nil || string(buf) != "ready\n" {
		t.Fatalf("holder did not start: %q %v", buf, err)
	}
	_, err := Open(context.Background(), Options{Path: path})
	if err == nil {
		t.Fatal("second open succeeded; want a lock error")
	}
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("error is not ErrLocked: %v", err)
	}
	msg := err.Error()
	for _, want := range []string{path, "process " + itoa(cmd.Process.Pid)} {
		if !strings.Contains(msg, want) {
			t.Errorf("message %q does not name %q", msg, want)
		}
	}
	if strings.Count(msg, "\n") > 0 {
		t.Errorf("message is not one sentence: %q", msg)
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

// TestWarehouseFileMode: the warehouse file (and a WAL) get the configured permission, 0600 by default,
// whatever the umask gave them.
func TestWarehouseFileMode(t *testing.T) {
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	for _, mode := range []os.FileMode{0, 0o640} {
		p := filepath.Join(t.TempDir(), "w.duckdb")
		w, err := Open(context.Background(), Options{Path: p, Threads: 1, FileMode: mode})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.DB.Exec("CREATE TABLE t AS SELECT 1 AS x"); err != nil {
			t.Fatal(err)
		}
		want := mode
		if want == 0 {
			want = 0o600
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		for _, f := range []string{p, p + ".wal"} {
			if fi, err := os.Stat(f); err == nil && fi.Mode().Perm() != want {
				t.Fatalf("%s: mode %v, want %v", f, fi.Mode().Perm(), want)
			}
		}
	}
}

func TestNewerWarehouseIsRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "w.duckdb")
	w, err := Open(context.Background(), Options{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.DB.Exec("INSERT INTO schema_migrations VALUES (999, '999_from_the_future', now()::TIMESTAMP)"); err != nil {
		t.Fatal(err)
	}
	w.Close()
	for _, ro := range []bool{false, true} {
		w, err = Open(context.Background(), Options{Path: path, ReadOnly: ro})
		if err == nil {
			w.Close()
			t.Fatalf("read-only %v: a warehouse with an unknown migration was opened", ro)
		}
		if !catalog.HasKey(err, "msg_misc_warehouse_newer") {
			t.Fatalf("read-only %v: %v", ro, err)
		}
	}
}

// TestOlderWarehouseReadOnlyIsRefused: a warehouse an earlier program made (a migration of this one missing) is
// refused when opened read-only, naming the migration, and upgraded when opened with write access.
func TestOlderWarehouseReadOnlyIsRefused(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "w.duckdb")
	w, err := Open(ctx, Options{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	migs, err := Migrations()
	if err != nil {
		t.Fatal(err)
	}
	last := migs[len(migs)-1]
	if _, err := w.DB.Exec("DELETE FROM schema_migrations WHERE version = ?", last.Version); err != nil {
		t.Fatal(err)
	}
	w.Close()
	w, err = Open(ctx, Options{Path: path, ReadOnly: true})
	if err == nil {
		w.Close()
		t.Fatal("a warehouse missing a migration was opened read-only")
	}
	if !catalog.HasKey(err, "msg_misc_warehouse_older") || !strings.Contains(err.Error(), last.Name) {
		t.Fatalf("read-only open: %v", err)
	}
	if w, err = Open(ctx, Options{Path: path}); err != nil {
		t.Fatalf("a writable open does not upgrade it: %v", err)
	}
	w.Close()
	if w, err = Open(ctx, Options{Path: path, ReadOnly: true}); err != nil {
		t.Fatalf("read-only after the upgrade: %v", err)
	}
	w.Close()
}

func TestCorruptWarehouseIsRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "w.duckdb")
	b := make([]byte, 64<<10)
	for i := range b {
		b[i] = byte(i*7919 + i/13)
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	w, err := Open(context.Background(), Options{Path: path})
	if err == nil {
		w.Close()
		t.Fatal("a file of random bytes was opened as a warehouse")
	}
	t.Log(err)
}
