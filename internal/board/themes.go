package board

// The complaint themes (差评主题) the pages and GET /api/v1/indicators show
// beside a member's board: a period's counts of every member of an axis
// are held like a board, so that a page view counts no themes (seven
// periods a page, each a join of the themes with the reviews, took most
// of a page's time at 10M reviews).

import (
	"context"
	"errors"
	"time"
	"unsafe"
)

// ThemeMonths is how many calendar months the themes' trend shows, the
// current one last: half a year shows a season's change without crowding
// a phone's width.
const ThemeMonths = 6

// ThemeAxes are what the pages count themes by: the city (""), a
// district's halls, a unit (an agency), a hall and an item, as
// store.ThemeAxis names them.
var ThemeAxes = []string{"", "district", "unit", "hall", "item"}

// ThemeSource counts the themes of the bad reviews of the days from to to
// on axis, by member code (the city's under ""): every member's when code
// is "", code's alone otherwise.
type ThemeSource func(ctx context.Context, axis, code string, from, to time.Time) (map[string]map[string]int64, error)

// SetThemes sets where the cache counts themes from; without it Themes
// fails. store.NewBoards makes the cache with its theme source.
func (c *Cache) SetThemes(src ThemeSource) { c.themes = src }

// Themes is the count by theme of the bad reviews of code on axis over
// the days from to to (code is ignored for the city, axis ""). For a
// standard period it is read from the axis's counts, held within the
// budget and computed at most once a TTL; any other period counts code's
// alone for the call. The map is shared: read it, never write it.
func (c *Cache) Themes(ctx context.Context, axis, code string, from, to time.Time) (map[string]int64, error) {
	if c.themes == nil {
		return nil, errors.New("theme counts: the boards cache has no theme source")
	}
	if axis == "" {
		code = ""
	}
	var out map[string]int64
	if !Standard(from, to, c.now()) {
		drewOther(ctx)
		by, err := c.themes(ctx, axis, code, from, to)
		if err != nil {
			return nil, err
		}
		out = by[code]
	} else {
		k, compute := c.themesJob(axis, from, to)
		err := c.hold(ctx, k, from, to, compute, func(h *held) { out = h.themes[code] })
		if err != nil {
			return nil, err
		}
	}
	if out == nil {
		out = map[string]int64{}
	}
	return out, nil
}

// themesJob is the key of the theme counts of every member of axis over
// from to to, and their computation.
func (c *Cache) themesJob(axis string, from, to time.Time) (key, func(context.Context) (*held, error)) {
	k := key{parent: axis, from: dayOf(from), to: dayOf(to), themes: true}
	return k, func(ctx context.Context) (*held, error) {
		by, err := c.themes(ctx, axis, "", from, to)
		if err != nil {
			return nil, err
		}
		return &held{themes: by, computed: c.now(), size: themesSize(by)}, nil
	}
}

// ThemePeriods are the periods whose themes the pages show on today's
// day: the last 30 days, then the ThemeMonths calendar months up to
// today's, oldest first, the current one to today.
func ThemePeriods(today time.Time) (from, to []time.Time) {
	f, t := Recent(today)
	from, to = append(from, f), append(to, t)
	end := t
	first := time.Date(end.Year(), end.Month(), 1, 0, 0, 0, 0, end.Location()).AddDate(0, 1-ThemeMonths, 0)
	for i := range ThemeMonths {
		m := first.AddDate(0, i, 0)
		last := m.AddDate(0, 1, -1)
		if last.After(end) {
			last = end
		}
		from, to = append(from, m), append(to, last)
	}
	return from, to
}

// themesSize estimates the heap bytes of an axis's theme counts, an
// eighth over as sizeOf does.
func themesSize(by map[string]map[string]int64) int64 {
	n := int64(unsafe.Sizeof(held{})) + mapSize(len(by), 16+8)
	for code, m := range by {
		n += int64(len(code)) + mapSize(len(m), 16+8)
		for t := range m {
			n += int64(len(t))
		}
	}
	return n + n/8
}
