// Package loadgen drives Haocha's review intake and read API with realistic
// traffic built from the demo catalogue, and measures throughput and latency
// percentiles. It talks to loopback addresses only: it is a benchmark tool,
// not a way to flood someone else's server.
package loadgen

import (
	"context"

	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/catalog"
	"github.com/haocha/haocha/internal/review"
)

// Index is a catalogue held in memory, looked up by code. It answers the
// questions intake asks (it is a review.Source), so that a generated
// submission can be resolved into the very row the server would store
// without asking the server.
type Index struct {
	Set   review.DimensionSet
	items map[string]catalog.Item
	units map[string]catalog.Unit
	place map[string]catalog.Place
	// stations lists, for the generator, every workstation with the items
	// its hall handles.
	stations []station
	itemList []catalog.Item
}

type station struct {
	code  string
	items []string
}

// NewIndex indexes c; reviews are scored under set.
func NewIndex(c *catalog.Catalog, set review.DimensionSet) *Index {
	x := &Index{
		Set:   set,
		items: make(map[string]catalog.Item, len(c.Items)),
		units: make(map[string]catalog.Unit, len(c.Units)),
		place: make(map[string]catalog.Place, len(c.Workstations)),
	}
	for _, it := range c.Items {
		x.items[it.Code] = it
		if len(it.Stages) > 0 {
			x.itemList = append(x.itemList, it)
		}
	}
	for _, u := range c.Units {
		x.units[u.Code] = u
	}
	halls := make(map[string]catalog.Hall, len(c.Halls))
	for _, h := range c.Halls {
		halls[h.Code] = h
	}
	windows := make(map[string]catalog.Window, len(c.Windows))
	for _, w := range c.Windows {
		windows[w.Code] = w
	}
	staff := make(map[string]catalog.Staff, len(c.Staff))
	for _, s := range c.Staff {
		staff[s.Code] = s
	}
	hallItems := map[string][]string{}
	for _, hi := range c.HallItems {
		if len(x.items[hi.Item].Stages) > 0 {
			hallItems[hi.Hall] = append(hallItems[hi.Hall], hi.Item)
		}
	}
	for _, ws := range c.Workstations {
		w := windows[ws.Window]
		p := catalog.Place{Workstation: ws, Window: w, Hall: halls[w.Hall]}
		if s, ok := staff[ws.Staff]; ok {
			p.Staff = &s
		}
		x.place[ws.Code] = p
		if items := hallItems[w.Hall]; len(items) > 0 {
			x.stations = append(x.stations, station{code: ws.Code, items: items})
		}
	}
	return x
}

// Item implements review.Catalog.
func (x *Index) Item(_ context.Context, code string) (catalog.Item, error) {
	if it, ok := x.items[code]; ok {
		return it, nil
	}
	return catalog.Item{}, apperr.New(apperr.NotFound, "item", "no item %q", code)
}

// Unit implements review.Catalog.
func (x *Index) Unit(_ context.Context, code string) (catalog.Unit, error) {
	if u, ok := x.units[code]; ok {
		return u, nil
	}
	return catalog.Unit{}, apperr.New(apperr.NotFound, "unit", "no unit %q", code)
}

// Place implements review.Catalog.
func (x *Index) Place(_ context.Context, workstation string) (catalog.Place, error) {
	if p, ok := x.place[workstation]; ok {
		return p, nil
	}
	return catalog.Place{}, apperr.New(apperr.NotFound, "workstation", "no workstation %q", workstation)
}

// ActiveDimensionSet implements review.Source.
func (x *Index) ActiveDimensionSet(context.Context) (review.DimensionSet, error) { return x.Set, nil }
