package reports

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"

	"complaints/readmodel"
	"complaints/reports/list"
)

// Report kinds (Options.Kind): the monthly and quarterly kinds share their sheets; the annual kind adds the public
// disclosure sheet (年度消费投诉情况) after the cover.
const (
	KindMonthly   = "monthly"
	KindQuarterly = "quarterly"
	KindAnnual    = "annual"
)

// Output formats (Options.Format).
const (
	FormatXLSX = "xlsx"
	FormatCSV  = "csv"
)

// DefaultKind is the kind a period's form implies: a month is monthly, a quarter or half-year quarterly, a year
// annual.
func DefaultKind(period string) string {
	p, err := readmodel.ParsePeriod(period)
	if err != nil {
		return KindMonthly
	}
	switch p.Kind {
	case readmodel.Yearly:
		return KindAnnual
	case readmodel.Quarterly, readmodel.HalfYearly:
		return KindQuarterly
	}
	return KindMonthly
}

// CheckKind checks a kind and a format ("" = the default) against a period: the annual kind needs a year.
func CheckKind(period, kind, format string) error {
	p, err := readmodel.ParsePeriod(period)
	if err != nil {
		return err
	}
	switch kind {
	case "", KindMonthly, KindQuarterly:
	case KindAnnual:
		if p.Kind != readmodel.Yearly {
			return fmt.Errorf("kind annual: period %s is not a year (use YYYY, e.g. %d)", p, p.Start.Year())
		}
	default:
		return fmt.Errorf("kind %q: use monthly, quarterly or annual", kind)
	}
	switch format {
	case "", FormatXLSX, FormatCSV:
	default:
		return fmt.Errorf("format %q: use xlsx or csv", format)
	}
	return nil
}

// checkKind checks the options' kind and format and fills their defaults.
func checkKind(opts *Options) error {
	if err := CheckKind(opts.Period, opts.Kind, opts.Format); err != nil {
		return err
	}
	if opts.Kind == "" {
		opts.Kind = DefaultKind(opts.Period)
	}
	if opts.Format == "" {
		opts.Format = FormatXLSX
	}
	return nil
}

// kindData is what the sheets of this file read besides the marts the other sheets read.
type kindData struct {
	ctx          context.Context
	db           *sql.DB
	timeliness   []readmodel.TimelinessRow
	branchLabels map[string]string
}

func loadKindData(ctx context.Context, db *sql.DB, p readmodel.Period) (kindData, error) {
	t, err := readmodel.LoadTimeliness(ctx, db, p)
	if err != nil {
		return kindData{}, err
	}
	labels, err := readmodel.LoadBranchLabels(ctx, db)
	if err != nil {
		return kindData{}, err
	}
	return kindData{ctx: ctx, db: db, timeliness: t, branchLabels: labels}, nil
}

// branchLabel is how a user sees a branch: the branch master's name, else the code or exported text, "not
// recorded" for none.
func (w *workbook) branchLabel(branch string) string {
	if branch == "" {
		return w.t("rpt_not_recorded")
	}
	if name, ok := w.kd.branchLabels[branch]; ok {
		return name
	}
	return branch
}

// sheetSpec is one sheet of build's list.
type sheetSpec = struct {
	g           *grid
	printTitles string
}

// withDisclosure puts the annual disclosure right after the cover for the annual kind.
func (w *workbook) withDisclosure(grids []sheetSpec) []sheetSpec {
	if w.opts.Kind != KindAnnual {
		return grids
	}
	out := append([]sheetSpec{grids[0], {w.disclosure(), ""}}, grids[1:]...)
	return out
}

func findGrid(grids []sheetSpec, name string) *grid {
	for _, x := range grids {
		if x.g.name == name {
			return x.g
		}
	}
	return grids[0].g
}

// finishKinds completes the reopened workbook: the disclosure printed portrait, then the overdue and open list
// streamed onto its own sheets (after every other sheet, so that it may run over several).
func (w *workbook) finishKinds(f *excelize.File) error {
	if w.opts.Kind == KindAnnual {
		portrait, size, wide, tall := "portrait", 9, 1, 0
		if err := f.SetPageLayout(w.t("rk_sheet_disclosure"), &excelize.PageLayoutOptions{Size: &size, Orientation: &portrait, FitToWidth: &wide, FitToHeight: &tall}); err != nil {
			return fmt.Errorf("disclosure page layout: %w", err)
		}
		if err := w.disclosureChart(f); err != nil {
			return err
		}
	}
	return w.openList(f)
}

// openListOptions select the complaints open at the period's last day, the overdue ones first.
func (w *workbook) openListOptions() list.Options {
	return list.Options{ListOptions: readmodel.ListOptions{Period: w.period.String(), Figure: "open_at_end", OverdueFirst: true},
		Lang: w.lang, Institution: w.opts.Institution, SourceLabels: w.opts.SourceLabels}
}

// openList writes 未办结清单: every complaint open at the period's end, the overdue ones first and marked, with
// both deadlines and the days past the regulatory one, under the sheet's title block.
func (w *workbook) openList(f *excelize.File) error {
	var sw *list.SheetWriter
	sw, err := list.NewSheetWriter(f, w.t("rk_sheet_open"), list.FitSources(list.OpenColumns, w.opts.SourceLabels), w.lang,
		list.SheetStyles{Header: w.st.header, Wrap: w.st.wrap},
		func(sheet string) error { return w.pageSetup(f, sheet, fmt.Sprintf("$%[1]d:$%[1]d", sw.HeaderRow())) })
	if err != nil {
		return fmt.Errorf("open list: %w", err)
	}
	sw.SetHead(w.t("rk_open_title"), w.st.title, []string{w.kv("institution", w.opts.Institution) + "    " +
		w.kv("period", w.period.String()) + "    " + w.t("rk_open_as_at") + w.period.End().LastDay()}, w.st.subtitle)
	if err := list.Each(w.kd.ctx, w.kd.db, w.openListOptions(), sw.Add); err != nil {
		return fmt.Errorf("open list: %w", err)
	}
	if err := sw.Close(); err != nil {
		return fmt.Errorf("open list: %w", err)
	}
	return nil
}

// csvName makes a sheet name usable in a file name.
func csvName(s string) string {
	return strings.Map(func(r rune) rune {
		if strings.ContainsRune(`/\:*?"<>| `, r) {
			return '_'
		}
		return r
	}, s)
}
