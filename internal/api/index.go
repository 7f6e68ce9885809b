package api

// GET /api/v1/index and /api/v1/indicators: the evaluation index, a
// scope's board or one member's entry, as internal/board computes and
// holds it. This file reads the query and writes the answer.

import (
	"context"
	"net/http"
	"net/url"
	"time"

	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/board"
	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/catalog"
	"github.com/haocha/haocha/internal/httpjson"
	"github.com/haocha/haocha/internal/index"
	"github.com/haocha/haocha/internal/paging"
	"github.com/haocha/haocha/internal/store"
	"github.com/haocha/haocha/internal/theme"
)

// A period of GET /api/v1/index and /api/v1/indicators runs at most a
// year: to is no later than from plus a year. A board's cost grows with
// its days (a rollup row is one day of one member), its memory does not;
// a year is the longest standard period, and a board of another period is
// computed for each request (internal/board), so a longer one is refused.
const maxIndexPeriod = "a year"

// indexQuery is a request's scope and period.
type indexQuery struct {
	scope    index.Scope
	from, to time.Time
	district string // rank only the halls of this district
}

func (a *API) parseIndexQuery(ctx context.Context, q url.Values) (indexQuery, error) {
	iq := indexQuery{scope: index.Scope(q.Get("scope"))}
	switch {
	case iq.scope == "":
		return iq, apperr.Invalidf("scope", "required: district, agency, unit, hall, window, workstation, item, stage, channel, city or centre")
	case !iq.scope.Valid():
		return iq, apperr.Invalidf("scope", "unknown scope %q", iq.scope)
	case !iq.scope.Public():
		return iq, apperr.Invalidf("scope", "%s results are not public", iq.scope)
	}
	// The last 30 days by default.
	iq.from, iq.to = board.Recent(a.Store.Now().In(calendar.Zone))
	if err := parseDays(q, &iq.from, &iq.to); err != nil {
		return iq, err
	}
	if iq.to.After(iq.from.AddDate(1, 0, 0)) {
		return iq, apperr.Invalidf("from", "a period of at most %s, not %s to %s",
			maxIndexPeriod, iq.from.Format(time.DateOnly), iq.to.Format(time.DateOnly))
	}
	if iq.district = q.Get("district"); iq.district != "" {
		if iq.scope != index.Hall {
			return iq, apperr.Invalidf("district", "only halls are ranked within a district, not %s", iq.scope)
		}
		u, err := a.Store.Unit(ctx, iq.district)
		if apperr.Is(err, apperr.NotFound) || (err == nil && u.Kind != catalog.District) {
			return iq, apperr.Invalidf("district", "%q is not a known district", iq.district)
		} else if err != nil {
			return iq, err
		}
	}
	return iq, nil
}

// IndexBoard is the answer of GET /api/v1/index: a page of a board.
type IndexBoard = board.Page

// The pages of GET /api/v1/index.
const (
	DefaultIndexPage = board.DefaultPage
	MaxIndexPage     = board.MaxPage
)

func (a *API) indexBoard(w http.ResponseWriter, r *http.Request) error {
	body, err := a.IndexPage(r.Context(), r.URL.Query())
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	w.Write(body)
	return nil
}

// IndexPage is the JSON answer of GET /api/v1/index with query q: a page
// of the published board (IndexBoard).
func (a *API) IndexPage(ctx context.Context, q url.Values) ([]byte, error) {
	iq, err := a.parseIndexQuery(ctx, q)
	if err != nil {
		return nil, err
	}
	p, err := paging.Parse(q, DefaultIndexPage, MaxIndexPage, board.CursorParts)
	if err != nil {
		return nil, err
	}
	var after *index.Entry
	if p.After != nil {
		e, err := board.CursorEntry(p.After)
		if err != nil {
			return nil, err
		}
		after = &e
	}
	if a.Boards == nil {
		b, err := board.ComputeAt(ctx, a.Store, iq.scope, iq.district, iq.from, iq.to, a.now())
		if err != nil {
			return nil, err
		}
		return board.NewPaged(b).Page(after, p.Limit), nil
	}
	return a.Boards.Page(ctx, iq.scope, iq.district, iq.from, iq.to, after, p.Limit)
}

// published is the board the API answers: from the boards cache when there
// is one, so the API and the pages show the same figures for a minute.
func (a *API) published(ctx context.Context, sc index.Scope, from, to time.Time) (board.Board, error) {
	if a.Boards == nil {
		return board.ComputeAt(ctx, a.Store, sc, "", from, to, a.now())
	}
	return a.Boards.Board(ctx, sc, from, to)
}

// now is the instant a board computed for one request counts as of, in
// the milliseconds the database keeps (as the boards cache takes it).
func (a *API) now() time.Time { return a.Store.Now().Truncate(time.Millisecond) }

// ScopeIndicators is one member's published index and indicators.
type ScopeIndicators struct {
	Scope index.Scope `json:"scope"`
	From  string      `json:"from"`
	To    string      `json:"to"`
	// ComputedAt is the instant the board the entry is read from counts
	// as of (GET /api/v1/index's computed_at).
	ComputedAt time.Time `json:"computed_at"`
	index.Entry
	// Themes are the complaint themes (差评主题) of the member's bad
	// reviews in the period, most first; only the scopes whose pages show
	// them (city, district, agency, unit, hall, item) have them; null for
	// the others.
	Themes []ThemeCount `json:"themes"`
}

// ThemeCount is a complaint theme and the bad reviews of the period it was
// found in.
type ThemeCount struct {
	Code   string `json:"code"`
	NameZH string `json:"name_zh"`
	NameEN string `json:"name_en"`
	Count  int64  `json:"count"`
}

// themeAxes are the scopes whose members' themes are counted, and by what.
var themeAxes = map[index.Scope]store.ThemeAxis{
	index.City: "", index.District: "district", index.Agency: "unit", index.Hall: "hall", index.Item: "item",
}

// themesOf counts the themes of code in scope over the period; nil where
// the scope has none.
func (a *API) themesOf(ctx context.Context, sc index.Scope, code string, from, to time.Time) ([]ThemeCount, error) {
	axis, ok := themeAxes[sc]
	if sc == index.Unit {
		// A unit is an agency or a district.
		u, err := a.Store.Unit(ctx, code)
		if err != nil {
			return nil, err
		}
		axis, ok = "unit", true
		if u.Kind == catalog.District {
			axis = "district"
		}
	}
	if !ok {
		return nil, nil
	}
	var counts map[string]int64
	var err error
	if a.Boards != nil {
		// Held beside the boards, as the pages show them.
		counts, err = a.Boards.Themes(ctx, string(axis), code, from, to)
	} else {
		counts, err = a.Store.ThemeCounts(ctx, axis, code, from, to)
	}
	if err != nil {
		return nil, err
	}
	out := []ThemeCount{}
	for _, c := range theme.Default().Rank(counts) {
		out = append(out, ThemeCount{Code: c.Theme.Code, NameZH: c.Theme.NameZH, NameEN: c.Theme.NameEN, Count: c.N})
	}
	return out, nil
}

func (a *API) indicators(w http.ResponseWriter, r *http.Request) error {
	iq, err := a.parseIndexQuery(r.Context(), r.URL.Query())
	if err != nil {
		return err
	}
	code := r.URL.Query().Get("code")
	switch {
	case iq.scope == index.City:
		code = board.CityCode
	case iq.scope == index.Centre:
		code = index.CentreCode
	case code == "":
		return apperr.Invalidf("code", "required for scope %s", iq.scope)
	}
	b, err := a.published(r.Context(), iq.scope, iq.from, iq.to)
	if err != nil {
		return err
	}
	out := ScopeIndicators{Scope: iq.scope, From: iq.from.Format(time.DateOnly), To: iq.to.Format(time.DateOnly),
		ComputedAt: b.Computed.In(calendar.Zone)}
	e, ok := b.Find(code)
	if !ok {
		// A known member without reviews in the period.
		if e, ok, err = board.Unreviewed(r.Context(), a.Store, iq.scope, code, iq.to); err != nil {
			return err
		} else if !ok {
			return apperr.Invalidf("code", "unknown %s %q", iq.scope, code)
		}
	}
	out.Entry = e
	if out.Themes, err = a.themesOf(r.Context(), iq.scope, code, iq.from, iq.to); err != nil {
		return err
	}
	httpjson.Write(w, http.StatusOK, out)
	return nil
}
