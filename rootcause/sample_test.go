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
// few seconds) and shared read-only by the tests that check the planted signals. sampleDB builds it as the demo
// config says (with or without a branch master); otherModeDB builds it the other way, so that the planted signals
// are checked both with branch codes from a master and with branches as exported.
var (
	sampleOnce, otherOnce sync.Once
	sampleW, otherW       *warehouse.Warehouse
	sampleErr, otherErr   error
	sampleDirs            []string
	sampleMaster          bool // whether the demo config names a branch master
)

func TestMain(m *testing.M) {
	code := m.Run()
	for _, w := range []*warehouse.Warehouse{sampleW, otherW} {
		if w != nil {
			w.Close()
		}
	}
	for _, d := range sampleDirs {
		os.RemoveAll(d)
	}
	os.Exit(code)
}

func sampleDB(t *testing.T) *sql.DB {
	t.Helper()
	if testing.Short() {
		t.Skip("sample warehouse: skipped with -short")
	}
	sampleOnce.Do(func() { sampleW, sampleErr = buildSample("configured", false) })
	if sampleErr != nil {
		t.Fatalf("building the sample warehouse: %v", sampleErr)
	}
	return sampleW.DB
}

// otherModeDB is the sample warehouse built with the branch master when the demo config names none, and without
// it when the config names one.
func otherModeDB(t *testing.T) (db *sql.DB, withMaster bool) {
	t.Helper()
	sampleDB(t)
	otherOnce.Do(func() { otherW, otherErr = buildSample("other", true) })
	if otherErr != nil {
		t.Fatalf("building the sample warehouse: %v", otherErr)
	}
	return otherW.DB, !sampleMaster
}

func buildSample(name string, flipMaster bool) (*warehouse.Warehouse, error) {
	ctx := context.Background()
	cfg, err := config.Load("../sample-data/complaints.yaml")
	if err != nil {
		return nil, err
	}
	branches := cfg.Resolve(cfg.Branches)
	if !flipMaster {
		sampleMaster = branches != ""
	} else if branches == "" {
		branches = "../sample-data/branches.csv"
	} else {
		branches = ""
	}
	dir := os.Getenv("ROOTCAUSE_SAMPLE_DIR") // set to keep the warehouse for inspection
	if dir == "" {
		if dir, err = os.MkdirTemp("", "rootcause-sample-"); err != nil {
			return nil, err
		}
		sampleDirs = append(sampleDirs, dir)
	}
	// As pipeline.Env does (not imported here so that this package's tests do not depend on reports/).
	path := filepath.Join(dir, name+".duckdb")
	os.Remove(path)
	w, err := warehouse.Open(ctx, warehouse.Options{Path: path, Threads: cfg.Warehouse.Threads, MemoryLimit: cfg.Warehouse.MemoryLimit})
	if err != nil {
		return nil, err
	}
	key := []byte("rootcause-sample-test-key") // the tests set their own privacy key
	now := func() time.Time { return time.Date(2026, 11, 29, 9, 0, 0, 0, time.UTC) }
	if _, err := ingest.IngestSources(ctx, w, ingest.Options{Profiles: cfg.Sources, BaseDir: cfg.Dir, HMACKey: key,
		MaxRejectRate: cfg.Ingest.MaxRejectRate, Now: now}); err != nil {
		w.Close()
		return nil, err
	}
	p := cfg.Policy
	if _, err := transform.Normalize(ctx, w, transform.Options{DuplicateWindowDays: p.DuplicateWindowDays,
		InternalDaysGeneral: p.InternalDaysGeneral, InternalDaysComplex: p.InternalDaysComplex,
		RegulatoryDays: p.RegulatoryDays, RepeatWindowDays: p.RepeatWindowDays, Calendar: calendar.New(),
		BranchesFile: branches}); err != nil {
		w.Close()
		return nil, err
	}
	return w, nil
}

func TestBuildSample(t *testing.T) { sampleDB(t) }
