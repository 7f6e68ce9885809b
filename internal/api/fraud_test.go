package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/api"
	"github.com/haocha/haocha/internal/api/apitest"
	"github.com/haocha/haocha/internal/intake"
	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/route"
	"github.com/haocha/haocha/internal/store"
	"github.com/haocha/haocha/internal/store/storetest"
	"github.com/haocha/haocha/internal/workorder"
)

// clock is a test clock that each reading moves on by step.
type clock struct {
	mu   sync.Mutex
	t    time.Time
	step time.Duration
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(c.step)
	return c.t
}

// guardedServer is the API with the fraud detectors and an address limit
// of addressMax an hour, on the clock c.
func guardedServer(tb testing.TB, c *clock, addressMax int) (*store.Store, http.Handler) {
	tb.Helper()
	st := storetest.OpenFixture(tb, storetest.SQLiteDSN(tb))
	st.Now = c.now
	mux := route.NewMux()
	in := &intake.Service{Store: st, Salt: []byte("test"), Detector: st, Now: c.now,
		Limit: review.RateLimit{Max: 30, Window: review.RateWindow, AddressMax: addressMax, AddressWindow: time.Hour}}
	(&api.API{Store: st, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Intake: in}).Register(mux)
	return st, apitest.Check(tb, mux)
}

func postFrom(h http.Handler, addr, agent, body string) *httptest.ResponseRecorder {
	req := httptest.NewRequest("POST", "/api/v1/reviews", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", agent)
	req.RemoteAddr = addr + ":40000"
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func goodRate(t *testing.T, h http.Handler) string {
	t.Helper()
	rec := do(h, "GET", "/api/v1/indicators?scope=workstation&code=H1-W1-1&from=2026-07-01&to=2026-07-31", "")
	var got struct {
		N          int64 `json:"n"`
		Indicators struct {
			GoodRate *float64 `json:"good_rate"`
		} `json:"indicators"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil || rec.Code != 200 {
		t.Fatalf("indicators: %d %s", rec.Code, rec.Body)
	}
	if got.Indicators.GoodRate == nil {
		return fmt.Sprintf("n=%d good=null", got.N)
	}
	return fmt.Sprintf("n=%d good=%.4f", got.N, *got.Indicators.GoodRate)
}

// The attack seen: one machine, changing only its browser identity per
// request, posts one-star reviews with a complaint against one
// workstation as fast as it can.
func TestFloodRotatingUserAgent(t *testing.T) {
	c := &clock{t: storetest.Now.Add(-3 * time.Hour), step: 10 * time.Minute}
	const addressMax = 40
	st, h := guardedServer(t, c, addressMax)
	// Before the attack, citizens rated the workstation well, hours apart,
	// each from their own phone.
	for i := range 6 {
		rec := postFrom(h, fmt.Sprintf("198.51.100.%d", i+1), "phone", with("stars", "5"))
		if rec.Code != 201 {
			t.Fatalf("honest review %d: %d %s", i, rec.Code, rec.Body)
		}
	}
	before := goodRate(t, h)
	queue := func() int64 {
		n, err := st.CountOrders(context.Background(), workorder.Filter{Queue: true})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	queued := queue()

	c.mu.Lock()
	c.step = 3 * time.Millisecond // 300 requests a second
	c.mu.Unlock()
	body := `{"channel":"window","item":"GA-001","stage":"acceptance","workstation":"H1-W1-1","stars":1,
		"comment":"态度极差，完全不理人","anonymous":true}`
	codes := map[int]int{}
	for i := range 200 {
		rec := postFrom(h, "203.0.113.9", fmt.Sprintf("Mozilla/5.0 (attack %d)", i), body)
		codes[rec.Code]++
		if rec.Code == 429 && !strings.Contains(rec.Body.String(), `"field":"address"`) {
			t.Fatalf("429 names no address: %s", rec.Body)
		}
	}
	if codes[201] != addressMax || codes[429] != 200-addressMax {
		t.Errorf("answers %v, want %d accepted and the rest 429", codes, addressMax)
	}
	var held, counted int
	st.DB().QueryRow("SELECT COUNT(*) FROM reviews WHERE stars = 1 AND held IS NOT NULL").Scan(&held)
	st.DB().QueryRow("SELECT COUNT(*) FROM reviews WHERE stars = 1 AND held IS NULL").Scan(&counted)
	if held != addressMax || counted != 0 {
		t.Errorf("%d of the flood held, %d counted; want all %d held", held, counted, addressMax)
	}
	if n := queue(); n != queued {
		t.Errorf("operator's queue %d orders after the flood, want %d as before", n, queued)
	}
	suspected, err := st.CountOrders(context.Background(), workorder.Filter{Suspected: true})
	if err != nil || suspected != addressMax {
		t.Errorf("suspected queue %d (%v), want %d", suspected, err, addressMax)
	}
	if after := goodRate(t, h); after != before {
		t.Errorf("workstation's published index %s after the flood, want %s as before", after, before)
	}
}

// A supervisor releases a burst's reviews back into the index and the
// operator's queue, or rejects them; nothing is deleted, each decision is
// audited, and a review is decided once.
func TestReleaseAndRejectHeld(t *testing.T) {
	c := &clock{t: storetest.Now.Add(-time.Hour), step: time.Second}
	st, h := guardedServer(t, c, 0)
	ctx := context.Background()
	body := `{"channel":"window","item":"GA-001","stage":"acceptance","workstation":"H1-W1-1","stars":2,
		"comment":"等了很久","anonymous":true}`
	for i := range 8 {
		if rec := postFrom(h, fmt.Sprintf("198.51.100.%d", i+1), "phone", body); rec.Code != 201 {
			t.Fatalf("review %d: %d %s", i, rec.Code, rec.Body)
		}
	}
	held, err := st.HeldReviews(ctx, 0, 100)
	if err != nil || len(held) != 8 {
		t.Fatalf("%d held (%v), want the burst's 8", len(held), err)
	}
	if held[0].WorkOrder == "" || !strings.Contains(held[0].Reasons, "reviews of one workstation") {
		t.Errorf("held review %+v: want its work order and the reason", held[0])
	}
	statsN := func() int {
		rec := do(h, "GET", "/api/v1/stats?workstation=H1-W1-1", "")
		var s struct{ Total int }
		json.Unmarshal(rec.Body.Bytes(), &s)
		return s.Total
	}
	if n := statsN(); n != 0 {
		t.Fatalf("stats count %d with all held, want 0", n)
	}
	if _, err := st.ReleaseHeld(ctx, []int64{held[0].ID}, "supervisor:1", ""); !strings.Contains(fmt.Sprint(err), "reason") {
		t.Errorf("release without a reason: %v, want refused naming reason", err)
	}
	n, err := st.ReleaseHeld(ctx, []int64{held[0].ID, held[1].ID}, "supervisor:1", "两位市民当面核实")
	if err != nil || n != 2 {
		t.Fatalf("release: %d %v", n, err)
	}
	n, err = st.RejectHeld(ctx, []int64{held[1].ID, held[2].ID, held[3].ID}, "supervisor:1", "脚本刷评")
	if err != nil || n != 2 {
		t.Errorf("reject: %d %v, want 2 (one decided already)", n, err)
	}
	if n := statsN(); n != 2 {
		t.Errorf("stats count %d after releasing 2, want 2", n)
	}
	queued, _ := st.CountOrders(ctx, workorder.Filter{Queue: true})
	suspected, _ := st.CountOrders(ctx, workorder.Filter{Suspected: true})
	if queued != 2 || suspected != 6 {
		t.Errorf("operator's queue %d, suspected %d; want 2 and 6", queued, suspected)
	}
	left, _ := st.HeldReviews(ctx, 0, 100)
	var audited, reviews int
	st.DB().QueryRow("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'held.%'").Scan(&audited)
	st.DB().QueryRow("SELECT COUNT(*) FROM reviews").Scan(&reviews)
	if len(left) != 4 || audited != 4 || reviews != 8 {
		t.Errorf("%d awaiting, %d audited, %d reviews kept; want 4, 4, 8", len(left), audited, reviews)
	}
}

// A device past its limit is refused by the limit before its body is read:
// whatever it sends next, even a body that is not JSON at all, is 429
// naming the client, and nothing is stored.
func TestLimitRefusesBeforeTheBody(t *testing.T) {
	c := &clock{t: storetest.Now.Add(-time.Hour), step: time.Second}
	st, h := guardedServer(t, c, 0)
	for i := range 30 {
		if rec := postFrom(h, "198.51.100.7", "phone", with("stars", "4")); rec.Code != 201 {
			t.Fatalf("review %d within the limit: %d %s", i, rec.Code, rec.Body)
		}
	}
	var before int
	st.DB().QueryRow("SELECT COUNT(*) FROM reviews").Scan(&before)
	for _, body := range []string{with("stars", "4"), `{"stars":`, `not json`, ``} {
		rec := postFrom(h, "198.51.100.7", "phone", body)
		if rec.Code != 429 || !strings.Contains(rec.Body.String(), `"field":"client"`) {
			t.Errorf("body %q past the limit: %d %s, want 429 naming the client", body, rec.Code, rec.Body)
		}
	}
	var after int
	st.DB().QueryRow("SELECT COUNT(*) FROM reviews").Scan(&after)
	if after != before {
		t.Errorf("%d reviews stored past the limit", after-before)
	}
	if rec := postFrom(h, "198.51.100.8", "phone", `{"stars":`); rec.Code != 400 {
		t.Errorf("a malformed body from a device within its limit: %d, want 400", rec.Code)
	}
}
