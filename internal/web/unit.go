package web

import (
	"net/http"

	"github.com/haocha/haocha/internal/board"
	"github.com/haocha/haocha/internal/catalog"
	"github.com/haocha/haocha/internal/figures"
	"github.com/haocha/haocha/internal/index"
	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/store"
)

// unitPage shows an agency's or a district's published results and the way
// to rate it, and the workstations of the halls it runs ranked across those
// halls over the quarter (or the year, with period=year), each with n
// beside its index, as the staff console ranks them (issue 18).
func (w *Web) unitPage(rw http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, err := w.store.Unit(ctx, r.PathValue("code"))
	if err != nil {
		return err
	}
	data := struct {
		page
		Unit    catalog.Unit
		Results results
		Items   []catalog.Item
		Halls   []catalog.Hall
		Src     string
		Score   *scorecard
		Themes  *themesView
		// Stations ranks the workstations of the halls the unit runs;
		// StationsShown is false when it runs none.
		Stations         ranking
		StationsShown    bool
		StationsUnlisted string
		Period           string
		Spans            []spanLink
	}{page: w.newPage(r, ""), Unit: u, Src: r.URL.Query().Get("src")}
	data.Title = u.Name(data.Lang)
	f := review.Filter{Unit: u.Code}
	if u.Kind == catalog.District {
		// A district answers for everything rated in it.
		f = review.Filter{District: u.Code}
		if data.Halls, err = w.store.Halls(ctx, u.Code); err != nil {
			return err
		}
	} else if data.Items, err = w.store.Items(ctx, store.ItemFilter{Unit: u.Code}); err != nil {
		return err
	}
	if data.Results, err = w.loadResults(ctx, f); err != nil {
		return err
	}
	sc := index.Agency
	if u.Kind == catalog.District {
		sc = index.District
	}
	if data.Score, err = w.loadScorecard(ctx, data.L, sc, u.Code, data.Title); err != nil {
		return err
	}
	axis := store.ThemeAxis("unit")
	if u.Kind == catalog.District {
		axis = "district"
	}
	if data.Themes, err = w.loadThemes(ctx, data.L, axis, u.Code); err != nil {
		return err
	}
	span := board.SpanOf(r.URL.Query().Get("period"))
	from, to := span.Days(w.store.Now())
	data.Period = figures.Period(from, to)
	data.Spans = spanLinks(data.L, "/units/"+u.Code, span)
	ws, err := w.placeRanking(ctx, index.Workstation, store.PlaceFilter{Unit: u.Code}, data.Lang, from, to)
	if err != nil {
		return err
	}
	rows := entryRows(data.L, ws.rk, ws.name)
	for i := range rows {
		h := ws.halls[rows[i].Code]
		rows[i].Hall, rows[i].HallHref = h.Name(data.Lang), "/halls/"+h.Code
	}
	data.StationsShown = ws.members > 0
	data.Stations = ranking{L: data.L, ID: "unit-workstation-ranking", Caption: data.L.T("unit.workstations"), Rows: rows}.
		firstRows(r.URL.Query().Get("all") == "1", "/units/"+u.Code+"?period="+string(span)+"&all=1")
	data.StationsUnlisted = unlistedText(data.L, "hall.unlisted.ws", ws.unlisted)
	return w.render(rw, r, http.StatusOK, "unit", data)
}
