package store

import (
	"context"
	"fmt"
	"time"
)

// CountGuesses adds one refusal to each of keys in the window that began
// at start and returns their counts (intake.GuessCounter, which store does not import); a key's count
// of an earlier window starts again at one. The first count of a window
// in this process also forgets the counts of windows before it.
func (s *Store) CountGuesses(ctx context.Context, keys []string, start time.Time) ([]int, error) {
	at := millis(start)
	out := make([]int, len(keys))
	err := s.inTx(ctx, func(t tx) error {
		for i, k := range keys {
			err := t.queryRow(ctx, `INSERT INTO guess_counts (key, window_start, n) VALUES (?, ?, 1)
				ON CONFLICT (key) DO UPDATE SET
					n = CASE WHEN guess_counts.window_start < excluded.window_start THEN 1 ELSE guess_counts.n + 1 END,
					window_start = CASE WHEN guess_counts.window_start < excluded.window_start THEN excluded.window_start
						ELSE guess_counts.window_start END
				RETURNING n`, k, at).Scan(&out[i])
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("count guesses: %w", err)
	}
	s.mu.Lock()
	stale := s.guessWindow != at
	s.guessWindow = at
	s.mu.Unlock()
	if stale {
		// Outside the transaction, holding no row: a failure costs nothing.
		s.w.ExecContext(ctx, s.rebind("DELETE FROM guess_counts WHERE window_start < ?"), at)
	}
	return out, nil
}
