-- 023_analytics_only: sources whose records feed narrative terms and text search only (profile analytics_only,
-- domain.md section 9): their batches and complaints carry the flag, and such a complaint is no complaint for any
-- figure, clock, list, duplicate, repeat, data-quality check or source coverage (is_complaint false; see
-- docs/decisions.md, "Analytics-only sources"). NULL (false) for the batches and complaints before it.
ALTER TABLE batches ADD COLUMN IF NOT EXISTS analytics_only BOOLEAN;
ALTER TABLE complaints ADD COLUMN IF NOT EXISTS analytics_only BOOLEAN;
