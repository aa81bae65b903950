package pipeline

import (
	"context"
	"time"

	"complaints/scope"
	"complaints/warehouse"
)

// ScopeOptions say what a scoped copy of the warehouse holds (--as-of, --branch).
type ScopeOptions = scope.Options

// Scoped is a temporary scoped copy of the warehouse (package scope); Close removes it.
type Scoped = scope.Scoped

// BranchError is a --branch that names no unit, or more than one.
type BranchError = scope.BranchError

// ParseAsOf reads an --as-of date (YYYY-MM-DD, a Beijing calendar date).
func ParseAsOf(s string) (time.Time, error) { return scope.ParseAsOf(s) }

// tempBase is the folder scoped copies are made in: the config's temp directory, else "<warehouse>.tmp".
func (e *Env) tempBase() string {
	if d := e.Config.Resolve(e.Config.Warehouse.TempDirectory); d != "" {
		return d
	}
	return e.WarehouseFile() + ".tmp"
}

// OpenScope builds the scoped copy of the warehouse o asks for (scope.Open), with the config's settings: an
// --as-of copy is normalised with the config's branch master and calendar, the corrections in effect at the
// as-of and the as-of instant as its clock. The warehouse must not be open in this process.
func (e *Env) OpenScope(ctx context.Context, o ScopeOptions) (*Scoped, error) {
	c := e.Config.Warehouse
	return scope.Open(ctx, scope.Source{
		Warehouse: e.WarehouseFile(), TempBase: e.tempBase(), Threads: c.Threads, MemoryLimit: c.MemoryLimit,
		Corrections: e.Config.Resolve(e.Config.Corrections), Logger: e.logger(),
		Normalize: func(ctx context.Context, w *warehouse.Warehouse, corrections string, at time.Time) error {
			cfg := *e.Config
			cfg.Corrections = corrections
			env := *e
			env.Config = &cfg
			env.FullNormalize = true
			env.Now = func() time.Time { return at }
			_, err := env.Normalize(ctx, w)
			return err
		},
	}, o)
}
