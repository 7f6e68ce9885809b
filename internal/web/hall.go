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
// index, and its windows' results over the quarter (or the year, with
// period=year), ranked within the hall, each with n beside it: a window's
// 30 days are too few reviews to rank it (issue 18).
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
		Period   string
		Spans    []spanLink
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
	rk, names, err := w.hallWindows(ctx, h.Code, data.Lang, from, to)
	if err != nil {
		return err
	}
	data.Windows = ranking{data.L, "window-ranking", data.L.T("hall.windows"), entryRows(data.L, rk, func(c string) string { return names[c] })}
	return w.render(rw, r, http.StatusOK, "hall", data)
}

// hallWindows ranks a hall's windows, named in lang, among themselves, from
// the city's published window board of the period the page states; a
// window without reviews is listed with n = 0.
func (w *Web) hallWindows(ctx context.Context, hall, lang string, from, to time.Time) (index.Ranking, map[string]string, error) {
	places, err := w.store.Places(ctx, store.PlaceFilter{Hall: hall})
	if err != nil {
		return index.Ranking{}, nil, err
	}
	names := map[string]string{}
	var order []string
	for _, p := range places {
		if _, ok := names[p.Window.Code]; !ok {
			names[p.Window.Code] = p.Window.NameIn(lang)
			order = append(order, p.Window.Code)
		}
	}
	b, err := w.boards.Board(ctx, index.Window, from, to)
	if err != nil {
		return index.Ranking{}, nil, fmt.Errorf("window board: %w", err)
	}
	var entries []index.Entry
	for _, code := range order {
		e, ok := b.Find(code)
		if !ok {
			e = index.Entry{Code: code}
		}
		entries = append(entries, e)
	}
	return index.Rank(entries), names, nil
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
