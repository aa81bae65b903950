package transform

import (
	"context"
	"fmt"
	"io/fs"
	"slices"
	"strings"
)

// Phase is what a model does and so where it runs. Every model declares its phase on its first line
// (`-- phase: stage`); the models run in the order of their file names, and their phases may not go backwards.
type Phase int

const (
	// PhaseMacros: temporary macros only; run first by everything that runs models.
	PhaseMacros Phase = iota
	// PhaseStage: temporary tables only, on the normalise's connection before its write transaction (each
	// statement committed on its own); nothing the warehouse holds changes.
	PhaseStage
	// PhaseWrite: the first phase of the write transaction: the complaints table from the staged tables.
	PhaseWrite
	// PhaseMarts: the marts, from the complaints table as written. Also run by RebuildMarts.
	PhaseMarts
	// PhaseQuality: the data-quality tables. Also run by RebuildMarts.
	PhaseQuality
	// PhaseAudit: the audit of what this run changed (corrections applied) and the sources' coverage, judged over
	// the whole warehouse; normalise only (a --branch copy keeps the warehouse's).
	PhaseAudit
)

var phaseNames = []string{"macros", "stage", "write", "marts", "quality", "audit"}

func (p Phase) String() string {
	if p < 0 || int(p) >= len(phaseNames) {
		return fmt.Sprintf("phase(%d)", int(p))
	}
	return phaseNames[p]
}

// goSteps are work that is clearer in Go than in SQL, run right after the model whose header names them
// (`-- then: customers`).
var goSteps = map[string]func(context.Context, querier) error{
	"customers": linkCustomers, // customers before duplicates: duplicates need "the same customer"
}

// Model is one embedded SQL file with its header.
type Model struct {
	Name  string // the file name without .sql
	SQL   string // the whole file, header included
	Phase Phase  // `-- phase: <name>`, the first line
	// Then are the Go steps run right after the model (`-- then: <step>[, <step>]`), in that order.
	Then []string
	// ReadBy are the later phases that read this stage model's temporary tables (`-- read-by: <phase>[, ...]`):
	// RebuildMarts runs a stage model that the marts or the quality phase read.
	ReadBy []Phase
}

// Models lists the embedded models in the order they are applied (by file name), with their headers checked.
func Models() ([]Model, error) {
	return parseModels(modelFS, "models")
}

// parseModels reads the .sql files of dir in the order of their names and parses each one's header: the first
// line `-- phase: <name>`, then optionally `-- then: ...` and `-- read-by: ...` lines. A model without a valid
// header, phases out of order or no model of the write phase is an error.
func parseModels(fsys fs.FS, dir string) ([]Model, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, err
	}
	var out []Model
	writes := false
	for _, e := range entries { // fs.ReadDir sorts by file name
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".sql") {
			continue
		}
		b, err := fs.ReadFile(fsys, dir+"/"+e.Name())
		if err != nil {
			return nil, err
		}
		m, err := parseHeader(strings.TrimSuffix(e.Name(), ".sql"), string(b))
		if err != nil {
			return nil, err
		}
		if n := len(out); n > 0 && m.Phase < out[n-1].Phase {
			return nil, fmt.Errorf("model %s: phase %s after %s of phase %s: phases run in the order %s",
				m.Name, m.Phase, out[n-1].Name, out[n-1].Phase, strings.Join(phaseNames, ", "))
		}
		writes = writes || m.Phase == PhaseWrite
		out = append(out, m)
	}
	if !writes {
		return nil, fmt.Errorf("models: none of phase %s: a normalise would write nothing", PhaseWrite)
	}
	return out, nil
}

// parseHeader reads a model's header: its first line names the phase; the lines right after it may name Go
// steps (`-- then:`) and the later phases reading its tables (`-- read-by:`).
func parseHeader(name, sql string) (Model, error) {
	m := Model{Name: name, SQL: sql}
	first := true
	for line := range strings.Lines(sql) {
		key, val, ok := headerLine(line)
		if first {
			first = false
			p, known := parsePhase(val)
			if !ok || key != "phase" || !known {
				return m, fmt.Errorf("model %s: the first line must be `-- phase: <name>`, the name one of %s; it is %q",
					name, strings.Join(phaseNames, ", "), strings.TrimSpace(line))
			}
			m.Phase = p
			continue
		}
		if !ok {
			break
		}
		for item := range strings.SplitSeq(val, ",") {
			item = strings.TrimSpace(item)
			switch key {
			case "phase":
				return m, fmt.Errorf("model %s: a second `-- phase:` line", name)
			case "then":
				if goSteps[item] == nil {
					return m, fmt.Errorf("model %s: `-- then: %s`: no such Go step", name, item)
				}
				m.Then = append(m.Then, item)
			case "read-by":
				p, known := parsePhase(item)
				if !known || m.Phase != PhaseStage || p <= PhaseWrite {
					return m, fmt.Errorf("model %s: `-- read-by: %s`: only a stage model declares the later phases (after write) that read it", name, item)
				}
				m.ReadBy = append(m.ReadBy, p)
			}
		}
	}
	if first {
		return m, fmt.Errorf("model %s: empty; its first line must be `-- phase: <name>`", name)
	}
	return m, nil
}

// headerLine splits a header line `-- key: value`; ok is false for any other line (a key is one of phase, then
// and read-by, so a descriptive comment such as `-- 10_staging: ...` ends the header).
func headerLine(line string) (key, val string, ok bool) {
	rest, isComment := strings.CutPrefix(strings.TrimSpace(line), "--")
	if !isComment {
		return "", "", false
	}
	key, val, ok = strings.Cut(strings.TrimSpace(rest), ":")
	if !ok || !slices.Contains([]string{"phase", "then", "read-by"}, key) {
		return "", "", false
	}
	return key, strings.TrimSpace(val), true
}

func parsePhase(name string) (Phase, bool) {
	i := slices.Index(phaseNames, strings.TrimSpace(name))
	return Phase(i), i >= 0
}
