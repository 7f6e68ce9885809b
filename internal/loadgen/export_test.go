package loadgen

import (
	"context"
	"net"
)

// SetMaxIdleConns sets the bound of a poster's idle connections until the
// returned func restores it.
func SetMaxIdleConns(n int) (restore func()) {
	was := maxIdleConns
	maxIdleConns = n
	return func() { maxIdleConns = was }
}

// Dial dials target as a poster of sources source addresses dials from
// source src.
func Dial(ctx context.Context, target string, sources, src int) (*net.TCPConn, error) {
	p, err := newPoster(ctx, target, sources, 1)
	if err != nil {
		return nil, err
	}
	return p.dial(ctx, p.pools[src])
}

var AppendSubmission = appendSubmission
