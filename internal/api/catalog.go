package api

import (
	"github.com/haocha/haocha/internal/httpjson"
	"net/http"

	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/catalog"
	"github.com/haocha/haocha/internal/store"
)

func (a *API) units(w http.ResponseWriter, r *http.Request) error {
	kind := catalog.UnitKind(r.URL.Query().Get("kind"))
	if kind != "" && kind != catalog.District && kind != catalog.Agency {
		return apperr.Invalidf("kind", "want district or agency, got %q", kind)
	}
	units, err := a.Store.Units(r.Context(), kind)
	if err != nil {
		return err
	}
	httpjson.Write(w, http.StatusOK, map[string]any{"units": nonNil(units)})
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
	limit, err := limitParam(r, 1000, 10000)
	if err != nil {
		return err
	}
	if err := catalog.CheckSearch(q.Get("q")); err != nil {
		return err
	}
	items, err := a.Store.Items(r.Context(), store.ItemFilter{Unit: q.Get("unit"), Hall: q.Get("hall"), Search: q.Get("q"), Limit: limit})
	if err != nil {
		return err
	}
	httpjson.Write(w, http.StatusOK, map[string]any{"items": nonNil(items)})
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
