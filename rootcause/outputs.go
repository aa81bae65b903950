package rootcause

import (
	"context"
	"database/sql"
	"fmt"

	"complaints/readmodel"
)

// ForMonth works out a month's findings as every output shows them (the report's 根因 sheet, the dashboard,
// `complaints rootcause`), so that they agree: opts (Period set, the rest as the caller tests) with the months
// coverage leaves out of the baselines and the period's coverage sentence in lang (readmodel.ForAnalysis); then
// the actions of remediationFile ("" for none), a branch named by the branch master's code, name or alias taken
// as its code (readmodel.ResolveBranch), attached by ApplyRemediation. `complaints run` works them out once for
// its report and dashboard.
func ForMonth(ctx context.Context, db *sql.DB, opts Options, lang, remediationFile string) (*Findings, error) {
	pm, err := readmodel.ParseMonth(opts.Period)
	if err != nil {
		return nil, err
	}
	if opts.IncompleteMonths, opts.Coverage, err = readmodel.ForAnalysis(ctx, db, pm, lang); err != nil {
		return nil, fmt.Errorf("root causes for %s: %w", opts.Period, err)
	}
	f, err := Analyze(ctx, db, opts)
	if err != nil {
		return nil, fmt.Errorf("root causes for %s: %w", opts.Period, err)
	}
	if remediationFile == "" {
		return f, nil
	}
	acts, err := LoadRemediation(remediationFile)
	if err != nil {
		return nil, fmt.Errorf("remediation: %w", err)
	}
	units, err := readmodel.DashBranchUnits(ctx, db)
	if err != nil {
		return nil, err
	}
	for i := range acts {
		if acts[i].Branch != "" {
			acts[i].Branch, _ = readmodel.ResolveBranch(units, acts[i].Branch)
		}
	}
	ApplyRemediation(f, acts)
	return f, nil
}
