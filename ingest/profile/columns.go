package profile

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"complaints/catalog"
	"complaints/internal/editdist"
)

// ColumnMap maps a landing field to the header text it is read from. A field given alternative names (a YAML
// list) holds them joined by AltSep; Names splits them. A map[string]string literal is a ColumnMap.
type ColumnMap map[string]string

// AltSep joins a field's alternative header names in a ColumnMap value (a character no header holds).
const AltSep = "\x1f"

// Names are the header names a field may be read from, first choice first (nil when the field is not mapped).
func (c ColumnMap) Names(field string) []string {
	v, ok := c[field]
	if !ok {
		return nil
	}
	return strings.Split(v, AltSep)
}

// Fields are the mapped fields, sorted.
func (c ColumnMap) Fields() []string {
	out := make([]string, 0, len(c))
	for f := range c {
		out = append(out, f)
	}
	sort.Strings(out)
	return out
}

// UnmarshalYAML reads `field: header` and `field: [header, alternative, ...]`.
func (c *ColumnMap) UnmarshalYAML(unmarshal func(any) error) error {
	var plain map[string]string
	if err := unmarshal(&plain); err == nil {
		*c = plain
		return nil
	}
	var raw map[string]any
	if err := unmarshal(&raw); err != nil {
		return err
	}
	out := ColumnMap{}
	for f, v := range raw {
		switch v := v.(type) {
		case []any:
			var names []string
			for _, n := range v {
				switch n.(type) {
				case string, int, int64, uint64, float64:
					names = append(names, fmt.Sprint(n))
				default:
					return catalog.Errorf("msg_profiles_columns_shape", f)
				}
			}
			if len(names) == 0 {
				return catalog.Errorf("msg_profiles_columns_shape", f)
			}
			out[f] = strings.Join(names, AltSep)
		case nil:
			out[f] = ""
		case string, int, int64, uint64, float64, bool:
			out[f] = fmt.Sprint(v)
		default:
			return catalog.Errorf("msg_profiles_columns_shape", f)
		}
	}
	*c = out
	return nil
}

// MarshalYAML writes a field with one name as `field: header`, one with alternatives as a list.
func (c ColumnMap) MarshalYAML() (any, error) {
	out := make(map[string]any, len(c))
	for f := range c {
		if names := c.Names(f); len(names) > 1 {
			out[f] = names
		} else {
			out[f] = c[f]
		}
	}
	return out, nil
}

// Fields are the landing fields a profile's columns, optional and values may name (ingest's inputFields, in
// its order; a test there keeps the two lists equal).
var Fields = []string{"source_id", "record_type", "received_at", "updated_at", "intake_channel", "business_channel",
	"business_category", "cause", "sub_category", "sub_cause", "complaint_type", "demand", "branch", "province", "customer_name", "customer_phone",
	"customer_id_number", "customer_card", "status", "replied_at", "paused_days", "extension_tier", "extension_approved",
	"timely_response", "outcome", "satisfaction", "compensation", "reply_facts", "reply_accountability", "reply_remediation",
	"reply_satisfaction", "reply_time", "reply_handler_contact", "handler", "major", "referral_ref", "summary", "narrative"}

// Check says what in the profile names no field: a columns or values key that is no landing field (naming the
// closest field), an optional entry that columns does not map, an empty header name. where says which profile
// ("sources[2]", "profile \"cfpb\"").
func (p *Profile) Check(where string) error {
	for _, f := range p.Columns.Fields() {
		if !slices.Contains(Fields, f) {
			return catalog.Errorf("msg_profiles_unknown_field", where+".columns", f, ClosestField(f))
		}
		for _, n := range p.Columns.Names(f) {
			if strings.TrimSpace(n) == "" {
				return catalog.Errorf("msg_profiles_empty_header", where+".columns", f)
			}
		}
	}
	for _, f := range p.Optional {
		if !slices.Contains(Fields, f) {
			return catalog.Errorf("msg_profiles_unknown_field", where+".optional", f, ClosestField(f))
		}
		if _, ok := p.Columns[f]; !ok {
			return catalog.Errorf("msg_profiles_optional_unmapped", where+".optional", f)
		}
	}
	fields := make([]string, 0, len(p.Values))
	for f := range p.Values {
		fields = append(fields, f)
	}
	sort.Strings(fields)
	for _, f := range fields {
		if !slices.Contains(Fields, f) {
			return catalog.Errorf("msg_profiles_unknown_field", where+".values", f, ClosestField(f))
		}
	}
	return p.checkReceivedDate(where)
}

// ReceivedDateAsOf is the received_date that dates every record by its export's as-of date.
const ReceivedDateAsOf = "as_of"

// checkReceivedDate: received_date is as_of or a date YYYY-MM-DD, only for an analytics-only source, and
// excludes a received_at column (the records would have two receipt dates).
func (p *Profile) checkReceivedDate(where string) error {
	if p.ReceivedDate == "" {
		return nil
	}
	if !p.AnalyticsOnly {
		return catalog.Errorf("msg_analytics_received_date_not_analytics", where+".received_date")
	}
	if p.ReceivedDate != ReceivedDateAsOf {
		if _, err := time.Parse("2006-01-02", p.ReceivedDate); err != nil {
			return catalog.Errorf("msg_analytics_received_date_invalid", where+".received_date", p.ReceivedDate)
		}
	}
	if _, ok := p.Columns["received_at"]; ok {
		return catalog.Errorf("msg_analytics_received_date_and_column", where+".received_date")
	}
	return nil
}

// ClosestField is the landing field nearest to name by edit distance (ties: the first in Fields).
func ClosestField(name string) string {
	best, bestD := "", -1
	for _, f := range Fields {
		d := editdist.Runes([]rune(strings.ToLower(name)), []rune(f))
		if bestD < 0 || d < bestD {
			best, bestD = f, d
		}
	}
	return best
}
