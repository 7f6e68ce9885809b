package loadgen

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"

	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/store"
)

// Raw is a store opened to measure the database's own ceiling for review
// rows: one plain INSERT per review, autocommit, from many goroutines at
// once, with none of Haocha's intake around it (no catalogue lookups, no
// transaction or contact rows, no group commit). Benchmarks compare intake
// with it; nothing else should use it.
//
// On PostgreSQL the writers share the store's own pool, grown to the
// number of writers when that is larger. On SQLite the store's writer is a
// single connection behind the group committer, so Raw opens a second pool
// on the same file with the same pragmas (WAL, synchronous=FULL,
// busy_timeout) that lets every writer hold a connection: what a naive
// program would do. SQLite still lets one writer in at a time; the others
// wait in the busy handler, and each commit pays its own fsync.
type Raw struct {
	*store.Store
	db  *sql.DB
	own bool // db is Raw's own pool, closed with it
}

// sqlitePragmas are the connection settings of store.Open's SQLite pools;
// Raw checks at open that its connections report the same values as the
// store's writer, so that the two cannot drift apart unnoticed.
const sqlitePragmas = "_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=foreign_keys(1)&_pragma=busy_timeout(10000)"

// OpenRaw opens dsn like store.Open and readies writers concurrent writers.
func OpenRaw(ctx context.Context, dsn string, writers int) (*Raw, error) {
	if writers < 1 {
		return nil, fmt.Errorf("open raw: want at least one writer, got %d", writers)
	}
	s, err := store.Open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	if store.IsPostgres(dsn) {
		if writers > 32 {
			s.DB().SetMaxOpenConns(writers)
			s.DB().SetMaxIdleConns(writers)
		}
		return &Raw{Store: s, db: s.DB()}, nil
	}
	path := "file:" + (&url.URL{Path: dsn}).EscapedPath()
	db, err := sql.Open("sqlite", path+"?"+sqlitePragmas)
	if err != nil {
		s.Close()
		return nil, fmt.Errorf("open raw sqlite %s: %w", dsn, err)
	}
	db.SetMaxOpenConns(writers)
	db.SetMaxIdleConns(writers)
	db.SetConnMaxIdleTime(0)
	r := &Raw{Store: s, db: db, own: true}
	if err := r.samePragmas(ctx); err != nil {
		r.Close()
		return nil, err
	}
	return r, nil
}

// samePragmas fails unless Raw's connections are set up like the store's
// writer: a ceiling measured with weaker durability would flatter it.
func (r *Raw) samePragmas(ctx context.Context) error {
	for _, p := range []string{"journal_mode", "synchronous", "foreign_keys", "busy_timeout"} {
		var mine, theirs string
		if err := r.db.QueryRowContext(ctx, "PRAGMA "+p).Scan(&mine); err != nil {
			return fmt.Errorf("raw pragma %s: %w", p, err)
		}
		if err := r.DB().QueryRowContext(ctx, "PRAGMA "+p).Scan(&theirs); err != nil {
			return fmt.Errorf("store pragma %s: %w", p, err)
		}
		if mine != theirs {
			return fmt.Errorf("raw pool has %s=%s, the store %s", p, mine, theirs)
		}
	}
	return nil
}

// Close closes the writers' pool and the store.
func (r *Raw) Close() error {
	var err error
	if r.own {
		err = r.db.Close()
	}
	if e := r.Store.Close(); err == nil {
		err = e
	}
	return err
}

// InsertRaw stores r's row in reviews with exactly one INSERT, in a
// transaction of its own (autocommit), with the columns and values of
// CreateReview but none of its other rows (transaction, contact, rollups,
// work order). It sets rv.ID, and rv.CreatedAt when zero.
func (r *Raw) InsertRaw(ctx context.Context, rv *review.Review) error {
	if rv.CreatedAt.IsZero() {
		rv.CreatedAt = r.Now()
	}
	err := r.db.QueryRowContext(ctx, r.ReviewRowInsert(1)+" RETURNING id", store.ReviewRow(rv)...).Scan(&rv.ID)
	if err != nil {
		return fmt.Errorf("insert raw review: %w", err)
	}
	return nil
}

// InsertRawBatch stores the rows of rvs in reviews with one multi-row
// INSERT in a transaction of its own: the most a group commit of that size
// could do, with none of intake's other rows. It sets each CreatedAt when
// zero.
func (r *Raw) InsertRawBatch(ctx context.Context, rvs []*review.Review) error {
	var args []any
	for _, rv := range rvs {
		if rv.CreatedAt.IsZero() {
			rv.CreatedAt = r.Now()
		}
		args = append(args, store.ReviewRow(rv)...)
	}
	if _, err := r.db.ExecContext(ctx, r.ReviewRowInsert(len(rvs)), args...); err != nil {
		return fmt.Errorf("insert raw reviews: %w", err)
	}
	return nil
}
