package web

import (
	"net/http"
	"strings"

	"github.com/haocha/haocha/internal/catalog"
	"github.com/haocha/haocha/internal/store"
)

// home is the 好差评 entry: a search and three ways in, by department, by
// district and by item. With ?q= it shows what matched.
func (w *Web) home(rw http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	units, err := w.store.Units(ctx, "")
	if err != nil {
		return err
	}
	data := struct {
		page
		Query      string
		Searched   bool
		Districts  []catalog.Unit
		Agencies   []catalog.Unit
		FoundUnits []catalog.Unit
		FoundItems []catalog.Item
	}{page: w.newPage(r, "")}
	for _, u := range units {
		if u.Kind == catalog.District {
			data.Districts = append(data.Districts, u)
		} else {
			data.Agencies = append(data.Agencies, u)
		}
	}
	data.Query = strings.TrimSpace(r.URL.Query().Get("q"))
	if err := catalog.CheckSearch(data.Query); err != nil {
		return err
	}
	if data.Query != "" {
		data.Searched = true
		for _, u := range units {
			if catalog.Matches(data.Query, u.NameZH, u.NameEN) || u.Code == data.Query {
				data.FoundUnits = append(data.FoundUnits, u)
			}
		}
		if data.FoundItems, err = w.store.Items(ctx, store.ItemFilter{Search: data.Query, Limit: 50}); err != nil {
			return err
		}
	}
	return w.render(rw, r, http.StatusOK, "home", data)
}
