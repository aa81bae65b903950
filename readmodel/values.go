package readmodel

import (
	"context"
	"database/sql"
	"fmt"

	"complaints/internal/sqlrows"
)

// ValueEvidence is how many records of other sources that share a complaint id or a narrative with records of an
// unmapped value carry a code of its dimension: evidence for a proposal, never applied.
type ValueEvidence struct {
	Dimension string
	RawValue  string
	Code      string
	Records   int
}

// LoadValueEvidence reads, for every unmapped value of the dimensions complaints keep raw (channels, category,
// cause, status, demand, satisfaction), the codes other sources' records of the same complaint id or the same
// narrative carry, most records first.
func LoadValueEvidence(ctx context.Context, db *sql.DB) ([]ValueEvidence, error) {
	out, err := sqlrows.Query(ctx, db, func(v *ValueEvidence) []any { return []any{&v.Dimension, &v.RawValue, &v.Code, &v.Records} },
		`WITH u AS (
			SELECT 'intake_channel' AS dimension, intake_channel_raw AS raw, complaint_key, source_system, source_id, narrative FROM complaints WHERE intake_channel = 'unmapped'
			UNION ALL SELECT 'business_channel', business_channel_raw, complaint_key, source_system, source_id, narrative FROM complaints WHERE business_channel = 'unmapped'
			UNION ALL SELECT 'business_category', business_category_raw, complaint_key, source_system, source_id, narrative FROM complaints WHERE business_category = 'unmapped'
			UNION ALL SELECT 'cause', cause_raw, complaint_key, source_system, source_id, narrative FROM complaints WHERE cause = 'unmapped'
			UNION ALL SELECT 'status', status_unmapped, complaint_key, source_system, source_id, narrative FROM complaints WHERE status_unmapped IS NOT NULL
			UNION ALL SELECT 'demand', demand_unmapped, complaint_key, source_system, source_id, narrative FROM complaints WHERE demand_unmapped IS NOT NULL
			UNION ALL SELECT 'satisfaction', satisfaction_unmapped, complaint_key, source_system, source_id, narrative FROM complaints WHERE satisfaction_unmapped IS NOT NULL
		), o AS (
			SELECT u.dimension, u.raw, CASE u.dimension WHEN 'intake_channel' THEN c.intake_channel
				WHEN 'business_channel' THEN c.business_channel WHEN 'business_category' THEN c.business_category
				WHEN 'status' THEN CASE WHEN c.status_unmapped IS NULL THEN c.status END
				WHEN 'demand' THEN c.demand WHEN 'satisfaction' THEN c.satisfaction
				ELSE c.cause END AS code, c.complaint_key
			FROM u JOIN complaints c ON c.source_system <> u.source_system
				AND (c.source_id = u.source_id OR (length(u.narrative) >= 10 AND c.narrative = u.narrative))
		)
		SELECT dimension, raw, code, count(DISTINCT complaint_key) FROM o
		WHERE code NOT IN ('unmapped', 'other') AND raw IS NOT NULL
		GROUP BY ALL ORDER BY dimension, raw, count(DISTINCT complaint_key) DESC, code`)
	if err != nil {
		return nil, fmt.Errorf("read value evidence: %w", err)
	}
	return out, nil
}
