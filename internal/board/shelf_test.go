package board

import (
	"bytes"
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/index"
)

// memShelf is a shelf in memory: the database's stored_boards table.
type memShelf struct {
	mu    sync.Mutex
	saved map[string]Stored
	saves int
}

func (m *memShelf) shelf() Shelf {
	return Shelf{
		Save: func(_ context.Context, s Stored) error {
			m.mu.Lock()
			defer m.mu.Unlock()
			m.saved[s.Key] = s
			m.saves++
			return nil
		},
		Load: func(_ context.Context, before time.Time) ([]Stored, error) {
			m.mu.Lock()
			defer m.mu.Unlock()
			var out []Stored
			for _, s := range m.saved {
				if !s.Computed.Before(before) {
					out = append(out, s)
				}
			}
			return out, nil
		},
	}
}

// A server that starts again serves the boards its last run computed,
// each with the instant it counted as of, from its first request and
// without waiting for a computation; the first request starts the
// computation of the new board, which replaces the old once done.
func TestRestoredBoardsServeTheFirstVisitor(t *testing.T) {
	ctx := context.Background()
	shelf := &memShelf{saved: map[string]Stored{}}
	now := day("2026-08-05").Add(10 * time.Hour)
	clock := func() time.Time { return now }
	from, to := Recent(now)

	// The last run: a big board, so that every figure goes through the
	// shelf's encoding, and a month's theme counts.
	lastRun := New(func(_ context.Context, sc index.Scope, _ string, from, to, at time.Time) (Board, error) {
		b := bigBoard(300)
		b.Scope, b.From, b.To, b.DefinitionVersion = sc, from, to, 1
		return b, nil
	}, time.Minute, clock)
	lastRun.SetShelf(shelf.shelf())
	lastRun.SetThemes((&countingThemes{all: map[string]map[string]int64{"H310101-00": {"queue": 3, "fees": 1}}}).source)
	was, err := lastRun.Board(ctx, index.Workstation, from, to)
	if err != nil {
		t.Fatal(err)
	}
	themesWere, err := lastRun.Themes(ctx, "hall", "H310101-00", day("2026-07-01"), day("2026-07-31"))
	if err != nil {
		t.Fatal(err)
	}
	if len(shelf.saved) != 2 {
		t.Fatalf("the last run stored %d boards, want the board and the theme counts", len(shelf.saved))
	}
	// Computed again within ShelveEvery: not stored again.
	now = now.Add(2 * time.Minute)
	if _, err := lastRun.Board(ctx, index.Workstation, from, to); err != nil {
		t.Fatal(err)
	}
	if shelf.saves != 2 {
		t.Errorf("a board computed again within %s was stored again (%d saves)", ShelveEvery, shelf.saves)
	}

	// The next run, ten minutes later: its computations wait at a gate.
	now = now.Add(8 * time.Minute)
	src := &source{gate: make(chan struct{})}
	next := New(src.compute, time.Minute, clock)
	next.SetShelf(shelf.shelf())
	next.SetThemes((&countingThemes{all: map[string]map[string]int64{}}).source)
	n, err := next.Restore(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Fatalf("restored %d, want 2", n)
	}
	got, err := next.Board(ctx, index.Workstation, from, to)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Computed.Equal(was.Computed) {
		t.Errorf("restored board computed at %s, the last run's at %s", got.Computed, was.Computed)
	}
	if a, b := encode(got), encode(was); !bytes.Equal(a.members, b.members) {
		t.Errorf("the restored board's answer differs from the last run's:\n%.300s\n%.300s", a.members, b.members)
	}
	if HeadOf(got) != HeadOf(was) {
		t.Errorf("restored head %+v, was %+v", HeadOf(got), HeadOf(was))
	}
	themes, err := next.Themes(ctx, "hall", "H310101-00", day("2026-07-01"), day("2026-07-31"))
	if err != nil {
		t.Fatal(err)
	}
	if len(themes) == 0 || themes["queue"] != themesWere["queue"] {
		t.Errorf("restored themes %v, were %v", themes, themesWere)
	}

	// The computation the first request started replaces the board.
	close(src.gate)
	deadline := time.Now().Add(10 * time.Second)
	for {
		b, err := next.Board(ctx, index.Workstation, from, to)
		if err != nil {
			t.Fatal(err)
		}
		if len(b.Ranked) == 1 && b.Ranked[0].Name == "1" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the restored board was never computed again")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// A stored board of a period that is no longer standard (the 30 days to
// yesterday) is not put back, nor one older than a day.
func TestRestoreSkipsPeriodsNoLongerStandard(t *testing.T) {
	ctx := context.Background()
	shelf, src, now, clock := districtLastRun(t)
	*now = now.Add(20 * time.Hour) // the next day
	next := New(src.compute, time.Minute, clock)
	next.SetShelf(shelf.shelf())
	if n, err := next.Restore(ctx); err != nil || n != 1 {
		t.Fatalf("the next day restored %d (%v), want July's board alone", n, err)
	}
	*now = now.Add(5 * time.Hour) // more than a day after it was computed
	later := New(src.compute, time.Minute, clock)
	later.SetShelf(shelf.shelf())
	if n, err := later.Restore(ctx); err != nil || n != 0 {
		t.Fatalf("restored %d (%v) boards older than a day", n, err)
	}
}

// A restart soon after the last run computes again at once only the
// boards whose TTL has passed since they were computed: a closed period's
// board of five minutes before (ten minutes' TTL) waits for the end of its
// TTL, as it would have in the last run, while the 30 days to today's
// (one minute) is computed again; a board stored by a clock ahead of this
// run's expires no later than one computed now.
func TestRestoreKeepsTheTTLOfARecentBoard(t *testing.T) {
	ctx := context.Background()
	shelf, src, now, clock := districtLastRun(t)
	from, to := Recent(*now)
	julyEnd := day("2026-07-31")

	*now = now.Add(5 * time.Minute)
	src.calls = nil
	next := New(src.compute, time.Minute, clock)
	next.SetShelf(shelf.shelf())
	if n, err := next.Restore(ctx); err != nil || n != 2 {
		t.Fatalf("restored %d (%v), want 2", n, err)
	}
	if err := next.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	// The refresh computes every other board the pages draw too: none is
	// held.
	recent := "district " + from.Format(time.DateOnly) + ".." + to.Format(time.DateOnly)
	julyCall := "district 2026-07-01..2026-07-31"
	if !slices.Contains(src.calls, recent) || slices.Contains(src.calls, julyCall) {
		t.Errorf("five minutes after the last run, the refresh computed %q: want %q, not %q", src.calls, recent, julyCall)
	}

	// Past July's TTL from when it was computed: due, as in the last run.
	*now = now.Add(5*time.Minute + time.Second)
	src.calls = nil
	if err := next.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(src.calls, julyCall) {
		t.Errorf("past its TTL July's board was not computed again (computed %q)", src.calls)
	}

	// Stored by a run whose clock was a day ahead: due within a TTL of now.
	ahead := now.Add(24 * time.Hour)
	if got, want := next.restoredUntil(julyEnd, ahead, *now), now.Add(ClosedLonger*time.Minute); !got.Equal(want) {
		t.Errorf("a board computed a day ahead expires at %s, want %s", got, want)
	}
}

// districtLastRun is a last run, at 10:00 on 2026-08-05 on a clock that
// reads *now, that computed and stored the district's board of the 30 days
// to today and of July.
func districtLastRun(t *testing.T) (*memShelf, *source, *time.Time, func() time.Time) {
	t.Helper()
	shelf := &memShelf{saved: map[string]Stored{}}
	now := new(time.Time)
	*now = day("2026-08-05").Add(10 * time.Hour)
	clock := func() time.Time { return *now }
	src := &source{}
	lastRun := New(src.compute, time.Minute, clock)
	lastRun.SetShelf(shelf.shelf())
	from, to := Recent(*now)
	for _, p := range [][2]time.Time{{from, to}, {day("2026-07-01"), day("2026-07-31")}} {
		if _, err := lastRun.Board(context.Background(), index.District, p[0], p[1]); err != nil {
			t.Fatal(err)
		}
	}
	return shelf, src, now, clock
}
