package web

import (
	"net/http"
	"net/url"
	"sort"
	"strings"

	"github.com/haocha/haocha/internal/catalog"
	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/store"
)

// unitRate rates a unit from its page: the citizen picks the item among the
// agency's own items, or among those handled in the district's halls.
func (w *Web) unitRate(rw http.ResponseWriter, r *http.Request) error {
	if err := parseForm(rw, r); err != nil {
		return err
	}
	ctx := r.Context()
	u, err := w.store.Unit(ctx, r.PathValue("code"))
	if err != nil {
		return err
	}
	src := r.FormValue("src")
	f := &rateForm{page: w.newPage(r, "rate.title"), Unit: &u, Src: src,
		Action: "/units/" + url.PathEscape(u.Code) + "/rate"}
	f.Self = withSrc(f.Action, src)
	if r.Method != http.MethodPost {
		f.Query = strings.TrimSpace(r.URL.Query().Get("q"))
	}
	if f.Items, err = w.unitItems(r, u, f.Query); err != nil {
		return err
	}
	if f.Stages, err = w.store.StageNames(ctx); err != nil {
		return err
	}
	return w.rate(rw, r, f, func(s *review.Submission) {
		s.Channel, s.Unit = string(onlineChannel(r, src)), u.Code
	})
}

// unitItems lists the items a unit can be rated for.
func (w *Web) unitItems(r *http.Request, u catalog.Unit, q string) ([]catalog.Item, error) {
	ctx := r.Context()
	if u.Kind != catalog.District {
		return w.store.Items(ctx, store.ItemFilter{Unit: u.Code, Search: q})
	}
	halls, err := w.store.Halls(ctx, u.Code)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var out []catalog.Item
	for _, h := range halls {
		items, err := w.store.Items(ctx, store.ItemFilter{Hall: h.Code, Search: q})
		if err != nil {
			return nil, err
		}
		for _, it := range items {
			if !seen[it.Code] {
				seen[it.Code] = true
				out = append(out, it)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out, nil
}
