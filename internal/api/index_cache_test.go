package api_test

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/api"
	"github.com/haocha/haocha/internal/api/apitest"
	"github.com/haocha/haocha/internal/board"
	"github.com/haocha/haocha/internal/intake"
	"github.com/haocha/haocha/internal/route"
	"github.com/haocha/haocha/internal/store"
	"github.com/haocha/haocha/internal/store/storetest"
)

// GET /api/v1/index answers from the pages' boards cache: a review given
// within the minute shows on a board computed after the minute, not
// before. The default
// period, the last 30 days, is one the cache holds.
func TestIndexServedFromTheBoardsCache(t *testing.T) {
	st := storetest.OpenFixture(t, storetest.SQLiteDSN(t))
	mux := route.NewMux()
	a := &api.API{Store: st, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Intake: &intake.Service{Store: st, Salt: []byte("test")}}
	shift, base := time.Duration(0), st.Now
	st.Now = func() time.Time { return base().Add(shift) }
	a.Boards = store.NewBoards(st)
	a.Register(mux)
	h := apitest.Check(t, mux)
	review := `{"channel":"window","item":"GA-001","stage":"acceptance","workstation":"H1-W1-1","stars":5,"anonymous":true}`
	n := func() int64 {
		t.Helper()
		rec := do(mux, "GET", "/api/v1/index?scope=city", "")
		var b api.IndexBoard
		if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &b) != nil {
			t.Fatalf("%d %s", rec.Code, rec.Body)
		}
		return append(b.Entries, b.InsufficientSample...)[0].N
	}
	do(h, "POST", "/api/v1/reviews", review)
	if got := n(); got != 1 {
		t.Fatalf("n = %d, want 1", got)
	}
	do(h, "POST", "/api/v1/reviews", review)
	if got := n(); got != 1 {
		t.Errorf("n = %d within the minute, want the held board's 1", got)
	}
	// Past the minute the rule is no longer "computed again before the
	// answer" but "the held board once more, stale, while it is computed
	// again in the background": the next answers show the new board.
	shift = board.DefaultTTL
	if got := n(); got != 1 {
		t.Errorf("n = %d just after a minute, want the held board's 1 served while it is computed again", got)
	}
	for deadline := time.Now().Add(10 * time.Second); n() != 2; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("n = %d ten seconds after the minute, want 2", n())
		}
	}
}
