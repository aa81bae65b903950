package rootcause

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/goccy/go-yaml"

	"complaints/catalog"
)

// Action is one remediation action (整改措施, Art 26) from the quality team's tracking file. Cause, Category and
// Branch say which findings it answers (empty = any); at least one must be given.
type Action struct {
	Cause    string `json:"cause,omitempty" yaml:"cause"`
	Category string `json:"business_category,omitempty" yaml:"business_category"`
	Branch   string `json:"branch,omitempty" yaml:"branch"`
	Action   string `json:"action" yaml:"action"`
	Owner    string `json:"owner" yaml:"owner"`
	Status   string `json:"status" yaml:"status"`
	Due      string `json:"due,omitempty" yaml:"due"` // YYYY-MM-DD
	// Completed is the day the action was finished (YYYY-MM-DD); a finished action without it is dated by Due.
	Completed string `json:"completed,omitempty" yaml:"completed"`
}

// EffectiveDate is the day a finished action took effect: its completion day, else its due day.
func (a Action) EffectiveDate() string {
	if a.Completed != "" {
		return a.Completed
	}
	return a.Due
}

// Done reports whether the action's status means finished.
func (a Action) Done() bool {
	switch strings.ToLower(strings.TrimSpace(a.Status)) {
	case "done", "closed", "complete", "completed", "finished", "完成", "已完成", "已整改", "整改完成", "已办结", "关闭", "已关闭":
		return true
	}
	return false
}

// LoadRemediation reads a remediation file: CSV with a header (cause, business_category, branch, action, owner,
// status, due, completed; Chinese headers 投诉原因, 业务类别, 机构, 整改措施, 责任人, 状态, 完成期限, 完成日期 also
// work) or YAML (a
// list of actions, or a map with key actions). Cause and category may be codes or catalogue labels.
func LoadRemediation(path string) ([]Action, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	var acts []Action
	switch strings.ToLower(filepath.Ext(path)) {
	case ".yaml", ".yml":
		var wrapped struct {
			Actions []Action `yaml:"actions"`
		}
		if err := yaml.Unmarshal(b, &wrapped); err == nil && len(wrapped.Actions) > 0 {
			acts = wrapped.Actions
		} else if err := yaml.Unmarshal(b, &acts); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
	default:
		r := csv.NewReader(bytes.NewReader(b))
		r.FieldsPerRecord = -1
		recs, err := r.ReadAll()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		if len(recs) == 0 {
			return nil, nil
		}
		col := map[string]int{}
		for i, h := range recs[0] {
			col[headerName(h)] = i
		}
		get := func(rec []string, k string) string {
			if i, ok := col[k]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		for _, rec := range recs[1:] {
			acts = append(acts, Action{Cause: get(rec, "cause"), Category: get(rec, "business_category"), Branch: get(rec, "branch"),
				Action: get(rec, "action"), Owner: get(rec, "owner"), Status: get(rec, "status"), Due: get(rec, "due"),
				Completed: get(rec, "completed")})
		}
	}
	for i := range acts {
		a := &acts[i]
		if a.Cause == "" && a.Category == "" && a.Branch == "" {
			return nil, fmt.Errorf("%s: action %d (%q) names no cause, business category or branch", path, i+1, a.Action)
		}
		if a.Cause != "" {
			a.Cause = resolveCode("cause", a.Cause)
		}
		if a.Category != "" {
			a.Category = resolveCode("business_category", a.Category)
		}
		if a.Due != "" {
			d, err := parseDue(a.Due)
			if err != nil {
				return nil, fmt.Errorf("%s: action %d: due %q: use YYYY-MM-DD", path, i+1, a.Due)
			}
			a.Due = d
		}
		if a.Completed != "" {
			d, err := parseDue(a.Completed)
			if err != nil {
				return nil, fmt.Errorf("%s: action %d: completed %q: use YYYY-MM-DD", path, i+1, a.Completed)
			}
			a.Completed = d
		}
	}
	return acts, nil
}

func headerName(h string) string {
	h = strings.ToLower(strings.TrimSpace(h))
	switch h {
	case "投诉原因", "原因":
		return "cause"
	case "业务类别", "category":
		return "business_category"
	case "机构", "网点", "分支机构", "所属机构":
		return "branch"
	case "整改措施", "措施":
		return "action"
	case "责任人", "负责人", "责任部门":
		return "owner"
	case "状态", "进度":
		return "status"
	case "完成期限", "到期日", "截止日期", "due_date", "deadline":
		return "due"
	case "完成日期", "实际完成日期", "完成时间", "整改完成日期", "completed_on", "done", "done_on", "completion_date":
		return "completed"
	}
	return h
}

func parseDue(s string) (string, error) {
	for _, layout := range []string{"2006-01-02", "2006/01/02", "2006/1/2", "2006-1-2", "2006年1月2日"} {
		if t, err := time.Parse(layout, strings.TrimSpace(s)); err == nil {
			return t.Format("2006-01-02"), nil
		}
	}
	return "", fmt.Errorf("bad date")
}

// resolveCode maps a code, label or synonym of a catalogue dimension to its code; an unknown text is kept.
func resolveCode(dim, s string) string {
	n := catalog.Normalize(s)
	for _, syn := range catalog.Synonyms() {
		if syn.Dimension == dim && syn.Text == n {
			return syn.Code
		}
	}
	return s
}

// matches reports whether an action answers a finding's series (every part it names must match). A branch matches by the code complaints.branch
// holds or by the branch master's name.
func (a Action) matches(k Key) bool {
	var branch, branchName, category, cause string
	switch k.Kind {
	case KindBranchCause:
		branch, cause = k.Parts[0], k.Parts[1]
		if len(k.Names) > 0 {
			branchName = k.Names[0]
		}
	case KindCategoryCause:
		category, cause = k.Parts[0], k.Parts[1]
	case KindCause:
		cause = k.Parts[0]
	case KindCategory:
		category = k.Parts[0]
	case KindBranch:
		branch = k.Parts[0]
		if len(k.Names) > 0 {
			branchName = k.Names[0]
		}
	default:
		return false
	}
	if a.Cause != "" && a.Cause != cause {
		return false
	}
	if a.Category != "" && a.Category != category {
		return false
	}
	if a.Branch != "" && a.Branch != branch && (branchName == "" || a.Branch != branchName) {
		return false
	}
	return true
}

// ApplyRemediation attaches the matching actions to every recurring pair and marks those with no action or with
// an overdue one (due before the period's last day and not done). A ranked finding whose series has an open
// action is under remediation and not new; one with a completed dated action (and a recurring pair with one)
// gets the before/after comparison of its latest such action (RemediationEffect).
func ApplyRemediation(f *Findings, acts []Action) {
	t, _ := time.Parse("2006-01", f.Period)
	periodEnd := t.AddDate(0, 1, -1).Format("2006-01-02")
	effect := func(k Key, counts []int) *RemediationEffect {
		var done *Action
		for i, a := range acts {
			if a.matches(k) && a.Done() && a.EffectiveDate() != "" && (done == nil || a.EffectiveDate() > done.EffectiveDate()) {
				done = &acts[i]
			}
		}
		if done == nil || len(counts) != len(f.Months) {
			return nil
		}
		return remediationEffect(*done, f.Months, counts, f.complete)
	}
	for i := range f.Recurring {
		r := &f.Recurring[i]
		r.Actions, r.Overdue = nil, false
		for _, a := range acts {
			if a.matches(r.Key) {
				r.Actions = append(r.Actions, a)
				if a.Due != "" && a.Due < periodEnd && !a.Done() {
					r.Overdue = true
				}
			}
		}
		r.NoAction = len(r.Actions) == 0
		r.Effect = nil
		for _, fd := range f.Ranked {
			if fd.Key.id() == r.Key.id() {
				r.Effect = effect(fd.Key, fd.Counts)
				break
			}
		}
	}
	for i := range f.Emerging {
		e := &f.Emerging[i]
		for _, a := range acts {
			if a.matches(e.Key) && !a.Done() {
				e.UnderRemediation, e.New = true, false
			}
		}
	}
	for i := range f.Ranked {
		fd := &f.Ranked[i]
		fd.UnderRemediation = false
		for _, a := range acts {
			if a.matches(fd.Key) && !a.Done() {
				fd.UnderRemediation = true
			}
		}
		fd.setExcess()
		fd.Effect = effect(fd.Key, fd.Counts)
		fd.describe()
	}
}
