package transform

import (
	"context"
	"fmt"
	"slices"

	"complaints/warehouse"
)

// RebuildMarts recomputes the marts and the data-quality tables (the models of the marts and quality phases)
// from the complaints table as it stands, in one transaction, without re-deriving any complaint. It is for a
// scoped copy of the warehouse whose complaints were cut down afterwards (package scope's --branch copy keeps one branch's
// subtree): customers, duplicates, repeats and clocks keep the values the full normalise gave them. The models
// run with the macros and the stage models those phases read (`-- read-by:`, the branch spellings the quality
// checks read), over no staged rows.
func RebuildMarts(ctx context.Context, w *warehouse.Warehouse) error {
	models, err := Models()
	if err != nil {
		return err
	}
	conn, err := w.DB.Conn(ctx)
	if err != nil {
		return fmt.Errorf("rebuild marts: %w", err)
	}
	defer discard(conn) // with its temporary tables
	// without insertion order, as the normalise's write (prepare; warehouse.UnorderedWrites)
	restore, err := warehouse.UnorderedWritesOn(ctx, conn)
	if err != nil {
		return fmt.Errorf("rebuild marts: %w", err)
	}
	defer restore()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("rebuild marts: begin: %w", err)
	}
	defer tx.Rollback()
	// A stage model run here reads the staged current versions: none (its reference tables are all it is run for).
	if _, err := tx.ExecContext(ctx, `CREATE OR REPLACE TEMP TABLE stg_current AS
		SELECT NULL::VARCHAR AS branch, NULL::VARCHAR AS n_branch, NULL::DATE AS received_date WHERE false`); err != nil {
		return fmt.Errorf("rebuild marts: %w", err)
	}
	for _, m := range models {
		if !rebuiltWithMarts(m) {
			continue
		}
		if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
			return fmt.Errorf("rebuild marts: model %s: %w", m.Name, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("rebuild marts: commit: %w", err)
	}
	return nil
}

// rebuiltWithMarts says whether RebuildMarts runs model m: the macros, the marts and quality phases, and the
// stage models those phases read.
func rebuiltWithMarts(m Model) bool {
	switch m.Phase {
	case PhaseMacros, PhaseMarts, PhaseQuality:
		return true
	case PhaseStage:
		return slices.ContainsFunc(m.ReadBy, func(p Phase) bool { return p == PhaseMarts || p == PhaseQuality })
	}
	return false
}
