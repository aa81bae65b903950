package reports

import (
	"fmt"
	"math"
	"strconv"

	"github.com/xuri/excelize/v2"

	"complaints/internal/numfmt"
	"complaints/internal/textwidth"
	"complaints/readmodel"
)

// cellKind says how a cell is written. Text from data is always cellText: the stream writer stores it as an inline
// string, so a value such as "=HYPERLINK(...)" stays text and never becomes a formula. Only cellFormula cells,
// whose formula text this package builds from cell references, carry a formula.
type cellKind int

const (
	cellText cellKind = iota
	cellInt
	cellFloat
	cellFormula
)

type cell struct {
	kind    cellKind
	text    string
	num     float64
	formula string
	cached  any // the value a formula evaluates to, written beside it so the cell shows it before recalculation
	style   int
	shown   string // how the cell reads, for column widths
}

// grid is one worksheet laid out in memory, then written in row order by excelize's stream writer, which (unlike
// SetCellFormula) can store a formula together with its typed cached value.
type grid struct {
	name      string
	cells     map[[2]int]cell
	maxRow    int
	maxCol    int
	merges    [][2]string
	merged    map[[2]int]bool // cells inside a merge do not drive column widths
	widths    map[int]float64 // fixed widths
	heights   map[int]float64
	freezeRow int // rows above this one are frozen (0: none)
	freezeCol int // columns left of this one are frozen (0: none)
	titleRows [2]int
	hidden    map[int]bool // hidden columns (helpers that formulas read)
}

func newGrid(name string) *grid {
	return &grid{name: name, cells: map[[2]int]cell{}, merged: map[[2]int]bool{}, widths: map[int]float64{}, heights: map[int]float64{}, hidden: map[int]bool{}}
}

func (g *grid) put(r, c int, x cell) {
	g.cells[[2]int{r, c}] = x
	g.maxRow = max(g.maxRow, r)
	g.maxCol = max(g.maxCol, c)
}

// Text writes a string; whatever it starts with, it stays a string.
func (g *grid) Text(r, c int, s string, style int) {
	g.put(r, c, cell{kind: cellText, text: s, style: style, shown: s})
}

// Int writes a count.
func (g *grid) Int(r, c int, v int64, style int) {
	g.put(r, c, cell{kind: cellInt, num: float64(v), style: style, shown: groupThousands(v)})
}

// Ratio writes a ratio shown as a percentage, or the no-figure mark when ok is false.
func (g *grid) Ratio(r, c int, v float64, ok bool, style, noFigureStyle int, noFigure string) {
	if !ok || math.IsNaN(v) || math.IsInf(v, 0) {
		g.Text(r, c, noFigure, noFigureStyle)
		return
	}
	g.put(r, c, cell{kind: cellFloat, num: v, style: style, shown: strconv.FormatFloat(v*100, 'f', 1, 64) + "%"})
}

// Formula writes a formula with its cached value (int64 or float64).
func (g *grid) Formula(r, c int, formula string, cached any, style int) {
	shown := fmt.Sprint(cached)
	switch v := cached.(type) {
	case int64:
		shown = groupThousands(v)
	case float64:
		shown = strconv.FormatFloat(v*100, 'f', 1, 64) + "%"
	}
	g.put(r, c, cell{kind: cellFormula, formula: formula, cached: cached, style: style, shown: shown})
}

// Float writes a plain number (average days, percentage points) with the style's number format.
func (g *grid) Float(r, c int, v float64, style int, shown string) {
	g.put(r, c, cell{kind: cellFloat, num: v, style: style, shown: shown})
}

// Merge merges a range given by corners (1-based row, col).
func (g *grid) Merge(r1, c1, r2, c2 int) {
	a, _ := excelize.CoordinatesToCellName(c1, r1)
	b, _ := excelize.CoordinatesToCellName(c2, r2)
	g.merges = append(g.merges, [2]string{a, b})
	for r := r1; r <= r2; r++ {
		for c := c1; c <= c2; c++ {
			g.merged[[2]int{r, c}] = true
		}
	}
}

// displayWidth counts East Asian wide and full-width characters (and ambiguous ones, which CJK fonts draw wide)
// as two columns, the rest as one.
func displayWidth(s string) int { return textwidth.Of(s) }

func groupThousands(v int64) string { return numfmt.Grouped(v) }

const (
	minColWidth = 8
	maxColWidth = 60
)

// columnWidths fits each column to its widest cell (outside merges), with a little padding.
func (g *grid) columnWidths() map[int]float64 {
	w := map[int]float64{}
	for k, x := range g.cells {
		if g.merged[k] {
			continue
		}
		n := float64(displayWidth(x.shown)) + 2
		if n > w[k[1]] {
			w[k[1]] = n
		}
	}
	for c := 1; c <= g.maxCol; c++ {
		w[c] = math.Min(math.Max(w[c], minColWidth), maxColWidth)
		if fixed, ok := g.widths[c]; ok {
			w[c] = fixed
		}
	}
	return w
}

// write streams the grid into a new sheet of f.
func (g *grid) write(f *excelize.File) error {
	if _, err := f.NewSheet(g.name); err != nil {
		return fmt.Errorf("sheet %q: %w", g.name, err)
	}
	sw, err := f.NewStreamWriter(g.name)
	if err != nil {
		return fmt.Errorf("sheet %q: %w", g.name, err)
	}
	if g.freezeRow > 1 || g.freezeCol > 1 {
		panes := &excelize.Panes{Freeze: true, XSplit: max(g.freezeCol-1, 0), YSplit: max(g.freezeRow-1, 0)}
		panes.TopLeftCell, _ = excelize.CoordinatesToCellName(max(g.freezeCol, 1), max(g.freezeRow, 1))
		switch {
		case panes.XSplit > 0 && panes.YSplit > 0:
			panes.ActivePane = "bottomRight"
		case panes.YSplit > 0:
			panes.ActivePane = "bottomLeft"
		default:
			panes.ActivePane = "topRight"
		}
		if err := sw.SetPanes(panes); err != nil {
			return fmt.Errorf("sheet %q: freeze panes: %w", g.name, err)
		}
	}
	widths := g.columnWidths()
	for c := 1; c <= g.maxCol; c++ {
		if err := sw.SetColWidth(c, c, widths[c]); err != nil {
			return fmt.Errorf("sheet %q: column %d width: %w", g.name, c, err)
		}
		if g.hidden[c] {
			if err := sw.SetColVisible(c, c, false); err != nil {
				return fmt.Errorf("sheet %q: hide column %d: %w", g.name, c, err)
			}
		}
	}
	for r := 1; r <= g.maxRow; r++ {
		values := make([]any, g.maxCol)
		empty := true
		for c := 1; c <= g.maxCol; c++ {
			x, ok := g.cells[[2]int{r, c}]
			if !ok {
				values[c-1] = nil
				continue
			}
			empty = false
			switch x.kind {
			case cellText:
				values[c-1] = excelize.Cell{StyleID: x.style, Value: x.text}
			case cellInt:
				values[c-1] = excelize.Cell{StyleID: x.style, Value: int64(x.num)}
			case cellFloat:
				values[c-1] = excelize.Cell{StyleID: x.style, Value: x.num}
			case cellFormula:
				values[c-1] = excelize.Cell{StyleID: x.style, Formula: x.formula, Value: x.cached}
			}
		}
		h, hasHeight := g.heights[r]
		if empty && !hasHeight {
			continue
		}
		var opts []excelize.RowOpts
		if hasHeight {
			opts = append(opts, excelize.RowOpts{Height: h})
		}
		start, _ := excelize.CoordinatesToCellName(1, r)
		if err := sw.SetRow(start, values, opts...); err != nil {
			return fmt.Errorf("sheet %q row %d: %w", g.name, r, err)
		}
	}
	for _, m := range g.merges {
		if err := sw.MergeCell(m[0], m[1]); err != nil {
			return fmt.Errorf("sheet %q: merge %s:%s: %w", g.name, m[0], m[1], err)
		}
	}
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("sheet %q: %w", g.name, err)
	}
	return nil
}

// rateCell is one rate of a table row: the cell at col is the row's numCol over its denominator column.
type rateCell struct {
	col, numCol int
	num         int64
	style       int
}

// rates writes a row's rate cells as formulas over the row's own cells (num/den, with the value cached), or the
// text noFigure in style none when den is zero: a rate with no base is "—", never #DIV/0!.
func (g *grid) rates(r, denCol int, den int64, noFigure string, none int, cells []rateCell) {
	for _, c := range cells {
		if v, ok := readmodel.Rate(c.num, den); ok {
			g.Formula(r, c.col, fmt.Sprintf("%s%d/%s%d", colName(c.numCol), r, colName(denCol), r), v, c.style)
		} else {
			g.Text(r, c.col, noFigure, none)
		}
	}
}
