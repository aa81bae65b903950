// Package calendar owns the Chinese working-day calendar: State Council holidays and make-up working days
// (调休) from github.com/6tail/lunar-go, extended or corrected by user files shaped like the holiday-cn JSON
// files, and the date arithmetic of the two clocks (domain.md section 4). It refuses to guess: a date in a
// year it has no schedule for is an error naming the year and how to add it.
package calendar

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"time"

	"github.com/6tail/lunar-go/HolidayUtil"
)

// Date is a calendar date (time of day ignored), in UTC for arithmetic.
type Date = time.Time

// D makes a date.
func D(y int, m time.Month, d int) Date { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// DateOf truncates any time to its calendar date (the digits shown, whatever the location).
func DateOf(t time.Time) Date { return D(t.Year(), t.Month(), t.Day()) }

// Calendar knows, for the years it covers, which dates are listed as off days or make-up working days.
type Calendar struct {
	listed  map[Date]bool // date -> isOffDay
	names   map[Date]string
	covered map[int]string // year -> where its schedule came from
}

// ErrNoSchedule is wrapped by errors for dates in a year the calendar does not cover.
var ErrNoSchedule = fmt.Errorf("no holiday schedule")

// New returns the built-in calendar: every year lunar-go (v1.4.7: 2002-2027) has a schedule for.
func New() *Calendar {
	c := &Calendar{listed: map[Date]bool{}, names: map[Date]string{}, covered: map[int]string{}}
	for y := 2002; y <= 2100; y++ {
		found := false
		for d := D(y, 1, 1); d.Year() == y; d = d.AddDate(0, 0, 1) {
			h := HolidayUtil.GetHolidayByYmd(d.Year(), int(d.Month()), d.Day())
			if h == nil || h.GetDay() != d.Format("2006-01-02") {
				continue
			}
			found = true
			c.listed[d] = !h.IsWork()
			c.names[d] = h.GetName()
		}
		if !found {
			break
		}
		c.covered[y] = "lunar-go"
	}
	return c
}

// fileShape is the holiday-cn JSON shape: {"year": 2026, "days": [{"name","date","isOffDay"}]}.
type fileShape struct {
	Year int `json:"year"`
	Days []struct {
		Name     string `json:"name"`
		Date     string `json:"date"`
		IsOffDay *bool  `json:"isOffDay"`
	} `json:"days"`
}

// LoadFile adds or replaces a year's schedule from a holiday-cn shaped file. The file's year replaces what the
// calendar had for it (so a correction is a whole year, as the State Council publishes it).
func (c *Calendar) LoadFile(path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("calendar file %s: %w", path, err)
	}
	var f fileShape
	if err := json.Unmarshal(b, &f); err != nil {
		return fmt.Errorf("calendar file %s: not the holiday-cn shape ({\"year\":..., \"days\":[{\"name\",\"date\",\"isOffDay\"}]}): %w", path, err)
	}
	if f.Year < 1990 || f.Year > 2200 {
		return fmt.Errorf("calendar file %s: year %d is missing or out of range", path, f.Year)
	}
	for d := range c.listed {
		if d.Year() == f.Year {
			delete(c.listed, d)
			delete(c.names, d)
		}
	}
	for i, day := range f.Days {
		d, err := time.Parse("2006-01-02", day.Date)
		if err != nil {
			return fmt.Errorf("calendar file %s: days[%d].date %q: use YYYY-MM-DD", path, i, day.Date)
		}
		if day.IsOffDay == nil {
			return fmt.Errorf("calendar file %s: days[%d] (%s): isOffDay is missing; true for a day off, false for a make-up working day", path, i, day.Date)
		}
		c.listed[d] = *day.IsOffDay
		c.names[d] = day.Name
	}
	c.covered[f.Year] = path
	return nil
}

// Years lists the covered years.
func (c *Calendar) Years() []int {
	ys := make([]int, 0, len(c.covered))
	for y := range c.covered {
		ys = append(ys, y)
	}
	sort.Ints(ys)
	return ys
}

// Covers says whether the calendar has a schedule for the year.
func (c *Calendar) Covers(year int) bool { _, ok := c.covered[year]; return ok }

func (c *Calendar) check(d Date) error {
	if !c.Covers(d.Year()) {
		return fmt.Errorf("%w for %d (needed for %s): add the State Council schedule as a holiday-cn JSON file (e.g. %d.json: {\"year\": %d, \"days\": [{\"name\": \"元旦\", \"date\": \"%d-01-01\", \"isOffDay\": true}, ...]}) and name it under calendar_files in complaints.yaml",
			ErrNoSchedule, d.Year(), d.Format("2006-01-02"), d.Year(), d.Year(), d.Year())
	}
	return nil
}

// IsWorkday: listed ? !isOffDay : Monday..Friday (domain.md section 4).
func (c *Calendar) IsWorkday(d Date) (bool, error) {
	d = DateOf(d)
	if err := c.check(d); err != nil {
		return false, err
	}
	if off, ok := c.listed[d]; ok {
		return !off, nil
	}
	wd := d.Weekday()
	return wd != time.Saturday && wd != time.Sunday, nil
}

// AddWorkingDays counts n working days after received (the day of receipt is not counted) and returns the n-th:
// the internal deadline for a limit of n working days.
func (c *Calendar) AddWorkingDays(received Date, n int) (Date, error) {
	d := DateOf(received)
	for n > 0 {
		d = d.AddDate(0, 0, 1)
		ok, err := c.IsWorkday(d)
		if err != nil {
			return Date{}, err
		}
		if ok {
			n--
		}
	}
	return d, nil
}

// CalendarDeadline is received + days calendar days (the day of receipt not counted), moved to the next working
// day when it falls on a rest day or holiday (PRC Civil Code Art 201 and 203): the regulatory deadline.
func (c *Calendar) CalendarDeadline(received Date, days int) (Date, error) {
	d := DateOf(received).AddDate(0, 0, days)
	for {
		ok, err := c.IsWorkday(d)
		if err != nil {
			return Date{}, err
		}
		if ok {
			return d, nil
		}
		d = d.AddDate(0, 0, 1)
	}
}

// WorkingDaysBetween counts the working days after from up to and including to (0 when to <= from).
func (c *Calendar) WorkingDaysBetween(from, to Date) (int, error) {
	from, to = DateOf(from), DateOf(to)
	n := 0
	for d := from.AddDate(0, 0, 1); !d.After(to); d = d.AddDate(0, 0, 1) {
		ok, err := c.IsWorkday(d)
		if err != nil {
			return 0, err
		}
		if ok {
			n++
		}
	}
	return n, nil
}

// WorkdaysIn counts the working days of a year.
func (c *Calendar) WorkdaysIn(year int) (int, error) {
	return c.WorkingDaysBetween(D(year-1, 12, 31), D(year, 12, 31))
}

// HolidayName is the listed name of a date (春节, 国庆节 ...), "" for an ordinary day.
func (c *Calendar) HolidayName(d Date) string { return c.names[DateOf(d)] }
