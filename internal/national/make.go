package national

import (
	"context"
	"crypto/ed25519"

	"github.com/haocha/haocha/internal/keys"
)

// Source reads a day's records (the store).
type Source interface {
	NationalDay(ctx context.Context, day string) (Day, error)
}

// SigningKey is the manifest's key, derived from the master key ring so
// that every process sharing the ring signs alike.
func SigningKey(r *keys.Ring) ed25519.PrivateKey { return Key(r.Derive("national-export", 32)) }

// Make reads day from src and builds its export with the current mapping:
// what the command writes and the scheduler sends.
func Make(ctx context.Context, src Source, day string, key ed25519.PrivateKey) (*Export, error) {
	m, err := LoadMapping(CurrentMapping)
	if err != nil {
		return nil, err
	}
	d, err := src.NationalDay(ctx, day)
	if err != nil {
		return nil, err
	}
	return Build(m, d, key)
}
