// Package store keeps Haocha's data in SQL: SQLite (embedded, the default)
// or PostgreSQL. One set of plain, portable SQL serves both; the few
// differences live in migrations (as template switches) and in rebind,
// which numbers placeholders knowing literals and comments (sqltext.go).
package store

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"
	_ "modernc.org/sqlite"             // registers "sqlite"

	"github.com/haocha/haocha/internal/catalog"
	"github.com/haocha/haocha/internal/keys"
	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/sms"
)

// Store is the database behind Haocha.
type Store struct {
	w  *sql.DB // writes; for SQLite a single connection, as SQLite has one writer
	r  *sql.DB // reads
	pg bool

	// Now is the clock; tests replace it.
	Now func() time.Time
	// Keys are the master keys, kept outside the database: secrets derive
	// from them and the audit trail is keyed with them (keys.go).
	Keys *keys.Ring
	// CommitTimeout bounds the storing of one group of reviews
	// (DefaultCommitTimeout unless changed before the first review).
	CommitTimeout time.Duration
	// SMSLimits caps the texts to one phone (smsoutbox.go);
	// sms.DefaultLimits when zero.
	SMSLimits sms.Limits

	// The SQLite group committer (see groupcommit.go).
	writes    chan *writeReq
	quit      chan struct{}
	committed chan struct{}
	closeMu   sync.RWMutex
	closed    bool
	groups    groupStats
	// Review ids and work-order numbers drawn ahead on PostgreSQL
	// (seqpool.go).
	idPool, orderPool seqPool

	// windows count recent reviews for the fraud detectors and the
	// review limit, in memory (fraudwindows.go).
	windows windows

	// fold adds the rollup deltas of committed transactions to the day
	// rollups (fold.go).
	fold folder
	// bulk holds the rollups of the bulk load running, if one is
	// (bulkrollups.go).
	bulk atomic.Pointer[bulkRollups]
	// months keeps the index counts of whole months (monthcounts.go).
	months monthCounts
	// rawOrders counts every order from the orders, none from the order
	// rollups: the tests and the benchmark that compare the two set it.
	rawOrders atomic.Bool
	// themeReads counts the reads of theme counts (themes.go).
	themeReads atomic.Int64
	// changes counts the writes a page may show (changes.go).
	changes atomic.Int64

	// Catalogue records every review looks up (cache.go).
	units  cache[catalog.Unit]
	items  cache[catalog.Item]
	places cache[catalog.Place]

	// PostgreSQL connections whose last commit the server could not
	// confirm was replicated (failover.go).
	unsure sync.Map

	// Statements of rounds (round.go): PostgreSQL texts numbered, SQLite
	// statements prepared.
	shapes sync.Map
	lite   liteStmts

	mu         sync.Mutex
	sets       map[int64]review.DimensionSet // immutable once stored
	partitions map[string]bool               // PostgreSQL partitions known to exist
	active     int64
	checked    time.Time
	// guessWindow is the guess throttle's window this process last
	// counted in (ms): the first count of a new one clears the old.
	guessWindow int64
}

// IsPostgres reports whether dsn names a PostgreSQL database.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// DefaultCacheBytes is the page cache a SQLite database's connections
// share in one process unless told otherwise (--db-cache-bytes), in
// resident bytes (cachePageBytes). SQLite allocates it outside Go's heap,
// and each connection fills its own cache up to its size with the pages
// it reads: the writer keeps half (the index pages intake touches), the
// readers share the rest. The pages are in the system's file cache
// besides, so a page missed costs a read call, not a disk read.
const DefaultCacheBytes = 32 << 20

// cachePageBytes is what one cached page of 4 KiB (SQLite's default page
// size, the only one Haocha creates) takes resident: the page and
// SQLite's header for it, some 4.4 KiB, are one allocation, which
// modernc.org/libc's allocator (modernc.org/memory) serves from a slot of
// 8 KiB, seven slots to a block of 64 KiB. A cache given as cache_size in
// KiB, which SQLite counts as 4.4 KiB a page, took 2.3 times its size:
// the 32 MiB default held about 73 MiB once the caches had filled, which
// they do as a database grows with the reviews taken
// (TestPageCachesStayInBudget). The caches are given in pages of this
// cost instead.
const cachePageBytes = 64 << 10 / 7

// readers is the size of a SQLite store's pool of read connections.
const readers = 6

// Open opens the database named by dsn: a postgres:// URL, or else a SQLite
// file path, with SQLite's page caches at DefaultCacheBytes. It does not
// migrate.
func Open(ctx context.Context, dsn string) (*Store, error) {
	return OpenCache(ctx, dsn, DefaultCacheBytes)
}

// OpenCache is Open with SQLite's connections sharing a page cache of
// cacheBytes (half the writer's, the rest the readers'); PostgreSQL
// ignores it.
func OpenCache(ctx context.Context, dsn string, cacheBytes int64) (*Store, error) {
	if cacheBytes <= 0 {
		cacheBytes = DefaultCacheBytes
	}
	s := &Store{Now: time.Now, CommitTimeout: DefaultCommitTimeout, sets: map[int64]review.DimensionSet{}, partitions: map[string]bool{}}
	if IsPostgres(dsn) {
		db, err := s.openPostgres(dsn)
		if err != nil {
			return nil, err
		}
		s.w, s.r, s.pg = db, db, true
		s.startCommitters(pgCommitters)
		s.startFolder()
	} else {
		// synchronous(FULL): a review acknowledged is on disk even after
		// power loss, not only after a crash of the process.
		pragmas := sqlitePragmas
		// Parameters after a ? in dsn come last and so win, e.g. a larger
		// cache for a bulk load: haocha.db?_pragma=cache_size(-524288).
		file, extra, _ := strings.Cut(dsn, "?")
		if extra != "" {
			extra = "&" + extra
		}
		path := "file:" + (&url.URL{Path: file}).EscapedPath()
		// The writer keeps half the page cache: index pages of a big
		// reviews table are what intake touches; a reader's cache is
		// dropped whenever another connection has written since its last
		// read, which under intake is every read. (cache_size in pages,
		// cachePageBytes each.) The writer's statement journals stay in
		// memory (temp_store): every statement of a group's transaction
		// but the first keeps one, in case it fails alone, and past 64 KiB
		// SQLite spills it to a temporary file, a write per page: a tenth
		// of intake's CPU. A group's journal is a few MiB at most.
		writerPages, readerPages := cachePages(cacheBytes)
		w, err := sql.Open("sqlite", path+"?"+pragmas+fmt.Sprintf("&_pragma=cache_size(%d)", writerPages)+"&_pragma=temp_store(memory)&_txlock=immediate"+extra)
		if err != nil {
			return nil, fmt.Errorf("open sqlite %s: %w", dsn, err)
		}
		w.SetMaxOpenConns(1)
		w.SetConnMaxIdleTime(0)
		r, err := sql.Open("sqlite", path+"?"+pragmas+fmt.Sprintf("&_pragma=cache_size(%d)", readerPages)+extra)
		if err != nil {
			w.Close()
			return nil, fmt.Errorf("open sqlite %s: %w", dsn, err)
		}
		r.SetMaxOpenConns(readers)
		r.SetMaxIdleConns(readers)
		s.w, s.r = w, r
		s.startCommitters(1)
		s.startFolder()
	}
	if err := s.w.PingContext(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("connect to database: %w", err)
	}
	ring, err := s.loadKeys(ctx, dsn)
	if err != nil {
		s.Close()
		return nil, err
	}
	s.Keys = ring
	return s, nil
}

// cachePages splits a page cache of cacheBytes resident between the
// writer (half, at least 1 MiB) and each of the readers (the rest, at
// least 512 KiB), in pages of cachePageBytes.
func cachePages(cacheBytes int64) (writer, reader int64) {
	w := max(cacheBytes/2, 1<<20)
	return w / cachePageBytes, max((cacheBytes-w)/readers, 512<<10) / cachePageBytes
}

// Close closes the database.
func (s *Store) Close() error {
	if s.quit != nil {
		s.closeMu.Lock()
		s.closed = true
		s.closeMu.Unlock()
		close(s.quit)
		<-s.committed
		s.closeFolder()
	}
	err := s.w.Close()
	if s.r != s.w {
		if e := s.r.Close(); err == nil {
			err = e
		}
	}
	return err
}

// Postgres reports whether the store is PostgreSQL.
func (s *Store) Postgres() bool { return s.pg }

// DB returns the pool for writes, for tools that measure the database itself.
func (s *Store) DB() *sql.DB { return s.w }

// rebind turns ? placeholders into PostgreSQL's $1, $2, ... (see
// numberPlaceholders).
func (s *Store) rebind(q string) string {
	if !s.pg {
		return q
	}
	return numberPlaceholders(q)
}

// tx is a transaction that rebinds placeholders.
type tx struct {
	*sql.Tx
	s *Store
	// deltas is set when the transaction stores a rollup delta row
	// (addRollups), for the folder to know once it is committed.
	deltas *bool
	// uncounted is set by a transaction that changed nothing the index
	// counts of an ended month (a fold of this month's reviews, the
	// scheduler's lease, themes): the months' counts kept
	// (monthcounts.go) still hold after it.
	uncounted *bool
}

func (t tx) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return t.ExecContext(ctx, t.s.rebind(q), args...)
}

func (t tx) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return t.QueryContext(ctx, t.s.rebind(q), args...)
}

func (t tx) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	return t.QueryRowContext(ctx, t.s.rebind(q), args...)
}

// run runs stmts in t one after another.
func (t tx) run(ctx context.Context, stmts []stmt) error {
	for _, st := range stmts {
		if st.row == nil {
			if _, err := t.exec(ctx, st.q, st.args...); err != nil {
				return err
			}
			continue
		}
		if err := t.rows(ctx, st); err != nil {
			return err
		}
	}
	return nil
}

func (t tx) rows(ctx context.Context, st stmt) error {
	rows, err := t.query(ctx, st.q, st.args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	return eachRow(rows, st)
}

// inTx runs fn in a write transaction, committing when it returns nil.
func (s *Store) inTx(ctx context.Context, fn func(tx) error) error {
	return classify(s.runTx(ctx, fn))
}

func (s *Store) runTx(ctx context.Context, fn func(tx) error) error {
	// On a connection of its own, to ask it after the commit whether the
	// commit is sure (confirmed).
	conn, err := s.w.Conn(ctx)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer conn.Close()
	t, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	var deltas, uncounted bool
	if err := fn(tx{t, s, &deltas, &uncounted}); err != nil {
		t.Rollback()
		return err
	}
	if err := t.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	if !uncounted {
		s.dropMonths()
	}
	if deltas {
		s.deltasCommitted()
	}
	return s.confirmed(conn)
}

func (s *Store) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	rows, err := s.r.QueryContext(ctx, s.rebind(q), args...)
	return rows, classify(err)
}

func (s *Store) queryRow(ctx context.Context, q string, args ...any) row {
	return row{s.r.QueryRowContext(ctx, s.rebind(q), args...)}
}

func millis(t time.Time) int64 { return t.UnixMilli() }

func fromMillis(ms int64) time.Time { return time.UnixMilli(ms) }

// nullable stores an empty string as NULL.
func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// Rebind rewrites ? placeholders for the store's dialect, for tools and
// tests that query the database directly.
func (s *Store) Rebind(q string) string { return s.rebind(q) }
