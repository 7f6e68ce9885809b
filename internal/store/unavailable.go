package store

import (
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/haocha/haocha/internal/apperr"
)

// classify marks an error of a database that cannot be reached just now
// (PostgreSQL restarting or gone, connections cut, SQLite's file held by
// another writer past the busy timeout) as apperr.Unavailable, keeping the
// cause, so every edge answers "try again" rather than an internal fault.
// It is the one place that knows the drivers' ways of saying so.
func classify(err error) error {
	if err == nil || apperr.As(err) != nil || !unreachable(err) {
		return err
	}
	return fmt.Errorf("%w: %w", apperr.New(apperr.Unavailable, "", "the database is unavailable just now: try again shortly"), err)
}

func unreachable(err error) bool {
	var netErr *net.OpError
	var connErr *pgconn.ConnectError
	var pgErr *pgconn.PgError
	var liteErr *sqlite.Error
	switch {
	case errors.Is(err, driver.ErrBadConn), errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET),
		errors.Is(err, syscall.EPIPE), errors.Is(err, io.ErrUnexpectedEOF):
		return true
	case errors.As(err, &netErr), errors.As(err, &connErr):
		return true
	case errors.As(err, &pgErr):
		// Class 08: connection exception; 57P01-03: the server is shutting
		// down or starting up.
		return strings.HasPrefix(pgErr.Code, "08") || pgErr.Code == "57P01" || pgErr.Code == "57P02" || pgErr.Code == "57P03"
	case errors.As(err, &liteErr):
		code := liteErr.Code() & 0xff // the primary code, without the extended part
		return code == sqlite3.SQLITE_BUSY || code == sqlite3.SQLITE_LOCKED
	}
	return pgconn.SafeToRetry(err)
}

// row is a *sql.Row whose Scan classifies its error.
type row struct {
	r interface{ Scan(...any) error }
}

func (r row) Scan(dest ...any) error { return classify(r.r.Scan(dest...)) }

// uniqueViolation reports whether err is a unique or primary key of table
// refusing a row it holds already.
func uniqueViolation(err error, table string) bool {
	var pgErr *pgconn.PgError
	var liteErr *sqlite.Error
	switch {
	case errors.As(err, &pgErr):
		return pgErr.Code == "23505" && pgErr.TableName == table
	case errors.As(err, &liteErr):
		// SQLite names the table only in the message: "UNIQUE constraint
		// failed: review_transactions.txn, ...".
		code := liteErr.Code()
		return (code == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY || code == sqlite3.SQLITE_CONSTRAINT_UNIQUE) &&
			strings.Contains(liteErr.Error(), "failed: "+table+".")
	}
	return false
}
