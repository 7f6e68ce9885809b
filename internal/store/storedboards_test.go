package store_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/board"
	"github.com/haocha/haocha/internal/demo"
	"github.com/haocha/haocha/internal/index"
	"github.com/haocha/haocha/internal/store"
	"github.com/haocha/haocha/internal/store/storetest"
)

// The boards a server computed are stored in the database and served by
// the next one from its start, as they were: the same answer, byte for
// byte, and the same computed_at, on both backends.
func TestStoredBoardsServeTheNextStart(t *testing.T) {
	for name, dsn := range storetest.Backends(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			st := storetest.Open(t, dsn(t))
			if err := demo.Load(ctx, st, demo.Options{Reviews: 2000, Bad: 200, Seed: 7, Frozen: true}); err != nil {
				t.Fatal(err)
			}
			shelf := board.Shelf{Save: st.SaveBoard, Load: st.StoredBoards, Failed: func(err error) { t.Error(err) }}
			lastRun := store.NewBoards(st)
			lastRun.SetShelf(shelf)
			from, to := board.Recent(st.Now())
			answers := map[index.Scope][]byte{}
			for _, sc := range []index.Scope{index.District, index.Hall, index.Workstation} {
				page, err := lastRun.Page(ctx, sc, "", from, to, nil, board.MaxPage)
				if err != nil {
					t.Fatal(err)
				}
				answers[sc] = page
			}
			next := store.NewBoards(st)
			next.SetShelf(shelf)
			n, err := next.Restore(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if n != len(answers) {
				t.Fatalf("restored %d boards, stored %d", n, len(answers))
			}
			before := next.Computations()
			for sc, want := range answers {
				got, err := next.Page(ctx, sc, "", from, to, nil, board.MaxPage)
				if err != nil {
					t.Fatal(err)
				}
				if string(got) != string(want) {
					t.Errorf("%s: the restored answer differs from the last run's:\n%.400s\n%.400s", sc, got, want)
				}
				var head board.Head
				if err := json.Unmarshal(got, &head); err != nil || head.ComputedAt.IsZero() {
					t.Errorf("%s: computed_at %v (%v)", sc, head.ComputedAt, err)
				}
			}
			// Served, not computed, for the first visitor: the
			// recomputations run behind.
			if after := next.Computations(); after-before > int64(len(answers)) {
				t.Errorf("%d computations for %d restored boards", after-before, len(answers))
			}
			next.Settle() // before the database is closed
			// A day and more later, nothing is restored.
			st.Now = func() time.Time { return time.Now().Add(25 * time.Hour) }
			later := store.NewBoards(st)
			later.SetShelf(shelf)
			if n, err := later.Restore(ctx); err != nil || n != 0 {
				t.Errorf("restored %d (%v) boards a day later", n, err)
			}
		})
	}
}
