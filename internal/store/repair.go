package store

import (
	"context"
	"fmt"
)

// repairLaterReviews is the Go part of migration 0063: the later reviews a
// database recorded under 0052 as released (review_followups) move to
// review_later, and the old table goes.
func (s *Store) repairLaterReviews(ctx context.Context, t tx) error {
	ok, err := s.tableExists(ctx, t, "review_followups")
	if err != nil || !ok {
		return err
	}
	if _, err := t.exec(ctx, `INSERT INTO review_later (txn, stage, review, follows)
		SELECT txn, stage, review, follows FROM review_followups`); err != nil {
		return fmt.Errorf("move review_followups to review_later: %w", err)
	}
	_, err = t.exec(ctx, "DROP TABLE review_followups")
	return err
}

// tableExists reports whether the schema in use has table name.
func (s *Store) tableExists(ctx context.Context, t tx, name string) (bool, error) {
	q := "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?"
	if s.pg {
		q = "SELECT COUNT(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename = ?"
	}
	var n int
	err := t.queryRow(ctx, q, name).Scan(&n)
	return n > 0, err
}
