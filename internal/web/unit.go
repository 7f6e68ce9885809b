package web

import (
	"net/http"

	"github.com/haocha/haocha/internal/catalog"
	"github.com/haocha/haocha/internal/index"
	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/store"
)

// unitPage shows an agency's or a district's published results and the way
// to rate it.
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
	return w.render(rw, r, http.StatusOK, "unit", data)
}
