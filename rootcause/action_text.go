package rootcause

import "fmt"

// Text is the action as the report's 根因 sheet, `complaints rootcause` and the dashboard show it:
// "action (owner, status, due)".
func (a Action) Text() string {
	return fmt.Sprintf("%s (%s, %s, %s)", a.Action, a.Owner, a.Status, a.Due)
}
