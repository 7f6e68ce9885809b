package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/api"
	"github.com/haocha/haocha/internal/board"
	"github.com/haocha/haocha/internal/index"
	"github.com/haocha/haocha/internal/route"
	"github.com/haocha/haocha/internal/store/storetest"
)

// BenchmarkIndexPage serves pages of a held board of 20,000 workstations
// (the city's count), half ranked: the first default page, a page deep in
// the board, the largest page, and, for scale, what encoding the whole
// board on every request would cost.
// Run: go test ./internal/api -run '^$' -bench IndexPage -benchmem
func BenchmarkIndexPage(b *testing.B) {
	st := storetest.OpenFixture(b, storetest.SQLiteDSN(b))
	def, err := st.ActiveDefinition(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	counts, names := map[string]index.Counts{}, map[string]string{}
	var city index.Counts
	for i := range 20000 {
		code := fmt.Sprintf("W%05d", i)
		c := index.Counts{N: int64(i % 60), Stars: [5]int64{int64(i % 3), 0, 0, int64(i % 7), int64(i%60 - i%3 - i%7)}}
		c.ActiveStars = c.Stars
		counts[code], names[code] = c, "工位 "+code
		city.N += c.N
		for s := range c.Stars {
			city.Stars[s] += c.Stars[s]
		}
	}
	ranking := index.Rank(index.Entries(counts, names, city, def, []string{"accuracy", "efficiency", "convenience", "innovation"}))
	held := board.Board{Scope: index.Workstation, DefinitionVersion: def.Version, Ranked: ranking.Ranked, Insufficient: ranking.Insufficient}
	a := &api.API{Store: st, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	a.Boards = board.New(func(ctx context.Context, sc index.Scope, parent string, from, to, _ time.Time) (board.Board, error) {
		b := held
		b.From, b.To = from, to
		return b, nil
	}, time.Hour, time.Now)
	mux := route.NewMux()
	a.Register(mux)
	get := func(b *testing.B, query string) api.IndexBoard {
		rec := do(mux, "GET", "/api/v1/index?scope=workstation&"+query, "")
		var page api.IndexBoard
		if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &page) != nil {
			b.Fatalf("%s: %d %.200s", query, rec.Code, rec.Body)
		}
		return page
	}
	deep := get(b, "limit=5000")
	for range 2 {
		deep = get(b, "limit=5000&cursor="+deep.NextCursor)
	}
	if deep.NextCursor == "" || len(ranking.Ranked) < 5000 || len(ranking.Insufficient) < 5000 {
		b.Fatalf("board of %d ranked and %d unranked", len(ranking.Ranked), len(ranking.Insufficient))
	}
	for _, bc := range []struct{ name, query string }{
		{"first page", ""},
		{"page after 15,000", "cursor=" + deep.NextCursor},
		{"largest page", fmt.Sprint("limit=", api.MaxIndexPage)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			size := do(mux, "GET", "/api/v1/index?scope=workstation&"+bc.query, "").Body.Len()
			b.ReportAllocs()
			for b.Loop() {
				do(mux, "GET", "/api/v1/index?scope=workstation&"+bc.query, "")
			}
			b.ReportMetric(float64(size), "bytes/answer")
		})
	}
	b.Run("whole board encoded", func(b *testing.B) {
		b.ReportAllocs()
		var buf bytes.Buffer
		for b.Loop() {
			buf.Reset()
			json.NewEncoder(&buf).Encode(api.IndexBoard{Entries: held.Ranked, InsufficientSample: held.Insufficient})
		}
		b.ReportMetric(float64(buf.Len()), "bytes/answer")
	})
}
