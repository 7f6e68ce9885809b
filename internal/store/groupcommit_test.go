package store_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/sms"
	"github.com/haocha/haocha/internal/store"
	"github.com/haocha/haocha/internal/store/storetest"
	"github.com/haocha/haocha/internal/workorder"
)

// A refused review in a group is answered with its own error; the good
// reviews of the group are stored together, in the one transaction of the
// group, not undone and replayed one by one.
func TestGroupIsolatesRefusedReview(t *testing.T) {
	// One review per device in the window: the good reviews come from
	// devices of their own, the flood from one.
	oneEach := review.RateLimit{Max: 1, Window: review.RateWindow}
	const good = 6
	for _, tt := range []struct {
		name string
		bad  func(t *testing.T, st *store.Store) *review.Review
		code apperr.Code
	}{
		{"transaction reviewed before", func(t *testing.T, st *store.Store) *review.Review {
			if _, err := st.CreateReview(context.Background(), groupReview(t, st, "BJ-OLD", ""), review.RateLimit{}); err != nil {
				t.Fatal(err)
			}
			return groupReview(t, st, "BJ-OLD", "")
		}, apperr.Conflict},
		{"transaction repeated in the group", func(t *testing.T, st *store.Store) *review.Review {
			return groupReview(t, st, "BJ-G0", "")
		}, apperr.Conflict},
		{"device past its rate", func(t *testing.T, st *store.Store) *review.Review {
			if _, err := st.CreateReview(context.Background(), groupReview(t, st, "", "flood"), oneEach); err != nil {
				t.Fatal(err)
			}
			return groupReview(t, st, "", "flood")
		}, apperr.TooMany},
	} {
		t.Run(tt.name, func(t *testing.T) {
			eachBackend(t, func(t *testing.T, st *store.Store) {
				bad := tt.bad(t, st)
				var rs []*review.Review
				for i := range good {
					rs = append(rs, groupReview(t, st, fmt.Sprintf("BJ-G%d", i), fmt.Sprintf("device-%d", i)))
					if i == good/2 {
						rs = append(rs, bad)
					}
				}
				reviews, commits := count(t, st, "reviews"), st.GroupCommits()
				orders, errs := st.StoreGroup(rs, oneEach)
				for i, r := range rs {
					switch {
					case r == bad && !apperr.Is(errs[i], tt.code):
						t.Errorf("refused review: err = %v, want %s", errs[i], tt.code)
					case r != bad && errs[i] != nil:
						t.Errorf("good review %d: %v", i, errs[i])
					case r != bad && orders[i] == nil:
						t.Errorf("good bad-review %d: no work order", i)
					}
				}
				if n := count(t, st, "reviews") - reviews; n != good {
					t.Errorf("stored %d reviews, want the %d good ones", n, good)
				}
				if n := st.GroupCommits() - commits; n != 1 {
					t.Errorf("the group took %d commits, want 1", n)
				}
			})
		})
	}
}

// groupReview is a 1-star review of transaction txn (none when empty)
// from client mark.
func groupReview(t *testing.T, st *store.Store, txn, mark string) *review.Review {
	t.Helper()
	r := mustAccept(t, st, review.Submission{Channel: "pc", Item: "GA-001", Stage: "acceptance", Stars: 1,
		Comment: "等了很久", Anonymous: &yes, Transaction: txn})
	r.ClientMark = mark
	return r
}

// holdSQLiteWriteLock takes the write lock of the SQLite file at path from
// a connection of its own, as another process would, until release.
func holdSQLiteWriteLock(t *testing.T, path string) (release func()) {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(context.Background(), "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	release = sync.OnceFunc(func() {
		conn.ExecContext(context.Background(), "ROLLBACK")
		conn.Close()
		db.Close()
	})
	t.Cleanup(release)
	return release
}

// waitUntil yields until cond holds.
func waitUntil(cond func() bool) {
	for !cond() {
		runtime.Gosched()
	}
}

// A caller who gives up while the committer is held up (the database
// locked by another process) is answered at once; the review before it,
// on its way, is stored once the lock is released.
func TestGroupAnswersCallerWhoGaveUp(t *testing.T) {
	path := storetest.SQLiteDSN(t)
	st := storetest.OpenFixture(t, path)
	ctx := context.Background()
	release := holdSQLiteWriteLock(t, path)

	r1, r2 := groupReview(t, st, "BJ-1", ""), groupReview(t, st, "BJ-2", "")
	started := st.GroupsStarted()
	first := make(chan error, 1)
	go func() {
		_, err := st.CreateReview(ctx, r1, review.RateLimit{})
		first <- err
	}()
	// The committer has the first review and waits for the lock.
	waitUntil(func() bool { return st.GroupsStarted() > started })

	gaveUp, cancel := context.WithCancel(ctx)
	second := make(chan error, 1)
	go func() {
		_, err := st.CreateReview(gaveUp, r2, review.RateLimit{})
		second <- err
	}()
	waitUntil(func() bool { return st.QueuedReviews() == 1 })
	cancel()
	if err := <-second; !errors.Is(err, context.Canceled) {
		t.Errorf("caller who gave up: err = %v, want context.Canceled", err)
	}
	release()
	if err := <-first; err != nil {
		t.Errorf("review on its way when the lock was released: %v", err)
	}
}

// A commit that cannot finish (a lock held elsewhere) fails its callers at
// its deadline instead of holding them, and the committer, for ever.
func TestGroupCommitDeadline(t *testing.T) {
	eachBackend(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		st.CommitTimeout = 200 * time.Millisecond
		var release func()
		if st.Postgres() {
			tx, err := st.DB().BeginTx(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := tx.Exec("LOCK TABLE rollup_deltas IN ACCESS EXCLUSIVE MODE"); err != nil {
				t.Fatal(err)
			}
			release = sync.OnceFunc(func() { tx.Rollback() })
			t.Cleanup(release)
		} else {
			release = holdSQLiteWriteLock(t, sqlitePath(t, st))
		}
		r := groupReview(t, st, "BJ-D", "")
		done := make(chan error, 1)
		go func() {
			_, err := st.CreateReview(ctx, r, review.RateLimit{})
			done <- err
		}()
		select {
		case err := <-done:
			if err == nil {
				t.Error("review stored while the database was locked")
			}
		case <-time.After(time.Minute): // a guard against hanging, not a speed check
			t.Fatal("no answer within a minute: the commit has no deadline")
		}
		release()
		// Once the lock is gone intake recovers; on a loaded machine a
		// commit may still miss the short deadline of this test, so a
		// few tries are allowed.
		var err error
		for range 10 {
			if _, err = st.CreateReview(ctx, groupReview(t, st, "BJ-D", ""), review.RateLimit{}); err == nil {
				break
			}
		}
		if err != nil {
			t.Errorf("after the lock was released: %v", err)
		}
	})
}

// sqlitePath is the file of a SQLite store.
func sqlitePath(t *testing.T, st *store.Store) string {
	t.Helper()
	var seq int
	var name, file string
	if err := st.DB().QueryRow("PRAGMA database_list").Scan(&seq, &name, &file); err != nil {
		t.Fatal(err)
	}
	return file
}

// On PostgreSQL a group with nothing to read first is stored in one round
// trip once the process is busy (its review ids and work-order numbers
// drawn ahead), its review limits counted in memory without reading what
// other processes stored (the follower reads that once a second); a group
// with a transaction reads its claimed stages first.
// Every review gets an id of its own and every bad review a work order of
// its own number. The text an order is due, queued by the group, costs no
// round trip of its own.
func TestGroupRoundTrips(t *testing.T) {
	st := storetest.OpenFixture(t, storetest.PostgresDSN(t))
	ids, numbers := map[int64]bool{}, map[string]bool{}
	texts := count(t, st, "sms_outbox")
	lim := review.RateLimit{Max: 30, Window: review.RateWindow, AddressMax: review.AddressRateMax, AddressWindow: review.AddressRateWindow}
	put := func(txn string) int64 {
		t.Helper()
		r := groupReview(t, st, txn, fmt.Sprintf("device-%d", len(ids)))
		r.NetMark = "net"
		rounds := st.GroupRounds()
		orders, texted, errs := st.StoreGroupTexted([]*review.Review{r}, lim, func(_ int, wo *workorder.NewOrder) sms.Message {
			return sms.Message{Phone: "13800000000", Purpose: sms.FollowLink, Text: wo.Number}
		})
		if errs[0] != nil || texted[0] == nil {
			t.Fatalf("err %v, text %v", errs[0], texted[0])
		}
		if ids[r.ID] || orders[0] == nil || numbers[orders[0].Number] {
			t.Fatalf("review %d, order %v: an id or number given twice, or no order", r.ID, orders[0])
		}
		ids[r.ID], numbers[orders[0].Number] = true, true
		return st.GroupRounds() - rounds
	}
	put("") // a quiet process draws what its group needs
	put("") // a busy one draws ahead
	for i := range 5 {
		// Values drawn ahead wait poolLife at most: a machine so slow
		// that the groups come further apart draws again.
		last := time.Now()
		if n := put(""); n != 1 && time.Since(last) < store.PoolLife/2 {
			t.Errorf("group %d without a transaction: %d round trips, want 1", i, n)
		}
	}
	if n := put("BJ-RT1"); n != 2 {
		t.Errorf("group with a transaction: %d round trips, want 2", n)
	}
	if got := count(t, st, "reviews"); got != len(ids) {
		t.Errorf("%d reviews stored, want %d", got, len(ids))
	}
	if got := count(t, st, "sms_outbox") - texts; got != len(ids) {
		t.Errorf("%d texts queued, want one a review, %d", got, len(ids))
	}
}
