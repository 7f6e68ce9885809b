package store

import (
	"context"
	"io/fs"
	"time"

	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/index"

	"github.com/haocha/haocha/internal/audit"
	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/workorder"
)

// WhileAuditing runs fn inside a transaction that has just appended to the
// audit chain, and so holds the chain's lock until fn returns.
func (s *Store) WhileAuditing(ctx context.Context, fn func() error) error {
	return s.inTx(ctx, func(t tx) error {
		if err := s.appendAudit(ctx, t, audit.Entry{At: s.Now(), Actor: "test", Action: "hold"}); err != nil {
			return err
		}
		return fn()
	})
}

// StoreGroup stores rs as a committer stores one group, and returns each
// review's work order and refusal under lim.
func (s *Store) StoreGroup(rs []*review.Review, lim review.RateLimit) ([]*workorder.NewOrder, []error) {
	reqs := make([]*writeReq, len(rs))
	for i, r := range rs {
		reqs[i] = &writeReq{ctx: context.Background(), r: r, lim: lim, done: make(chan struct{})}
	}
	s.commitGroup(reqs)
	orders, errs := make([]*workorder.NewOrder, len(rs)), make([]error, len(rs))
	for i, req := range reqs {
		orders[i], errs[i] = req.wo, req.err
	}
	return orders, errs
}

// SetPGCommitters has the PostgreSQL stores opened from now on group
// reviews with n committers, until restore.
func SetPGCommitters(n int) (restore func()) {
	was := pgCommitters
	pgCommitters = n
	return func() { pgCommitters = was }
}

// GroupCommits is how many group transactions committers have committed.
func (s *Store) GroupCommits() int64 { return s.groups.commits.Load() }

// GroupRounds is how many rounds of statements the groups committed took:
// on PostgreSQL, round trips to the database.
func (s *Store) GroupRounds() int64 { return s.groups.rounds.Load() }

// GroupsStarted is how many groups committers have taken up.
func (s *Store) GroupsStarted() int64 { return s.groups.started.Load() }

// QueuedReviews is how many reviews wait for a committer.
func (s *Store) QueuedReviews() int { return len(s.writes) }

// ApplyMigrations runs the migrations of fsys alone, as Migrate runs those
// it embeds: a test makes a database of an older release with it.
func (s *Store) ApplyMigrations(ctx context.Context, fsys fs.FS) error {
	return s.applyMigrations(ctx, fsys)
}

// MigrationFiles is the migrations folder the binary embeds.
func MigrationFiles() fs.FS {
	sub, _ := fs.Sub(migrations, "migrations")
	return sub
}

// SetBulkRollupKeys makes bulk loads write their rollups past n rows
// until the test ends.
func SetBulkRollupKeys(t interface{ Cleanup(func()) }, n int) {
	old := bulkRollupKeys
	bulkRollupKeys = n
	t.Cleanup(func() { bulkRollupKeys = old })
}

// PoolLife is how long a value drawn ahead waits for its review.
const PoolLife = poolLife

// CountsFromOrders is IndexCountsAt with every order counted from the
// work orders themselves, none from the order rollups, and no month's
// counts kept: what the rollups must equal.
func (s *Store) CountsFromOrders(ctx context.Context, sc index.Scope, from, to, at time.Time) (map[string]index.Counts, index.Counts, error) {
	s.rawOrders.Store(true)
	defer s.rawOrders.Store(false)
	var city index.Counts
	start, end := calendar.Midnight(from), calendar.Midnight(to).AddDate(0, 0, 1)
	if sc == index.City {
		out, err := s.countPeriod(ctx, sc, start, end, at, nil)
		return out, out["city"], err
	}
	out, err := s.countPeriod(ctx, sc, start, end, at, &city)
	return out, city, err
}

// OrderPlan is how many whole months, runs of days and runs of days
// counted from the orders a count of the days from to to as of at reads.
func (s *Store) OrderPlan(ctx context.Context, from, to, at time.Time) (months, days, orders int, err error) {
	p, err := s.planOrders(ctx, dayOf(from), dayOf(calendar.Midnight(to).AddDate(0, 0, 1)), at)
	return len(p.months), len(p.days), len(p.orders), err
}

// OrderCounts is the order part of the counts of sc over the days from
// to to as of at, with the city's: from the work orders alone when
// fromOrders, else from the order rollups where they hold.
func (s *Store) OrderCounts(ctx context.Context, sc index.Scope, from, to, at time.Time, fromOrders bool) (map[string]index.Counts, error) {
	s.rawOrders.Store(fromOrders)
	defer s.rawOrders.Store(false)
	out := map[string]index.Counts{}
	var city index.Counts
	err := s.orderCounts(ctx, sc, calendar.Midnight(from), calendar.Midnight(to).AddDate(0, 0, 1), at, out, &city)
	return out, err
}
