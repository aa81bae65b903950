package dashboards

import (
	"sort"

	"complaints/catalog"
	"complaints/readmodel"
)

// palette gives each business category a fixed colour by its position in the catalogue, so a category has the
// same colour in every chart and every dashboard; codes the catalogue does not know continue after it.
var palette = []string{
	"#5470c6", "#91cc75", "#fac858", "#ee6666", "#73c0de", "#3ba272", "#fc8452", "#9a60b4", "#ea7ccc", "#4e79a7",
	"#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac", "#1f77b4",
}

// causePalette colours causes (treemap leaves, Sankey nodes) by catalogue position; it shares no colour with the
// business-category palette so the two are never confused in one chart.
var causePalette = []string{
	"#8c564b", "#17becf", "#bcbd22", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#7f7f7f", "#e377c2", "#393b79",
	"#637939", "#8c6d31", "#843c39", "#7b4173", "#3182bd", "#e6550d", "#31a354", "#756bb1",
}

// viewPalette colours the lines of a descriptive view (causes or channels over time): no red or orange, which
// the page keeps for findings and overdue counts.
var viewPalette = []string{
	"#2f5597", "#3ba272", "#73c0de", "#9a60b4", "#1b4f72", "#59a14f", "#4e79a7", "#76b7b2", "#7b4173", "#637939",
}

// channelPalette colours intake channels (Sankey's first column).
var channelPalette = []string{
	"#1b4f72", "#2874a6", "#3498db", "#85c1e9", "#0e6655", "#16a085", "#48c9b0", "#a3e4d7", "#6c3483", "#a569bd",
	"#d2b4de", "#566573",
}

const (
	colourTotal    = "#333333"
	colourClosed   = "#7f7f7f"
	colourVitalFew = "#2f5597" // descriptive (a Pareto), so never the alarm red of a finding
	colourOthers   = "#b0b0b0"
	colourCumShare = "#2f4554"
	colourBars     = "#4e79a7"
	colourOverdue  = "#c23531"
	colourOpen     = "#7f7f7f"
	colourTarget   = "#c23531"
	colourRegClock = "#2f4554"
	colourIntClock = "#fc8452"
)

// bandColours run from quick (green) to slow (red): 0-15, 16-30, 31-60, over 60 days.
var bandColours = []string{"#3ba272", "#fac858", "#fc8452", "#c23531"}

// bandNotRecordedColour is the bar of closed complaints without handling days: grey, outside the scale.
const bandNotRecordedColour = "#a0a7b4"

// heatColours is the heatmap's sequential scale, light to dark.
var heatColours = []string{"#f7fbff", "#c6dbef", "#6baed6", "#2171b5", "#08306b"}

// colours fixes one colour per code of a dimension for the whole page: catalogue codes by catalogue position,
// unknown codes by their rank among every unknown code the page's data holds.
type colours struct {
	unknown map[string][]string
}

func newColours(d *data) colours {
	seen := map[string]map[string]bool{"business_category": {}, "cause": {}, "intake_channel": {}}
	for _, byCode := range d.cats {
		for code := range byCode {
			seen["business_category"][code] = true
		}
	}
	for code := range d.causes {
		seen["cause"][code] = true
	}
	for _, r := range d.flow {
		seen["intake_channel"][r.Keys[0]] = true
		seen["business_category"][r.Keys[1]] = true
		seen["cause"][r.Keys[2]] = true
	}
	for _, r := range d.catCause {
		seen["business_category"][r.Keys[0]] = true
		seen["cause"][r.Keys[1]] = true
	}
	c := colours{unknown: map[string][]string{}}
	for dim, codes := range seen {
		var unknown []string
		for code := range codes {
			if _, ok := catalog.Lookup(dim, code); !ok {
				unknown = append(unknown, code)
			}
		}
		sort.Strings(unknown)
		c.unknown[dim] = unknown
	}
	return c
}

func (c colours) of(dim, code string) string {
	pal := palette
	switch dim {
	case "cause":
		pal = causePalette
	case "intake_channel":
		pal = channelPalette
	}
	return pal[readmodel.CatalogueIndex(dim, code, c.unknown[dim])%len(pal)]
}

func (c colours) category(code string) string { return c.of("business_category", code) }
