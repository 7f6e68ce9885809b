package store

import (
	"context"
	"errors"
)

// Secret returns the secret for name (the QR signing key, a form token's
// key, the client-mark salt), derived from the master key: it is the same
// in every process sharing the key and never stored in the database.
func (s *Store) Secret(_ context.Context, name string) ([]byte, error) {
	if s.Keys == nil {
		return nil, errors.New("secret " + name + ": no master key")
	}
	return s.Keys.Derive("secret/"+name, 32), nil
}
