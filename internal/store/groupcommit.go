package store

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/sms"
	"github.com/haocha/haocha/internal/workorder"
)

// One review per transaction costs a commit (an fsync) and a rollup update
// per review. Committers instead take the reviews that arrive while a
// commit is on its way and store them in one transaction, with one rollup
// delta row for all of them (fold.go), answering each caller only once
// the group is durable. Reviews that must be refused (a repeated
// transaction, a device past its rate) are found before anything is
// written and answered each with its own error, so one refused review
// never undoes or delays the others: under abuse, when refusals are many,
// a group still costs one commit.
//
// SQLite has one writer, so one committer; PostgreSQL gets pgCommitters,
// each grouping on its own connection.

const maxGroup = 128

// DefaultCommitTimeout bounds the storing of one group: a database that
// hangs (a lock held elsewhere, a server gone quiet) answers its callers
// with an error instead of holding them, and the committer, forever.
const DefaultCommitTimeout = 5 * time.Second

// groupAttempts is how often a group is stored when another PostgreSQL
// committer claims one of its transactions between the check and the
// insert; the next attempt sees the claim and refuses just that review.
const groupAttempts = 3

type writeReq struct {
	ctx  context.Context
	r    *review.Review
	lim  review.RateLimit
	wo   *workorder.NewOrder
	err  error
	done chan struct{}
	// text, when set, is the text r's work order is due, queued with r
	// (groupTexts); texted is what became of it.
	text   func(*workorder.NewOrder) sms.Message
	texted *sms.Stored
}

var errClosed = errors.New("store is closed")

// groupStats counts what committers did, for tests and monitoring.
type groupStats struct {
	started atomic.Int64 // groups a committer has taken up
	commits atomic.Int64 // group transactions committed
	rounds  atomic.Int64 // rounds of statements of the groups committed
	// byCond counts the bursts held by their condition, the windows not
	// knowing them whole (burstHolds).
	byCond atomic.Int64
	// observe is told each group's storing time (OnGroupCommit).
	observe atomic.Pointer[func(time.Duration)]
}

func (s *Store) startCommitters(n int) {
	s.writes = make(chan *writeReq, 4*maxGroup)
	s.quit = make(chan struct{})
	s.committed = make(chan struct{})
	finished := make(chan struct{}, n)
	// One committer gathers at a time, lingering for the rest of its group
	// (gather), while the others store theirs: several idle committers
	// each taking what arrives would store a trickle of groups of one.
	var gathering sync.Mutex
	var prev atomic.Int64 // the size of the last group gathered
	for range n {
		go func() {
			defer func() { finished <- struct{}{} }()
			for {
				gathering.Lock()
				select {
				case <-s.quit:
					gathering.Unlock()
					// Close holds closeMu: nothing more arrives. Finish what did.
					for {
						select {
						case r := <-s.writes:
							s.commitGroup(s.gather(r, 0))
						default:
							return
						}
					}
				case first := <-s.writes:
					group := s.gather(first, int(prev.Load()))
					prev.Store(int64(len(group)))
					gathering.Unlock()
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

// On SQLite a group's commit costs about as much CPU as seven reviews'
// rows (BenchmarkStoreGroup: some 0.5 ms a group whatever its size, 0.07 ms
// a review; most of it the pages written to the WAL, two system calls
// each, and the fsync). A committer that takes only what waits when it
// comes free commits a trickle of small groups under a steady load: the
// clients of the last group are answered a moment apart and come back a
// moment apart. So while a group is smaller than the last one, the
// committer waits a little for the rest: up to lingerGap for each next
// request and lingerMax in all, which a review's answer can afford (the
// fsync alone takes longer). One client, whose groups are of one, never
// waits.
const (
	lingerGap = 300 * time.Microsecond
	lingerMax = 2 * time.Millisecond
)

// gather is first and the requests waiting behind it, up to maxGroup,
// lingering for more while the group is smaller than prev.
func (s *Store) gather(first *writeReq, prev int) []*writeReq {
	group := []*writeReq{first}
	waiting := func() {
		for len(group) < maxGroup {
			select {
			case r := <-s.writes:
				group = append(group, r)
			default:
				return
			}
		}
	}
	waiting()
	if len(group) >= min(prev, maxGroup) {
		return group
	}
	deadline := time.Now().Add(lingerMax)
	t := time.NewTimer(lingerGap)
	defer t.Stop()
	for len(group) < min(prev, maxGroup) {
		select {
		case r := <-s.writes:
			group = append(group, r)
			waiting()
			gap := min(lingerGap, time.Until(deadline))
			if gap <= 0 {
				return group
			}
			t.Reset(gap)
		case <-t.C:
			return group
		}
	}
	return group
}

// groupCreate hands r to a committer and waits until it is stored or
// refused, or until ctx ends. A caller that stops waiting gets ctx.Err();
// its review may still be stored by a group already on its way.
func (s *Store) groupCreate(ctx context.Context, r *review.Review, lim review.RateLimit, text func(*workorder.NewOrder) sms.Message) (*workorder.NewOrder, *sms.Stored, error) {
	req := &writeReq{ctx: ctx, r: r, lim: lim, done: make(chan struct{}), text: text}
	s.closeMu.RLock()
	if s.closed {
		s.closeMu.RUnlock()
		return nil, nil, errClosed
	}
	select {
	case s.writes <- req:
	case <-ctx.Done():
		s.closeMu.RUnlock()
		return nil, nil, ctx.Err()
	}
	s.closeMu.RUnlock()
	select {
	case <-req.done:
		return req.wo, req.texted, req.err
	case <-ctx.Done():
		return nil, nil, ctx.Err()
	}
}

// commitGroup stores the reviews of group whose callers still wait, in
// one transaction, and answers each.
func (s *Store) commitGroup(group []*writeReq) {
	s.groups.started.Add(1)
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

// commitLive stores live, requests under one rate limit, retrying when
// another committer claimed one of their transactions meanwhile.
func (s *Store) commitLive(live []*writeReq) {
	start := time.Now()
	var err error
	for range groupAttempts {
		if err = s.storeGroup(live); !apperr.Is(err, apperr.Conflict) {
			break
		}
	}
	// Observed before the callers are answered, so that a caller sees
	// its group counted.
	if f := s.groups.observe.Load(); f != nil {
		(*f)(time.Since(start))
	}
	for _, req := range live {
		if err != nil {
			req.err = err
		}
		close(req.done)
	}
}

// storeGroup stores in one transaction, within s.CommitTimeout, the
// reviews of reqs that admit lets in, and sets each request's work order
// or refusal once it is committed. An error fails every request.
func (s *Store) storeGroup(reqs []*writeReq) error {
	if len(reqs) == 0 {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), s.CommitTimeout)
	defer cancel()
	rs := make([]*review.Review, len(reqs))
	for i, req := range reqs {
		rs[i] = req.r
	}
	s.stamp(rs)
	lim := reqs[0].lim
	var w *windows // the counts of the review limits, when any limits
	if limits(lim) {
		var err error
		if w, err = s.rateWindows(ctx, lim); err != nil {
			return err
		}
	}
	var pended []*review.Review // counted pending in w until committed
	var refused []error
	var kept []int
	var orders []*workorder.NewOrder
	var admitted []*review.Review
	var holds []burstHold
	var late map[int64]string
	var deltas, ended bool
	var texts []groupText
	textsStored := func() {}
	rounds := 0
	err := s.inRounds(ctx, func(runRound func([]stmt) error) ([]stmt, error) {
		rounds = 1 // the last, with the commit
		texts, textsStored = nil, func() {}
		run := func(stmts []stmt) error {
			rounds++
			return runRound(stmts)
		}
		fu := &laters{firsts: map[[2]string]*firstReview{}, byID: map[int64]*firstReview{}}
		reads, decide := s.admit(w, rs, lim, fu)
		n := numbers{laters: fu, table: s.reviewTable(), pg: s.pg, now: s.Now()}
		// With nothing to read and the numbers drawn ahead, this round is
		// none, and the group is stored in one round trip.
		if first := append(reads, s.reserveGroup(rs, &n)...); len(first) > 0 {
			if err := run(first); err != nil {
				return nil, err
			}
		}
		refused = decide()
		admitted, kept = admitted[:0], kept[:0]
		for i, r := range rs {
			if refused[i] == nil {
				admitted, kept = append(admitted, r), append(kept, i)
			}
		}
		if w != nil {
			pended = admitted
		}
		if len(admitted) == 0 {
			return nil, nil
		}
		ru := s.newRollups()
		// The earlier reviews of the bursts that held reviews of the group
		// are held with them, in this transaction (fraud.go), and those the
		// windows learnt late.
		var stmts []stmt
		var suspect []any
		held := heldBack(ru, &suspect)
		holds = s.burstHolds(admitted)
		for _, h := range holds {
			stmts = append(stmts, orderDaysMark(h.orderDays(), n.now)...)
			stmts = append(stmts, burstStmts(h, held)...)
		}
		late = s.takeLate()
		stmts = append(stmts, lateStmts(late, held)...)
		if len(stmts) > 0 {
			if err := run(stmts); err != nil {
				return nil, err
			}
		}
		stmts, orders = n.insertStmts(admitted, ru, groupRows)
		s.claimIDs(admitted)
		stmts = append(stmts, suspectStmts(suspect)...)
		deltas, ended = ru.n > 0, ru.ended
		stmts = append(stmts, ru.stmts()...)
		// Last, after the bursts have held what they hold: a review held
		// in this group has its text held with it.
		for j, i := range kept {
			if r := admitted[j]; orders[j] != nil && reqs[i].text != nil {
				t := groupText{req: i, m: reqs[i].text(orders[j])}
				if r.Held != "" {
					t.held = r.ID
				}
				texts = append(texts, t)
			}
		}
		more, stored, err := s.groupTexts(ctx, texts, n.now)
		textsStored = stored
		return append(stmts, more...), err
	})
	err = repeatedStage(rs, err)
	if err != nil {
		w.unpend(pended)
		s.keepLate(late)
		return err
	}
	s.groups.commits.Add(1)
	s.groups.rounds.Add(int64(rounds))
	if ended {
		s.dropMonths() // a review of an ended month stored or held: its orders, windows and rollups
	}
	if deltas {
		s.deltasCommitted()
	}
	s.counted(admitted, holds, len(pended) > 0)
	for i, req := range reqs {
		req.err = refused[i]
	}
	for j, i := range kept {
		reqs[i].wo = orders[j]
	}
	textsStored()
	for _, t := range texts {
		reqs[t.req].texted = &t.out
	}
	return nil
}
