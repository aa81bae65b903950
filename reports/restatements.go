package reports

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"
	"time"

	"complaints/catalog"
	"complaints/internal/sqlrows"
	"complaints/readmodel"
	"complaints/warehouse"
)

// Filings and restatements (issue 5 point 3). `report --record-filing` stores the figures of a period as
// submitted (filings, filing_figures) with the complaints behind each count (filing_complaints); every later
// workbook of that period and scope compares the current data with each earlier filing on the 更正/Restatements
// sheet: the figures that changed (filed, now, difference) and the complaints that entered or left each one.
//
// The figures are counts of the members of each figure (figure_members over complaint_figures, the definitions
// the marts aggregate; domain.md section 6), by total and business category for every key below, and received by
// cause, branch, province and intake channel (the R2 and R3 tables and the channel sheet), one row per
// (complaint, figure), so that each count carries its complaints.

// FilingFigures are the figure keys filed, in the order the restatements sheet lists them.
var FilingFigures = []string{
	"received", "received_regulator", "received_major", "closed", "closed_0_15", "closed_16_30", "closed_31_60",
	"closed_over_60", "closed_regulatory_on_time", "closed_internal_on_time", "open_at_start", "open_at_end",
	"overdue_at_end",
}

// FilingDimensions are the breakdowns filed: every figure by total and business category; received also by the rest.
var FilingDimensions = []string{"total", "business_category", "cause", "branch", "province", "intake_channel"}

// membersSQL creates period_members for the months $1..$2 (first days): one row per (filed figure, complaint),
// selected from figure_members (warehouse migration 017), where every figure's membership is defined.
var membersSQL = `CREATE OR REPLACE TEMP TABLE period_members AS
SELECT figure, complaint_key, business_category, cause, branch, province, intake_channel
FROM figure_members(CAST($1 AS DATE), CAST($2 AS DATE))
WHERE figure IN ('` + strings.Join(FilingFigures, "', '") + `')`

// longSQL unpivots a member table (figure, complaint_key and the dimension columns) into (figure, dimension,
// item, complaint_key): the complaints behind every filed figure.
func longSQL(from string) string {
	return `SELECT figure, 'total' AS dimension, '' AS item, complaint_key FROM ` + from + `
UNION ALL SELECT figure, 'business_category', business_category, complaint_key FROM ` + from + `
UNION ALL SELECT figure, 'cause', cause, complaint_key FROM ` + from + ` WHERE figure = 'received'
UNION ALL SELECT figure, 'branch', branch, complaint_key FROM ` + from + ` WHERE figure = 'received'
UNION ALL SELECT figure, 'province', province, complaint_key FROM ` + from + ` WHERE figure = 'received'
UNION ALL SELECT figure, 'intake_channel', intake_channel, complaint_key FROM ` + from + ` WHERE figure = 'received'`
}

// querier is a transaction or a connection: period_members is a temporary table, so every statement must run on
// one connection.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func members(ctx context.Context, q querier, p readmodel.Period) error {
	if _, err := q.ExecContext(ctx, membersSQL, p.Start.FirstDay(), p.End().FirstDay()); err != nil {
		return fmt.Errorf("figures %s: %w", p, err)
	}
	return nil
}

// Filing is the record of one filing.
type Filing struct {
	ID          int64
	Period      string // as readmodel.Period.String writes it
	Kind        string // month, quarter, half, year
	BranchScope string // '' bank-wide, else the branch code
	AsOf        time.Time
	FiledAt     time.Time
	DataAsOf    time.Time
	Workbook    string
}

// StoreFiling records a filing of period in the database q reads (the warehouse, or a scoped copy whose
// filing pipeline copies into the warehouse): the filings row, the figures computed from its complaints and
// the complaints behind each. q must be one connection or transaction.
func StoreFiling(ctx context.Context, q querier, f Filing) error {
	p, err := readmodel.ParsePeriod(f.Period)
	if err != nil {
		return err
	}
	if err := members(ctx, q, p); err != nil {
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
		{`INSERT INTO filing_complaints SELECT ?, figure, complaint_key, business_category, cause, branch, province, intake_channel
			FROM period_members`, []any{f.ID}},
		{`INSERT INTO filing_figures SELECT ?, figure, dimension, item, count(*) FROM (` + longSQL("period_members") + `) GROUP BY ALL`, []any{f.ID}},
	}
	for _, s := range steps {
		if _, err := q.ExecContext(ctx, s.q, s.args...); err != nil {
			return fmt.Errorf("record filing %s: %w", p, err)
		}
	}
	return nil
}

// restatement is one filed figure the current data changes.
type restatement struct {
	filing                  int // index into restatements.filings
	figure, dimension, item string
	filed, now              int64
	enteredN, leftN         int64
	entered, left           string // complaint keys, space-separated
}

type restatements struct {
	filings []Filing
	rows    []restatement
	names   map[string]string // branch code -> name
}

// loadRestatements compares the current data with every filing of the period and the database's scope.
func loadRestatements(ctx context.Context, db *sql.DB, p readmodel.Period, scope readmodel.Scope) (*restatements, error) {
	r := &restatements{names: map[string]string{}}
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	var n int
	if err := conn.QueryRowContext(ctx, `SELECT count(*) FROM duckdb_tables() WHERE table_name = 'filings'
		AND schema_name = 'main' AND database_name = current_database()`).Scan(&n); err != nil || n == 0 {
		return r, err
	}
	rows, err := conn.QueryContext(ctx, `SELECT filing_id, period, kind, branch_scope, as_of, filed_at, data_as_of, coalesce(workbook, '')
		FROM filings WHERE period = ? AND branch_scope = ? ORDER BY filed_at, filing_id`, p.String(), scope.Branch)
	if err != nil {
		return nil, fmt.Errorf("read filings: %w", err)
	}
	for rows.Next() {
		var f Filing
		var asOf, dataAsOf sql.NullTime
		if err := rows.Scan(&f.ID, &f.Period, &f.Kind, &f.BranchScope, &asOf, &f.FiledAt, &dataAsOf, &f.Workbook); err != nil {
			rows.Close()
			return nil, fmt.Errorf("read filings: %w", err)
		}
		f.FiledAt = warehouse.FromWallClock(f.FiledAt)
		if asOf.Valid {
			f.AsOf = warehouse.FromWallClock(asOf.Time)
		}
		if dataAsOf.Valid {
			f.DataAsOf = warehouse.FromWallClock(dataAsOf.Time)
		}
		r.filings = append(r.filings, f)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(r.filings) == 0 {
		return r, err
	}
	if err := members(ctx, conn, p); err != nil {
		return nil, err
	}
	const diffSQL = `WITH cur_long AS (%s),
filed_long AS (%s),
cur AS (SELECT figure, dimension, item, count(*) AS value FROM cur_long GROUP BY ALL),
filed AS (SELECT figure, dimension, item, value FROM filing_figures WHERE filing_id = $1),
diff AS (
    SELECT coalesce(f.figure, c.figure) AS figure, coalesce(f.dimension, c.dimension) AS dimension,
           coalesce(f.item, c.item) AS item, coalesce(f.value, 0) AS filed, coalesce(c.value, 0) AS now
    FROM filed f FULL JOIN cur c ON f.figure = c.figure AND f.dimension = c.dimension AND f.item = c.item
    WHERE coalesce(f.value, 0) <> coalesce(c.value, 0)
),
masks AS (SELECT complaint_key, source_id_masked FROM complaints WHERE source_id_masked IS NOT NULL),
ent AS (SELECT figure, dimension, item, count(*) AS n, string_agg(%[3]s, ' ' ORDER BY complaint_key) AS keys
        FROM (SELECT * FROM cur_long EXCEPT SELECT * FROM filed_long) LEFT JOIN masks USING (complaint_key) GROUP BY ALL),
lft AS (SELECT figure, dimension, item, count(*) AS n, string_agg(%[3]s, ' ' ORDER BY complaint_key) AS keys
        FROM (SELECT * FROM filed_long EXCEPT SELECT * FROM cur_long) LEFT JOIN masks USING (complaint_key) GROUP BY ALL)
SELECT d.figure, d.dimension, d.item, d.filed, d.now, coalesce(ent.n, 0), coalesce(ent.keys, ''),
       coalesce(lft.n, 0), coalesce(lft.keys, '')
FROM diff d
LEFT JOIN ent ON ent.figure = d.figure AND ent.dimension = d.dimension AND ent.item = d.item
LEFT JOIN lft ON lft.figure = d.figure AND lft.dimension = d.dimension AND lft.item = d.item`
	q := fmt.Sprintf(diffSQL, longSQL("period_members"),
		longSQL("(SELECT * FROM filing_complaints WHERE filing_id = $1)"), keyShown)
	for i, f := range r.filings {
		rows, err := conn.QueryContext(ctx, q, f.ID)
		if err != nil {
			return nil, fmt.Errorf("restatements of filing %d: %w", f.ID, err)
		}
		for rows.Next() {
			x := restatement{filing: i}
			if err := rows.Scan(&x.figure, &x.dimension, &x.item, &x.filed, &x.now, &x.enteredN, &x.entered, &x.leftN, &x.left); err != nil {
				rows.Close()
				return nil, fmt.Errorf("restatements of filing %d: %w", f.ID, err)
			}
			r.rows = append(r.rows, x)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	order := func(list []string, s string) int {
		for i, x := range list {
			if x == s {
				return i
			}
		}
		return len(list)
	}
	sort.SliceStable(r.rows, func(i, j int) bool {
		a, b := r.rows[i], r.rows[j]
		if a.filing != b.filing {
			return a.filing < b.filing
		}
		if x, y := order(FilingFigures, a.figure), order(FilingFigures, b.figure); x != y {
			return x < y
		}
		if x, y := order(FilingDimensions, a.dimension), order(FilingDimensions, b.dimension); x != y {
			return x < y
		}
		if x, y := itemOrder(a.dimension, a.item), itemOrder(b.dimension, b.item); x != y {
			return x < y
		}
		return a.item < b.item
	})
	if r.names, err = sqlrows.Map[string, string](ctx, conn, `SELECT code, name FROM branch_labels`); err != nil {
		return nil, fmt.Errorf("read branch_labels: %w", err)
	}
	return r, nil
}

// itemOrder places an item as the catalogue lists its dimension (R1's row order); other items after, by text.
func itemOrder(dimension, item string) int {
	for i, c := range catalog.Dimension(dimension) {
		if c.Code == item {
			return i
		}
	}
	return 1 << 20
}

// maxKeysShown is how many complaint keys a cell lists; `complaints list` gives them all.
const maxKeysShown = 40

// keyShown is the SQL of a complaint as the restatements list it: its key, and after it the masked source id
// when the id landed keyed (hotline:k:3f2a…(138****5678)), no space, as the keys are space-separated.
const keyShown = `complaint_key || coalesce('(' || source_id_masked || ')', '')`

func shortKeys(keys string, n int64) string {
	f := strings.Fields(keys)
	if len(f) <= maxKeysShown {
		return keys
	}
	return strings.Join(f[:maxKeysShown], " ") + fmt.Sprintf(" … (+%d)", n-maxKeysShown)
}

// itemLabel is a figure's item as shown: the catalogue's label, the branch's name, or the total.
func (w *workbook) itemLabel(dimension, item string) string {
	switch dimension {
	case "total":
		return w.t("total")
	case "branch":
		if item == "" {
			return w.t("rst_no_branch")
		}
		if n := w.restated.names[item]; n != "" {
			return n
		}
		return item
	case "province":
		if item == "" {
			return w.t("rst_no_province")
		}
	}
	return catalog.Label(dimension, item, w.lang)
}

func (w *workbook) stamp(t time.Time) string {
	return warehouse.WallClockText(t) + " (" + w.t("beijing_time") + ")"
}

// restatementsSheet is the 更正/Restatements sheet; its table header is on row 4.
func (w *workbook) restatementsSheet() *grid {
	st := w.st
	const cols = 9
	g := newGrid(w.t("sheet_restatements"))
	g.Text(1, 1, w.t("rst_title")+" "+w.period.String(), st.title)
	g.Merge(1, 1, 1, cols)
	g.heights[1] = 28
	g.Text(2, 1, w.t("rst_intro"), st.subtitle)
	g.Merge(2, 1, 2, cols)
	r := w.restated
	if r == nil {
		r = &restatements{}
	}
	comma, semicolon := "，", "；"
	if w.lang == "en" {
		comma, semicolon = ", ", "; "
	}
	var filed []string
	for _, f := range r.filings {
		asOf := f.FiledAt
		if !f.AsOf.IsZero() {
			asOf = f.AsOf
		}
		filed = append(filed, w.t("rst_filed_at")+w.t("colon")+w.stamp(f.FiledAt)+comma+w.t("as_of")+w.t("colon")+warehouse.WallClockText(asOf))
	}
	line := w.t("rst_no_filing")
	if len(filed) > 0 {
		line = w.t("rst_filings") + w.t("colon") + strings.Join(filed, semicolon)
	}
	g.Text(3, 1, line, st.text)
	g.Merge(3, 1, 3, cols)
	for i, key := range []string{"rst_filed_at", "rst_figure", "rst_dimension", "rst_item", "rst_filed", "rst_now", "rst_difference", "rst_entered", "rst_left"} {
		g.Text(4, i+1, w.t(key), st.header)
	}
	g.freezeRow = 5
	row := 5
	for _, x := range r.rows {
		g.Text(row, 1, warehouse.WallClockText(r.filings[x.filing].FiledAt), st.text)
		g.Text(row, 2, w.t("rst_fig_"+x.figure), st.text)
		g.Text(row, 3, w.t("rst_dim_"+x.dimension), st.text)
		g.Text(row, 4, w.itemLabel(x.dimension, x.item), st.text)
		g.Int(row, 5, x.filed, st.count)
		g.Int(row, 6, x.now, st.count)
		g.Formula(row, 7, fmt.Sprintf("F%d-E%d", row, row), x.now-x.filed, st.count)
		g.Text(row, 8, shortKeys(x.entered, x.enteredN), st.wrap)
		g.Text(row, 9, shortKeys(x.left, x.leftN), st.wrap)
		row++
	}
	switch {
	case len(r.filings) == 0:
		g.Text(row, 1, w.t("rst_nothing_to_compare"), st.text)
		g.Merge(row, 1, row, cols)
	case len(r.rows) == 0:
		g.Text(row, 1, w.t("rst_no_change"), st.text)
		g.Merge(row, 1, row, cols)
	}
	g.widths[8], g.widths[9] = 40, 40
	return g
}
