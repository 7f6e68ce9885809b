package api

import (
	"net/http"

	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/catalog"
	"github.com/haocha/haocha/internal/httpjson"
	"github.com/haocha/haocha/internal/paging"
	"github.com/haocha/haocha/internal/store"
)

// The largest pages of the public catalogue lists. A city has some dozens
// of units, so one page of the most holds them all, as the list did
// before it was paged; items default to 1,000 a page.
const (
	MaxUnitPage = 1000
	MaxItemPage = 10000
)

func (a *API) units(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	kind := catalog.UnitKind(q.Get("kind"))
	if kind != "" && kind != catalog.District && kind != catalog.Agency {
		return apperr.Invalidf("kind", "want district or agency, got %q", kind)
	}
	p, err := paging.Parse(q, MaxUnitPage, MaxUnitPage, 2)
	if err != nil {
		return err
	}
	f := store.UnitPage{Kind: kind, Limit: p.Limit + 1}
	if p.After != nil {
		f.AfterKind, f.AfterCode = p.After[0], p.After[1]
	}
	units, err := a.Store.UnitsPage(r.Context(), f)
	if err != nil {
		return err
	}
	units, next := paging.Of(units, p, func(u catalog.Unit) []string { return []string{string(u.Kind), u.Code} })
	httpjson.Write(w, http.StatusOK, map[string]any{"units": nonNil(units), "next_cursor": next})
	return nil
}

func (a *API) unit(w http.ResponseWriter, r *http.Request) error {
	u, err := a.Store.Unit(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	httpjson.Write(w, http.StatusOK, u)
	return nil
}

func (a *API) items(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	p, err := paging.Parse(q, 1000, MaxItemPage, 1)
	if err != nil {
		return err
	}
	if err := catalog.CheckSearch(q.Get("q")); err != nil {
		return err
	}
	f := store.ItemFilter{Unit: q.Get("unit"), Hall: q.Get("hall"), Search: q.Get("q"), Limit: p.Limit + 1}
	if p.After != nil {
		f.After = p.After[0]
	}
	items, err := a.Store.Items(r.Context(), f)
	if err != nil {
		return err
	}
	items, next := paging.Of(items, p, func(it catalog.Item) []string { return []string{it.Code} })
	httpjson.Write(w, http.StatusOK, map[string]any{"items": nonNil(items), "next_cursor": next})
	return nil
}

func (a *API) item(w http.ResponseWriter, r *http.Request) error {
	it, err := a.Store.Item(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	httpjson.Write(w, http.StatusOK, it)
	return nil
}

func (a *API) workstation(w http.ResponseWriter, r *http.Request) error {
	p, err := a.Store.Place(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	// The public learns the place; who sits there is for staff roles.
	if p.Workstation.Staff != "" && mayReadStaff(r, p.Workstation.Staff) != nil {
		p.Staff, p.Workstation.Staff = nil, ""
	}
	httpjson.Write(w, http.StatusOK, p)
	return nil
}

func (a *API) dimensions(w http.ResponseWriter, r *http.Request) error {
	set, err := a.Store.ActiveDimensionSet(r.Context())
	if err != nil {
		return err
	}
	httpjson.Write(w, http.StatusOK, set)
	return nil
}

// nonNil makes an empty list encode as [] rather than null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
