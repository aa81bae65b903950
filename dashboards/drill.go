package dashboards

import (
	"context"
	"database/sql"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"

	"complaints/catalog"
	"complaints/readmodel"
)

// Drill-down: a click on a bar, a table cell or a Sankey node opens a table of what is behind it in the last
// month shown: the total, its breakdown by a second dimension, up to drillMaxRows complaints (masked id, dates,
// category, cause, status, days overdue; the scrubbed summary only with Options.WithSummaries) and the
// `complaints list` command that returns them all. The page embeds only that month's rows, each once, the cells
// naming them by index, so its size grows with the cells shown, not with the warehouse.

// drillMaxRows is how many complaints of the last month a drill-down table shows.
const drillMaxRows = 50

// drillBranches is how many branches (the most complaints in the month first) open a drill-down: it bounds the
// page's size whatever the number of branches.
var drillBranches = 50

// summaryRunes is how much of a scrubbed summary a drill-down row shows (as the internal case list does).
const summaryRunes = 200

// drillDims are the dimensions a cell can select, each with the dimension its breakdown is by.
var drillDims = []struct{ dim, by, flag string }{
	{"business_category", "cause", "--category"},
	{"cause", "business_category", "--cause"},
	{"intake_channel", "business_category", "--intake-channel"},
	{"branch", "cause", "--branch"},
	{"province", "business_category", "--province"},
}

// drillDoc is the drill-down data the page's script reads.
type drillDoc struct {
	Period string            `json:"period"`
	Head   []string          `json:"head"`   // the row columns' headers
	Text   map[string]string `json:"text"`   // the table's words
	Labels []string          `json:"labels"` // category, cause and status labels; rows name them by index
	// Rows are the complaints shown: masked id, received, replied ("" when not), category, cause and status (indexes
	// into Labels), days overdue at the month's end (null when not open past the deadline), and the summary when
	// the page is built with summaries.
	Rows  [][]any                      `json:"rows"`
	Cells map[string]*drillCell        `json:"cells"`
	Names map[string]map[string]string `json:"names"` // chart id -> a label it shows -> the cell key
}

// drillCell is what one clickable item selects in the last month.
type drillCell struct {
	Title   string  `json:"t"`
	Total   int64   `json:"n"`
	Command string  `json:"c"`
	By      string  `json:"by"` // the breakdown's dimension name
	Break   [][]any `json:"b"`  // [label, count], largest first
	Rows    []int   `json:"r"`  // indexes into drillDoc.Rows
	counts  map[string]int64
	byDim   string
}

func drillKey(dim, code string) string { return dim + ":" + code }

// loadDrill builds every cell of the dimensions in drillDims from the complaints received in month m (readmodel's
// list of the figure "received"): the totals and breakdowns counted by the database, the rows read only for the
// first drillMaxRows complaints of each cell.
func loadDrill(ctx context.Context, db *sql.DB, lang string, m readmodel.Month, scope readmodel.Scope, names branchNames,
	branches []readmodel.DashBranchFigures, withSummaries bool) (*drillDoc, error) {
	sums := map[string]int64{}
	for _, b := range branches {
		sums[b.Branch] = b.Received
	}
	drillable := map[string]bool{}
	for i, b := range rankBranches(sums) {
		drillable[b.code] = i < drillBranches
	}
	t := func(key string) string { return catalog.Text(key, lang) }
	doc := &drillDoc{Period: m.String(), Cells: map[string]*drillCell{}, Names: map[string]map[string]string{},
		Head: []string{t("list_source_id"), t("list_received"), t("list_replied"), t("list_category"), t("list_cause"),
			t("list_status"), t("list_days_overdue")},
		Text: map[string]string{"total": t("dash_drill_total"), "shown": t("dash_drill_shown"), "command": t("dash_drill_command"),
			"close": t("dash_drill_close"), "none": t("dash_drill_none"), "count": t("dash_axis_count"), "month": t("dash_drill_month"),
			"hint": t("dash_drill_hint"), "colon": "："},
	}
	if lang == "en" {
		doc.Text["colon"] = ": "
	}
	if withSummaries {
		doc.Head = append(doc.Head, t("list_summary"))
	}
	labelIdx := map[string]int{}
	label := func(s string) int {
		if i, ok := labelIdx[s]; ok {
			return i
		}
		labelIdx[s] = len(doc.Labels)
		doc.Labels = append(doc.Labels, s)
		return len(doc.Labels) - 1
	}
	cell := func(dim, code, by string) *drillCell {
		key := drillKey(dim, code)
		c := doc.Cells[key]
		if c == nil {
			c = &drillCell{counts: map[string]int64{}, byDim: by}
			doc.Cells[key] = c
		}
		return c
	}
	var dims []string
	var pairs [][2]string
	for _, dd := range drillDims {
		dims = append(dims, dd.dim)
		pairs = append(pairs, [2]string{dd.dim, dd.by})
	}
	opts := readmodel.ListOptions{Period: m.String(), Figure: "received"}
	counts, err := readmodel.ListBreakdown(ctx, db, opts, pairs)
	if err != nil {
		return nil, err
	}
	for _, n := range counts {
		if n.Dim == "branch" && !drillable[n.Code] {
			continue
		}
		c := cell(n.Dim, n.Code, n.By)
		c.Total += n.N
		c.counts[n.ByCode] += n.N
	}
	// the first drillMaxRows complaints of each cell, in order of receipt
	opts.First = readmodel.ListFirst{Dims: dims, N: drillMaxRows}
	err = readmodel.EachListRow(ctx, db, opts, func(r readmodel.ListRow) error {
		codes := map[string]string{"business_category": r.Category, "cause": r.Cause, "intake_channel": r.IntakeChannel,
			"branch": r.Branch, "province": r.Province}
		row := -1
		for _, dd := range drillDims {
			c := doc.Cells[drillKey(dd.dim, codes[dd.dim])]
			if c == nil || len(c.Rows) >= drillMaxRows { // a branch not drilled, or a cell full
				continue
			}
			if row < 0 {
				row = len(doc.Rows)
				doc.Rows = append(doc.Rows, drillRow(r, lang, label, withSummaries))
			}
			c.Rows = append(c.Rows, row)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, dd := range drillDims {
		for key, c := range doc.Cells {
			code, ok := strings.CutPrefix(key, dd.dim+":")
			if !ok {
				continue
			}
			shown := dimLabel(dd.dim, code, lang, names)
			c.Title = dimName(dd.dim, lang) + doc.Text["colon"] + shown
			c.By = dimName(dd.by, lang)
			if code != "" {
				c.Command = listCommand(m, scope, dd.dim, dd.flag, code)
			}
			for _, r := range rank(dd.by, c.counts, "") {
				c.Break = append(c.Break, []any{dimLabel(dd.by, r.code, lang, names), r.n})
			}
		}
	}
	return doc, nil
}

func drillRow(r readmodel.ListRow, lang string, label func(string) int, withSummaries bool) []any {
	replied := ""
	if r.Replied.Valid {
		replied = r.Replied.Time.Format("2006-01-02")
	}
	status := catalog.Label("status", r.Status, lang)
	if r.ReplyDateInvalid {
		status = catalog.Text("list_reply_date_invalid", lang)
	}
	var days any
	if r.DaysOverdue.Valid && r.DaysOverdue.Int64 > 0 {
		days = r.DaysOverdue.Int64
	}
	row := []any{r.SourceID, r.Received.Format("2006-01-02"), replied, label(catalog.Label("business_category", r.Category, lang)),
		label(catalog.Label("cause", r.Cause, lang)), label(status), days}
	if withSummaries {
		s := r.Summary
		if utf8.RuneCountInString(s) > summaryRunes {
			s = string([]rune(s)[:summaryRunes]) + "…"
		}
		row = append(row, s)
	}
	return row
}

// dimName is a drill dimension's name.
func dimName(dim, lang string) string {
	switch dim {
	case "branch":
		return catalog.Text("dash_branch", lang)
	case "province":
		return catalog.Text("dash_province", lang)
	}
	return catalog.Text(dim, lang)
}

// dimLabel is how the page shows a code of a drill dimension.
func dimLabel(dim, code, lang string, names branchNames) string {
	switch dim {
	case "branch":
		return names.label(code, lang)
	case "province":
		return provinceLabel(code, lang)
	}
	return catalog.Label(dim, code, lang)
}

// listCommand is the `complaints list` command that returns every complaint of a cell (of a branch page's
// branch, as the data stood at its as-of; a branch's command includes its sub-branches, as --branch does). An
// empty code (no branch, no province recorded) has no filter that selects it, and no command.
func listCommand(m readmodel.Month, scope readmodel.Scope, dim, flag, code string) string {
	args := []string{"complaints", "list", "--period", m.String(), "--figure", "received"}
	branch := scope.Branch
	if dim == "branch" && code != "" {
		branch = code
	} else {
		args = append(args, flag, shellQuote(code))
	}
	if branch != "" {
		args = append(args, "--branch", shellQuote(branch))
	}
	if scope.AsOf != "" {
		args = append(args, "--as-of", scope.AsOf)
	}
	return strings.Join(args, " ")
}

var shellSafe = regexp.MustCompile(`^[A-Za-z0-9_./:=@%+-]+$`)

// shellQuote quotes a value for a POSIX shell unless it is plainly safe.
func shellQuote(s string) string {
	if shellSafe.MatchString(s) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// nameChart lets a chart's items open cells: each label the chart shows of dim (in lang) names the cell of its code.
func (doc *drillDoc) nameChart(chart, dim, lang string, names branchNames) {
	if doc == nil {
		return
	}
	m := doc.Names[chart]
	if m == nil {
		m = map[string]string{}
		doc.Names[chart] = m
	}
	var keys []string
	for key := range doc.Cells {
		if strings.HasPrefix(key, dim+":") {
			keys = append(keys, key)
		}
	}
	sort.Strings(keys)
	for _, key := range keys {
		m[dimLabel(dim, strings.TrimPrefix(key, dim+":"), lang, names)] = key
	}
}
