package generator

import "time"

// The State Council holiday schedules for 2024-2026 (copied from shared/testdata/holidays-cn), so the generator
// can place complaints around holidays and state the deadlines their reply dates test. The generator does not
// depend on the pipeline's calendar package: truth must be computed independently of the code it checks.
var holidayDays = []struct {
	Date   string
	OffDay bool
	Name   string
}{
	{"2024-01-01", true, "元旦"},
	{"2024-02-04", false, "春节"},
	{"2024-02-10", true, "春节"},
	{"2024-02-11", true, "春节"},
	{"2024-02-12", true, "春节"},
	{"2024-02-13", true, "春节"},
	{"2024-02-14", true, "春节"},
	{"2024-02-15", true, "春节"},
	{"2024-02-16", true, "春节"},
	{"2024-02-17", true, "春节"},
	{"2024-02-18", false, "春节"},
	{"2024-04-04", true, "清明节"},
	{"2024-04-05", true, "清明节"},
	{"2024-04-06", true, "清明节"},
	{"2024-04-07", false, "清明节"},
	{"2024-04-28", false, "劳动节"},
	{"2024-05-01", true, "劳动节"},
	{"2024-05-02", true, "劳动节"},
	{"2024-05-03", true, "劳动节"},
	{"2024-05-04", true, "劳动节"},
	{"2024-05-05", true, "劳动节"},
	{"2024-05-11", false, "劳动节"},
	{"2024-06-10", true, "端午节"},
	{"2024-09-14", false, "中秋节"},
	{"2024-09-15", true, "中秋节"},
	{"2024-09-16", true, "中秋节"},
	{"2024-09-17", true, "中秋节"},
	{"2024-09-29", false, "国庆节"},
	{"2024-10-01", true, "国庆节"},
	{"2024-10-02", true, "国庆节"},
	{"2024-10-03", true, "国庆节"},
	{"2024-10-04", true, "国庆节"},
	{"2024-10-05", true, "国庆节"},
	{"2024-10-06", true, "国庆节"},
	{"2024-10-07", true, "国庆节"},
	{"2024-10-12", false, "国庆节"},
	{"2025-01-01", true, "元旦"},
	{"2025-01-26", false, "春节"},
	{"2025-01-28", true, "春节"},
	{"2025-01-29", true, "春节"},
	{"2025-01-30", true, "春节"},
	{"2025-01-31", true, "春节"},
	{"2025-02-01", true, "春节"},
	{"2025-02-02", true, "春节"},
	{"2025-02-03", true, "春节"},
	{"2025-02-04", true, "春节"},
	{"2025-02-08", false, "春节"},
	{"2025-04-04", true, "清明节"},
	{"2025-04-05", true, "清明节"},
	{"2025-04-06", true, "清明节"},
	{"2025-04-27", false, "劳动节"},
	{"2025-05-01", true, "劳动节"},
	{"2025-05-02", true, "劳动节"},
	{"2025-05-03", true, "劳动节"},
	{"2025-05-04", true, "劳动节"},
	{"2025-05-05", true, "劳动节"},
	{"2025-05-31", true, "端午节"},
	{"2025-06-01", true, "端午节"},
	{"2025-06-02", true, "端午节"},
	{"2025-09-28", false, "国庆节、中秋节"},
	{"2025-10-01", true, "国庆节、中秋节"},
	{"2025-10-02", true, "国庆节、中秋节"},
	{"2025-10-03", true, "国庆节、中秋节"},
	{"2025-10-04", true, "国庆节、中秋节"},
	{"2025-10-05", true, "国庆节、中秋节"},
	{"2025-10-06", true, "国庆节、中秋节"},
	{"2025-10-07", true, "国庆节、中秋节"},
	{"2025-10-08", true, "国庆节、中秋节"},
	{"2025-10-11", false, "国庆节、中秋节"},
	{"2026-01-01", true, "元旦"},
	{"2026-01-02", true, "元旦"},
	{"2026-01-03", true, "元旦"},
	{"2026-01-04", false, "元旦"},
	{"2026-02-14", false, "春节"},
	{"2026-02-15", true, "春节"},
	{"2026-02-16", true, "春节"},
	{"2026-02-17", true, "春节"},
	{"2026-02-18", true, "春节"},
	{"2026-02-19", true, "春节"},
	{"2026-02-20", true, "春节"},
	{"2026-02-21", true, "春节"},
	{"2026-02-22", true, "春节"},
	{"2026-02-23", true, "春节"},
	{"2026-02-28", false, "春节"},
	{"2026-04-04", true, "清明节"},
	{"2026-04-05", true, "清明节"},
	{"2026-04-06", true, "清明节"},
	{"2026-05-01", true, "劳动节"},
	{"2026-05-02", true, "劳动节"},
	{"2026-05-03", true, "劳动节"},
	{"2026-05-04", true, "劳动节"},
	{"2026-05-05", true, "劳动节"},
	{"2026-05-09", false, "劳动节"},
	{"2026-06-19", true, "端午节"},
	{"2026-06-20", true, "端午节"},
	{"2026-06-21", true, "端午节"},
	{"2026-09-20", false, "国庆节"},
	{"2026-09-25", true, "中秋节"},
	{"2026-09-26", true, "中秋节"},
	{"2026-09-27", true, "中秋节"},
	{"2026-10-01", true, "国庆节"},
	{"2026-10-02", true, "国庆节"},
	{"2026-10-03", true, "国庆节"},
	{"2026-10-04", true, "国庆节"},
	{"2026-10-05", true, "国庆节"},
	{"2026-10-06", true, "国庆节"},
	{"2026-10-07", true, "国庆节"},
	{"2026-10-10", false, "国庆节"},
}

type calendar struct {
	listed map[string]bool // date -> isOffDay
	names  map[string]string
}

func newCalendar() *calendar {
	c := &calendar{listed: map[string]bool{}, names: map[string]string{}}
	for _, h := range holidayDays {
		c.listed[h.Date] = h.OffDay
		c.names[h.Date] = h.Name
	}
	return c
}

func dayKey(d time.Time) string { return d.Format("2006-01-02") }

// covers reports whether the year has a schedule.
func (c *calendar) covers(year int) bool { return year >= 2024 && year <= 2026 }

// workday follows domain.md section 4: listed ? !isOffDay : Monday..Friday.
func (c *calendar) workday(d time.Time) bool {
	if off, ok := c.listed[dayKey(d)]; ok {
		return !off
	}
	wd := d.Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// addWorkingDays counts n working days starting the day after received.
func (c *calendar) addWorkingDays(received time.Time, n int) time.Time {
	d := dateOnly(received)
	for n > 0 {
		d = d.AddDate(0, 0, 1)
		if c.workday(d) {
			n--
		}
	}
	return d
}

// calendarDeadline is received + days calendar days, rolled forward to the next working day.
func (c *calendar) calendarDeadline(received time.Time, days int) time.Time {
	d := dateOnly(received).AddDate(0, 0, days)
	for !c.workday(d) {
		d = d.AddDate(0, 0, 1)
	}
	return d
}

func dateOnly(t time.Time) time.Time { return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, bj) }
