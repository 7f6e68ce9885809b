package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/haocha/haocha/internal/api"
	"github.com/haocha/haocha/internal/api/apitest"
	"github.com/haocha/haocha/internal/board"
	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/demo"
	"github.com/haocha/haocha/internal/index"
	"github.com/haocha/haocha/internal/intake"
	"github.com/haocha/haocha/internal/paging"
	"github.com/haocha/haocha/internal/route"
	"github.com/haocha/haocha/internal/store"
	"github.com/haocha/haocha/internal/store/storetest"
)

// indexDemo is ten days of demo reviews, enough for boards of hundreds of
// members ranked and hundreds under the minimum sample, and the API over
// them with the boards cache (cached) or without.
func indexDemo(t *testing.T, cached bool) (*store.Store, *api.API, http.Handler) {
	t.Helper()
	st := storetest.Open(t, storetest.SQLiteDSN(t))
	now := time.Date(2026, 8, 20, 10, 0, 0, 0, calendar.Zone)
	st.Now = func() time.Time { return now }
	if err := demo.Load(context.Background(), st, demo.Options{Reviews: 1500, Bad: 80, Seed: 9, Days: 10, Now: now}); err != nil {
		t.Fatal(err)
	}
	a := &api.API{Store: st, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Intake: &intake.Service{Store: st}}
	if cached {
		a.Boards = store.NewBoards(st)
	}
	mux := route.NewMux()
	a.Register(mux)
	return st, a, apitest.Check(t, mux)
}

const indexDemoPeriod = "from=2026-08-01&to=2026-08-20"

// walkIndex reads GET /api/v1/index?query page after page (size 0: the
// default page) and returns the pages joined and the number of pages.
func walkIndex(t *testing.T, h http.Handler, query string, size int) (api.IndexBoard, int) {
	t.Helper()
	q, _ := url.ParseQuery(query)
	if size > 0 {
		q.Set("limit", fmt.Sprint(size))
	}
	var all api.IndexBoard
	for pages := 1; ; pages++ {
		rec := do(h, "GET", "/api/v1/index?"+q.Encode(), "")
		var page api.IndexBoard
		if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &page) != nil {
			t.Fatalf("%s: %d %s", q.Encode(), rec.Code, rec.Body)
		}
		if n := len(page.Entries) + len(page.InsufficientSample); n == 0 || size > 0 && n > size {
			t.Fatalf("%s: page of %d members, want 1 to %d", q.Encode(), n, size)
		}
		if pages == 1 {
			all = page
		} else {
			if page.Scope != all.Scope || page.From != all.From || page.Parent != all.Parent || page.DefinitionVersion != all.DefinitionVersion {
				t.Fatalf("page %d is of another board: %+v", pages, page)
			}
			all.Entries = append(all.Entries, page.Entries...)
			all.InsufficientSample = append(all.InsufficientSample, page.InsufficientSample...)
		}
		if page.NextCursor == "" || pages > 5000 {
			all.NextCursor = ""
			return all, pages
		}
		q.Set("cursor", page.NextCursor)
	}
}

// wholeBoard is the board of sc within parent as one answer, computed
// apart from the API.
func wholeBoard(t *testing.T, st *store.Store, sc index.Scope, parent string, from, to time.Time) api.IndexBoard {
	t.Helper()
	b, err := board.ComputeAt(context.Background(), st, sc, parent, from, to, st.Now())
	if err != nil {
		t.Fatal(err)
	}
	return api.IndexBoard{Head: board.HeadOf(b), Entries: b.Ranked, InsufficientSample: b.Insufficient}
}

// TestIndexPages reads boards of several scopes in pages of several sizes,
// from the boards cache and computed each request: every member comes
// once, ranked members in entries and the others in insufficient_sample,
// in the whole board's order and with its figures; the last page says so
// with an empty next_cursor.
func TestIndexPages(t *testing.T) {
	for _, cached := range []bool{true, false} {
		t.Run(fmt.Sprintf("cached=%v", cached), func(t *testing.T) {
			st, _, h := indexDemo(t, cached)
			tests := []struct {
				scope, parent string
				sizes         []int
				mixed         bool // members ranked and unranked, so pages hold both
			}{
				{"workstation", "", []int{1, 7, 100, 0}, false},
				{"hall", "", []int{1, 7, 0}, true},
				{"hall", "310101", []int{1, 2, 0}, false},
				{"unit", "", []int{1, 5, 16, 0}, true},
				{"district", "", []int{1, 5, 16, 0}, false},
				{"item", "", []int{3, 1000, api.MaxIndexPage}, false},
			}
			if !cached {
				// Each page computes the board again: a few pages each.
				tests = tests[1:]
				for i := range tests {
					tests[i].sizes = []int{7, 0}
				}
			}
			from, to := time.Date(2026, 8, 1, 0, 0, 0, 0, calendar.Zone), time.Date(2026, 8, 20, 0, 0, 0, 0, calendar.Zone)
			for _, tt := range tests {
				whole := wholeBoard(t, st, index.Scope(tt.scope), tt.parent, from, to)
				members := len(whole.Entries) + len(whole.InsufficientSample)
				if members < 5 || tt.mixed && (len(whole.Entries) < 2 || len(whole.InsufficientSample) < 2) {
					t.Fatalf("%s: %d ranked and %d unranked members, too few to page", tt.scope, len(whole.Entries), len(whole.InsufficientSample))
				}
				query := "scope=" + tt.scope + "&" + indexDemoPeriod
				if tt.parent != "" {
					query += "&district=" + tt.parent
				}
				for _, size := range tt.sizes {
					got, pages := walkIndex(t, h, query, size)
					if d := cmp.Diff(whole, got); d != "" {
						t.Errorf("%s in pages of %d (-whole +pages):\n%s", query, size, d)
					}
					page := size
					if size == 0 {
						page = api.DefaultIndexPage
					}
					if want := max(1, (members+page-1)/page); pages != want {
						t.Errorf("%s in pages of %d: %d pages of %d members, want %d", query, size, pages, members, want)
					}
				}
			}
		})
	}
}

// A board that fits one page answers as the whole board always did, byte
// for byte, with an empty next_cursor beside it.
func TestIndexOnePageIsTheWholeBoard(t *testing.T) {
	st, _, h := indexDemo(t, true)
	from, to := time.Date(2026, 8, 1, 0, 0, 0, 0, calendar.Zone), time.Date(2026, 8, 20, 0, 0, 0, 0, calendar.Zone)
	for _, sc := range []index.Scope{index.District, index.Hall, index.Workstation} {
		whole := wholeBoard(t, st, sc, "", from, to)
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		enc.Encode(whole)
		rec := do(h, "GET", fmt.Sprintf("/api/v1/index?scope=%s&%s&limit=%d", sc, indexDemoPeriod, api.MaxIndexPage), "")
		if rec.Body.String() != want.String() {
			t.Errorf("%s: the one page is not the board's JSON:\n%.300s\nwant\n%.300s", sc, rec.Body, want.String())
		}
	}
}

// TestIndexRefusesBadPages: a limit beyond the maximum page is a wrong
// value (422) and a cursor GET /api/v1/index did not give is unreadable
// (400), each naming its field.
func TestIndexRefusesBadPages(t *testing.T) {
	_, h := newServer(t)
	cursor := paging.Cursor
	tests := []struct {
		query  string
		status int
		field  string
	}{
		{"limit=0", 422, "limit"},
		{"limit=-3", 422, "limit"},
		{fmt.Sprint("limit=", api.MaxIndexPage+1), 422, "limit"},
		{"limit=many", 422, "limit"},
		{fmt.Sprint("limit=", api.MaxIndexPage), 200, ""},
		{"cursor=zz", 400, "cursor"},
		{"cursor=not-base64!", 400, "cursor"},
		{"cursor=" + cursor("district", "310101"), 400, "cursor"}, // a unit list's, one part short
		{"cursor=" + cursor("97.5", "many", "310101"), 400, "cursor"},
		{"cursor=" + cursor("NaN", "3", "310101"), 400, "cursor"},
		{"cursor=" + cursor("high", "3", "310101"), 400, "cursor"},
		{"cursor=" + cursor("97.5", "3", ""), 400, "cursor"},
		{"cursor=" + cursor("97.5", "3", "310101"), 200, ""},
		{"cursor=" + cursor("", "3", "310101"), 200, ""},
		{"scope=planet&limit=0", 422, "scope"},
	}
	for _, tt := range tests {
		q := "scope=district&" + tt.query
		if tt.field == "scope" {
			q = tt.query
		}
		rec := do(h, "GET", "/api/v1/index?"+q, "")
		var body struct{ Field string }
		json.Unmarshal(rec.Body.Bytes(), &body)
		if rec.Code != tt.status || body.Field != tt.field {
			t.Errorf("%s: %d %s, want %d naming %q", q, rec.Code, rec.Body, tt.status, tt.field)
		}
	}
}
