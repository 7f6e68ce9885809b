package report

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/i18n"
)

// Kind is how long a report's period is.
type Kind string

// Kinds of period.
const (
	Month   Kind = "month"
	Quarter Kind = "quarter"
	Year    Kind = "year"
)

// Period is a calendar month, quarter or year in the city's zone.
type Period struct {
	Kind Kind
	Year int
	N    int // month 1–12 or quarter 1–4; 0 for a year
}

// ParsePeriod reads "2026-07" (a month), "2026-Q3" (a quarter) or "2026"
// (a year).
func ParsePeriod(s string) (Period, error) {
	bad := apperr.Invalidf("period", "want a month like 2026-07, a quarter like 2026-Q3 or a year like 2026, got %q", s)
	y, rest, found := strings.Cut(s, "-")
	year, err := strconv.Atoi(y)
	if err != nil || len(y) != 4 || year < 2000 || year > 2999 {
		return Period{}, bad
	}
	if !found {
		return Period{Kind: Year, Year: year}, nil
	}
	if q, ok := strings.CutPrefix(strings.ToUpper(rest), "Q"); ok {
		n, err := strconv.Atoi(q)
		if err != nil || len(q) != 1 || n < 1 || n > 4 {
			return Period{}, bad
		}
		return Period{Kind: Quarter, Year: year, N: n}, nil
	}
	n, err := strconv.Atoi(rest)
	if err != nil || len(rest) != 2 || n < 1 || n > 12 {
		return Period{}, bad
	}
	return Period{Kind: Month, Year: year, N: n}, nil
}

// String is the period as ParsePeriod reads it.
func (p Period) String() string {
	switch p.Kind {
	case Month:
		return fmt.Sprintf("%04d-%02d", p.Year, p.N)
	case Quarter:
		return fmt.Sprintf("%04d-Q%d", p.Year, p.N)
	}
	return fmt.Sprintf("%04d", p.Year)
}

// Title is the period as a Chinese heading: 2026年7月, 2026年第三季度.
func (p Period) Title() string { return p.TitleIn(i18n.ZH) }

// TitleIn is the period as a heading in l: 2026年7月, July 2026.
func (p Period) TitleIn(l i18n.Lang) string {
	switch p.Kind {
	case Month:
		return l.Tf("report.month."+strconv.Itoa(p.N), p.Year)
	case Quarter:
		return l.Tf("report.quarter."+strconv.Itoa(p.N), p.Year)
	}
	return l.Tf("report.year", p.Year)
}

// Days is the first and last day of the period (midnight, city zone).
func (p Period) Days() (from, to time.Time) {
	switch p.Kind {
	case Month:
		from = time.Date(p.Year, time.Month(p.N), 1, 0, 0, 0, 0, calendar.Zone)
		return from, from.AddDate(0, 1, -1)
	case Quarter:
		from = time.Date(p.Year, time.Month(3*p.N-2), 1, 0, 0, 0, 0, calendar.Zone)
		return from, from.AddDate(0, 3, -1)
	}
	from = time.Date(p.Year, 1, 1, 0, 0, 0, 0, calendar.Zone)
	return from, from.AddDate(1, 0, -1)
}

// End is the instant after the period's last day.
func (p Period) End() time.Time {
	_, to := p.Days()
	return to.AddDate(0, 0, 1)
}

// Last is the month or quarter that ended most recently before t.
func Last(k Kind, t time.Time) Period {
	t = t.In(calendar.Zone)
	y, m := t.Year(), int(t.Month())
	switch k {
	case Quarter:
		q := (m - 1) / 3 // t's quarter less one
		if q == 0 {
			return Period{Kind: Quarter, Year: y - 1, N: 4}
		}
		return Period{Kind: Quarter, Year: y, N: q}
	case Year:
		return Period{Kind: Year, Year: y - 1}
	}
	if m == 1 {
		return Period{Kind: Month, Year: y - 1, N: 12}
	}
	return Period{Kind: Month, Year: y, N: m - 1}
}

// Workdays is the calendar the issue date needs.
type Workdays interface {
	IsWorkday(t time.Time) bool
}

// IssueDay is the first working day after the period: the day the
// scheduler makes its report.
func (p Period) IssueDay(cal Workdays) time.Time {
	d := p.End()
	for i := 0; i < 60 && !cal.IsWorkday(d.Add(12*time.Hour)); i++ {
		d = d.AddDate(0, 0, 1)
	}
	return d
}

// Due lists the periods whose report is due at now: the last month and the
// last quarter, once their first working day after has begun. Reports
// already stored are the caller's to skip.
func Due(now time.Time, cal Workdays) []Period {
	var out []Period
	for _, k := range []Kind{Month, Quarter} {
		if p := Last(k, now); !now.Before(p.IssueDay(cal)) {
			out = append(out, p)
		}
	}
	return out
}
