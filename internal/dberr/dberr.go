// Package dberr knows the drivers' ways of saying that the database cannot
// be reached just now: PostgreSQL restarting, failing over or gone,
// connections cut, a standby refusing a write, SQLite's file held by
// another writer. The store marks such errors as apperr.Unavailable; the
// HTTP edge asks too, for an error a store method passed on unmarked, so
// that a failover answers 503 and "try again", never 500.
package dberr

import (
	"context"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Unreachable reports whether err says the database cannot be reached just
// now, so that the same request may succeed shortly.
func Unreachable(err error) bool {
	var netErr *net.OpError
	var connErr *pgconn.ConnectError
	var pgErr *pgconn.PgError
	var liteErr *sqlite.Error
	switch {
	case err == nil:
		return false
	case errors.Is(err, driver.ErrBadConn), errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET),
		errors.Is(err, syscall.EPIPE), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF), errors.Is(err, net.ErrClosed):
		return true
	case errors.Is(err, context.DeadlineExceeded):
		// The store's own deadline (a request's is answered before this
		// is asked): a server gone quiet, or commits waiting for a
		// synchronous standby that is being replaced.
		return true
	case errors.As(err, &netErr), errors.As(err, &connErr):
		// A failed connection attempt, including every host of a
		// multi-host DSN refusing, or none of them read-write yet.
		return true
	case errors.As(err, &pgErr):
		return unreachableCode(pgErr.Code)
	case errors.As(err, &liteErr):
		code := liteErr.Code() & 0xff // the primary code, without the extended part
		return code == sqlite3.SQLITE_BUSY || code == sqlite3.SQLITE_LOCKED
	}
	return pgconn.SafeToRetry(err)
}

// unreachableCode reports whether a PostgreSQL SQLSTATE is one a failover
// or restart produces.
func unreachableCode(code string) bool {
	switch code {
	case "57P01", // admin_shutdown: a fast shutdown or a switchover ended the session
		"57P02", // crash_shutdown: another backend crashed
		"57P03", // cannot_connect_now: starting up, or in recovery
		"25006", // read_only_sql_transaction: the server is a standby now
		"53300": // too_many_connections: every client reconnecting at once
		return true
	}
	// Class 08: connection exception.
	return len(code) == 5 && code[:2] == "08"
}
