package readmodel

// Lists: the complaints behind one figure of the workbooks, for a period, selected from figure_members (warehouse
// migration 017 over complaint_figures, which transform/models/40_figures.sql writes), so that every number of a
// report can be traced to its records with the definition that counted it. Only masked personal data is read
// (customer_name_masked, customer_phone_masked, and an id that landed keyed as its masked form); no customer key.
// reports/list writes the rows (CSV, XLSX).

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"complaints/catalog"
	"complaints/internal/sqlrows"
)

// ListFigures are the figure keys a list can be drawn for: every membership figure_members defines (the count
// columns of R1 and the summary, the timeliness sheet's clocks and stocks, repeat complaints);
// reports.TestEveryCountIsItsList checks that the macro yields exactly these.
var ListFigures = []string{
	"received", "received_regulator", "received_major", "received_repeat", "repeat_complaints",
	"closed", "closed_0_15", "closed_16_30", "closed_31_60", "closed_over_60",
	"closed_regulatory_on_time", "closed_internal_on_time", "closed_regulatory_known", "closed_internal_known",
	"satisfaction_recorded", "satisfied", "reply_recorded", "reply_complete",
	"open_at_start", "open_at_end", "overdue_at_end", "internal_overdue_at_end",
}

// ListAliases are the older status names of `list --status`, each the figure it stands for.
var ListAliases = map[string]string{"open": "open_at_end", "overdue": "overdue_at_end"}

// ListOptions select the complaints of a list: one figure of one period, optionally of one category, cause,
// intake channel (as reported: a group holding a regulator referral is regulator_referral), province or
// complaint class. A branch's list is drawn from a scoped copy of the warehouse (package scope, `--branch`).
type ListOptions struct {
	Period          string // 2026-10, 2026-Q3, 2026-H1 or 2026
	Figure          string // a key of ListFigures or ListAliases ("" = received)
	Category        string // business_category code ("" = all)
	Cause           string // cause code ("" = all)
	IntakeChannel   string // intake_channel code as reported ("" = all)
	BusinessChannel string // business_channel code: where the customer did the business ("" = all)
	Province        string // province code as the complaints hold it ("" = all)
	Class           string // complaint class: general, complex or missing ("" = all)
	// OverdueFirst orders the complaints overdue at the period's end first, most days overdue first, then the
	// rest by receipt (the filed workbook's open list); otherwise all are in order of receipt.
	OverdueFirst bool
	// First, when its N is above 0, keeps only the first N complaints (in the list's order) of each value of each
	// of its dimensions: what a drill-down shows of a month, without reading the month whole.
	First ListFirst
}

// ListFirst names the dimensions (keys of listDims) whose values each keep their first N complaints.
type ListFirst struct {
	Dims []string
	N    int
}

// Validate checks the options and fills the defaults (an alias becomes its figure).
func (o *ListOptions) Validate() error {
	if _, err := ParsePeriod(o.Period); err != nil {
		return err
	}
	if o.Figure == "" {
		o.Figure = "received"
	}
	if f, ok := ListAliases[o.Figure]; ok {
		o.Figure = f
	}
	if !slices.Contains(ListFigures, o.Figure) {
		return catalog.Errorf("msg_figures_unknown_figure", o.Figure)
	}
	for _, c := range []struct {
		dim  string
		code *string
	}{
		{"business_category", &o.Category}, {"cause", &o.Cause}, {"intake_channel", &o.IntakeChannel},
		{"business_channel", &o.BusinessChannel}, {"province", &o.Province},
	} {
		if *c.code == "" || *c.code == "unmapped" {
			continue
		}
		code, err := ResolveCode(c.dim, *c.code)
		switch {
		case err == nil:
			*c.code = code
		case c.dim == "province":
			// complaints may hold a province no catalogue name matches (a branch master's city code, an exported
			// text kept as it is): matched as typed
			*c.code = strings.TrimSpace(*c.code)
		default:
			return err
		}
	}
	for _, d := range o.First.Dims {
		if listDims[d] == "" {
			return fmt.Errorf("list: no dimension %q to keep the first complaints of", d)
		}
	}
	switch o.Class {
	case "", "missing", "no_clock":
	default:
		code, err := ResolveCode("complaint_class", o.Class)
		if err != nil {
			return catalog.Errorf("msg_figures_unknown_class", o.Class)
		}
		o.Class = code
	}
	return nil
}

// ResolveCode is the catalogue code of a dimension for what a user typed (a code, a zh or en label, a synonym),
// or an error naming the closest codes.
func ResolveCode(dim, typed string) (string, error) {
	code, near, ok := catalog.Resolve(dim, typed)
	if ok {
		return code, nil
	}
	lang := catalog.Lang()
	var s []string
	for _, m := range near {
		s = append(s, m.Code+" ("+catalog.Label(dim, m.Code, lang)+")")
	}
	if len(s) == 0 {
		return "", catalog.Errorf("msg_listcli_unknown_value_none", typed, catalog.Msg("list_dim_"+dim), dim)
	}
	return "", catalog.Errorf("msg_listcli_unknown_value", typed, catalog.Msg("list_dim_"+dim), strings.Join(s, ", "), dim)
}

// ListRow is one listed complaint.
type ListRow struct {
	Key, Source           string
	SourceLabel           string // the source's name as its profile's label gives it ("" when none; not from SQL)
	SourceID              string // the id a clerk looks the case up by: masked when it landed keyed (SourceIDText)
	Received              time.Time
	Replied               sql.NullTime
	Status                string
	ReplyDateInvalid      bool
	Category, CategoryRaw string
	Cause, CauseRaw       string
	IntakeChannel         string // as reported (regulator_referral for a group holding one)
	BusinessChannel       string // where the customer did the business (mobile app, counter ...)
	Province              string // "" when none
	Branch                string // complaints.branch: a branch master code, or the exported text
	BranchName            string // the branch's name (branch_labels), else Branch itself
	Class                 string // complaint class: general, complex, or "" when the type is missing
	InternalDeadline      sql.NullTime
	RegulatoryDeadline    sql.NullTime
	DaysOverdue           sql.NullInt64 // open at the period's end: period end - regulatory deadline (0 when not yet due)
	Handler               string
	NameMasked            string
	PhoneMasked           string
	Summary               string // the (scrubbed) summary, else the (scrubbed) narrative of a source without one
}

// SourceIDText is the SQL (over complaints) of the source id shown to a person: the masked form of an id that
// landed keyed (138****5678), else the id as exported. The complaint key beside it stays the identity.
const SourceIDText = `coalesce(source_id_masked, source_id)`

// listDims are the dimensions a list can be counted or cut by (ListBreakdown, ListFirst), each with its SQL over
// the list's m (figure_members) and c (complaints): the values ListRow holds.
var listDims = map[string]string{
	"business_category": "c.business_category", "cause": "c.cause", "intake_channel": "m.intake_channel",
	"business_channel": "m.business_channel", "province": "m.province", "branch": "coalesce(c.branch, '')",
}

// listFrom is the list's members and their complaints: the CTE m (the members of the figure $3 in the months
// $1..$2, first days, filtered) and open_end, the query's arguments ($4 the period's last day, the filters from
// $5), and its order of rows. o has been validated.
func listFrom(o ListOptions) (ctes string, args []any, order string) {
	p, _ := ParsePeriod(o.Period)
	args = []any{p.Start.FirstDay(), p.End().FirstDay(), o.Figure, p.End().LastDay()}
	where := `m.figure = $3`
	order = "c.received_at, c.complaint_key"
	if o.OverdueFirst {
		order = "CASE WHEN o.complaint_key IS NOT NULL AND date_diff('day', c.regulatory_deadline, CAST($4 AS DATE)) > 0 " +
			"THEN date_diff('day', c.regulatory_deadline, CAST($4 AS DATE)) END DESC NULLS LAST, " + order
	}
	n := 5
	for _, f := range []struct{ col, v string }{
		{"business_category", o.Category}, {"cause", o.Cause}, {"intake_channel", o.IntakeChannel},
		{"business_channel", o.BusinessChannel}, {"province", o.Province}, {"complaint_class", o.Class},
	} {
		if f.v != "" {
			where += ` AND m.` + f.col + ` = $` + strconv.Itoa(n)
			args = append(args, f.v)
			n++
		}
	}
	return `WITH m AS (SELECT * FROM figure_members(CAST($1 AS DATE), CAST($2 AS DATE)) m WHERE ` + where + `),
	open_end AS (SELECT complaint_key FROM figure_members(CAST($1 AS DATE), CAST($2 AS DATE)) WHERE figure = 'open_at_end')`, args, order
}

// listQuery is the SQL of a list: the members of the figure ($3) in the months $1..$2 (first days), with the
// complaint's own columns; $4 is the period's last day; the filters follow.
func listQuery(o ListOptions) (string, []any) {
	ctes, args, order := listFrom(o)
	from := `FROM m JOIN complaints c USING (complaint_key)
	LEFT JOIN open_end o USING (complaint_key)`
	filter := ""
	if o.First.N > 0 {
		var ranks []string
		for _, d := range o.First.Dims {
			ranks = append(ranks, `row_number() OVER (PARTITION BY `+listDims[d]+` ORDER BY `+order+`)`)
		}
		ctes += `,
	firsts AS (SELECT c.complaint_key ` + from + ` QUALIFY least(` + strings.Join(ranks, ", ") + `) <= ` + strconv.Itoa(o.First.N) + `)`
		filter = `
	WHERE c.complaint_key IN (SELECT complaint_key FROM firsts)`
	}
	return ctes + `
	SELECT c.complaint_key, c.source_system, ` + SourceIDText + `, c.received_at, c.replied_at, c.status, c.reply_date_invalid,
		c.business_category, coalesce(c.business_category_raw, ''), c.cause, coalesce(c.cause_raw, ''),
		m.intake_channel, m.business_channel, m.province, coalesce(c.branch, ''), coalesce(l.name, c.branch, ''),
		coalesce(c.complaint_class, ''), c.internal_deadline, c.regulatory_deadline,
		CASE WHEN o.complaint_key IS NOT NULL THEN greatest(date_diff('day', c.regulatory_deadline, CAST($4 AS DATE)), 0) END,
		coalesce(c.handler, ''), coalesce(c.customer_name_masked, ''), coalesce(c.customer_phone_masked, ''), coalesce(nullif(trim(c.summary), ''), c.narrative, '')
	` + from + `
	LEFT JOIN branch_labels l ON l.code = c.branch` + filter + `
	ORDER BY ` + order, args
}

// listPage is how many rows of a list are read at a time (sqlrows.EachPaged).
const listPage = 100_000

// EachListRow runs the list's query and calls fn for every row, in order of receipt.
func EachListRow(ctx context.Context, db *sql.DB, opts ListOptions, fn func(ListRow) error) error {
	if err := opts.Validate(); err != nil {
		return err
	}
	q, args := listQuery(opts)
	var stopped error // fn's own error, returned as it is
	err := sqlrows.EachPaged(ctx, db, listPage, func(r *ListRow) []any {
		return []any{&r.Key, &r.Source, &r.SourceID, &r.Received, &r.Replied, &r.Status, &r.ReplyDateInvalid,
			&r.Category, &r.CategoryRaw, &r.Cause, &r.CauseRaw, &r.IntakeChannel, &r.BusinessChannel, &r.Province, &r.Branch, &r.BranchName,
			&r.Class, &r.InternalDeadline, &r.RegulatoryDeadline, &r.DaysOverdue,
			&r.Handler, &r.NameMasked, &r.PhoneMasked, &r.Summary}
	}, func(r ListRow) error {
		stopped = fn(r)
		return stopped
	}, q, args...)
	if stopped != nil {
		return stopped
	}
	if err != nil {
		return catalog.Errorf("msg_figures_list_failed", opts.Figure, opts.Period, err)
	}
	return nil
}

// ListCount is how many complaints of a list hold the value Code of the dimension Dim and ByCode of By.
type ListCount struct {
	Dim, Code, By, ByCode string
	N                     int64
}

// ListBreakdown counts the complaints of a list by each pair of dimensions (keys of listDims), in one reading of
// the list's members: a drill-down's totals and breakdowns.
func ListBreakdown(ctx context.Context, db *sql.DB, opts ListOptions, pairs [][2]string) ([]ListCount, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	if len(pairs) == 0 {
		return nil, nil
	}
	ctes, args, _ := listFrom(opts)
	var sel []string
	for i, pr := range pairs {
		for _, d := range pr {
			if listDims[d] == "" {
				return nil, fmt.Errorf("list: no dimension %q to count by", d)
			}
		}
		sel = append(sel, fmt.Sprintf(`SELECT %d AS pair, d%s AS code, d%s AS by_code, count(*) AS n FROM x GROUP BY ALL`,
			i, pr[0], pr[1]))
	}
	var cols []string
	for d, e := range listDims {
		cols = append(cols, e+" AS d"+d)
	}
	sort.Strings(cols)
	q := ctes + `,
	x AS MATERIALIZED (SELECT ` + strings.Join(cols, ", ") + `, CAST($4 AS DATE) AS period_end
	                   FROM m JOIN complaints c USING (complaint_key))
	` + strings.Join(sel, "\n\tUNION ALL ") + `
	ORDER BY ALL`
	// $4 (the period's last day) counts nothing here; it is read so that the filters keep their numbers
	type row struct {
		pair         int
		code, byCode sql.NullString
		n            int64
	}
	rows, err := sqlrows.Query(ctx, db, func(r *row) []any { return []any{&r.pair, &r.code, &r.byCode, &r.n} }, q, args...)
	if err != nil {
		return nil, catalog.Errorf("msg_figures_list_failed", opts.Figure, opts.Period, err)
	}
	out := make([]ListCount, len(rows))
	for i, r := range rows {
		out[i] = ListCount{Dim: pairs[r.pair][0], Code: r.code.String, By: pairs[r.pair][1], ByCode: r.byCode.String, N: r.n}
	}
	return out, nil
}

// ListRows returns the whole list (for tests and small periods; reports/list streams).
func ListRows(ctx context.Context, db *sql.DB, opts ListOptions) ([]ListRow, error) {
	var out []ListRow
	err := EachListRow(ctx, db, opts, func(r ListRow) error { out = append(out, r); return nil })
	return out, err
}
