package readmodel

// Filings and restatements: the figures of a period as `report --record-filing` files them (pipeline stores them
// in filings, filing_figures, filing_complaints) with the complaints behind each count, and the comparison of the
// current data with every earlier filing of a period and scope (the 更正/Restatements sheet: the figures that
// changed, filed and now, and the complaints that entered or left each one).
//
// The figures are counts of the members of each figure (figure_members over complaint_figures, the definitions the
// marts aggregate; domain.md section 6), by total and business category for every key below, and received by
// cause, branch, province and intake channel (the R2 and R3 tables and the channel sheet), one row per
// (complaint, figure), so that each count carries its complaints.

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"
	"time"

	"complaints/catalog"
	"complaints/internal/sqlrows"
	"complaints/warehouse"
)

// FilingFigures are the figure keys filed, in the order the restatements sheet lists them.
var FilingFigures = []string{
	"received", "received_regulator", "received_major", "closed", "closed_0_15", "closed_16_30", "closed_31_60",
	"closed_over_60", "closed_regulatory_on_time", "closed_internal_on_time", "open_at_start", "open_at_end",
	"overdue_at_end",
}

// FilingDimensions are the breakdowns filed: every figure by total and business category; received also by the rest.
var FilingDimensions = []string{"total", "business_category", "cause", "branch", "province", "intake_channel"}

// membersSQL creates period_members for the months $1..$2 (first days): one row per (filed figure, complaint).
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

// Querier is a transaction or a connection: the temporary tables below live on one connection, so every
// statement that reads them must run on it.
type Querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func members(ctx context.Context, q Querier, p Period) error {
	if _, err := q.ExecContext(ctx, membersSQL, p.Start.FirstDay(), p.End().FirstDay()); err != nil {
		return fmt.Errorf("figures %s: %w", p, err)
	}
	return nil
}

// FilingMembers computes what a filing of period p stores, as two temporary tables on q: period_members (figure,
// complaint_key, business_category, cause, branch, province, intake_channel: the columns of filing_complaints
// after its filing_id) and period_figures (figure, dimension, item, value: those of filing_figures).
func FilingMembers(ctx context.Context, q Querier, p Period) error {
	if err := members(ctx, q, p); err != nil {
		return err
	}
	if _, err := q.ExecContext(ctx, `CREATE OR REPLACE TEMP TABLE period_figures AS
		SELECT figure, dimension, item, count(*) AS value FROM (`+longSQL("period_members")+`) GROUP BY ALL`); err != nil {
		return fmt.Errorf("figures %s: %w", p, err)
	}
	return nil
}

// Filing is the record of one filing.
type Filing struct {
	ID          int64
	Period      string // as Period.String writes it
	Kind        string // month, quarter, half, year
	BranchScope string // '' bank-wide, else the branch code
	AsOf        time.Time
	FiledAt     time.Time
	DataAsOf    time.Time
	Workbook    string
}

// Restatement is one filed figure the current data changes.
type Restatement struct {
	Filing                  int // index into Restatements.Filings
	Figure, Dimension, Item string
	Filed, Now              int64
	EnteredN, LeftN         int64
	Entered, Left           string // complaint keys, space-separated (KeyShown)
}

// Restatements are the filings of a period and scope and the figures the current data changes.
type Restatements struct {
	Filings []Filing
	Rows    []Restatement
	Names   map[string]string // branch code -> name (branch_labels)
}

// KeyShown is the SQL of a complaint as the restatements list it: its key, and after it the masked source id
// when the id landed keyed (hotline:k:3f2a…(138****5678)), no space, as the keys are space-separated.
const KeyShown = `complaint_key || coalesce('(' || source_id_masked || ')', '')`

// LoadRestatements compares the current data with every filing of the period and the database's scope.
func LoadRestatements(ctx context.Context, db *sql.DB, p Period, scope Scope) (*Restatements, error) {
	r := &Restatements{Names: map[string]string{}}
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
	r.Filings, err = sqlrows.Query(ctx, conn, func(f *Filing) []any {
		return []any{&f.ID, &f.Period, &f.Kind, &f.BranchScope, nullTime{&f.AsOf}, &f.FiledAt, nullTime{&f.DataAsOf}, &f.Workbook}
	}, `SELECT filing_id, period, kind, branch_scope, as_of, filed_at, data_as_of, coalesce(workbook, '')
		FROM filings WHERE period = ? AND branch_scope = ? ORDER BY filed_at, filing_id`, p.String(), scope.Branch)
	if err != nil {
		return nil, fmt.Errorf("read filings: %w", err)
	}
	for i := range r.Filings {
		r.Filings[i].FiledAt = warehouse.FromWallClock(r.Filings[i].FiledAt)
	}
	if len(r.Filings) == 0 {
		return r, nil
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
		longSQL("(SELECT * FROM filing_complaints WHERE filing_id = $1)"), KeyShown)
	for i, f := range r.Filings {
		err := sqlrows.Each(ctx, conn, func(x *Restatement) []any {
			return []any{&x.Figure, &x.Dimension, &x.Item, &x.Filed, &x.Now, &x.EnteredN, &x.Entered, &x.LeftN, &x.Left}
		}, func(x Restatement) error {
			x.Filing = i
			r.Rows = append(r.Rows, x)
			return nil
		}, q, f.ID)
		if err != nil {
			return nil, fmt.Errorf("restatements of filing %d: %w", f.ID, err)
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
	sort.SliceStable(r.Rows, func(i, j int) bool {
		a, b := r.Rows[i], r.Rows[j]
		if a.Filing != b.Filing {
			return a.Filing < b.Filing
		}
		if x, y := order(FilingFigures, a.Figure), order(FilingFigures, b.Figure); x != y {
			return x < y
		}
		if x, y := order(FilingDimensions, a.Dimension), order(FilingDimensions, b.Dimension); x != y {
			return x < y
		}
		if x, y := itemOrder(a.Dimension, a.Item), itemOrder(b.Dimension, b.Item); x != y {
			return x < y
		}
		return a.Item < b.Item
	})
	if r.Names, err = sqlrows.Map[string, string](ctx, conn, `SELECT code, name FROM branch_labels`); err != nil {
		return nil, fmt.Errorf("read branch_labels: %w", err)
	}
	return r, nil
}

// nullTime scans a nullable wall-clock TIMESTAMP into a time: zero when NULL, else the instant it stands for.
type nullTime struct{ t *time.Time }

func (n nullTime) Scan(v any) error {
	var x sql.NullTime
	if err := x.Scan(v); err != nil {
		return err
	}
	*n.t = time.Time{}
	if x.Valid {
		*n.t = warehouse.FromWallClock(x.Time)
	}
	return nil
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
