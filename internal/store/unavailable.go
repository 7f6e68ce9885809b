package store

import (
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/dberr"
)

// classify marks an error of a database that cannot be reached just now
// (PostgreSQL restarting, failing over or gone, connections cut, a standby
// refusing a write, SQLite's file held by another writer past the busy
// timeout) as apperr.Unavailable, keeping the cause, so every edge answers
// "try again" rather than an internal fault. dberr knows the drivers' ways
// of saying so.
func classify(err error) error {
	if err == nil || apperr.As(err) != nil || !dberr.Unreachable(err) {
		return err
	}
	return fmt.Errorf("%w: %w", apperr.New(apperr.Unavailable, "", "the database is unavailable just now: try again shortly"), err)
}

// row is a *sql.Row whose Scan classifies its error.
type row struct {
	r interface{ Scan(...any) error }
}

func (r row) Scan(dest ...any) error { return classify(r.r.Scan(dest...)) }

// readOnly reports whether err is PostgreSQL refusing a write because
// the server is a standby (a read replica of --db-read).
func readOnly(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "25006"
}

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
