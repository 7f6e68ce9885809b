package store

import (
	"context"
	"fmt"
	"time"

	"github.com/haocha/haocha/internal/board"
)

// SaveBoard stores b (a board, or an axis's theme counts, as the boards
// cache last computed it) in place of the one of its key: the boards
// cache's shelf.
func (s *Store) SaveBoard(ctx context.Context, b board.Stored) error {
	err := s.inTx(ctx, func(t tx) error {
		// A copy of figures already counted: the months' kept counts
		// still hold.
		*t.uncounted = true
		_, err := t.exec(ctx, `INSERT INTO stored_boards (board_key, computed_at, body) VALUES (?, ?, ?)
			ON CONFLICT (board_key) DO UPDATE SET computed_at = excluded.computed_at, body = excluded.body`,
			b.Key, millis(b.Computed), b.Body)
		return err
	})
	if err != nil {
		return fmt.Errorf("store board %s: %w", b.Key, err)
	}
	return nil
}

// StoredBoards is every board stored, newest first, and drops those
// computed before before: periods that are no longer standard.
func (s *Store) StoredBoards(ctx context.Context, before time.Time) ([]board.Stored, error) {
	if _, err := s.w.ExecContext(ctx, s.rebind("DELETE FROM stored_boards WHERE computed_at < ?"), millis(before)); err != nil {
		return nil, fmt.Errorf("drop old stored boards: %w", err)
	}
	rows, err := s.query(ctx, "SELECT board_key, computed_at, body FROM stored_boards ORDER BY computed_at DESC")
	if err != nil {
		return nil, fmt.Errorf("stored boards: %w", err)
	}
	defer rows.Close()
	var out []board.Stored
	for rows.Next() {
		var b board.Stored
		var at int64
		if err := rows.Scan(&b.Key, &at, &b.Body); err != nil {
			return nil, fmt.Errorf("stored boards: %w", err)
		}
		b.Computed = fromMillis(at)
		out = append(out, b)
	}
	return out, rows.Err()
}
