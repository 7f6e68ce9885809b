package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/haocha/haocha/internal/apperr"
)

// A PostgreSQL DSN may name several hosts, the primary and its standbys
// (postgres://u:p@h1:5432,h2:5432/haocha?target_session_attrs=read-write):
// pgx tries them in turn and keeps the one that takes writes. After a
// failover the connections to the old primary fail, database/sql drops
// them (pgx reports them closed, and pings one idle for over a second
// before reusing it), and new ones find the new primary. Until one is
// found, requests answer 503 (classify).

// openPostgres opens the pool for dsn.
func (s *Store) openPostgres(dsn string) (*sql.DB, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	cfg.OnNotice = s.notice
	db := stdlib.OpenDB(*cfg)
	db.SetMaxOpenConns(32)
	db.SetMaxIdleConns(32)
	db.SetConnMaxIdleTime(5 * time.Minute)
	return db, nil
}

// notice watches for the warning a primary gives when a commit waiting
// for its synchronous standby is cancelled (a statement timeout, a cancel
// request): the commit is then done locally and answered as success, but
// the standby may not have it, and a failover would lose it. PostgreSQL
// gives the warning no code of its own, only this detail (in English, as
// the server's lc_messages is left at C by the HA setup).
func (s *Store) notice(pc *pgconn.PgConn, n *pgconn.Notice) {
	if strings.Contains(n.Detail, "might not have been replicated") {
		s.unsure.Store(pc, true)
	}
}

// errUnsure is a commit the primary could not confirm was replicated.
var errUnsure = apperr.New(apperr.Unavailable, "", "the database could not confirm the change was kept: try again shortly")

// sure reports an error when the last commit on pc was not confirmed by
// the synchronous standby; the connection is then given up, as its server
// may be cut off from the rest of the cluster. Retrying is safe: a review
// that was in fact kept is refused as a repeat.
func (s *Store) sure(pc *pgconn.PgConn) error {
	if _, unsure := s.unsure.LoadAndDelete(pc); !unsure {
		return nil
	}
	return fmt.Errorf("%w: %w", errUnsure, driver.ErrBadConn)
}

// confirmed is sure for a database/sql connection.
func (s *Store) confirmed(conn *sql.Conn) error {
	if !s.pg {
		return nil
	}
	err := conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return nil
		}
		return s.sure(c.Conn().PgConn())
	})
	if errors.Is(err, errUnsure) {
		return err
	}
	// Raw fails only for a connection already closed: the commit answered.
	return nil
}

// ReplicaLag is how far behind the primary the database's figures are: 0
// on a primary (or SQLite), the time since the last transaction replayed
// on a standby. It is what pages read from a replica state beside their
// figures.
func (s *Store) ReplicaLag(ctx context.Context) (time.Duration, error) {
	if !s.pg {
		return 0, nil
	}
	var standby bool
	var ms sql.NullFloat64
	// A standby that has replayed all it received is as fresh as it can
	// tell; otherwise it is behind by the age of the last one replayed.
	err := s.queryRow(ctx, `SELECT pg_is_in_recovery(),
		CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
		ELSE EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()) * 1000 END`).Scan(&standby, &ms)
	if err != nil || !standby || !ms.Valid {
		return 0, err
	}
	return time.Duration(ms.Float64) * time.Millisecond, nil
}

// AsOf is when the figures s holds were current: now, less the replica
// lag.
func (s *Store) AsOf(ctx context.Context) (time.Time, error) {
	lag, err := s.ReplicaLag(ctx)
	return s.Now().Add(-lag), err
}
