package api

import (
	"github.com/haocha/haocha/internal/httpjson"
	"net/http"
	"net/url"
	"time"

	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/catalog"
	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/store"
)

// codeFilters are the query parameters of GET /api/v1/stats that name a
// catalogue record, with the kind of record each names.
var codeFilters = []struct{ param, kind string }{
	{"unit", "units"}, {"item", "items"}, {"hall", "halls"}, {"workstation", "workstations"}, {"staff", "staff"},
}

// ParseFilter reads a stats filter from query parameters, refusing unknown
// codes so that a typo is not mistaken for a unit without reviews.
func (a *API) ParseFilter(r *http.Request) (review.Filter, error) {
	q := r.URL.Query()
	f := review.Filter{
		District: q.Get("district"), Agency: q.Get("agency"), Unit: q.Get("unit"), Item: q.Get("item"),
		Stage: q.Get("stage"), Channel: review.Channel(q.Get("channel")), Hall: q.Get("hall"),
		Workstation: q.Get("workstation"), Staff: q.Get("staff"),
	}
	// A combination the rollups do not answer is refused before any code
	// is looked up: the refusal costs no database round.
	if err := store.StatsAnswers(f); err != nil {
		return f, err
	}
	for _, p := range codeFilters {
		if code := q.Get(p.param); code != "" {
			ok, err := a.Store.Exists(r.Context(), p.kind, code)
			if err != nil {
				return f, err
			}
			if !ok {
				return f, apperr.Invalidf(p.param, "unknown %s %q", p.param, code)
			}
		}
	}
	for _, p := range []struct {
		param string
		kind  catalog.UnitKind
	}{{"district", catalog.District}, {"agency", catalog.Agency}} {
		if code := q.Get(p.param); code != "" {
			u, err := a.Store.Unit(r.Context(), code)
			if apperr.Is(err, apperr.NotFound) || (err == nil && u.Kind != p.kind) {
				return f, apperr.Invalidf(p.param, "%q is not a known %s", code, p.kind)
			} else if err != nil {
				return f, err
			}
		}
	}
	if f.Channel != "" && !f.Channel.Valid() {
		return f, apperr.Invalidf("channel", "unknown channel %q", f.Channel)
	}
	return f, parseDays(q, &f.From, &f.To)
}

// parseDays reads the from and to days of a query into from and to,
// leaving them as they are when not given, and refuses to before from.
func parseDays(q url.Values, from, to *time.Time) error {
	for _, p := range []struct {
		param string
		day   *time.Time
	}{{"from", from}, {"to", to}} {
		if v := q.Get(p.param); v != "" {
			day, err := calendar.ParseDay(v)
			if err != nil {
				return apperr.Invalidf(p.param, "want a date like 2026-08-05, got %q", v)
			}
			*p.day = day
		}
	}
	if !from.IsZero() && !to.IsZero() && to.Before(*from) {
		return apperr.Invalidf("to", "before from")
	}
	return nil
}

func (a *API) stats(w http.ResponseWriter, r *http.Request) error {
	f, err := a.ParseFilter(r)
	if err != nil {
		return err
	}
	if f.Staff != "" {
		if err := mayReadStaff(r, f.Staff); err != nil {
			return err
		}
	}
	t, err := a.figures().Stats(r.Context(), f)
	if err != nil {
		return err
	}
	set, err := a.Store.ActiveDimensionSet(r.Context())
	if err != nil {
		return err
	}
	httpjson.Write(w, http.StatusOK, t.Stats(set))
	return nil
}
