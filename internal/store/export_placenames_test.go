package store

import "context"

// BackfillPlaceNamesEN runs the Go part of migration 0062 again, as on a
// database whose catalogue predates it.
func (s *Store) BackfillPlaceNamesEN(ctx context.Context) error {
	return s.inTx(ctx, func(t tx) error { return backfillPlaceNamesEN(ctx, t) })
}
