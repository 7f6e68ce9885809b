package web_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// BenchmarkPages serves the viewed pages from the handler itself (no
// network), as a browser asks (gzip), with the boards held: "unheld" is a
// page rendered for its request alone (as every page was before views
// were held, and as a staff member's still is), "cold" a view built and
// held (the first request after its boards or the store change), "warm"
// a view served as held.
//
//	go test ./internal/web -run '^$' -bench Pages -benchmem
func BenchmarkPages(b *testing.B) {
	h := haocha.Handler()
	serve := func(b *testing.B, path string) {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.Header.Set("Accept-Encoding", "gzip, deflate, br")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("GET %s: %d", path, rec.Code)
		}
	}
	for _, path := range []string{"/units/310101", "/units/SHGA", "/halls/" + hall, "/items/" + item} {
		if err := haocha.Store.FoldRollups(b.Context()); err != nil {
			b.Fatal(err)
		}
		serve(b, path) // the boards it draws
		b.Run("unheld"+path, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				serve(b, path+"?x=1")
			}
		})
		b.Run("cold"+path, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				haocha.Boards.DropViews()
				serve(b, path)
			}
		})
		b.Run("warm"+path, func(b *testing.B) {
			b.ReportAllocs()
			hits := haocha.Boards.ViewHits()
			for b.Loop() {
				serve(b, path)
			}
			b.ReportMetric(float64(haocha.Boards.ViewHits()-hits)/float64(b.N), "held/op")
		})
	}
}
