package store

import "context"

// WhileAuditing runs fn inside a transaction that has just appended to the
// audit chain, and so holds the chain's lock until fn returns.
func (s *Store) WhileAuditing(ctx context.Context, fn func() error) error {
	return s.inTx(ctx, func(t tx) error {
		if err := s.appendAudit(ctx, t, AuditEntry{At: s.Now(), Actor: "test", Action: "hold"}); err != nil {
			return err
		}
		return fn()
	})
}
