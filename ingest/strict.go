package ingest

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"complaints/catalog"
	"complaints/internal/editdist"
)

// checkProfileColumns holds a file to its profile's columns: a field none of whose header names the file has
// refuses the file (naming the closest header), unless the profile lists it as optional; an optional field
// missing, and a field read from an alternative name, are notes for the summary.
func checkProfileColumns(file string, t *table, p *Profile, cm columnMap) ([]*catalog.Message, error) {
	if p == nil {
		return nil, nil
	}
	var notes []*catalog.Message
	for _, f := range cm.Missing {
		names := p.Columns.Names(f)
		quoted := make([]string, len(names))
		for i, n := range names {
			quoted[i] = quoteCell(n)
		}
		configured := strings.Join(quoted, " / ")
		if !looksLikeHeader(t.Header) {
			if slices.Contains(p.Optional, f) {
				notes = append(notes, catalog.Msg("msg_profiles_optional_missing", f, configured, catalog.Msg("msg_profiles_no_close_header")))
				continue
			}
			return nil, fmt.Errorf("%w: %w", catalog.Msg("msg_profiles_missing_header_unquoted", file, p.Name, f, configured, t.HeaderRow), ErrMissingColumns)
		}
		var closest any = catalog.Msg("msg_profiles_no_close_header")
		if h, ok := closestHeader(names, t.Header); ok {
			closest = quoteCell(h)
		}
		if slices.Contains(p.Optional, f) {
			notes = append(notes, catalog.Msg("msg_profiles_optional_missing", f, configured, closest))
			continue
		}
		return nil, fmt.Errorf("%w: %w", catalog.Msg("msg_profiles_missing_header", file, p.Name, f, configured, closest), ErrMissingColumns)
	}
	for _, f := range slices.Sorted(maps.Keys(cm.Alternative)) {
		notes = append(notes, catalog.Msg("msg_profiles_alternative_used", f, quoteCell(cm.Alternative[f]), quoteCell(cm.Header[cm.Index[f]])))
	}
	return notes, nil
}

// closestHeader is the file's header nearest to any of names: edit distance over runes between the folded texts
// (normHeader), relative to the longer one, with a header containing the name (or contained in it) counted as
// close. Ties go to the leftmost header; none when the header row is empty.
func closestHeader(names, header []string) (string, bool) {
	best, bestD := -1, 0.0
	for i, h := range header {
		nh := []rune(normHeader(h))
		if len(nh) == 0 {
			continue
		}
		for _, name := range names {
			nn := []rune(normHeader(name))
			d := float64(editdist.Runes(nh, nn)) / float64(max(len(nh), len(nn), 1))
			if len(nn) > 0 && (strings.Contains(string(nh), string(nn)) || strings.Contains(string(nn), string(nh))) {
				d /= 2
			}
			if best < 0 || d < bestD {
				best, bestD = i, d
			}
		}
	}
	if best < 0 {
		return "", false
	}
	return header[best], true
}

// checkValueTargets refuses a profile whose values map a field that is a catalogue dimension (status, cause,
// intake_channel ...) to a text that is no code or spelling of that dimension: normalise could not map it, so
// the mapping would only move a value from one unmapped spelling to another. The error names the closest code.
// The profile's intake_channel (the channel of every record) is held to the intake_channel codes the same way.
func checkValueTargets(p *Profile) error {
	if p == nil {
		return nil
	}
	if ch := p.IntakeChannel; strings.TrimSpace(ch) != "" && !catalog.Known("intake_channel", ch) {
		var closest any = catalog.Msg("msg_profiles_no_close_header")
		if m := catalog.Closest("intake_channel", ch, 1); len(m) > 0 {
			closest = m[0].Code
		}
		return catalog.Errorf("msg_profiles_unknown_intake_channel", p.Name, ch, closest)
	}
	fields := make([]string, 0, len(p.Values))
	for f := range p.Values {
		fields = append(fields, f)
	}
	sort.Strings(fields)
	for _, f := range fields {
		if catalog.Dimension(f) == nil {
			continue
		}
		targets := make([]string, 0, len(p.Values[f]))
		for _, to := range p.Values[f] {
			targets = append(targets, to)
		}
		sort.Strings(targets)
		for _, to := range targets {
			if strings.TrimSpace(to) == "" || catalog.Known(f, to) {
				continue
			}
			var closest any = catalog.Msg("msg_profiles_no_close_header")
			if m := catalog.Closest(f, to, 1); len(m) > 0 {
				closest = m[0].Code
			}
			return catalog.Errorf("msg_profiles_unknown_value_target", p.Name, f, to, closest)
		}
	}
	return nil
}
