package calendar

import (
	"bytes"
	"embed"
	"encoding/csv"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/haocha/haocha/internal/apperr"
)

// Kind says how a listed day departs from the weekly rhythm.
type Kind string

// Day kinds. Days not listed follow the week: Monday to Friday work.
const (
	Holiday Kind = "holiday" // no work, even on a weekday
	Workday Kind = "workday" // a make-up working day, even on a weekend
)

// Day is one listed exception to the weekly rhythm.
type Day struct {
	Date string // 2006-01-02
	Kind Kind
	Name string
}

// DayEnd is when a working day ends, after midnight in the city's zone.
// Deadlines fall at the end of a working day.
const DayEnd = 17*time.Hour + 30*time.Minute

//go:embed data/*.csv
var shipped embed.FS

// Shipped returns the official schedules that come with Haocha (2026).
func Shipped() []Day {
	var all []Day
	names, _ := shipped.ReadDir("data")
	for _, n := range names {
		raw, err := shipped.ReadFile("data/" + n.Name())
		if err != nil {
			panic(err)
		}
		days, err := ParseCSV(bytes.NewReader(raw))
		if err != nil {
			panic(fmt.Sprintf("shipped calendar %s: %v", n.Name(), err))
		}
		all = append(all, days...)
	}
	return all
}

// ParseCSV reads days as "date,kind,name" rows; a header row and lines
// starting with # are skipped. A bad row fails the whole file.
func ParseCSV(r io.Reader) ([]Day, error) {
	cr := csv.NewReader(r)
	cr.Comment = '#'
	cr.FieldsPerRecord = -1
	var out []Day
	seen := map[string]bool{}
	for line := 1; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, apperr.Invalidf("file", "%v", err)
		}
		if line == 1 && len(rec) > 0 {
			// Spreadsheets save UTF-8 CSV with a byte order mark.
			rec[0] = strings.TrimPrefix(rec[0], "\ufeff")
		}
		if len(rec) > 0 && strings.TrimSpace(rec[0]) == "date" {
			continue
		}
		ln, _ := cr.FieldPos(0)
		if len(rec) < 2 {
			return nil, apperr.Invalidf("file", "line %d: want date,kind[,name]", ln)
		}
		d := Day{Date: strings.TrimSpace(rec[0]), Kind: Kind(strings.TrimSpace(rec[1]))}
		if len(rec) > 2 {
			d.Name = strings.TrimSpace(rec[2])
		}
		if _, err := ParseDay(d.Date); err != nil {
			return nil, apperr.Invalidf("date", "line %d: not a date (2006-01-02): %q", ln, d.Date)
		}
		if d.Kind != Holiday && d.Kind != Workday {
			return nil, apperr.Invalidf("kind", "line %d: want holiday or workday, got %q", ln, d.Kind)
		}
		if seen[d.Date] {
			return nil, apperr.Invalidf("date", "line %d: %s listed twice", ln, d.Date)
		}
		seen[d.Date] = true
		out = append(out, d)
	}
	if len(out) == 0 {
		return nil, apperr.Invalidf("file", "no days listed")
	}
	return out, nil
}

// Calendar tells working days from days off. The zero value knows only
// weekends.
type Calendar struct {
	days map[string]Kind
}

// New returns a calendar of the weekly rhythm with days as exceptions.
// Later days with the same date win.
func New(days []Day) *Calendar {
	c := &Calendar{days: map[string]Kind{}}
	for _, d := range days {
		c.days[d.Date] = d.Kind
	}
	return c
}

// Years lists the years for which exceptions are known, in order.
func (c *Calendar) Years() []int {
	set := map[int]bool{}
	for d := range c.days {
		var y int
		fmt.Sscanf(d, "%d", &y)
		set[y] = true
	}
	var out []int
	for y := range set {
		out = append(out, y)
	}
	sort.Ints(out)
	return out
}

// Covers reports whether the official schedule of year is loaded: without
// it, the year's days off are guessed from weekends alone.
func (c *Calendar) Covers(year int) bool {
	prefix := fmt.Sprintf("%04d-", year)
	for d := range c.days {
		if strings.HasPrefix(d, prefix) {
			return true
		}
	}
	return false
}

// Provisional reports whether a deadline at t was counted without its
// year's official schedule, and may move once the schedule is loaded.
func (c *Calendar) Provisional(t time.Time) bool {
	return !t.IsZero() && !c.Covers(t.In(Zone).Year())
}

// WarnFrom is the day of the year from which next year's schedule is
// expected: the State Council publishes it in the autumn, and complex
// orders dispatched in December already reach into January.
const WarnFrom = time.November

// Missing returns next year when, at now, its schedule is due and not
// loaded: from 1 November of the year before.
func (c *Calendar) Missing(now time.Time) (year int, missing bool) {
	now = now.In(Zone)
	next := now.Year() + 1
	if now.Month() < WarnFrom || c.Covers(next) {
		return 0, false
	}
	return next, true
}

// IsWorkday reports whether the calendar day of t (in the city's zone) is a
// working day.
func (c *Calendar) IsWorkday(t time.Time) bool {
	t = t.In(Zone)
	if k, ok := c.day(t); ok {
		return k == Workday
	}
	wd := t.Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// IsHoliday reports whether the calendar day of t (in the city's zone) is
// a listed holiday: a Saturday off that is one keeps a hall's Saturday
// hours shut.
func (c *Calendar) IsHoliday(t time.Time) bool {
	k, _ := c.day(t.In(Zone))
	return k == Holiday
}

// day is the listed kind of t's date. The date is formatted on the stack:
// screening asks for every review, and a map lookup by string(b) keeps
// no string.
func (c *Calendar) day(t time.Time) (Kind, bool) {
	var buf [len(time.DateOnly)]byte
	k, ok := c.days[string(t.AppendFormat(buf[:0], time.DateOnly))]
	return k, ok
}

// endOf is the end of the working day on the calendar day of t.
func endOf(t time.Time) time.Time {
	t = t.In(Zone)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, Zone).Add(DayEnd)
}

// nextDay is midnight of the day after t's.
func nextDay(t time.Time) time.Time {
	t = t.In(Zone)
	return time.Date(t.Year(), t.Month(), t.Day()+1, 0, 0, 0, 0, Zone)
}

// EndOfWorkday is the end of the working day that t falls in: today's end
// when t is on a working day before it ends, otherwise the end of the next
// working day.
func (c *Calendar) EndOfWorkday(t time.Time) time.Time {
	for i := 0; i < 366; i++ {
		if c.IsWorkday(t) && !t.After(endOf(t)) {
			return endOf(t)
		}
		t = nextDay(t)
	}
	panic("calendar: no working day within a year")
}

// AddWorkdays is the end of the n-th working day after the working day t
// falls in (see EndOfWorkday). AddWorkdays(t, 0) = EndOfWorkday(t).
func (c *Calendar) AddWorkdays(t time.Time, n int) time.Time {
	end := c.EndOfWorkday(t)
	for ; n > 0; n-- {
		end = c.EndOfWorkday(nextDay(end))
	}
	return end
}

// FirstContactDue is when a unit must have contacted the reviewer of an
// order dispatched at t: within 1 working day.
func (c *Calendar) FirstContactDue(t time.Time) time.Time {
	return c.AddWorkdays(t, 1)
}

// LateBy is the latest time t for which AddWorkdays(t, n) lies before now:
// whatever started at or before it has run past an n-working-day limit.
// Storage compares creation times with it, as it cannot count working days.
func (c *Calendar) LateBy(now time.Time, n int) time.Time {
	now = now.In(Zone)
	d := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, Zone)
	// The last working day that ended before now, then n more back.
	for i := 0; !(c.IsWorkday(d) && endOf(d).Before(now)); i++ {
		if i > 366 {
			panic("calendar: no working day within a year")
		}
		d = d.AddDate(0, 0, -1)
	}
	for ; n > 0; n-- {
		d = d.AddDate(0, 0, -1)
		for i := 0; !c.IsWorkday(d); i++ {
			if i > 366 {
				panic("calendar: no working day within a year")
			}
			d = d.AddDate(0, 0, -1)
		}
	}
	return endOf(d)
}
