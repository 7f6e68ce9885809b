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
	all := r.URL.Query().Get("all") == "1"
	allHref := "/halls/" + h.Code + "?period=" + string(span) + "&all=1"
	win, err := w.placeRanking(ctx, index.Window, store.PlaceFilter{Hall: h.Code}, data.Lang, from, to)
	if err != nil {
		return err
	}
	data.Windows = ranking{L: data.L, ID: "window-ranking", Caption: data.L.T("hall.windows"), Rows: entryRows(data.L, win.rk, win.name)}.onPhone(all, allHref)
	data.WindowsUnlisted = unlistedText(data.L, "hall.unlisted.win", win.unlisted)
	ws, err := w.placeRanking(ctx, index.Workstation, store.PlaceFilter{Hall: h.Code}, data.Lang, from, to)
	if err != nil {
		return err
	}
	data.Stations = ranking{L: data.L, ID: "workstation-ranking", Caption: data.L.T("hall.workstations"), Rows: entryRows(data.L, ws.rk, ws.name)}.onPhone(all, allHref)
	data.StationsUnlisted = unlistedText(data.L, "hall.unlisted.ws", ws.unlisted)
	return w.render(rw, r, http.StatusOK, "hall", data)
}

// placeRanked is the windows or workstations of some halls ranked among
// themselves.
type placeRanked struct {
	rk       index.Ranking
	names    map[string]string       // by code, in the page's language
	halls    map[string]catalog.Hall // each member's hall, by code
	members  int                     // with or without reviews
	unlisted int                     // without reviews in the period
}

func (p placeRanked) name(code string) string { return p.names[code] }

// placeRanking ranks the windows or workstations (sc) of the halls f
// picks (one hall, or every hall a unit runs), named in lang, among
// themselves, from the city's published board of sc over the period the
// page states: the figures are the board's, which `haocha index verify`
// checks, and one cached board serves every hall and unit. A member
// without reviews in the period is not listed, as the board does not list
// it (issue 18): unlisted counts them.
func (w *Web) placeRanking(ctx context.Context, sc index.Scope, f store.PlaceFilter, lang string, from, to time.Time) (placeRanked, error) {
	places, err := w.store.Places(ctx, f)
	if err != nil {
		return placeRanked{}, err
	}
	out := placeRanked{names: map[string]string{}, halls: map[string]catalog.Hall{}}
	var order []string
	for _, p := range places {
		code, name := p.Window.Code, p.Window.NameIn(lang)
		if sc == index.Workstation {
			code, name = p.Workstation.Code, p.Workstation.NameIn(lang)
		}
		if _, ok := out.names[code]; !ok {
			out.names[code], out.halls[code] = name, p.Hall
			order = append(order, code)
		}
	}
	out.members = len(order)
	if len(order) == 0 {
		return out, nil
	}
	b, err := w.boards.Board(ctx, sc, from, to)
	if err != nil {
		return placeRanked{}, fmt.Errorf("%s board: %w", sc, err)
	}
	// One pass over the board, not a search of it per member: a unit runs
	// hundreds of the city's thousands of workstations.
	found := make(map[string]index.Entry, len(order))
	for _, list := range [][]index.Entry{b.Ranked, b.Insufficient} {
		for i := range list {
			if _, ok := out.names[list[i].Code]; ok {
				found[list[i].Code] = list[i]
			}
		}
	}
	var entries []index.Entry
	for _, code := range order {
		e, ok := found[code]
		if !ok || e.N == 0 {
			out.unlisted++
			continue
		}
		entries = append(entries, e)
	}
	out.rk = index.Rank(entries)
	return out, nil
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
