package main

import (
	"complaints/internal/atomicfile"
	"errors"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"complaints/pipeline"
	"complaints/warehouse"
)

// scopeFlags are --as-of and --branch: what a command reads is then a scoped copy of the warehouse
// (pipeline.OpenScope), never the warehouse's latest bank-wide data.
type scopeFlags struct{ asOf, branch string }

const asOfUsage = "use only the versions ingested by the end of this day, Beijing time (YYYY-MM-DD; default: the latest data)"

func (f *scopeFlags) add(fl *pflag.FlagSet, branchUsage string) {
	fl.StringVar(&f.asOf, "as-of", "", asOfUsage)
	fl.StringVar(&f.branch, "branch", "", branchUsage)
}

func (f *scopeFlags) options() (pipeline.ScopeOptions, error) {
	var o pipeline.ScopeOptions
	if f.asOf != "" {
		t, err := pipeline.ParseAsOf(f.asOf)
		if err != nil {
			return o, usageError{err}
		}
		o.AsOf = t
	}
	o.Branch = strings.TrimSpace(f.branch)
	return o, nil
}

// openFor opens what a command reads: the warehouse itself (readOnly as asked), or the scoped copy --as-of or
// --branch ask for (s not nil). done closes whichever it is. It refuses when the warehouse's derived tables do
// not reflect its landed data (pipeline.RequireNormalised), scoped or not.
func (g *globals) openFor(cmd *cobra.Command, f scopeFlags, readOnly bool) (env *pipeline.Env, w *warehouse.Warehouse, s *pipeline.Scoped, done func(), err error) {
	o, err := f.options()
	if err != nil {
		return nil, nil, nil, nil, err
	}
	if env, err = g.env(); err != nil {
		return nil, nil, nil, nil, err
	}
	if o.Empty() {
		if w, err = env.OpenWarehouse(cmd.Context(), readOnly); err != nil {
			return nil, nil, nil, nil, err
		}
		if err := env.RequireNormalised(cmd.Context(), w); err != nil {
			w.Close()
			return nil, nil, nil, nil, err
		}
		return env, w, nil, func() { w.Close() }, nil
	}
	if w, err = env.OpenWarehouse(cmd.Context(), true); err != nil {
		return nil, nil, nil, nil, err
	}
	err = env.RequireNormalised(cmd.Context(), w)
	w.Close()
	if err != nil {
		return nil, nil, nil, nil, err
	}
	s, err = env.OpenScope(cmd.Context(), o)
	if err != nil {
		var be *pipeline.BranchError
		if errors.As(err, &be) {
			err = usageError{err}
		}
		return nil, nil, nil, nil, err
	}
	return env, s.Warehouse, s, func() { s.Close() }, nil
}

// scopedName is an output file's default name for a scoped copy: base-<branch code>-asof-<date>.
func scopedName(base string, s *pipeline.Scoped) string {
	if s == nil {
		return base
	}
	if s.Branch != "" {
		base += "-" + atomicfile.SafeName(s.Branch)
	}
	if !s.AsOf.IsZero() {
		base += "-asof-" + s.AsOf.Format("2006-01-02")
	}
	return base
}
