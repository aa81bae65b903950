-- 022_repeats_backward: repeat complaints look back only (domain.md section 5). complaints.repeats_since is the
-- first day a repeat complaint looks back to (its receipt minus the repeat window; NULL: not a repeat): the
-- earlier complaints it repeats are its customer's primaries received from that day up to it
-- (transform/models/35_repeats.sql). complaint_figures.repeated_in lists the months of receipt of the repeat
-- complaints that repeat a complaint (NULL: none), so that a period's "their complaints" includes the earlier
-- complaints its repeats repeat (40_figures.sql). The next normalise fills them (its models changed, so it is a
-- full one).
ALTER TABLE complaints ADD COLUMN IF NOT EXISTS repeats_since DATE;
ALTER TABLE complaint_figures ADD COLUMN IF NOT EXISTS repeated_in DATE[];
