package web

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/haocha/haocha/internal/board"
	"github.com/haocha/haocha/internal/catalog"
	"github.com/haocha/haocha/internal/figures"
	"github.com/haocha/haocha/internal/index"
	"github.com/haocha/haocha/internal/store"
)

// hallPage is a service hall's page: where it is, when it is open, its
// index, and its windows' and workstations' results over the quarter (or
// the year, with period=year), ranked within the hall, each with n beside
// it: a window's 30 days are too few reviews to rank it (issue 18). As on
// every board of these scopes, only members with reviews in the period are
// listed; the page says how many others there are.
func (w *Web) hallPage(rw http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	h, err := w.store.Hall(ctx, r.PathValue("code"))
	if err != nil {
		return err
	}
	data := struct {
		page
		Hall     catalog.Hall
		District catalog.Unit
		Items    int
		Score    *scorecard
		Themes   *themesView
		Windows  ranking
		Stations ranking
		// WindowsUnlisted and StationsUnlisted say how many windows and
		// workstations had no reviews in the period; empty when none.
		WindowsUnlisted, StationsUnlisted string
		Period                            string
		Spans                             []spanLink
	}{page: w.newPage(r, ""), Hall: h}
	data.Title = h.Name(data.Lang)
	if h.District != "" {
		if data.District, err = w.store.Unit(ctx, h.District); err != nil {
			return err
		}
	}
	items, err := w.store.Items(ctx, store.ItemFilter{Hall: h.Code})
	if err != nil {
		return err
	}
	data.Items = len(items)
	if data.Score, err = w.loadScorecard(ctx, data.L, index.Hall, h.Code, data.Title); err != nil {
		return err
	}
	if data.Themes, err = w.loadThemes(ctx, data.L, "hall", h.Code); err != nil {
		return err
	}
	span := board.SpanOf(r.URL.Query().Get("period"))
	from, to := span.Days(w.store.Now())
	data.Period = figures.Period(from, to)
	data.Spans = spanLinks(data.L, "/halls/"+h.Code, span)
	rk, names, unlisted, err := w.hallRanking(ctx, index.Window, h.Code, data.Lang, from, to)
	if err != nil {
		return err
	}
	data.Windows = ranking{data.L, "window-ranking", data.L.T("hall.windows"), entryRows(data.L, rk, func(c string) string { return names[c] })}
	data.WindowsUnlisted = unlistedText(data.L, "hall.unlisted.win", unlisted)
	if rk, names, unlisted, err = w.hallRanking(ctx, index.Workstation, h.Code, data.Lang, from, to); err != nil {
		return err
	}
	data.Stations = ranking{data.L, "workstation-ranking", data.L.T("hall.workstations"), entryRows(data.L, rk, func(c string) string { return names[c] })}
	data.StationsUnlisted = unlistedText(data.L, "hall.unlisted.ws", unlisted)
	return w.render(rw, r, http.StatusOK, "hall", data)
}

// hallRanking ranks a hall's windows or workstations (sc), named in lang,
// among themselves, from the city's published board of sc over the period
// the page states. A member without reviews in the period is not listed,
// as the board does not list it (issue 18): unlisted counts them.
func (w *Web) hallRanking(ctx context.Context, sc index.Scope, hall, lang string, from, to time.Time) (rk index.Ranking, names map[string]string, unlisted int, err error) {
	places, err := w.store.Places(ctx, store.PlaceFilter{Hall: hall})
	if err != nil {
		return index.Ranking{}, nil, 0, err
	}
	names = map[string]string{}
	var order []string
	for _, p := range places {
		code, name := p.Window.Code, p.Window.NameIn(lang)
		if sc == index.Workstation {
			code, name = p.Workstation.Code, p.Workstation.NameIn(lang)
		}
		if _, ok := names[code]; !ok {
			names[code] = name
			order = append(order, code)
		}
	}
	b, err := w.boards.Board(ctx, sc, from, to)
	if err != nil {
		return index.Ranking{}, nil, 0, fmt.Errorf("%s board: %w", sc, err)
	}
	var entries []index.Entry
	for _, code := range order {
		e, ok := b.Find(code)
		if !ok || e.N == 0 {
			unlisted++
			continue
		}
		entries = append(entries, e)
	}
	return index.Rank(entries), names, unlisted, nil
}

// unlistedText is the line under a hall's ranking saying how many of its
// members (key names which) had no reviews; empty when none.
func unlistedText(l locale, key string, n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf(l.T(key), n)
}

// spanLink is one of the periods a ranking of small members can be read
// over, linked from the page at path.
type spanLink struct {
	Label, Href string
	Current     bool
}

func spanLinks(l locale, path string, cur board.Span) []spanLink {
	var out []spanLink
	for _, sp := range board.Spans {
		out = append(out, spanLink{Label: l.T("span." + string(sp)), Href: path + "?period=" + string(sp), Current: sp == cur})
	}
	return out
}
