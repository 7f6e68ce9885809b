package hadrill

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/app"
	"github.com/haocha/haocha/internal/review"
)

// The drill's flood: clients posting reviews, operators dispatching the
// work orders those reviews opened.
const (
	clients    = 24
	operators  = 4
	settle     = 4 * time.Second  // flooding before each failover
	afterFirst = 4 * time.Second  // flooding after the first 201 that follows it
	firstGoal  = 15 * time.Second // kill to first 201
)

// Haocha on the cluster's multi-host DSN keeps every acknowledged review
// and dispatch through a crash of the primary (kill -9 of its postmaster)
// and through a switchover back, answers 503 (never 500) meanwhile, and
// takes reviews again within firstGoal of the kill, without a restart.
func TestFailoverDrill(t *testing.T) {
	c := requireCluster(t)
	dsn := freshDatabase(t)
	ctx := context.Background()
	// HADRILL_LOG names a file for Haocha's warnings, to see a switch
	// from its side.
	var logs io.Writer = io.Discard
	if name := os.Getenv("HADRILL_LOG"); name != "" {
		f, err := os.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		logs = f
	}
	m, srv := serve(t, app.Config{DB: dsn, Log: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelWarn}))})
	tok := "drill-" + fmt.Sprint(time.Now().UnixNano())
	if _, err := m.Store.IssueToken(ctx, "operator", tok, "drill", 24*time.Hour, "drill"); err != nil {
		t.Fatal(err)
	}
	f := newFlood(srv.URL, tok, m)
	f.start()
	defer f.stop()
	report := func(round string, led, first time.Duration, from, to string) {
		load, _ := os.ReadFile("/proc/loadavg")
		t.Logf("DRILL %s: %s -> %s; new leader after %v, first 201 after %v; %d reviews and %d dispatches acknowledged so far; answers %v; load %s",
			round, from, to, led.Round(10*time.Millisecond), first.Round(10*time.Millisecond), f.reviews(), f.dispatches(), f.statuses(),
			strings.Join(strings.Fields(string(load))[:3], " "))
	}

	// Round 1: the primary crashes.
	time.Sleep(settle)
	old, ok := c.Role(ctx, "leader")
	if !ok {
		t.Fatal("no leader before the kill")
	}
	killed := time.Now()
	if err := c.KillPostmaster(old.Name); err != nil {
		t.Fatal(err)
	}
	now := newLeader(t, c, old.Name)
	led := time.Now()
	first := f.firstSentAfter(t, led)
	time.Sleep(afterFirst)
	report("kill -9", led.Sub(killed), first.Sub(killed), old.Name, now.Name)
	if d := first.Sub(killed); d > firstGoal {
		t.Errorf("first 201 %v after the kill; goal %v", d, firstGoal)
	}
	f.check(t, dsn)

	// The old primary comes back as a standby of the new one (Patroni runs
	// pg_rewind when it must), and the cluster is whole again.
	wctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	err := c.WaitFor(wctx, old.Name+" back as a standby", func(ms []Member) bool {
		var back bool
		var mine, leaders int
		for _, m := range ms {
			switch {
			case m.Name == old.Name:
				back, mine = m.Role != "leader", m.Timeline
			case m.Role == "leader":
				leaders = m.Timeline
			}
		}
		return back && mine == leaders && healthy(ms)
	})
	if err != nil {
		t.Fatal(err)
	}

	// Round 2: a switchover to the synchronous standby.
	time.Sleep(settle)
	leader, _ := c.Role(ctx, "leader")
	sync, ok := c.Role(ctx, "sync_standby")
	if !ok {
		t.Fatal("no synchronous standby to switch over to")
	}
	switched := time.Now()
	if err := c.Switchover(ctx, leader.Name, sync.Name); err != nil {
		t.Fatal(err)
	}
	now = newLeader(t, c, leader.Name)
	led = time.Now()
	first = f.firstSentAfter(t, led)
	time.Sleep(afterFirst)
	report("switchover", led.Sub(switched), first.Sub(switched), leader.Name, now.Name)
	if d := first.Sub(switched); d > firstGoal {
		t.Errorf("first 201 %v after the switchover request; goal %v", d, firstGoal)
	}
	f.stop()
	f.check(t, dsn)
	if n := f.count(http.StatusInternalServerError); n > 0 {
		t.Errorf("%d answers were 500: a failover must answer 503", n)
	}
}

// event is an answer to a review: when it was sent and answered, and its
// status (0: no answer).
type event struct {
	sent, at time.Time
	status   int
}

// flood posts reviews from many clients and dispatches their work orders,
// noting every acknowledgement and every answer.
type flood struct {
	url, token string
	m          *app.Main
	client     *http.Client
	quit       chan struct{}
	wg         sync.WaitGroup
	stopped    atomic.Bool

	mu         sync.Mutex
	acked      map[string]string // review id: work order number ("" for none)
	dispatched []string
	byStatus   map[int]int
	events     []event // every answer to a review, in order
	orders     chan string
}

func newFlood(url, token string, m *app.Main) *flood {
	return &flood{url: url, token: token, m: m, quit: make(chan struct{}),
		client:   &http.Client{Timeout: 30 * time.Second},
		acked:    map[string]string{},
		byStatus: map[int]int{}, orders: make(chan string, 1<<16)}
}

func (f *flood) start() {
	for w := range clients {
		g := generator(uint64(w + 1))
		f.wg.Add(1)
		go func() {
			defer f.wg.Done()
			for !f.done() {
				f.review(g.Next())
			}
		}()
	}
	for range operators {
		f.wg.Add(1)
		go func() {
			defer f.wg.Done()
			for {
				select {
				case <-f.quit:
					return
				case n := <-f.orders:
					f.dispatch(n)
				}
			}
		}()
	}
}

func (f *flood) done() bool {
	select {
	case <-f.quit:
		return true
	default:
		return false
	}
}

func (f *flood) stop() {
	if f.stopped.CompareAndSwap(false, true) {
		close(f.quit)
		f.wg.Wait()
	}
}

// review posts s until it is answered 201 or refused for good; a 503 or
// a cut connection is tried again after a pause, as a client would.
func (f *flood) review(s review.Submission) {
	body, _ := json.Marshal(s)
	for !f.done() {
		sent := time.Now()
		status, answer := f.post("/api/v1/reviews", "", body)
		f.mu.Lock()
		f.events = append(f.events, event{sent, time.Now(), status})
		f.mu.Unlock()
		if status == http.StatusCreated {
			var created struct {
				ID        string `json:"id"`
				WorkOrder string `json:"work_order"`
			}
			json.Unmarshal(answer, &created)
			f.mu.Lock()
			f.acked[created.ID] = created.WorkOrder
			f.mu.Unlock()
			if created.WorkOrder != "" {
				select {
				case f.orders <- created.WorkOrder:
				default:
				}
			}
			return
		}
		if status != http.StatusServiceUnavailable && status != 0 {
			// 409: a retry of a review whose first try was stored, though
			// its answer was lost. Not acknowledged, so not counted.
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func (f *flood) dispatch(number string) {
	body := []byte(`{"unit":"310101","complexity":"simple","days":3}`)
	for !f.done() {
		status, _ := f.post("/api/v1/orders/"+number+"/dispatch", f.token, body)
		if status == http.StatusOK {
			f.mu.Lock()
			f.dispatched = append(f.dispatched, number)
			f.mu.Unlock()
			return
		}
		if status != http.StatusServiceUnavailable && status != 0 {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// post returns the status (0 when the request failed) and the answer.
func (f *flood) post(path, token string, body []byte) (int, []byte) {
	req, _ := http.NewRequest(http.MethodPost, f.url+path, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := f.client.Do(req)
	if err != nil {
		f.note(0)
		return 0, nil
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(resp.Body)
	f.note(resp.StatusCode)
	if resp.StatusCode == http.StatusServiceUnavailable && resp.Header.Get("Retry-After") == "" {
		f.note(-503) // counted apart: a 503 without Retry-After
	}
	return resp.StatusCode, answer
}

func (f *flood) note(status int) {
	f.mu.Lock()
	f.byStatus[status]++
	f.mu.Unlock()
}

func (f *flood) count(status int) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.byStatus[status]
}

func (f *flood) statuses() map[int]int {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := map[int]int{}
	for k, v := range f.byStatus {
		out[k] = v
	}
	return out
}

func (f *flood) reviews() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.acked)
}

func (f *flood) dispatches() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.dispatched)
}

// firstSentAfter waits for the first 201 to a review sent after at, when
// the new primary leads: the old primary's backends outlive its postmaster
// for a moment, and commits on their way at the kill may still be
// acknowledged (replicated synchronously, so kept); they do not show the
// service back.
func (f *flood) firstSentAfter(t *testing.T, at time.Time) time.Time {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		f.mu.Lock()
		for _, e := range f.events {
			if e.sent.After(at) && e.status == http.StatusCreated {
				f.mu.Unlock()
				return e.at
			}
		}
		f.mu.Unlock()
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("no review acknowledged within 2 minutes of %v; answers %v", at, f.statuses())
	return time.Time{}
}

// newLeader waits until a node other than old leads, and returns it.
func newLeader(t *testing.T, c *Cluster, old string) Member {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var leader Member
	err := c.WaitFor(ctx, "a new leader", func(ms []Member) bool {
		for _, m := range ms {
			if m.Role == "leader" && m.State == "running" && m.Name != old {
				leader = m
				return true
			}
		}
		return false
	})
	if err != nil {
		t.Fatal(err)
	}
	return leader
}

// check finds every acknowledged review with its work order, and every
// acknowledged dispatch, on the primary the multi-host DSN reaches now.
func (f *flood) check(t *testing.T, dsn string) {
	t.Helper()
	f.mu.Lock()
	acked := make(map[string]string, len(f.acked))
	for k, v := range f.acked {
		acked[k] = v
	}
	dispatched := append([]string(nil), f.dispatched...)
	f.mu.Unlock()
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for db.PingContext(ctx) != nil && ctx.Err() == nil {
		time.Sleep(200 * time.Millisecond)
	}
	reviews := map[string]string{}
	rows, err := db.QueryContext(ctx, `SELECT r.id::text, COALESCE(o.number, '') FROM reviews r LEFT JOIN work_orders o ON o.review = r.id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id, number string
		if err := rows.Scan(&id, &number); err != nil {
			t.Fatal(err)
		}
		reviews[id] = number
	}
	rows.Close()
	lost := 0
	for id, number := range acked {
		got, ok := reviews[id]
		if !ok || got != number {
			lost++
			if lost <= 5 {
				t.Errorf("acknowledged review %s (work order %q) is not on the new primary (found %v, order %q)", id, number, ok, got)
			}
		}
	}
	states := map[string]string{}
	rows, err = db.QueryContext(ctx, `SELECT number, state FROM work_orders`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var number, state string
		if err := rows.Scan(&number, &state); err != nil {
			t.Fatal(err)
		}
		states[number] = state
	}
	rows.Close()
	undone := 0
	for _, n := range dispatched {
		if s := states[n]; s == "" || s == "new" {
			undone++
			if undone <= 5 {
				t.Errorf("acknowledged dispatch of %s is not on the new primary (state %q)", n, s)
			}
		}
	}
	t.Logf("DRILL check: %d acknowledged reviews, %d lost; %d acknowledged dispatches, %d lost; %d reviews stored", len(acked), lost, len(dispatched), undone, len(reviews))
	if len(acked) == 0 || len(dispatched) == 0 {
		t.Errorf("nothing acknowledged: %d reviews, %d dispatches; answers %v", len(acked), len(dispatched), f.statuses())
	}
}
