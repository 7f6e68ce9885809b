package store

import (
	"context"
	"errors"

	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/workorder"
)

// One review per transaction costs a commit (an fsync) and a rollup update
// per review. Committers instead take the reviews that arrive while a
// commit is on its way and store them in one transaction, with one rollup
// update for all of them, answering each caller only once the group is
// durable. When anything in a group fails, the group is undone and each of
// its reviews is stored in a transaction of its own, so one refused review
// (a repeated transaction, say) never takes others down with it.
//
// SQLite has one writer, so one committer; PostgreSQL gets a few, each
// grouping on its own connection.

const maxGroup = 128

type writeReq struct {
	ctx  context.Context
	r    *review.Review
	lim  review.RateLimit
	wo   *workorder.NewOrder
	err  error
	done chan struct{}
}

var errClosed = errors.New("store is closed")

func (s *Store) startCommitters(n int) {
	s.writes = make(chan *writeReq, 4*maxGroup)
	s.quit = make(chan struct{})
	s.committed = make(chan struct{})
	finished := make(chan struct{}, n)
	for range n {
		go func() {
			defer func() { finished <- struct{}{} }()
			for {
				select {
				case <-s.quit:
					// Close holds closeMu: nothing more arrives. Finish what did.
					for {
						select {
						case r := <-s.writes:
							s.commitGroup([]*writeReq{r})
						default:
							return
						}
					}
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
	go func() {
		for range n {
			<-finished
		}
		close(s.committed)
	}()
}

// groupCreate hands r to a committer and waits until it is stored or refused.
func (s *Store) groupCreate(ctx context.Context, r *review.Review, lim review.RateLimit) (*workorder.NewOrder, error) {
	req := &writeReq{ctx: ctx, r: r, lim: lim, done: make(chan struct{})}
	s.closeMu.RLock()
	if s.closed {
		s.closeMu.RUnlock()
		return nil, errClosed
	}
	select {
	case s.writes <- req:
	case <-ctx.Done():
		s.closeMu.RUnlock()
		return nil, ctx.Err()
	}
	s.closeMu.RUnlock()
	<-req.done
	return req.wo, req.err
}

func (s *Store) commitGroup(group []*writeReq) {
	// Requests under different rate limits are counted apart.
	byLimit := map[review.RateLimit][]*writeReq{}
	for _, req := range group {
		if req.err = req.ctx.Err(); req.err != nil {
			close(req.done)
			continue
		}
		byLimit[req.lim] = append(byLimit[req.lim], req)
	}
	for _, live := range byLimit {
		s.commitLive(live)
	}
}

func (s *Store) commitLive(live []*writeReq) {
	if len(live) > 1 && s.storeGroup(live) == nil {
		for _, req := range live {
			close(req.done)
		}
		return
	}
	for _, req := range live {
		req.err = s.storeGroup([]*writeReq{req})
		close(req.done)
	}
}

// storeGroup stores the reviews of reqs in one transaction, setting each
// request's work order once it is committed.
func (s *Store) storeGroup(reqs []*writeReq) error {
	rs := make([]*review.Review, len(reqs))
	for i, req := range reqs {
		rs[i] = req.r
	}
	var orders []*workorder.NewOrder
	err := s.inTx(context.Background(), func(t tx) error {
		ru := newRollups()
		var err error
		if orders, err = s.insertGroup(context.Background(), t, rs, ru, reqs[0].lim); err != nil {
			return err
		}
		return ru.save(context.Background(), t)
	})
	if err != nil {
		return err
	}
	for i, req := range reqs {
		req.wo = orders[i]
	}
	return nil
}
