package fraud

import (
	"time"

	"github.com/haocha/haocha/internal/calendar"
)

// DayKind is what opening hours depend on: a working day by the calendar
// (调休 Saturdays included), a Saturday off, or any other day off (Sunday,
// a public holiday).
type DayKind string

// Day kinds.
const (
	Workday  DayKind = "workday"
	Saturday DayKind = "saturday"
	Rest     DayKind = "rest"
)

// Span is the time a hall is open on a day, since midnight; a zero span
// is closed all day.
type Span struct {
	Open, Close time.Duration
}

// Hours are one hall's opening hours by kind of day; a kind it lacks is
// closed.
type Hours map[DayKind]Span

// DefaultHours are the hours of a hall without its own: the fixed hours
// screening used before halls had theirs, every day 8:00–20:00.
var DefaultHours = Hours{
	Workday:  {8 * time.Hour, 20 * time.Hour},
	Saturday: {8 * time.Hour, 20 * time.Hour},
	Rest:     {8 * time.Hour, 20 * time.Hour},
}

// Opening is the halls' opening hours as data: each hall's own, else
// Default, on the days of Calendar (nil: Monday to Friday work).
type Opening struct {
	Halls    map[string]Hours
	Default  Hours
	Calendar *calendar.Calendar
}

// hours are hall's hours.
func (o Opening) hours(hall string) Hours {
	if h, ok := o.Halls[hall]; ok {
		return h
	}
	if o.Default != nil {
		return o.Default
	}
	return DefaultHours
}

// Kind is the kind of the city's day of t.
func (o Opening) Kind(t time.Time) DayKind {
	t = t.In(calendar.Zone)
	work := t.Weekday() != time.Saturday && t.Weekday() != time.Sunday
	if o.Calendar != nil {
		work = o.Calendar.IsWorkday(t)
	}
	switch {
	case work:
		return Workday
	case t.Weekday() == time.Saturday && (o.Calendar == nil || !o.Calendar.IsHoliday(t)):
		return Saturday
	}
	return Rest
}

// span is hall's opening on the city's day of t.
func (o Opening) span(hall string, t time.Time) Span {
	return o.hours(hall)[o.Kind(t)]
}

// OpenHours is how many hours hall is open on the day of t: what a
// day's usual count is spread over.
func (o Opening) OpenHours(hall string, t time.Time) float64 {
	return o.OpenHoursOn(hall, o.Kind(t))
}

// OpenHoursOn is OpenHours on a day of kind k, for a caller that asks of
// several halls or members on one day: the kind, which looks the date up
// in the calendar, is found once.
func (o Opening) OpenHoursOn(hall string, k DayKind) float64 {
	s := o.hours(hall)[k]
	return (s.Close - s.Open).Hours()
}

// Closed reports whether hall is closed at t, and since when: its last
// closing time (a week back at most).
func (o Opening) Closed(hall string, t time.Time) (bool, time.Time) {
	t = t.In(calendar.Zone)
	mid := calendar.Midnight(t)
	s := o.span(hall, t)
	since := t.Sub(mid)
	if s.Close > s.Open && since >= s.Open && since < s.Close {
		return false, time.Time{}
	}
	if s.Close > s.Open && since >= s.Close {
		return true, mid.Add(s.Close)
	}
	for d := 1; d <= 7; d++ {
		day := mid.AddDate(0, 0, -d)
		if p := o.span(hall, day); p.Close > p.Open {
			return true, day.Add(p.Close)
		}
	}
	return true, mid.AddDate(0, 0, -7)
}
