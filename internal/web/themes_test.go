package web_test

import (
	"context"
	"fmt"
	"html"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/board"
	"github.com/haocha/haocha/internal/store"
	"github.com/haocha/haocha/internal/theme"
)

// classified stores the themes of every bad review of the demo, as the
// scheduler's first tick does.
func classified(t *testing.T) {
	t.Helper()
	if _, err := haocha.Store.ClassifyThemes(context.Background(), time.Time{}, theme.Default().OfReview); err != nil {
		t.Fatal(err)
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
	for _, p := range []struct {
		path string
		axis store.ThemeAxis
		code string
	}{
		{"/units/SHGA", "unit", "SHGA"},
		{"/units/310101", "district", "310101"},
		{"/halls/" + hall, "hall", hall},
		{"/items/" + item, "item", item},
	} {
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
