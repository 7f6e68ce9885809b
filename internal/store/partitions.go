package store

import (
	"context"
	"fmt"
	"time"

	"github.com/haocha/haocha/internal/calendar"
)

// EnsurePartitions creates the monthly partitions of reviews that cover
// from to to, on PostgreSQL; elsewhere it does nothing. It is safe to run
// from several processes at once.
func (s *Store) EnsurePartitions(ctx context.Context, from, to time.Time) error {
	if !s.pg {
		return nil
	}
	from, to = from.In(calendar.Zone), to.In(calendar.Zone)
	month := time.Date(from.Year(), from.Month(), 1, 0, 0, 0, 0, calendar.Zone)
	for !month.After(to) {
		next := month.AddDate(0, 1, 0)
		name := fmt.Sprintf("reviews_y%04dm%02d", month.Year(), int(month.Month()))
		s.mu.Lock()
		done := s.partitions[name]
		s.mu.Unlock()
		if !done {
			err := s.inTx(ctx, func(t tx) error {
				if err := s.xactLock(ctx, t, lockPartitions); err != nil {
					return err
				}
				_, err := t.exec(ctx, fmt.Sprintf("CREATE TABLE IF NOT EXISTS %s PARTITION OF reviews FOR VALUES FROM (%d) TO (%d)",
					name, millis(month), millis(next)))
				return err
			})
			if err != nil {
				return fmt.Errorf("create partition %s: %w", name, err)
			}
			s.mu.Lock()
			s.partitions[name] = true
			s.mu.Unlock()
		}
		month = next
	}
	return nil
}

// PartitionsAhead creates partitions from a year back to three months ahead
// of now; the server runs it at start and daily.
func (s *Store) PartitionsAhead(ctx context.Context) error {
	now := s.Now()
	return s.EnsurePartitions(ctx, now.AddDate(-1, 0, 0), now.AddDate(0, 3, 0))
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
