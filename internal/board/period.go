package board

import (
	"context"
	"time"

	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/index"
)

// RecentDays is the period of the headline figures: the 30 days up to
// today, as GET /api/v1/index answers by default.
const RecentDays = 30

// Recent is the period of the headline figures ending on today's day.
func Recent(today time.Time) (from, to time.Time) {
	to = calendar.Midnight(today)
	return to.AddDate(0, 0, 1-RecentDays), to
}

// Span is the period a small member (a window, a workstation, a staff
// member) is ranked over: a window has some 18 reviews in 30 days, under
// the minimum sample, and a quarter's or a year's are not (issue 18).
type Span string

// The spans of small members' rankings, the quarter first.
const (
	SpanQuarter Span = "quarter"
	SpanYear    Span = "year"
)

// Spans lists the spans, the default first.
var Spans = []Span{SpanQuarter, SpanYear}

// SpanOf reads a page's period=: the quarter unless it says year.
func SpanOf(s string) Span {
	if Span(s) == SpanYear {
		return SpanYear
	}
	return SpanQuarter
}

// Days is the span's calendar quarter or year, up to today: a standard
// period, whose board the cache holds.
func (s Span) Days(today time.Time) (from, to time.Time) {
	to = calendar.Midnight(today)
	if s == SpanYear {
		return time.Date(to.Year(), 1, 1, 0, 0, 0, 0, calendar.Zone), to
	}
	q := (int(to.Month()) - 1) / 3 * 3
	return time.Date(to.Year(), time.Month(q+1), 1, 0, 0, 0, 0, calendar.Zone), to
}

// Month is one calendar month of a member's trend, with the city beside
// it. The current month runs to today.
type Month struct {
	From, To time.Time
	Entry    index.Entry // the member's; n = 0 when it had no reviews
	City     index.Entry
}

// Months returns the n calendar months up to today's (in the city's zone),
// oldest first, with code's entry in scope sc and the city's.
func (c *Cache) Months(ctx context.Context, sc index.Scope, code string, today time.Time, n int) ([]Month, error) {
	out := make([]Month, 0, n)
	for _, p := range monthsTo(today, n) {
		from, to := p[0], p[1]
		m := Month{From: from, To: to}
		b, err := c.Board(ctx, sc, from, to)
		if err != nil {
			return nil, err
		}
		m.Entry, _ = b.Find(code)
		city, err := c.Board(ctx, index.City, from, to)
		if err != nil {
			return nil, err
		}
		m.City, _ = city.Find(CityCode)
		out = append(out, m)
	}
	return out, nil
}

// monthsTo is the n calendar months up to today's (in the city's zone),
// oldest first, each from its first day to its last or to today.
func monthsTo(today time.Time, n int) [][2]time.Time {
	end := calendar.Midnight(today)
	first := time.Date(end.Year(), end.Month(), 1, 0, 0, 0, 0, calendar.Zone)
	out := make([][2]time.Time, 0, n)
	for k := n - 1; k >= 0; k-- {
		from := first.AddDate(0, -k, 0)
		to := from.AddDate(0, 1, -1)
		if to.After(end) {
			to = end
		}
		out = append(out, [2]time.Time{from, to})
	}
	return out
}

// CityCode is the code of the city scope's one member.
const CityCode = "city"

// Standard reports whether the days from to to are a standard period,
// whose board the cache holds: the 30 days up to today, or a calendar
// month, quarter or year begun by today, to its last day or to today.
// Any other period is computed for its request and not kept.
func Standard(from, to, today time.Time) bool {
	from, to, today = calendar.Midnight(from), calendar.Midnight(to), calendar.Midnight(today)
	if to.Equal(today) && from.Equal(today.AddDate(0, 0, 1-RecentDays)) {
		return true
	}
	if from.Day() != 1 || from.After(today) {
		return false
	}
	for _, months := range []int{1, 3, 12} {
		if (int(from.Month())-1)%months != 0 {
			continue
		}
		last := from.AddDate(0, months, -1)
		if to.Equal(last) || to.Equal(today) && today.Before(last) {
			return true
		}
	}
	return false
}
