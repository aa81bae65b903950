package pipeline

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"time"

	"complaints/catalog"
	"complaints/readmodel"
	"complaints/scope"
	"complaints/warehouse"
)

// RecordFiling stores the figures of period, as the workbook just written shows them, as filed (`report
// --record-filing`): in the warehouse w when the report was written from it (s nil), else computed in the scoped
// copy s and copied into the warehouse (s is closed first; the warehouse must not be open in this process).
// It returns the filing's id.
func (e *Env) RecordFiling(ctx context.Context, w *warehouse.Warehouse, s *Scoped, period, workbook string) (int64, error) {
	p, err := readmodel.ParsePeriod(period)
	if err != nil {
		return 0, err
	}
	f := readmodel.Filing{Period: p.String(), FiledAt: e.now(), Workbook: filepath.Base(workbook)}
	if s == nil {
		err := e.storeFiling(ctx, w, &f)
		return f.ID, err
	}
	f.BranchScope, f.AsOf = s.Branch, s.End.Add(-time.Second)
	if s.AsOf.IsZero() {
		f.AsOf = time.Time{}
	}
	f.ID = -1
	if err := e.storeFiling(ctx, s.Warehouse, &f); err != nil {
		return 0, err
	}
	if err := s.CloseDB(); err != nil {
		return 0, catalog.Errorf("msg_cli_record_filing", err)
	}
	main, err := e.OpenWarehouse(ctx, false)
	if err != nil {
		return 0, err
	}
	defer main.Close()
	conn, err := main.DB.Conn(ctx)
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	if err := scope.AttachReadOnly(ctx, conn, s.File, "scoped"); err != nil {
		return 0, catalog.Errorf("msg_cli_record_filing", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), "DETACH scoped")
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	var id int64
	if err := tx.QueryRowContext(ctx, "SELECT coalesce(max(filing_id), 0) + 1 FROM filings").Scan(&id); err != nil {
		return 0, catalog.Errorf("msg_cli_record_filing", err)
	}
	for _, t := range []string{"filings", "filing_figures", "filing_complaints"} {
		q := fmt.Sprintf("INSERT INTO main.%s SELECT * REPLACE (CAST(? AS BIGINT) AS filing_id) FROM scoped.main.%s WHERE filing_id = -1", t, t)
		if _, err := tx.ExecContext(ctx, q, id); err != nil {
			return 0, catalog.Errorf("msg_cli_record_filing_copy", t, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return 0, catalog.Errorf("msg_cli_record_filing", err)
	}
	return id, nil
}

// storeFiling records f in w under a new id (f.ID -1 keeps -1: a scoped copy's staging id).
func (e *Env) storeFiling(ctx context.Context, w *warehouse.Warehouse, f *readmodel.Filing) error {
	conn, err := w.DB.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if f.ID != -1 {
		if err := tx.QueryRowContext(ctx, "SELECT coalesce(max(filing_id), 0) + 1 FROM filings").Scan(&f.ID); err != nil {
			return catalog.Errorf("msg_cli_record_filing", err)
		}
	}
	if err := insertFiling(ctx, tx, *f); err != nil {
		return err
	}
	return tx.Commit()
}

// insertFiling records a filing of f.Period in the database tx writes (the warehouse, or a scoped copy whose
// filing RecordFiling copies into the warehouse): the filings row, the figures (readmodel.FilingMembers) and the
// complaints behind each.
func insertFiling(ctx context.Context, tx *sql.Tx, f readmodel.Filing) error {
	p, err := readmodel.ParsePeriod(f.Period)
	if err != nil {
		return err
	}
	if err := readmodel.FilingMembers(ctx, tx, p); err != nil {
		return err
	}
	nullTime := func(t time.Time) any {
		if t.IsZero() {
			return nil
		}
		return warehouse.WallClock(t)
	}
	steps := []struct {
		q    string
		args []any
	}{
		{`INSERT INTO filings VALUES (?, ?, ?, ?, ?, ?, (SELECT max(ingested_at) FROM batches), ?)`,
			[]any{f.ID, p.String(), string(p.Kind), f.BranchScope, nullTime(f.AsOf), warehouse.WallClock(f.FiledAt), f.Workbook}},
		{`INSERT INTO filing_complaints SELECT ?, * FROM period_members`, []any{f.ID}},
		{`INSERT INTO filing_figures SELECT ?, * FROM period_figures`, []any{f.ID}},
	}
	for _, s := range steps {
		if _, err := tx.ExecContext(ctx, s.q, s.args...); err != nil {
			return catalog.Errorf("msg_cli_record_filing_file", p, err)
		}
	}
	return nil
}
