// Package summary counts the supervisor's summary of the work orders: per
// unit over a period of days, with the total and the orders never
// dispatched. The console's page and export and the JSON API show the
// same counts through it.
package summary

import (
	"context"
	"net/url"
	"time"

	"github.com/haocha/haocha/internal/account"
	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/catalog"
	"github.com/haocha/haocha/internal/store"
	"github.com/haocha/haocha/internal/workorder"
)

// Summary is the orders of the days From to To (inclusive) by unit.
type Summary struct {
	From, To string
	Rows     []store.UnitSummary
	Total    store.UnitSummary
	Units    map[string]catalog.Unit
	// Undispatched orders of the period wait for an operator; so many of
	// them past the operator's deadline.
	Undispatched, UndispatchedLate int64
}

// Service counts summaries.
type Service struct {
	Store  *store.Store
	Orders *workorder.Service
}

// Period reads q's from/to days, defaulting to the 30 days up to now's.
func Period(q url.Values, now time.Time) (time.Time, time.Time, error) {
	now = now.In(calendar.Zone)
	to := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, calendar.Zone)
	from := to.AddDate(0, 0, -29)
	var err error
	if v := q.Get("from"); v != "" {
		if from, err = calendar.ParseDay(v); err != nil {
			return from, to, apperr.Invalidf("from", "want a day such as 2026-07-20")
		}
	}
	if v := q.Get("to"); v != "" {
		if to, err = calendar.ParseDay(v); err != nil {
			return from, to, apperr.Invalidf("to", "want a day such as 2026-08-20")
		}
	}
	return from, to, nil
}

// Of is the summary of q's period (from, to) for who: the General Office
// or the 12345 hotline.
func (s *Service) Of(ctx context.Context, who account.Actor, q url.Values) (Summary, error) {
	if who.Role != account.Supervisor && who.Role != account.Operator {
		return Summary{}, apperr.New(apperr.Forbidden, "", "the summary is for the General Office and the 12345 hotline")
	}
	now := s.Store.Now()
	from, to, err := Period(q, now)
	if err != nil {
		return Summary{}, err
	}
	rows, err := s.Store.OrderSummary(ctx, from, to.AddDate(0, 0, 1))
	if err != nil {
		return Summary{}, err
	}
	d := Summary{From: from.Format(time.DateOnly), To: to.Format(time.DateOnly), Rows: rows}
	for _, x := range rows {
		d.Total.Add(x)
	}
	if d.Units, err = s.Orders.Units(ctx); err != nil {
		return d, err
	}
	cal, err := s.Orders.Calendar(ctx)
	if err != nil {
		return d, err
	}
	if d.Undispatched, d.UndispatchedLate, err = s.Store.Undispatched(ctx, from, to.AddDate(0, 0, 1), cal.LateBy(now, workorder.DispatchDays)); err != nil {
		return d, err
	}
	return d, nil
}
