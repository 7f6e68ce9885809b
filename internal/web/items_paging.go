package web

import (
	"context"
	"net/url"

	"github.com/haocha/haocha/internal/catalog"
	"github.com/haocha/haocha/internal/paging"
	"github.com/haocha/haocha/internal/store"
)

// itemsPage is how many items /items lists a page: a province's catalogue
// runs to thousands, more than a phone should load at once.
const itemsPage = 100

// itemsList is a page of /items with the addresses of the next page and
// of the first (keyset pages have no cheap way back but to start again).
type itemsList struct {
	Items             []catalog.Item
	NextURL, FirstURL string
}

// pageItems reads the page of f that q asks (?limit=, ?cursor=).
func (w *Web) pageItems(ctx context.Context, q url.Values, f store.ItemFilter) (itemsList, error) {
	p, err := paging.Parse(q, itemsPage, itemsPage, 1)
	if err != nil {
		return itemsList{}, err
	}
	f.Limit = p.Limit + 1
	if p.After != nil {
		f.After = p.After[0]
	}
	items, err := w.store.Items(ctx, f)
	if err != nil {
		return itemsList{}, err
	}
	var l itemsList
	var next string
	l.Items, next = paging.Of(items, p, func(it catalog.Item) []string { return []string{it.Code} })
	if next != "" {
		l.NextURL = itemsURL(q, next)
	}
	if p.After != nil {
		l.FirstURL = itemsURL(q, "")
	}
	return l, nil
}

// itemsURL is /items with q's search and limit, at cursor.
func itemsURL(q url.Values, cursor string) string {
	v := url.Values{}
	for _, k := range []string{"q", "limit"} {
		if q.Get(k) != "" {
			v.Set(k, q.Get(k))
		}
	}
	if cursor != "" {
		v.Set("cursor", cursor)
	}
	if len(v) == 0 {
		return "/items"
	}
	return "/items?" + v.Encode()
}
