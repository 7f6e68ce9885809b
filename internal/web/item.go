package web

import (
	"net/http"
	"strings"

	"github.com/haocha/haocha/internal/catalog"
	"github.com/haocha/haocha/internal/index"
	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/store"
)

// itemList lists the service items, or those matching ?q=.
func (w *Web) itemList(rw http.ResponseWriter, r *http.Request) error {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	if err := catalog.CheckSearch(q); err != nil {
		return err
	}
	list, err := w.pageItems(r.Context(), r.URL.Query(), store.ItemFilter{Search: q})
	if err != nil {
		return err
	}
	data := struct {
		page
		itemsList
		Query string
	}{w.newPage(r, "items"), list, q}
	return w.render(rw, r, http.StatusOK, "items", data)
}

// stageResult is one stage's share of an item's results.
type stageResult struct {
	catalog.Stage
	Count   int64
	Average float64
}

// itemPage is the item's service guide (办事指南): its stages, its results
// overall and per stage, and the way to rate it.
func (w *Web) itemPage(rw http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	it, err := w.store.Item(ctx, r.PathValue("code"))
	if err != nil {
		return err
	}
	owner, err := w.store.Unit(ctx, it.Unit)
	if err != nil {
		return err
	}
	data := struct {
		page
		Item    catalog.Item
		Owner   catalog.Unit
		Results results
		Stages  []stageResult
		Src     string
		Score   *scorecard
		Themes  *themesView
		Guide   catalog.Guide
		// GuideLang is the html lang of the guide when it is not in the
		// page's language (an item with a Chinese guide only).
		GuideLang string
	}{page: w.newPage(r, ""), Item: it, Owner: owner, Src: r.URL.Query().Get("src")}
	data.Title = it.Name(data.Lang)
	guides, err := w.store.Guides(ctx, it.Code)
	if err != nil {
		return err
	}
	if g, ok := catalog.PickGuide(guides, data.Lang); ok {
		data.Guide = g
		if g.Lang != data.Lang {
			data.GuideLang = locale(g.Lang).HTMLLang()
		}
	}
	if data.Results, err = w.loadResults(ctx, review.Filter{Item: it.Code}); err != nil {
		return err
	}
	if data.Score, err = w.loadScorecard(ctx, data.L, index.Item, it.Code, data.Title); err != nil {
		return err
	}
	if data.Themes, err = w.loadThemes(ctx, data.L, "item", it.Code); err != nil {
		return err
	}
	set, err := w.store.ActiveDimensionSet(ctx)
	if err != nil {
		return err
	}
	for _, st := range it.Stages {
		t, err := w.store.Stats(ctx, review.Filter{Item: it.Code, Stage: st.Code})
		if err != nil {
			return err
		}
		s := t.Stats(set)
		data.Stages = append(data.Stages, stageResult{st, s.Total, s.Average})
	}
	return w.render(rw, r, http.StatusOK, "item", data)
}
