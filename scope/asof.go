package scope

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/goccy/go-yaml"

	"complaints/internal/sqlrows"
	"complaints/transform"
	"complaints/warehouse"
)

// asOfCorrections writes the corrections in effect at the as-of to a file in the copy's folder and returns its
// path. A correction is in effect when its `when` starts with a date (YYYY-MM-DD) on or before the as-of date;
// without a readable `when`, when the warehouse's audit (corrections_applied) shows it first applied before the
// end of the as-of day. Others (recorded later, or never applied) are left out.
func asOfCorrections(ctx context.Context, conn *sql.Conn, src map[string]bool, path string, s *Scoped) (string, error) {
	cs, err := transform.ReadCorrections(path)
	if err != nil {
		return "", err
	}
	applied := map[string]time.Time{}
	if src["corrections_applied"] {
		type audit struct {
			k, a, f, who, when, why string
			at                      time.Time
		}
		err := sqlrows.Each(ctx, conn, func(r *audit) []any { return []any{&r.k, &r.a, &r.f, &r.who, &r.when, &r.why, &r.at} },
			func(r audit) error {
				applied[strings.Join([]string{r.k, r.a, r.f, r.who, r.when, r.why}, "\x00")] = warehouse.FromWallClock(r.at)
				return nil
			}, `SELECT complaint_key, action, coalesce(field, ''), coalesce(who, ''),
			coalesce("when", ''), coalesce(why, ''), min(applied_at) FROM src.corrections_applied GROUP BY ALL`)
		if err != nil {
			return "", fmt.Errorf("scope: corrections audit: %w", err)
		}
	}
	var keep []transform.Correction
	for _, c := range cs {
		when := strings.TrimSpace(c.When)
		if len(when) >= 10 {
			if d, err := time.ParseInLocation("2006-01-02", when[:10], warehouse.Beijing); err == nil {
				if d.Before(s.End) {
					keep = append(keep, c)
				}
				continue
			}
		}
		key := strings.Join([]string{strings.TrimSpace(c.Complaint), c.Action, strings.TrimSpace(c.Field),
			strings.TrimSpace(c.Who), when, strings.TrimSpace(c.Why)}, "\x00")
		if at, ok := applied[key]; ok && at.Before(s.End) {
			keep = append(keep, c)
		}
	}
	out := filepath.Join(s.Dir, "corrections-as-of.yaml")
	b := []byte("[]\n")
	if len(keep) > 0 {
		if b, err = yaml.Marshal(keep); err != nil {
			return "", fmt.Errorf("scope: corrections: %w", err)
		}
	}
	if err := os.WriteFile(out, b, 0o600); err != nil {
		return "", fmt.Errorf("scope: corrections: %w", err)
	}
	return out, nil
}
