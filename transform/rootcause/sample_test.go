package rootcause

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"complaints/config"
	"complaints/ingest"
	"complaints/transform"
	"complaints/transform/calendar"
	"complaints/warehouse"
)

// The sample warehouse is built once per test binary (ingest + normalise of the committed sample bank take a
// few seconds) and shared read-only by the tests that check the planted signals.
var (
	sampleOnce sync.Once
	sampleW    *warehouse.Warehouse
	sampleErr  error
	sampleDir  string
)

func TestMain(m *testing.M) {
	code := m.Run()
	if sampleW != nil {
		sampleW.Close()
	}
	if sampleDir != "" {
		os.RemoveAll(sampleDir)
	}
	os.Exit(code)
}

func sampleDB(t *testing.T) *sql.DB {
	t.Helper()
	if testing.Short() {
		t.Skip("sample warehouse: skipped with -short")
	}
	sampleOnce.Do(func() {
		ctx := context.Background()
		cfg, err := config.Load("../../sample-data/complaints.yaml")
		if err != nil {
			sampleErr = err
			return
		}
		dir := os.Getenv("ROOTCAUSE_SAMPLE_DIR") // set to keep the warehouse for inspection
		if dir == "" {
			if dir, err = os.MkdirTemp("", "rootcause-sample-"); err != nil {
				sampleErr = err
				return
			}
			sampleDir = dir
		}
		// As pipeline.Env does (not imported here so that this package's tests do not depend on reports/).
		path := filepath.Join(dir, "sample.duckdb")
		os.Remove(path)
		w, err := warehouse.Open(ctx, warehouse.Options{Path: path, Threads: cfg.Warehouse.Threads, MemoryLimit: cfg.Warehouse.MemoryLimit})
		if err != nil {
			sampleErr = err
			return
		}
		key, _ := cfg.HMACKey()
		now := func() time.Time { return time.Date(2026, 11, 29, 9, 0, 0, 0, time.UTC) }
		if _, err := ingest.IngestSources(ctx, w, ingest.Options{Profiles: cfg.Sources, BaseDir: cfg.Dir, HMACKey: key,
			MaxRejectRate: cfg.Ingest.MaxRejectRate, Now: now}); err != nil {
			w.Close()
			sampleErr = err
			return
		}
		p := cfg.Policy
		if _, err := transform.Normalize(ctx, w, transform.Options{DuplicateWindowDays: p.DuplicateWindowDays,
			InternalDaysGeneral: p.InternalDaysGeneral, InternalDaysComplex: p.InternalDaysComplex,
			RegulatoryDays: p.RegulatoryDays, RepeatWindowDays: p.RepeatWindowDays, Calendar: calendar.New()}); err != nil {
			w.Close()
			sampleErr = err
			return
		}
		sampleW = w
	})
	if sampleErr != nil {
		t.Fatalf("building the sample warehouse: %v", sampleErr)
	}
	return sampleW.DB
}

func TestBuildSample(t *testing.T) { sampleDB(t) }
