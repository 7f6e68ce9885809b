package web_test

import (
	"context"
	"fmt"
	"html"
	"maps"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/board"
	"github.com/haocha/haocha/internal/store"
	"github.com/haocha/haocha/internal/theme"
)

// classified stores the themes of every bad review of the demo, as the
// scheduler's first tick does, and empties the boards cache, which may
// hold counts from before (a minute, as after a real first tick).
func classified(t *testing.T) {
	t.Helper()
	if _, err := haocha.Store.ClassifyThemes(context.Background(), time.Time{}, theme.Default().OfReview); err != nil {
		t.Fatal(err)
	}
	emptyBoards()
}

// emptyBoards drops every board and theme count the cache holds: nothing
// fits a budget of nothing.
func emptyBoards() {
	haocha.Boards.SetBudget(0)
	haocha.Boards.SetBudget(board.DefaultBytes)
}

// themedPages are the pages that show themes, each with the axis and
// member whose themes it shows.
func themedPages() []struct {
	path string
	axis store.ThemeAxis
	code string
} {
	return []struct {
		path string
		axis store.ThemeAxis
		code string
	}{
		{"/units/SHGA", "unit", "SHGA"},
		{"/units/310101", "district", "310101"},
		{"/halls/" + hall, "hall", hall},
		{"/items/" + item, "item", item},
	}
}

// TestThemesSecondViewCountsNothing: the first view of each page that
// shows themes after the cache is emptied reads theme counts; a second
// view reads none and computes no board (the seven periods of its themes
// are held beside the boards), and what the cache holds for each period
// the page shows, the 30 days and the six months, is what the store counts
// uncached.
func TestThemesSecondViewCountsNothing(t *testing.T) {
	classified(t)
	c := newClient(t)
	ctx := context.Background()
	froms, tos := board.ThemePeriods(haocha.Store.Now())
	for _, p := range themedPages() {
		reads := haocha.Store.ThemeReads()
		c.page(p.path)
		if haocha.Store.ThemeReads() == reads {
			t.Errorf("%s: the first view of its axis read no theme counts: the test measures nothing", p.path)
		}
		reads, computed := haocha.Store.ThemeReads(), haocha.Boards.Computations()
		c.page(p.path)
		if n := haocha.Store.ThemeReads() - reads; n != 0 {
			t.Errorf("%s: the second view read theme counts %d times, want none", p.path, n)
		}
		if n := haocha.Boards.Computations() - computed; n != 0 {
			t.Errorf("%s: the second view computed %d boards or theme counts, want none", p.path, n)
		}
		for i := range froms {
			held, err := haocha.Boards.Themes(ctx, string(p.axis), p.code, froms[i], tos[i])
			if err != nil {
				t.Fatal(err)
			}
			want, err := haocha.Store.ThemeCounts(ctx, p.axis, p.code, froms[i], tos[i])
			if err != nil {
				t.Fatal(err)
			}
			if !maps.Equal(held, want) {
				t.Errorf("%s %s–%s: held themes %v, uncached %v", p.path, froms[i].Format(time.DateOnly), tos[i].Format(time.DateOnly), held, want)
			}
		}
	}
}

// TestThemesOnPublicPages: the unit, district, hall and item pages list
// the themes of their bad reviews of the last 30 days with the counts the
// store holds, most first, in the page's language, and draw the trend.
func TestThemesOnPublicPages(t *testing.T) {
	classified(t)
	c := newClient(t)
	from, to := board.Recent(haocha.Store.Now())
	themed := 0
	for _, p := range themedPages() {
		counts, err := haocha.Store.ThemeCounts(context.Background(), p.axis, p.code, from, to)
		if err != nil {
			t.Fatal(err)
		}
		top := theme.Default().Rank(counts)
		themed += len(top)
		for _, lang := range []string{"zh", "en"} {
			c.get("/prefs?lang=" + lang + "&back=/")
			body := c.page(p.path)
			if len(top) == 0 {
				// The demo gives some members no themed bad review in 30 days.
				mustContain(t, body, `id="themes-none"`)
				mustNotContain(t, body, `id="themes-top"`)
				continue
			}
			want := []string{`id="themes-top"`, `id="themes-trend"`}
			for _, tc := range top {
				want = append(want, fmt.Sprintf(`<th scope="row">%s</th><td>%d</td>`, html.EscapeString(tc.Theme.Name(lang)), tc.N))
			}
			mustContain(t, body, want...)
		}
	}
	if themed == 0 {
		t.Error("no page had a themed bad review: the demo no longer gives the test one")
	}
}
