package store_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/haocha/haocha/internal/catalog"
	"github.com/haocha/haocha/internal/store"
	"github.com/haocha/haocha/internal/store/storetest"
)

// placeNames is what a page shows of a workstation, in both languages.
type placeNames struct{ Window, WindowEN, Workstation, WorkstationEN string }

func namesAt(t *testing.T, st *store.Store, workstation string) placeNames {
	t.Helper()
	p, err := st.Place(context.Background(), workstation)
	if err != nil {
		t.Fatal(err)
	}
	return placeNames{p.Window.Name, p.Window.NameEN, p.Workstation.Name, p.Workstation.NameEN}
}

func TestPlaceNamesEN(t *testing.T) {
	eachBackend(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		c := &catalog.Catalog{
			Windows: []catalog.Window{{Code: "H1-W3", Hall: "H1", Name: "3号窗口", NameEN: "Window 3"}},
			Workstations: []catalog.Workstation{
				{Code: "H1-W3-2", Window: "H1-W3", Name: "3号窗口2号工位", NameEN: "Window 3, seat 2"},
				{Code: "H1-W3-3", Window: "H1-W3", Name: "3号窗口3号工位"},
			},
		}
		if err := st.ImportCatalog(ctx, c); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(placeNames{"3号窗口", "Window 3", "3号窗口2号工位", "Window 3, seat 2"}, namesAt(t, st, "H1-W3-2")); diff != "" {
			t.Errorf("imported names (-want +got):\n%s", diff)
		}
		// Without an English name, English falls back to Chinese.
		p, err := st.Place(ctx, "H1-W3-3")
		if err != nil {
			t.Fatal(err)
		}
		if got := p.Workstation.NameIn("en"); got != "3号窗口3号工位" {
			t.Errorf("workstation without an English name reads %q in English", got)
		}
		// The list of places carries the same names.
		places, err := st.Places(ctx, store.PlaceFilter{Hall: "H1"})
		if err != nil {
			t.Fatal(err)
		}
		var listed []string
		for _, p := range places {
			listed = append(listed, p.Window.NameIn("en")+" / "+p.Workstation.NameIn("en"))
		}
		want := []string{"1号窗口 / 1号工位", "1号窗口 / 2号工位", "Window 3 / Window 3, seat 2", "Window 3 / 3号窗口3号工位"}
		if diff := cmp.Diff(want, listed); diff != "" {
			t.Errorf("places in English (-want +got):\n%s", diff)
		}
		// A second import changes the English name, and can remove it.
		c.Windows[0].NameEN = "Counter 3"
		c.Workstations[0].NameEN = ""
		if err := st.ImportCatalog(ctx, c); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(placeNames{"3号窗口", "Counter 3", "3号窗口2号工位", ""}, namesAt(t, st, "H1-W3-2")); diff != "" {
			t.Errorf("re-imported names (-want +got):\n%s", diff)
		}
	})
}

// TestBackfillPlaceNamesEN: a catalogue loaded before English names gets
// them where its Chinese names follow the usual pattern, and keeps the
// English names it has.
func TestBackfillPlaceNamesEN(t *testing.T) {
	for name, dsn := range storetest.Backends(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			st := storetest.OpenFixture(t, dsn(t))
			c := &catalog.Catalog{
				Windows: []catalog.Window{{Code: "H1-W12", Hall: "H1", Name: "12号窗口"}, {Code: "H1-WX", Hall: "H1", Name: "综合窗口"}},
				Workstations: []catalog.Workstation{
					{Code: "H1-W12-04", Window: "H1-W12", Name: "12号窗口4号工位"},
					{Code: "H1-W12-05", Window: "H1-W12", Name: "12号窗口5号工位", NameEN: "Seat for business"},
					{Code: "H1-WX-1", Window: "H1-WX", Name: "老年人专座"},
				},
			}
			if err := st.ImportCatalog(ctx, c); err != nil {
				t.Fatal(err)
			}
			if err := st.BackfillPlaceNamesEN(ctx); err != nil {
				t.Fatal(err)
			}
			for ws, want := range map[string]placeNames{
				"H1-W12-04": {"12号窗口", "Window 12", "12号窗口4号工位", "Window 12, seat 4"},
				"H1-W12-05": {"12号窗口", "Window 12", "12号窗口5号工位", "Seat for business"},
				"H1-WX-1":   {"综合窗口", "", "老年人专座", ""},
				// The fixture's "1号工位" is not the pattern: no guess.
				"H1-W1-1": {"1号窗口", "Window 1", "1号工位", ""},
			} {
				if diff := cmp.Diff(want, namesAt(t, st, ws)); diff != "" {
					t.Errorf("%s after the backfill (-want +got):\n%s", ws, diff)
				}
			}
		})
	}
}
