package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/haocha/haocha/internal/api"
	"github.com/haocha/haocha/internal/intake"
	"github.com/haocha/haocha/internal/loadgen"
	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/route"
	"github.com/haocha/haocha/internal/store/storetest"
	"github.com/haocha/haocha/internal/workorder"
)

// BenchmarkCreateReview measures durable review intake through the HTTP
// handler into SQLite (WAL, synchronous=FULL): each 201 is on disk.
// Run: go test ./internal/api -run '^$' -bench CreateReview -benchmem
//
// With HAOCHA_TEST_POSTGRES set it measures PostgreSQL too.
func BenchmarkCreateReview(b *testing.B) {
	for backend, dsn := range storetest.Backends(b) {
		for _, par := range []int{1, 8} {
			b.Run(fmt.Sprintf("%s/clients=%d", backend, par*2), func(b *testing.B) {
				_, h := newServerOn(b, dsn(b))
				var n atomic.Int64
				b.SetParallelism(par)
				b.ReportAllocs()
				b.ResetTimer()
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						i := n.Add(1)
						stars := 5 - int(i%5)
						body := fmt.Sprintf(`{"channel":"window","item":"GA-001","stage":"acceptance","workstation":"H1-W1-1",
						"stars":%d,"dimensions":{"accuracy":4,"efficiency":5,"convenience":4,"innovation":3},
						"tags":["attitude"],"comment":"窗口等候时间长","anonymous":true,"transaction":"BJ%d"}`, stars, i)
						if rec := do(h, "POST", "/api/v1/reviews", body); rec.Code != http.StatusCreated {
							b.Fatalf("status %d: %s", rec.Code, rec.Body)
						}
					}
				})
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "reviews/s")
			})
		}
	}
}

// BenchmarkReviewHTTPSide is the HTTP side of an accepted review alone:
// routing, decoding, checking, resolving against the catalogue, marking
// the client and answering, with a store held in memory, so that
// -benchmem counts what the handler allocates and not the database:
//
//	go test ./internal/api -run '^$' -bench ReviewHTTPSide -benchmem
func BenchmarkReviewHTTPSide(b *testing.B) {
	st := &memStore{Index: loadgen.NewIndex(storetest.Fixture(), review.DefaultDimensions)}
	mux := route.NewMux()
	in := &intake.Service{Store: st, Salt: []byte("bench")}
	(&api.API{Log: slog.New(slog.DiscardHandler), Intake: in}).Register(mux)
	g := loadgen.NewGenerator(st.Index, 1)
	bodies := make([][]byte, 512)
	for i := range bodies {
		var err error
		if bodies[i], err = json.Marshal(g.Next()); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		r := httptest.NewRequest(http.MethodPost, "/api/v1/reviews", bytes.NewReader(bodies[i%len(bodies)]))
		r.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		mux.ServeHTTP(w, r)
		if w.Code != http.StatusCreated {
			b.Fatalf("status %d: %s", w.Code, w.Body)
		}
	}
}

// memStore keeps the catalogue in memory and stores nothing, numbering
// the reviews it is given.
type memStore struct {
	*loadgen.Index
	n atomic.Int64
}

func (m *memStore) CreateReview(_ context.Context, r *review.Review, _ review.RateLimit) (*workorder.NewOrder, error) {
	r.ID = m.n.Add(1)
	return nil, nil
}
