package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
)

// Secret returns the secret stored under name, generating and storing a
// random one on first use. Every process sharing the database gets the same.
func (s *Store) Secret(ctx context.Context, name string) ([]byte, error) {
	b := make([]byte, 32)
	rand.Read(b)
	var v string
	err := s.inTx(ctx, func(t tx) error {
		if _, err := t.exec(ctx, "INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
			name, hex.EncodeToString(b)); err != nil {
			return err
		}
		return t.queryRow(ctx, "SELECT value FROM settings WHERE name = ?", name).Scan(&v)
	})
	if err != nil {
		return nil, fmt.Errorf("secret %s: %w", name, err)
	}
	return hex.DecodeString(v)
}
