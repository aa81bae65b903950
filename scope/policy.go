package scope

import (
	"fmt"
	"sort"
	"strings"

	"complaints/catalog"
)

// Action is what a scoped copy does with one warehouse table (or view).
type Action int

const (
	// Copy copies the table as it is.
	Copy Action = iota + 1
	// Filter copies the rows Where keeps (the scope's batches, filings, ...); with InPlace the rows are read in
	// place from the attached warehouse through a view instead.
	Filter
	// Prune keeps the rows of the branch subtree's complaints (Where, over the row's key): a --branch copy
	// filters the table when copying it (or, After, prunes it once the marts are rebuilt), and a --branch
	// --as-of copy deletes the other rows from what the as-of step left.
	Prune
	// Rebuild does not copy the table: the copy recomputes it (the as-of normalise; transform.RebuildMarts for a
	// branch; the copy's own migrations and scope rows; a view, which the copy's migrations define over its own
	// tables).
	Rebuild
	// Drop does not copy the table: it stays empty in the copy (emptied after the marts' rebuild, which may
	// fill it).
	Drop
)

func (a Action) String() string {
	switch a {
	case Copy:
		return "copy"
	case Filter:
		return "filter"
	case Prune:
		return "prune"
	case Rebuild:
		return "rebuild"
	case Drop:
		return "drop"
	}
	return fmt.Sprintf("action(%d)", int(a))
}

// Param is a value of the scope bound to a ? of a rule's SQL (never spliced into it).
type Param int

const (
	// End is the as-of instant, excluded: the day after the as-of date at 00:00, Beijing wall clock, as text
	// (compare it as CAST(? AS TIMESTAMP)).
	End Param = iota + 1
	// Branch is the resolved branch code ("" for a bank-wide copy).
	Branch
	// Subtree is the codes kept (the branch and every unit below it): its ? stands for one ? per code, so write
	// it inside IN (?).
	Subtree
)

// SQL is a statement or a condition with the scope values its ? placeholders take, in order.
type SQL struct {
	Text string
	Args []Param
}

func q(text string, args ...Param) SQL { return SQL{Text: text, Args: args} }

// Rule is what one kind of scope does with a table.
type Rule struct {
	Action Action
	// Where (Filter, Prune) is the condition of the rows kept, over the table's own columns; it may read the
	// copy's tables filled before it (main.<table>).
	Where SQL
	// InPlace (Filter): the copy's table becomes a view of the attached warehouse's rows Where keeps (Where then
	// takes no parameters: a view holds none).
	InPlace bool
	// After (Prune): a --branch copy copies the table whole and prunes it after the marts' rebuild (which reads
	// it whole).
	After bool
	// Then (Prune) runs after the prune (e.g. to clear references to units cut away).
	Then []SQL
}

// Policy is what the scoped copies do with one warehouse table or view. A --branch copy copies by the Branch
// rules. An --as-of copy copies by the AsOf rules and normalises; with --branch too, the Branch rules' prunes,
// rebuild and drops then apply to what the as-of step left (a Branch filter is not applied again: the AsOf
// filter of the table holds it too, as the filings' does).
type Policy struct {
	Table        string
	AsOf, Branch Rule
}

// Policies hold every table and view a fully migrated warehouse has after an ingest and a normalise. The order
// is the order of the copy: a filter or prune may read the copy's tables above it. A table the warehouse does
// not have (an older schema, a table still to come) is skipped; one the warehouse has and this list does not
// makes Open refuse (msg_scope_no_policy), so a new table cannot carry other branches' rows into a copy
// unnoticed.
var Policies = []Policy{
	{Table: "batches",
		AsOf: Rule{Action: Filter, Where: q("ingested_at < CAST(? AS TIMESTAMP)", End)},
		// the marts' months run to the newest export's as-of over every batch: cut after their rebuild, to the
		// files holding the subtree's rows, counting those rows only
		Branch: Rule{Action: Prune, After: true, Where: q(`batch_id IN (SELECT DISTINCT batch_id FROM main.landed_rows
			UNION SELECT DISTINCT batch_id FROM main.row_sightings)`),
			Then: []SQL{q(`UPDATE batches SET rows_accepted = n, rows_read = n, rows_rejected = 0, rows_unchanged = u
		 FROM (SELECT batch_id AS b, count(*) AS n, count(*) FILTER (WHERE unchanged) AS u FROM (
		     SELECT batch_id, false AS unchanged FROM landed_rows UNION ALL SELECT batch_id, true FROM row_sightings)
		     GROUP BY ALL) AS kept_rows WHERE batches.batch_id = kept_rows.b`)}}},
	{Table: "complaints",
		AsOf:   Rule{Action: Rebuild},
		Branch: Rule{Action: Prune, Where: q("coalesce(branch, '') IN (?)", Subtree)}},
	{Table: "landed_rows",
		// the bulk of the warehouse: read in place (the warehouse stays attached while the copy is open)
		AsOf:   Rule{Action: Filter, InPlace: true, Where: q("batch_id IN (SELECT batch_id FROM main.batches)")},
		Branch: Rule{Action: Prune, Where: q("source_system || ':' || source_id IN (SELECT complaint_key FROM main.complaints)")}},
	// the unchanged rows of the scope's batches (their versions are in earlier batches, so in the copy too); a
	// branch's, those whose version the copy kept (a sighting's id is its version's)
	{Table: "row_sightings",
		AsOf: Rule{Action: Filter, Where: q("batch_id IN (SELECT batch_id FROM main.batches)")},
		Branch: Rule{Action: Prune, Where: q(`EXISTS (SELECT 1 FROM main.landed_rows v
			WHERE v.batch_id = version_batch_id AND v.row_number = version_row_number)`)}},
	// ingest's cache of each id's newest version (ingest/newest.go): a copy recomputes it if it ever lands a batch
	{Table: "row_newest", AsOf: Rule{Action: Drop}, Branch: Rule{Action: Drop}},
	{Table: "row_newest_state", AsOf: Rule{Action: Drop}, Branch: Rule{Action: Drop}},
	{Table: "rejects",
		AsOf: Rule{Action: Filter, Where: q("batch_id IN (SELECT batch_id FROM main.batches)")},
		// a reject cannot be attributed to a branch
		Branch: Rule{Action: Drop}},
	{Table: "missing_from_snapshot",
		AsOf:   Rule{Action: Filter, Where: q("batch_id IN (SELECT batch_id FROM main.batches)")},
		Branch: Rule{Action: Prune, Where: q("source_system || ':' || source_id IN (SELECT complaint_key FROM main.complaints)")}},
	{Table: "corrections",
		AsOf:   Rule{Action: Rebuild}, // loaded by the normalise from the corrections in effect at the as-of
		Branch: Rule{Action: Prune, Where: q("complaint_key IN (SELECT complaint_key FROM main.complaints)")}},
	{Table: "corrections_applied",
		AsOf:   Rule{Action: Filter, Where: q("applied_at < CAST(? AS TIMESTAMP)", End)},
		Branch: Rule{Action: Prune, Where: q("complaint_key IN (SELECT complaint_key FROM main.complaints)")}},
	{Table: "corrections_unmatched",
		AsOf:   Rule{Action: Rebuild},
		Branch: Rule{Action: Prune, After: true, Where: q("complaint_key IN (SELECT complaint_key FROM main.complaints)")}},
	{Table: "branch_master",
		AsOf: Rule{Action: Rebuild}, // loaded by the normalise from the config's branches file
		Branch: Rule{Action: Prune, Where: q("code IN (?)", Subtree), Then: []SQL{
			q("UPDATE branch_master SET parent = NULL WHERE parent NOT IN (?)", Subtree),
			q("UPDATE branch_master SET successor = NULL WHERE successor NOT IN (?)", Subtree)}}},
	// the filings of the copy's own branch scope ("" is bank-wide) and, with an as-of, those whose figures stand
	// before its end (their as-of, else their filing time)
	{Table: "filings",
		AsOf:   Rule{Action: Filter, Where: q("branch_scope = ? AND coalesce(as_of, filed_at) < CAST(? AS TIMESTAMP)", Branch, End)},
		Branch: Rule{Action: Filter, Where: q("branch_scope = ?", Branch)}},
	{Table: "filing_figures",
		AsOf:   Rule{Action: Filter, Where: q("filing_id IN (SELECT filing_id FROM main.filings)")},
		Branch: Rule{Action: Filter, Where: q("filing_id IN (SELECT filing_id FROM main.filings)")}},
	{Table: "filing_complaints",
		AsOf:   Rule{Action: Filter, Where: q("filing_id IN (SELECT filing_id FROM main.filings)")},
		Branch: Rule{Action: Filter, Where: q("filing_id IN (SELECT filing_id FROM main.filings)")}},

	// the marts and the per-complaint figures: recomputed from the copy's complaints
	{Table: "complaint_figures", AsOf: Rule{Action: Rebuild}, Branch: Rule{Action: Rebuild}},
	{Table: "mart_category_month", AsOf: Rule{Action: Rebuild}, Branch: Rule{Action: Rebuild}},
	{Table: "mart_cause_month", AsOf: Rule{Action: Rebuild}, Branch: Rule{Action: Rebuild}},
	{Table: "mart_dimension_month", AsOf: Rule{Action: Rebuild}, Branch: Rule{Action: Rebuild}},
	{Table: "mart_month", AsOf: Rule{Action: Rebuild}, Branch: Rule{Action: Rebuild}},
	{Table: "mart_reply_completeness", AsOf: Rule{Action: Rebuild}, Branch: Rule{Action: Rebuild}},
	// stored by `rootcause --store` from the whole warehouse; a scoped copy recomputes its charts when asked
	{Table: "mart_control_chart", AsOf: Rule{Action: Drop}, Branch: Rule{Action: Drop}},
	// data quality: recomputed with the marts
	{Table: "consistency_issues", AsOf: Rule{Action: Rebuild}, Branch: Rule{Action: Rebuild}},
	{Table: "unmapped_values", AsOf: Rule{Action: Rebuild}, Branch: Rule{Action: Rebuild}},
	// coverage is judged bank-wide (domain.md section 5): a branch copy keeps the warehouse's; an as-of copy's
	// normalise recomputes it from the batches of that date
	{Table: "source_coverage", AsOf: Rule{Action: Rebuild}, Branch: Rule{Action: Copy}},
	// other branches' raw spellings: left out of a branch copy
	{Table: "unknown_branches", AsOf: Rule{Action: Rebuild}, Branch: Rule{Action: Drop}},

	// reference data and bookkeeping the normalise loads or writes
	{Table: "calendar_days", AsOf: Rule{Action: Rebuild}, Branch: Rule{Action: Copy}},
	{Table: "taxonomy_map", AsOf: Rule{Action: Rebuild}, Branch: Rule{Action: Copy}},
	{Table: "keyword_rules", AsOf: Rule{Action: Rebuild}, Branch: Rule{Action: Copy}},
	{Table: "normalise_state", AsOf: Rule{Action: Rebuild}, Branch: Rule{Action: Copy}},
	{Table: "normalised_batches", AsOf: Rule{Action: Rebuild}, Branch: Rule{Action: Copy}},
	// the removal audit and the key's fingerprint: not part of an as-of's data
	{Table: "batch_removals", AsOf: Rule{Action: Drop}, Branch: Rule{Action: Copy}},
	{Table: "warehouse_meta", AsOf: Rule{Action: Drop}, Branch: Rule{Action: Copy}},
	// the copy's own: its migrations, and the scope it states
	{Table: "schema_migrations", AsOf: Rule{Action: Rebuild}, Branch: Rule{Action: Rebuild}},
	{Table: "warehouse_scope", AsOf: Rule{Action: Rebuild}, Branch: Rule{Action: Rebuild}},

	// views: never copied
	{Table: "branch_labels", AsOf: Rule{Action: Rebuild}, Branch: Rule{Action: Rebuild}}, // over the copy's branch_master
}

// policyOf finds a table's policy.
func policyOf(table string) (Policy, bool) {
	for _, p := range Policies {
		if p.Table == table {
			return p, true
		}
	}
	return Policy{}, false
}

// Check refuses (msg_scope_no_policy, naming them) the tables and views that have no policy.
func Check(names []string) error {
	var missing []string
	for _, n := range names {
		if _, ok := policyOf(n); !ok {
			missing = append(missing, n)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	sort.Strings(missing)
	return catalog.Errorf("msg_scope_no_policy", strings.Join(missing, ", "))
}

// validate checks the policy table itself: one entry a table, every rule a known action with what it needs.
func validate(ps []Policy) error {
	seen := map[string]bool{}
	for _, p := range ps {
		if p.Table == "" || seen[p.Table] {
			return fmt.Errorf("scope policies: table %q empty or listed twice", p.Table)
		}
		seen[p.Table] = true
		for _, r := range []Rule{p.AsOf, p.Branch} {
			if r.Action < Copy || r.Action > Drop {
				return fmt.Errorf("scope policies: %s: no action", p.Table)
			}
			hasWhere := r.Action == Filter || r.Action == Prune
			if hasWhere != (r.Where.Text != "") {
				return fmt.Errorf("scope policies: %s: a %s rule with Where %q", p.Table, r.Action, r.Where.Text)
			}
			if (r.InPlace && (r.Action != Filter || len(r.Where.Args) > 0)) || (r.After || len(r.Then) > 0) && r.Action != Prune {
				return fmt.Errorf("scope policies: %s: InPlace, After or Then on a %s rule", p.Table, r.Action)
			}
			for _, s := range append([]SQL{r.Where}, r.Then...) {
				if strings.Count(s.Text, "?") != len(s.Args) {
					return fmt.Errorf("scope policies: %s: %q has %d parameters for %d placeholders", p.Table, s.Text, len(s.Args), strings.Count(s.Text, "?"))
				}
			}
		}
		if p.AsOf.InPlace && p.Branch.Action == Prune && (len(p.Branch.Where.Args) > 0 || p.Branch.After) {
			return fmt.Errorf("scope policies: %s: a table read in place is pruned in its view (no parameters, not after)", p.Table)
		}
	}
	return nil
}
