package store

import (
	"context"
	"errors"
	"fmt"
)

// SQLite makes one fsync per commit, which caps one-review-per-transaction
// intake at the disk's sync rate. The committer groups the reviews that
// arrive while a commit is on its way into the next transaction, each in a
// savepoint of its own so that one refused review does not undo the others,
// and answers each only once the group is on disk.

const maxGroup = 128

type writeReq struct {
	ctx  context.Context
	fn   func(tx) error
	done chan error
}

var errClosed = errors.New("store is closed")

func (s *Store) startCommitter() {
	s.writes = make(chan *writeReq, 4*maxGroup)
	s.quit = make(chan struct{})
	s.committed = make(chan struct{})
	go func() {
		defer close(s.committed)
		for {
			select {
			case <-s.quit:
				// Close holds closeMu: nothing more arrives. Finish what did.
				for len(s.writes) > 0 {
					s.commitGroup([]*writeReq{<-s.writes})
				}
				return
			case first := <-s.writes:
				group := []*writeReq{first}
			more:
				for len(group) < maxGroup {
					select {
					case r := <-s.writes:
						group = append(group, r)
					default:
						break more
					}
				}
				s.commitGroup(group)
			}
		}
	}()
}

// groupTx runs fn in a write transaction, possibly shared with other
// callers' work; it returns once fn's changes are durable or undone.
func (s *Store) groupTx(ctx context.Context, fn func(tx) error) error {
	if s.writes == nil {
		return s.inTx(ctx, fn)
	}
	req := &writeReq{ctx: ctx, fn: fn, done: make(chan error, 1)}
	s.closeMu.RLock()
	if s.closed {
		s.closeMu.RUnlock()
		return errClosed
	}
	select {
	case s.writes <- req:
	case <-ctx.Done():
		s.closeMu.RUnlock()
		return ctx.Err()
	}
	s.closeMu.RUnlock()
	return <-req.done
}

func (s *Store) commitGroup(group []*writeReq) {
	errs := make([]error, len(group))
	reply := func() {
		for i, r := range group {
			r.done <- errs[i]
		}
	}
	defer reply()
	t, err := s.w.BeginTx(context.Background(), nil)
	if err != nil {
		for i := range errs {
			errs[i] = fmt.Errorf("begin: %w", err)
		}
		return
	}
	ok := 0
	for i, r := range group {
		if err := r.ctx.Err(); err != nil {
			errs[i] = err
			continue
		}
		if _, err := t.Exec("SAVEPOINT review"); err != nil {
			errs[i] = err
			continue
		}
		if err := r.fn(tx{t, s}); err != nil {
			errs[i] = err
			if _, err := t.Exec("ROLLBACK TO review"); err != nil {
				// The transaction is unusable: fail the whole group.
				t.Rollback()
				for j := range errs {
					if errs[j] == nil {
						errs[j] = fmt.Errorf("rollback to savepoint: %w", err)
					}
				}
				return
			}
		} else {
			ok++
		}
		t.Exec("RELEASE review")
	}
	if ok == 0 {
		t.Rollback()
		return
	}
	if err := t.Commit(); err != nil {
		for i := range errs {
			if errs[i] == nil {
				errs[i] = fmt.Errorf("commit: %w", err)
			}
		}
	}
}
