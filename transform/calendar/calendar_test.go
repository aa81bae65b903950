package calendar

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const holidayDir = "../../testdata/public/holidays-cn"

// TestWorkedExamples pins the table of domain.md section 4.
func TestWorkedExamples(t *testing.T) {
	c := New()
	cases := []struct {
		received                  Date
		general, complex, regular Date
	}{
		{D(2026, 9, 18), D(2026, 9, 22), D(2026, 10, 9), D(2026, 10, 8)},
		{D(2025, 9, 30), D(2025, 10, 11), D(2025, 10, 21), D(2025, 10, 15)},
		{D(2026, 2, 13), D(2026, 2, 25), D(2026, 3, 5), D(2026, 2, 28)},
		{D(2025, 1, 24), D(2025, 2, 5), D(2025, 2, 13), D(2025, 2, 8)},
	}
	for _, tc := range cases {
		name := tc.received.Format("2006-01-02")
		if got, err := c.AddWorkingDays(tc.received, 3); err != nil || !got.Equal(tc.general) {
			t.Errorf("%s +3 working days = %s %v, want %s", name, got.Format(time.DateOnly), err, tc.general.Format(time.DateOnly))
		}
		if got, err := c.AddWorkingDays(tc.received, 10); err != nil || !got.Equal(tc.complex) {
			t.Errorf("%s +10 working days = %s %v, want %s", name, got.Format(time.DateOnly), err, tc.complex.Format(time.DateOnly))
		}
		if got, err := c.CalendarDeadline(tc.received, 15); err != nil || !got.Equal(tc.regular) {
			t.Errorf("%s +15 calendar days = %s %v, want %s", name, got.Format(time.DateOnly), err, tc.regular.Format(time.DateOnly))
		}
	}
}

// TestLunarGoAgreesWithOfficialSchedules compares the built-in calendar with the official 2024-2026 files, day by
// day, and checks the working-day counts (2024 = 251, 2025 = 248, 2026 = 248).
func TestLunarGoAgreesWithOfficialSchedules(t *testing.T) {
	builtin := New()
	want := map[int]int{2024: 251, 2025: 248, 2026: 248}
	for year, n := range want {
		official := New()
		if err := official.LoadFile(filepath.Join(holidayDir, fmt.Sprintf("%d.json", year))); err != nil {
			t.Fatal(err)
		}
		for d := D(year, 1, 1); d.Year() == year; d = d.AddDate(0, 0, 1) {
			a, _ := builtin.IsWorkday(d)
			b, _ := official.IsWorkday(d)
			if a != b {
				t.Errorf("%s: lunar-go says workday=%v, the official schedule %v", d.Format(time.DateOnly), a, b)
			}
		}
		for name, c := range map[string]*Calendar{"lunar-go": builtin, "official": official} {
			if got, err := c.WorkdaysIn(year); err != nil || got != n {
				t.Errorf("%s %d: %d working days (%v), want %d", name, year, got, err, n)
			}
		}
	}
}

// TestAroundEveryHoliday checks, for every holiday block of 2025-2026 in the official files, that a complaint
// received on the working day before it gets deadlines computed independently by walking the official list.
func TestAroundEveryHoliday(t *testing.T) {
	c := New()
	for _, year := range []int{2025, 2026} {
		b, err := os.ReadFile(filepath.Join(holidayDir, fmt.Sprintf("%d.json", year)))
		if err != nil {
			t.Fatal(err)
		}
		var f fileShape
		json.Unmarshal(b, &f)
		off := map[string]bool{}
		listed := map[string]bool{}
		for _, d := range f.Days {
			listed[d.Date] = true
			off[d.Date] = *d.IsOffDay
		}
		work := func(d Date) bool {
			k := d.Format(time.DateOnly)
			if listed[k] {
				return !off[k]
			}
			return d.Weekday() != time.Saturday && d.Weekday() != time.Sunday
		}
		for _, d := range f.Days {
			if !*d.IsOffDay {
				continue
			}
			first, _ := time.Parse(time.DateOnly, d.Date)
			recv := first.AddDate(0, 0, -1)
			for !work(recv) {
				recv = recv.AddDate(0, 0, -1)
			}
			// independent walk
			wantN := func(n int) Date {
				x := recv
				for n > 0 {
					x = x.AddDate(0, 0, 1)
					if work(x) {
						n--
					}
				}
				return x
			}
			reg := recv.AddDate(0, 0, 15)
			for !work(reg) {
				reg = reg.AddDate(0, 0, 1)
			}
			for _, n := range []int{3, 7, 10} {
				if got, err := c.AddWorkingDays(recv, n); err != nil || !got.Equal(wantN(n)) {
					t.Errorf("%s (%s) +%d working days = %s %v, want %s", recv.Format(time.DateOnly), d.Name, n, got.Format(time.DateOnly), err, wantN(n).Format(time.DateOnly))
				}
			}
			if got, err := c.CalendarDeadline(recv, 15); err != nil || !got.Equal(reg) {
				t.Errorf("%s (%s) +15 days = %s %v, want %s", recv.Format(time.DateOnly), d.Name, got.Format(time.DateOnly), err, reg.Format(time.DateOnly))
			}
		}
	}
}

func TestYearWithoutScheduleIsAnError(t *testing.T) {
	c := New()
	_, err := c.AddWorkingDays(D(2199, 12, 30), 3)
	if !errors.Is(err, ErrNoSchedule) || !strings.Contains(err.Error(), "2199") || !strings.Contains(err.Error(), "calendar_files") {
		t.Fatalf("error %v: want ErrNoSchedule naming the year and how to add it", err)
	}
	// A user file adds a year.
	dir := t.TempDir()
	p := filepath.Join(dir, "2199.json")
	os.WriteFile(p, []byte(`{"year": 2199, "days": [{"name": "元旦", "date": "2199-01-01", "isOffDay": true}]}`), 0o644)
	if err := c.LoadFile(p); err != nil {
		t.Fatal(err)
	}
	if ok, err := c.IsWorkday(D(2199, 1, 1)); err != nil || ok {
		t.Fatalf("2199-01-01 workday=%v err=%v; want a day off", ok, err)
	}
	if ok, _ := c.IsWorkday(D(2199, 1, 2)); !ok { // a Friday
		t.Fatal("2199-01-02 should be an ordinary working day")
	}
}
