package app

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/haocha/haocha/internal/board"
	"github.com/haocha/haocha/internal/httpjson"
	"github.com/haocha/haocha/internal/store"
	"github.com/haocha/haocha/internal/theme"
)

// boards is the cache of published boards the pages and the API draw, one
// cache so that a page and GET /api/v1/index never disagree, with the
// complaint themes they show, counted on figures (the read replica when
// there is one). What it computes is stored on the primary, st, for the
// next start to serve while it computes them again (board.Shelf).
func boards(figures, st *store.Store, budget int64, log *slog.Logger) *board.Cache {
	c := store.NewBoards(figures)
	if budget > 0 {
		c.SetBudget(budget)
	}
	c.SetShelf(board.Shelf{Save: st.SaveBoard, Load: st.StoredBoards,
		Failed: func(err error) { log.Error("store a board for the next start", "err", err) }})
	return c
}

// warming serves h, but answers the readiness check (GET /healthz) 503
// "warming" while the boards the pages draw are computed: a load balancer
// keeps the process out of rotation until no first visitor would wait,
// while a request that does come (intake, a page) is served.
func warming(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/healthz" {
			h.ServeHTTP(w, r)
			return
		}
		w.Header().Set("Retry-After", "5")
		httpjson.Write(w, http.StatusServiceUnavailable, map[string]string{"status": "warming"})
	})
}

// restore puts back the boards the last run stored: served, stale, while
// they are computed again (board.Cache.Restore); a failure is logged and
// the boards are computed as if none were stored.
func (m *Main) restore(ctx context.Context) {
	start := time.Now()
	if n, err := m.Boards.Restore(ctx); err != nil {
		m.Log.ErrorContext(ctx, "restore the boards of the last run", "err", err)
	} else if n > 0 {
		m.Log.Info("boards of the last run restored", "boards", n, "took", time.Since(start).Round(time.Millisecond))
	}
}

// train readies the complaint themes' models (theme.Taxonomy.Train)
// before the server says ready: read from the models trained at build
// time, in milliseconds, or, in a build whose themes' data differ from
// those, trained. Trained at their first use, by the scheduler's first
// tick with a bad review, they took seconds of CPU under the load that
// brought it, and their working data (some 15 MB of heap) came on top of
// the load's own, doubled by the collector's headroom: in the benchmark's
// intake that set the server's peak resident set (TestTrainedBeforeReady).
func (m *Main) train() {
	start := time.Now()
	theme.Default().Train()
	m.Log.Info("complaint themes trained", "took", time.Since(start).Round(time.Millisecond))
}

// warm computes the boards the pages draw that are not held (those
// restored are computed again in the background, served meanwhile),
// logging how long it took; a failure is logged and the server starts
// anyway: each board is then computed when first asked for.
func (m *Main) warm(ctx context.Context) {
	start := time.Now()
	if err := m.Boards.Warm(ctx); err != nil {
		m.Log.ErrorContext(ctx, "warm the boards", "err", err)
		return
	}
	m.Log.Info("boards warm", "took", time.Since(start).Round(time.Millisecond), "bytes", m.Boards.Bytes())
}
