package readmodel

import (
	"context"
	"database/sql"
	"fmt"

	"complaints/internal/sqlrows"
)

// RuleCount is the number of complaints that one keyword rule of the catalogue classified in one dimension
// (business_category or cause) because their export left it empty.
type RuleCount struct {
	Dimension string
	Rule      string
	Records   int64
}

// LoadRuleCounts counts the complaints classified by a keyword rule, by dimension and rule, most frequent first.
func LoadRuleCounts(ctx context.Context, db *sql.DB) ([]RuleCount, error) {
	out, err := sqlrows.Query(ctx, db, func(r *RuleCount) []any { return []any{&r.Dimension, &r.Rule, &r.Records} },
		`SELECT dimension, rule, count(*) FROM (
		SELECT 'business_category' AS dimension, category_rule AS rule FROM complaints WHERE category_rule IS NOT NULL
		UNION ALL SELECT 'cause', cause_rule FROM complaints WHERE cause_rule IS NOT NULL)
		GROUP BY ALL ORDER BY dimension, count(*) DESC, rule`)
	if err != nil {
		return nil, fmt.Errorf("read keyword-classified records: %w", err)
	}
	return out, nil
}
