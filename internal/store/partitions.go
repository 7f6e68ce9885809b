package store

import (
	"context"
	"fmt"
	"time"

	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/review"
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
		name := partitionName(month)
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

// partitionName is the partition of reviews that holds the month of t.
func partitionName(t time.Time) string {
	t = t.In(calendar.Zone)
	return fmt.Sprintf("reviews_y%04dm%02d", t.Year(), int(t.Month()))
}

// partitionClockSlack is how far ahead of a group's own clock another
// process may have stamped a review that the group's reads of recent
// reviews must still see.
const partitionClockSlack = time.Hour

// recentPartitions names the partitions of reviews that hold every review
// created after since, up to partitionClockSlack past latest, when this
// process knows they all exist; otherwise nil, and the caller reads the
// parent table. A read of the parent costs PostgreSQL 15 a plan over, or
// a lock on, every partition and each of its indexes: two milliseconds of
// its CPU, against a tenth for one partition, on every group commit. No
// review of those months is in the default partition: PostgreSQL routes a
// month's rows to its partition once it exists and cannot create it while
// the default holds any.
func (s *Store) recentPartitions(since, latest time.Time) []string {
	if !s.pg {
		return nil
	}
	var names []string
	s.mu.Lock()
	defer s.mu.Unlock()
	end := latest.Add(partitionClockSlack).In(calendar.Zone)
	for t := since.In(calendar.Zone); ; t = time.Date(t.Year(), t.Month()+1, 1, 0, 0, 0, 0, calendar.Zone) {
		name := partitionName(t)
		if !s.partitions[name] {
			return nil
		}
		names = append(names, name)
		if t.Year() == end.Year() && t.Month() == end.Month() || t.After(end) {
			return names
		}
	}
}

// reviewTable returns what names the table a review's row is inserted
// into: on PostgreSQL the partition of its month, when this process knows
// it exists, else the parent. An INSERT into the parent costs PostgreSQL
// the routing of every row through the partition tree, on every group
// commit; one into the partition checks the row against the month's
// bounds alone (a row outside them fails the insert, never lands
// elsewhere). Partitions are never detached or dropped, so one known to
// exist still does. It remembers the last month asked, the month of
// nearly every review of a group.
func (s *Store) reviewTable() func(*review.Review) string {
	if !s.pg {
		return nil
	}
	var from, to int64 // the last month's bounds, ms
	var last string
	return func(r *review.Review) string {
		at := millis(r.CreatedAt)
		if last != "" && at >= from && at < to {
			return last
		}
		t := r.CreatedAt.In(calendar.Zone)
		month := time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, calendar.Zone)
		name := partitionName(month)
		s.mu.Lock()
		known := s.partitions[name]
		s.mu.Unlock()
		if !known {
			return "reviews"
		}
		last, from, to = name, millis(month), millis(month.AddDate(0, 1, 0))
		return name
	}
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
