package dberr_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"syscall"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/haocha/haocha/internal/dberr"
)

// What a failover says, through each driver layer, is "try again"; a
// mistake in a query or a refused row is not.
func TestUnreachableKnowsWhatAFailoverSays(t *testing.T) {
	wrap := func(err error) error { return fmt.Errorf("commit: %w", err) }
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"connection refused", wrap(&net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}), true},
		{"connection reset", wrap(syscall.ECONNRESET), true},
		{"admin shutdown (a switchover)", wrap(&pgconn.PgError{Code: "57P01"}), true},
		{"crash of another backend", wrap(&pgconn.PgError{Code: "57P02"}), true},
		{"starting up", wrap(&pgconn.PgError{Code: "57P03"}), true},
		{"read-only transaction (a standby now)", wrap(&pgconn.PgError{Code: "25006"}), true},
		{"too many connections", wrap(&pgconn.PgError{Code: "53300"}), true},
		{"connection failure", wrap(&pgconn.PgError{Code: "08006"}), true},
		{"the store's deadline", wrap(context.DeadlineExceeded), true},
		{"unique violation", wrap(&pgconn.PgError{Code: "23505"}), false},
		{"syntax error", wrap(&pgconn.PgError{Code: "42601"}), false},
		{"a plain fault", errors.New("nil map"), false},
		{"no error", nil, false},
	}
	for _, tt := range tests {
		if got := dberr.Unreachable(tt.err); got != tt.want {
			t.Errorf("%s: Unreachable = %v, want %v", tt.name, got, tt.want)
		}
	}
}
