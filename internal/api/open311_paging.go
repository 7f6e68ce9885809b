package api

import (
	"net/http"

	"github.com/haocha/haocha/internal/caller"
	"github.com/haocha/haocha/internal/httpjson"
	"github.com/haocha/haocha/internal/paging"
	"github.com/haocha/haocha/internal/workorder"
)

// Open311 answers its lists as bare arrays, as the standard has them, so
// a page's neighbours cannot travel in the body beside the orders as
// next_cursor does elsewhere: they go in headers, Next-Cursor and
// Prev-Cursor (the same cursors), and a Link header (RFC 8288) with the
// next and previous pages' addresses. A client that ignores them reads
// the first page, newest first, as before paging.

// maxRequests is the most requests one page of requests.json holds, the
// standard's own default.
const maxRequests = 1000

// open311Page reads the page of f that the request asks (?limit=,
// ?cursor=) and sets the headers that lead to its neighbours.
func (c *Loop) open311Page(w http.ResponseWriter, r *http.Request, f workorder.Filter) (workorder.Page, error) {
	q := r.URL.Query()
	var err error
	if f.Limit, err = paging.Limit(q, maxRequests, maxRequests); err != nil {
		return workorder.Page{}, err
	}
	if v := q.Get("cursor"); v != "" {
		if err := workorder.ReadCursor(&f, v, c.Service.Cursors); err != nil {
			return workorder.Page{}, err
		}
	}
	p, err := workorder.ReadPage(f, maxRequests, c.Store.Now(), c.Service.Cursors, func(f workorder.Filter) ([]workorder.Row, error) { return c.Store.Orders(r.Context(), f) })
	if err != nil {
		return p, err
	}
	pageHeaders(w, r, p.Next, p.Prev)
	return p, nil
}

// pageHeaders names a bare array's neighbouring pages: next and prev are
// their cursors, empty when there is none.
func pageHeaders(w http.ResponseWriter, r *http.Request, next, prev string) {
	for _, n := range []struct{ rel, header, cursor string }{{"next", "Next-Cursor", next}, {"prev", "Prev-Cursor", prev}} {
		if n.cursor != "" {
			w.Header().Set(n.header, n.cursor)
			w.Header().Add("Link", "<"+paging.URL(r.URL.Path, r.URL.Query(), n.cursor)+`>; rel="`+n.rel+`"`)
		}
	}
}

// open311Services answers services.json, paged like every list though
// it holds one service.
func (c *Loop) open311Services(w http.ResponseWriter, r *http.Request, _ *caller.Staff) error {
	p, err := paging.Parse(r.URL.Query(), maxRequests, maxRequests, 1)
	if err != nil {
		return err
	}
	key := func(s o311Service) []string { return []string{s.ServiceCode} }
	list, next := paging.Of(paging.After(o311Services, p, key), p, key)
	pageHeaders(w, r, next, "")
	if list == nil {
		list = []o311Service{} // [], not null, past the last
	}
	httpjson.Write(w, http.StatusOK, list)
	return nil
}
