package store

import (
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"github.com/haocha/haocha/internal/review"
)

// A review counted in (or out, when held) adds to a row of the day
// rollups for each axis it names: some twenty rows, few of them shared
// with the other reviews of its group. Written by each group's
// transaction, they were most of its pages (SQLite writes a WAL frame per
// page changed) and, on PostgreSQL, most of its row versions. Instead a
// transaction writes what it counts as one row of rollup_deltas (migration
// 0165): the reviews, each with its weight, encoded (rollups below). A
// fold adds the pending rows to the rollups and deletes them in one
// transaction, a second's reviews at once: once a second in every process
// (foldEvery), whenever a reader of rollups in this process needs the
// reviews it acknowledged (foldFirst), and when the store closes.
//
// Pending rows are in the database, so what a crash leaves the next fold
// of any process takes. On PostgreSQL a fold locks the rows it takes (in
// id order, FOR UPDATE): another process's fold waits for it and then
// finds them gone, so no row is folded twice. SQLite has one writer.
//
// Readers of the rollups (Stats, the index counts behind the boards and
// `haocha index verify`, DailyCounts, the screening baselines) fold first,
// so they count every review this process stored before they were called
// (cheap when it stored none since its last fold), and those of other
// processes within a second. Bulk loads (CreateReviews) and a benchmark's
// history (AddHistory) add their many reviews, aggregated, to the rollups
// directly: the rollups are sums, so additions in any order agree.

const (
	// foldEvery is how often each process folds what is pending.
	foldEvery = time.Second
	// foldBatch is the delta rows one fold transaction takes at most.
	foldBatch = 256
	// deltaFormat opens each delta row: the encoding of rollups.add.
	deltaFormat = 1
)

// rollups accumulates the reviews a transaction counts in or out, encoded
// as one rollup_deltas row.
type rollups struct {
	buf []byte
	n   int // reviews added
	// month is the first day of the month of now, as dayOf; ended is set
	// when a review of a day before it was counted or reached.
	month int
	ended bool
}

func (s *Store) newRollups() *rollups {
	return &rollups{month: monthOf(s.Now())}
}

// reach notes r, counted or held: a write that reaches a review of a
// month that has ended changes that month's counts (monthcounts.go).
func (ru *rollups) reach(r *review.Review) {
	ru.ended = ru.ended || dayOf(r.CreatedAt) < ru.month
}

// rollupCounter counts reviews into rollups: a transaction's delta row
// (rollups) or rows to add to the rollups (rollupRows).
type rollupCounter interface {
	add(r *review.Review, sign int64)
}

// add counts r in (sign 1), out (sign -1), or sign times, as
// rollupRows.add will: every field an axis or a sum reads.
func (ru *rollups) add(r *review.Review, sign int64) {
	b := ru.buf
	if b == nil {
		b = append(make([]byte, 0, 1024), deltaFormat)
	}
	ru.reach(r)
	b = binary.AppendVarint(b, sign)
	b = binary.AppendUvarint(b, uint64(dayOf(r.CreatedAt)))
	b = binary.AppendVarint(b, r.DimensionSet)
	var flags byte
	switch r.Origin {
	case review.Default:
		flags = 1
	case review.FromTransaction:
		flags = 2
	}
	if r.Verification.Or() == review.Unverified {
		flags |= 4
	}
	scores := r.Scores[:min(len(r.Scores), review.MaxDimensions)]
	b = append(b, byte(r.Stars), byte(r.Tags), flags, byte(len(scores)))
	for _, sc := range scores {
		b = binary.AppendVarint(b, int64(sc))
	}
	for _, c := range [...]string{string(r.Channel), r.District, r.Item, r.Unit, r.Stage, r.Hall, r.Window, r.Workstation, r.Staff} {
		b = binary.AppendUvarint(b, uint64(len(c)))
		b = append(b, c...)
	}
	ru.buf, ru.n = b, ru.n+1
}

// stmts is the statement that stores the delta row, none when nothing was
// counted.
func (ru *rollups) stmts() []stmt {
	if ru.n == 0 {
		return nil
	}
	return []stmt{{q: "INSERT INTO rollup_deltas (deltas) VALUES (?)", args: []any{ru.buf}}}
}

// addRollups stores ru's delta row in t; the fold after its commit counts
// it (runTx).
func (t tx) addRollups(ctx context.Context, ru *rollups) error {
	if ru.n == 0 {
		return nil
	}
	*t.deltas = true
	return t.run(ctx, ru.stmts())
}

// addDeltas adds the reviews of one delta row to ru, and says how many.
func (ru rollupRows) addDeltas(blob []byte) (int, error) {
	d := deltaReader{b: blob}
	if d.byte() != deltaFormat {
		return 0, fmt.Errorf("rollup deltas: unknown format")
	}
	reviews := 0
	var scores [review.MaxDimensions]int
	for len(d.b) > 0 && d.err == nil {
		var r review.Review
		sign := d.varint()
		day := int(d.uvarint())
		r.CreatedAt = dayAt(day, 12)
		r.DimensionSet = d.varint()
		r.Stars, r.Tags = int(d.byte()), review.TagSet(d.byte())
		flags := d.byte()
		switch flags & 3 {
		case 1:
			r.Origin = review.Default
		case 2:
			r.Origin = review.FromTransaction
		}
		r.Verification = review.ByTransaction // any level but unverified
		if flags&4 != 0 {
			r.Verification = review.Unverified
		}
		// The scores are read, not kept, by ru.add: one array serves (it
		// counts none past review.MaxDimensions).
		n := int(d.byte())
		r.Scores = scores[:min(n, len(scores))]
		for i := range n {
			if sc := int(d.varint()); i < len(scores) {
				scores[i] = sc
			}
		}
		str := func() string { return ru.mem.intern(d.bytes()) }
		r.Channel = review.Channel(str())
		r.District, r.Item, r.Unit, r.Stage, r.Hall = str(), str(), str(), str(), str()
		r.Window, r.Workstation, r.Staff = str(), str(), str()
		if d.err != nil {
			break
		}
		if r.Stars < 1 || r.Stars > 5 {
			return reviews, fmt.Errorf("rollup deltas: %d stars", r.Stars)
		}
		ru.add(&r, sign)
		reviews++
	}
	return reviews, d.err
}

// deltaReader reads a delta row; past its end or on a malformed number
// it keeps err and reads zeros.
type deltaReader struct {
	b   []byte
	err error
}

var errShortDelta = errors.New("rollup deltas: row cut short")

func (d *deltaReader) byte() byte {
	if len(d.b) == 0 {
		d.err = errShortDelta
		return 0
	}
	c := d.b[0]
	d.b = d.b[1:]
	return c
}

func (d *deltaReader) varint() int64 {
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.err, d.b = errShortDelta, nil
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *deltaReader) uvarint() uint64 {
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.err, d.b = errShortDelta, nil
		return 0
	}
	d.b = d.b[n:]
	return v
}

// bytes reads a string's bytes, which stay the row's.
func (d *deltaReader) bytes() []byte {
	n := d.uvarint()
	if n > uint64(len(d.b)) {
		d.err, d.b = errShortDelta, nil
		return nil
	}
	s := d.b[:n]
	d.b = d.b[n:]
	return s
}

// folder is what this process knows of its delta rows.
type folder struct {
	mu sync.Mutex // one fold at a time
	// written counts the transactions of this process that stored a delta
	// row, after their commit; folded is written as it was when the last
	// complete fold began: -1 at open, so that the first reader folds
	// what an earlier process left.
	written, folded atomic.Int64
	stopped         chan struct{} // closed when foldEverySecond returns
	tally           foldTally
	// shard is the rollup shard this process's folds write (rollupRows),
	// picked at open on PostgreSQL. A fold picking one at random made
	// most of its rows new rows, each a heap tuple and two index entries;
	// the same shard fold after fold updates the rows the last fold wrote,
	// which on pages with room (migration 0240) are HOT updates, writing
	// no index entry.
	shard int
	// args is the array a fold's upserts take their arguments from,
	// kept for the next fold (foldArgsKept); guarded by mu.
	args []any
}

// foldArgsKept is the most arguments a fold's array keeps for the next
// (8 MiB): a fold of 1,000 honest reviews takes some 120,000 (41 a rollup
// row); a larger one, catching up after a stop, lets its array go.
const foldArgsKept = 1 << 19

// foldTally counts what this process's folds did, for benchmarks.
type foldTally struct {
	folds, deltas, reviews, rows, stmts atomic.Int64
}

// FoldCounts is what a store's folds did since it opened: transactions
// that folded delta rows, the delta rows and the reviews in them (each
// count in or out), the rollup rows upserted and the statements run
// (the read of the delta rows and their delete included).
type FoldCounts struct {
	Folds, Deltas, Reviews, Rows, Statements int64
}

// FoldCounts reports what this store's folds did since it opened.
func (s *Store) FoldCounts() FoldCounts {
	t := &s.fold.tally
	return FoldCounts{Folds: t.folds.Load(), Deltas: t.deltas.Load(), Reviews: t.reviews.Load(),
		Rows: t.rows.Load(), Statements: t.stmts.Load()}
}

// deltasCommitted notes that a transaction of this process committed a
// delta row.
func (s *Store) deltasCommitted() { s.fold.written.Add(1) }

// startFolder folds once a second until the store closes.
func (s *Store) startFolder() {
	s.fold.folded.Store(-1)
	if s.pg {
		s.fold.shard = rand.IntN(rollupShards)
	}
	s.fold.stopped = make(chan struct{})
	go func() {
		defer close(s.fold.stopped)
		t := time.NewTicker(foldEvery)
		defer t.Stop()
		for {
			select {
			case <-s.quit:
				return
			case <-t.C:
				ctx, cancel := context.WithTimeout(context.Background(), s.CommitTimeout)
				s.foldPending(ctx) // a failure is tried again at the next tick
				cancel()
			}
		}
	}()
}

// foldPending folds when this process or another left delta rows. Which
// others did costs a read, no write.
func (s *Store) foldPending(ctx context.Context) error {
	w := s.fold.written.Load()
	if s.fold.folded.Load() >= w || w == 0 {
		var one int
		err := s.queryRow(ctx, "SELECT 1 FROM rollup_deltas LIMIT 1").Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			s.foldedTo(w) // nothing pending, this process's rows included
			return nil
		} else if err != nil {
			return err // not migrated yet, or unreachable
		}
	}
	return s.FoldRollups(ctx)
}

// foldFirst folds when this process stored delta rows since its last
// fold, so that a reader of the rollups counts every review this process
// acknowledged before it was called.
func (s *Store) foldFirst(ctx context.Context) error {
	w := s.fold.written.Load()
	if s.fold.folded.Load() >= w {
		return nil
	}
	s.fold.mu.Lock()
	defer s.fold.mu.Unlock()
	if s.fold.folded.Load() >= w {
		return nil // a fold that began after w was written is done
	}
	return s.foldAll(ctx)
}

// FoldRollups adds every pending delta row, of every process, to the day
// rollups. Readers of this store fold by themselves; tools and tests
// that read the rollup tables directly call it first.
func (s *Store) FoldRollups(ctx context.Context) error {
	s.fold.mu.Lock()
	defer s.fold.mu.Unlock()
	return s.foldAll(ctx)
}

// foldAll folds until nothing is pending; the caller holds s.fold.mu.
func (s *Store) foldAll(ctx context.Context) error {
	w := s.fold.written.Load()
	for {
		n, err := s.foldOnce(ctx)
		if readOnly(err) {
			// A read replica (--db-read) cannot fold: the primary's folder
			// does, within a second, and the replica reads what it folded.
			return nil
		}
		if err != nil {
			return fmt.Errorf("fold rollups: %w", err)
		}
		if n < foldBatch {
			break
		}
	}
	s.foldedTo(w)
	return nil
}

// foldedTo notes that this process's delta rows up to w are folded.
func (s *Store) foldedTo(w int64) {
	for {
		f := s.fold.folded.Load()
		if f >= w || s.fold.folded.CompareAndSwap(f, w) {
			return
		}
	}
}

// foldOnce folds up to foldBatch delta rows, the oldest first, in one
// transaction, and returns how many. It runs in rounds (round.go), as a
// group commit does: its statements are prepared once per connection and
// reused, where a transaction of database/sql had SQLite parse the
// multi-row upserts of the rollups again at every fold, a third of its
// time.
func (s *Store) foldOnce(ctx context.Context) (int, error) {
	n, reviews, rows, earlier := 0, 0, 0, false
	var stmts []stmt
	err := s.inRounds(ctx, func(run func([]stmt) error) ([]stmt, error) {
		q := "SELECT id, deltas FROM rollup_deltas ORDER BY id LIMIT ?"
		if s.pg {
			q += " FOR UPDATE"
		}
		ru := s.newRollupRows()
		var ids []any
		reviews = 0
		read := stmt{q: q, args: []any{foldBatch}, row: func(scan func(...any) error) error {
			var id int64
			var blob []byte
			if err := scan(&id, &blob); err != nil {
				return err
			}
			k, err := ru.addDeltas(blob)
			if err != nil {
				return fmt.Errorf("delta row %d: %w", id, err)
			}
			reviews += k
			ids = append(ids, id)
			return nil
		}}
		if err := run([]stmt{read}); err != nil {
			return nil, err
		}
		n = len(ids)
		if n == 0 {
			return nil, nil
		}
		earlier = !ru.since(s.Now())
		ids = padded(ids)
		stmts, s.fold.args = ru.stmtsIn(s.fold.args[:0])
		rows = len(s.fold.args) / len(rollupColumns) // every row's values, day and month
		if cap(s.fold.args) > foldArgsKept {
			s.fold.args = nil
		}
		stmts = append(stmts, stmt{q: "DELETE FROM rollup_deltas WHERE id IN (" + placeholders(len(ids)) + ")", args: ids})
		return stmts, nil
	})
	if err == nil && n > 0 {
		t := &s.fold.tally
		t.folds.Add(1)
		t.deltas.Add(int64(n))
		t.reviews.Add(int64(reviews))
		t.stmts.Add(int64(len(stmts) + 1))
		t.rows.Add(int64(rows))
	}
	switch {
	case err != nil:
		n = 0
	case earlier:
		s.dropMonths() // the kept month counts (monthcounts.go) no longer hold
	case n > 0:
		s.changed()
	}
	return n, err
}

// since reports whether every row of ru is of a day in the calendar
// month of now or after it: a fold of such rows leaves the counts of the
// months before as they were. A city's reviews are of today; a hold of
// an earlier burst, or a bulk load, may reach into an earlier month.
func (ru rollupRows) since(now time.Time) bool {
	first := monthOf(now)
	for _, m := range []map[rollupKey]*tallyRow{ru.rows, ru.unverified} {
		for k := range m {
			if k.day < first {
				return false
			}
		}
	}
	return true
}

// closeFolder stops the folder and folds what this process left, when
// the store closes after its committers.
func (s *Store) closeFolder() {
	if s.fold.stopped == nil {
		return
	}
	<-s.fold.stopped
	if s.fold.written.Load() == 0 || s.fold.folded.Load() >= s.fold.written.Load() {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), s.CommitTimeout)
	defer cancel()
	// A failure leaves the rows to the next fold of any process.
	s.FoldRollups(ctx)
}
