package transform

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"complaints/internal/sqlrows"
)

// Every model declares its phase on its first line; a model without a valid header, an unknown phase or Go
// step, phases out of order or no model that writes is an error naming the model.
func TestModelHeaders(t *testing.T) {
	good := map[string]string{
		"00_m.sql": "-- phase: macros\n-- 00_m: macros\nSELECT 1;\n",
		"10_s.sql": "-- phase: stage\n-- then: customers\n-- read-by: quality, marts\n-- 10_s: stage\nSELECT 1;\n",
		"20_w.sql": "-- phase: write\nSELECT 1;\n",
		"30_q.sql": "-- phase: quality\n",
	}
	models, err := parseModels(modelFiles(good), "models")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range models {
		got = append(got, m.Name+":"+m.Phase.String()+":"+strings.Join(m.Then, ",")+":"+phaseList(m.ReadBy))
	}
	if want := "00_m:macros:: 10_s:stage:customers:quality,marts 20_w:write:: 30_q:quality::"; strings.Join(got, " ") != want {
		t.Errorf("parsed %v\nwant   %s", got, want)
	}
	for name, c := range map[string]struct {
		file, body, want string
	}{
		"no header":        {"10_s.sql", "-- 10_s: stage\nSELECT 1;\n", "model 10_s: the first line must be `-- phase: <name>`"},
		"header not first": {"10_s.sql", "\n-- phase: stage\nSELECT 1;\n", "model 10_s: the first line must be"},
		"empty":            {"10_s.sql", "", "model 10_s: empty"},
		"unknown phase":    {"10_s.sql", "-- phase: staging\nSELECT 1;\n", "model 10_s: the first line must be `-- phase: <name>`, the name one of macros, stage, write, marts, quality, audit"},
		"out of order":     {"35_m.sql", "-- phase: marts\nSELECT 1;\n", "model 35_m: phase marts after 30_q of phase quality"},
		"backwards":        {"25_s.sql", "-- phase: stage\nSELECT 1;\n", "model 25_s: phase stage after 20_w of phase write"},
		"unknown step":     {"10_s.sql", "-- phase: stage\n-- then: customer\n", "model 10_s: `-- then: customer`: no such Go step"},
		"read-by a write":  {"10_s.sql", "-- phase: stage\n-- read-by: write\n", "model 10_s: `-- read-by: write`: only a stage model"},
		"read-by of marts": {"20_w.sql", "-- phase: write\n-- read-by: quality\n", "model 20_w: `-- read-by: quality`: only a stage model"},
		"two phases":       {"10_s.sql", "-- phase: stage\n-- phase: write\n", "model 10_s: a second `-- phase:` line"},
		"nothing writes":   {"20_w.sql", "-- phase: stage\nSELECT 1;\n", "models: none of phase write"},
	} {
		files := map[string]string{}
		for k, v := range good {
			files[k] = v
		}
		files[c.file] = c.body
		_, err := parseModels(modelFiles(files), "models")
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want %q", name, err, c.want)
		}
	}
}

// The embedded models: every one has a valid header, exactly one model names the customers step (before the
// duplicates need it), the write phase follows the stage phase, and RebuildMarts runs the macros, marts and
// quality models and the stage models they read, never the write or the audit.
func TestEmbeddedModelPhases(t *testing.T) {
	models, err := Models()
	if err != nil {
		t.Fatal(err)
	}
	steps := 0
	for _, m := range models {
		steps += len(m.Then)
		if len(m.Then) > 0 && m.Phase != PhaseStage {
			t.Errorf("model %s (phase %s) runs a Go step outside the stage phase", m.Name, m.Phase)
		}
		rebuilt := rebuiltWithMarts(m)
		switch m.Phase {
		case PhaseMacros, PhaseMarts, PhaseQuality:
			if !rebuilt {
				t.Errorf("RebuildMarts skips %s (phase %s)", m.Name, m.Phase)
			}
		case PhaseWrite, PhaseAudit:
			if rebuilt {
				t.Errorf("RebuildMarts runs %s (phase %s)", m.Name, m.Phase)
			}
		case PhaseStage:
			if rebuilt != (len(m.ReadBy) > 0) {
				t.Errorf("RebuildMarts runs stage model %s: %v, read by %v", m.Name, rebuilt, m.ReadBy)
			}
		}
	}
	if steps != 1 {
		t.Errorf("the customers step is named %d times", steps)
	}
	if models[0].Phase != PhaseMacros {
		t.Errorf("the first model %s is of phase %s, want macros (every other model uses them)", models[0].Name, models[0].Phase)
	}
}

// A model of the macros or stage phases runs before the write transaction, its statements committed one by one,
// so it may write temporary tables only: it creates nothing but TEMP objects, and no statement of it inserts
// into, updates, deletes from, drops or alters a warehouse table (the reference tables it may fill are shadowed
// by temporary tables of the same names).
func TestStageModelsWriteNoWarehouseTable(t *testing.T) {
	w := setup(t, nil)
	stored, err := sqlrows.Query(context.Background(), w.DB, func(s *string) []any { return []any{s} },
		"SELECT table_name FROM duckdb_tables() WHERE NOT temporary UNION SELECT view_name FROM duckdb_views() WHERE NOT temporary AND NOT internal")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(stored, "complaints") {
		t.Fatalf("no complaints table among the warehouse's tables %v", stored)
	}
	writes := regexp.MustCompile(`(?im)^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM|DROP\s+(?:TABLE|VIEW)(?:\s+IF\s+EXISTS)?|ALTER\s+TABLE|TRUNCATE)\s+([\w."]+)`)
	creates := regexp.MustCompile(`(?im)^\s*CREATE\s+(?:OR\s+REPLACE\s+)?(TEMP\s+|TEMPORARY\s+)?(?:TABLE|VIEW|MACRO|SEQUENCE|INDEX)\b`)
	models, err := Models()
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, m := range models {
		if m.Phase > PhaseStage {
			continue
		}
		for _, c := range creates.FindAllStringSubmatch(m.SQL, -1) {
			if c[1] == "" {
				t.Errorf("model %s (phase %s) creates a warehouse object: %q", m.Name, m.Phase, c[0])
			}
		}
		for _, c := range writes.FindAllStringSubmatch(m.SQL, -1) {
			checked++
			if name := strings.ToLower(c[1]); slices.Contains(stored, name) && !slices.Contains(referenceTables, name) {
				t.Errorf("model %s (phase %s) writes the warehouse table %s: %q", m.Name, m.Phase, name, strings.TrimSpace(c[0]))
			}
		}
	}
	if checked < 10 {
		t.Errorf("only %d writing statements found in the stage models: the pattern misses them", checked)
	}
}

func modelFiles(files map[string]string) fstest.MapFS {
	fsys := fstest.MapFS{}
	for name, body := range files {
		fsys["models/"+name] = &fstest.MapFile{Data: []byte(body)}
	}
	return fsys
}

func phaseList(ps []Phase) string {
	var s []string
	for _, p := range ps {
		s = append(s, p.String())
	}
	return strings.Join(s, ",")
}
