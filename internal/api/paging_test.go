package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"testing"

	"github.com/haocha/haocha/internal/api"
	"github.com/haocha/haocha/internal/api/apitest"
	"github.com/haocha/haocha/internal/catalog"
	"github.com/haocha/haocha/internal/demo"
	"github.com/haocha/haocha/internal/intake"
	"github.com/haocha/haocha/internal/route"
	"github.com/haocha/haocha/internal/store"
	"github.com/haocha/haocha/internal/store/storetest"
)

// TestCatalogListsPage walks /api/v1/units and /api/v1/items page by page,
// at several page sizes and filters, on each backend: every row comes
// once, in the order of the whole list, and the last page says so with an
// empty next_cursor.
func TestCatalogListsPage(t *testing.T) {
	for name, dsn := range storetest.Backends(t) {
		t.Run(name, func(t *testing.T) {
			st := storetest.Open(t, dsn(t))
			c := demo.Catalog()
			// The city's units and items: 61 and 376, enough for many pages.
			if err := st.ImportCatalog(context.Background(), &catalog.Catalog{Units: c.Units, Items: c.Items}); err != nil {
				t.Fatal(err)
			}
			mux := route.NewMux()
			(&api.API{Store: st, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Intake: &intake.Service{Store: st}}).Register(mux)
			h := apitest.Check(t, mux)
			ctx := context.Background()
			whole := func(kind catalog.UnitKind) []string {
				us, err := st.Units(ctx, kind)
				return codes(t, us, err, func(u catalog.Unit) string { return u.Code })
			}
			items := func(f store.ItemFilter) []string {
				its, err := st.Items(ctx, f)
				return codes(t, its, err, func(it catalog.Item) string { return it.Code })
			}
			tests := []struct {
				list, query string
				want        []string
			}{
				{"units", "", whole("")},
				{"units", "kind=district", whole(catalog.District)},
				{"units", "kind=agency", whole(catalog.Agency)},
				{"items", "", items(store.ItemFilter{})},
				{"items", "unit=SHGA", items(store.ItemFilter{Unit: "SHGA"})},
				{"items", "q=证", items(store.ItemFilter{Search: "证"})},
			}
			for _, tt := range tests {
				if len(tt.want) < 3 {
					t.Fatalf("%s?%s: only %d rows, too few to page", tt.list, tt.query, len(tt.want))
				}
				for _, size := range []int{1, 7, len(tt.want), 1000} {
					got, pages := walk(t, h, tt.list, tt.query, size)
					if !slices.Equal(got, tt.want) {
						t.Errorf("%s?%s in pages of %d: %v, want %v", tt.list, tt.query, size, got, tt.want)
					}
					if want := max(1, (len(tt.want)+size-1)/size); pages != want {
						t.Errorf("%s?%s in pages of %d: %d pages, want %d", tt.list, tt.query, size, pages, want)
					}
				}
			}
			// The default page holds every unit, as the list did before
			// it was paged.
			got, pages := walk(t, h, "units", "", 0)
			if pages != 1 || !slices.Equal(got, whole("")) {
				t.Errorf("units by default: %d pages of %d units", pages, len(got))
			}
		})
	}
}

// codes is the code of each of list, read with err.
func codes[T any](t *testing.T, list []T, err error, code func(T) string) []string {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, x := range list {
		out = append(out, code(x))
	}
	return out
}

// walk reads list page after page (size 0: the default page) and returns
// the codes read and the number of pages.
func walk(t *testing.T, h http.Handler, list, query string, size int) ([]string, int) {
	t.Helper()
	return walkFrom(t, h, list, query, size, "")
}

// walkFrom is walk from the page at cursor.
func walkFrom(t *testing.T, h http.Handler, list, query string, size int, cursor string) ([]string, int) {
	t.Helper()
	var read []string
	pages := 0
	for {
		q, _ := url.ParseQuery(query)
		if size > 0 {
			q.Set("limit", fmt.Sprint(size))
		}
		if cursor != "" {
			q.Set("cursor", cursor)
		}
		rec := do(h, "GET", "/api/v1/"+list+"?"+q.Encode(), "")
		if rec.Code != 200 {
			t.Fatalf("%s?%s: %d %s", list, q.Encode(), rec.Code, rec.Body)
		}
		var page map[string]json.RawMessage
		json.Unmarshal(rec.Body.Bytes(), &page)
		var rows []struct{ Code string }
		json.Unmarshal(page[list], &rows)
		if err := json.Unmarshal(page["next_cursor"], &cursor); err != nil {
			t.Fatalf("%s: no next_cursor: %s", list, rec.Body)
		}
		pages++
		for _, r := range rows {
			read = append(read, r.Code)
		}
		if cursor == "" || pages > 1000 {
			return read, pages
		}
	}
}

// TestCatalogListsRefuseBadPages: a cursor that is not one the list gave
// is unreadable (400), a limit beyond the list's maximum a wrong value
// (422), each naming its field.
func TestCatalogListsRefuseBadPages(t *testing.T) {
	_, h := newServer(t)
	tests := []struct {
		path   string
		status int
		field  string
	}{
		{"/api/v1/units?cursor=zz", 400, "cursor"},
		{"/api/v1/units?cursor=WyJHQSJd", 400, "cursor"}, // ["GA"]: an item's cursor, one part short
		{"/api/v1/items?cursor=not-base64!", 400, "cursor"},
		{"/api/v1/items?cursor=eyJhIjoxfQ", 400, "cursor"}, // {"a":1}
		{"/api/v1/units?limit=1001", 422, "limit"},
		{"/api/v1/units?limit=0", 422, "limit"},
		{"/api/v1/items?limit=10001", 422, "limit"},
		{"/api/v1/items?limit=x", 422, "limit"},
		{"/api/v1/items?limit=10000", 200, ""},
		{"/api/v1/units?limit=1000", 200, ""},
	}
	for _, tt := range tests {
		rec := do(h, "GET", tt.path, "")
		var body struct{ Field string }
		json.Unmarshal(rec.Body.Bytes(), &body)
		if rec.Code != tt.status || body.Field != tt.field {
			t.Errorf("%s: %d %s, want %d naming %q", tt.path, rec.Code, rec.Body, tt.status, tt.field)
		}
	}
}

// TestCatalogPagesWhileTheListChanges: items added and removed between two
// pages, the first page's last one among them, neither repeat nor skip the
// others, as a page starts after the key of the last item shown, not at a
// count of rows.
func TestCatalogPagesWhileTheListChanges(t *testing.T) {
	for name, dsn := range storetest.Backends(t) {
		t.Run(name, func(t *testing.T) {
			st, h := newServerOn(t, dsn(t))
			ctx := context.Background()
			more := &catalog.Catalog{}
			for i := range 6 {
				more.Items = append(more.Items, catalog.Item{Code: fmt.Sprintf("GA-%03d", 10+i), NameZH: "事项", Unit: "GA"})
			}
			if err := st.ImportCatalog(ctx, more); err != nil {
				t.Fatal(err)
			}
			first := do(h, "GET", "/api/v1/items?limit=2", "")
			var page struct {
				Items []struct{ Code string }
				Next  string `json:"next_cursor"`
			}
			json.Unmarshal(first.Body.Bytes(), &page)
			if len(page.Items) != 2 || page.Items[1].Code != "GA-010" || page.Next == "" {
				t.Fatalf("first page: %s", first.Body)
			}
			// Gone: the first page's last item and one still to come;
			// added: one before the cursor and one after it.
			if _, err := st.DB().Exec("DELETE FROM items WHERE code IN ('GA-010', 'GA-011')"); err != nil {
				t.Fatal(err)
			}
			add := &catalog.Catalog{Items: []catalog.Item{{Code: "AAA-001", NameZH: "新增甲", Unit: "GA"}, {Code: "ZZZ-001", NameZH: "新增乙", Unit: "GA"}}}
			if err := st.ImportCatalog(ctx, add); err != nil {
				t.Fatal(err)
			}
			rest, _ := walkFrom(t, h, "items", "", 2, page.Next)
			want := []string{"GA-012", "GA-013", "GA-014", "GA-015", "SCJG-001", "ZZZ-001"}
			if !slices.Equal(rest, want) {
				t.Errorf("the pages after the first, read while the list changed: %v, want %v", rest, want)
			}
		})
	}
}
