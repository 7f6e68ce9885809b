package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Readings for the operator's alerts (internal/metrics, docs/alerts.md):
// each is read from the database at a scrape, so every server process
// reports the same figure whichever of them holds the scheduler's lease.

// SMSBacklog counts the text messages waiting in the outbox, with the
// time the oldest was queued (zero when none wait). Messages given up
// after their last attempt are not waiting.
func (s *Store) SMSBacklog(ctx context.Context) (int64, time.Time, error) {
	var n int64
	var oldest *int64
	err := s.queryRow(ctx, "SELECT COUNT(*), MIN(created_at) FROM sms_outbox WHERE sent_at IS NULL AND next_at < ?", never).Scan(&n, &oldest)
	if err != nil {
		return 0, time.Time{}, fmt.Errorf("sms backlog: %w", err)
	}
	if oldest == nil {
		return n, time.Time{}, nil
	}
	return n, fromMillis(*oldest), nil
}

// NationalPushesFailing counts the days whose national push has failed at
// least once and is not yet acknowledged.
func (s *Store) NationalPushesFailing(ctx context.Context) (int64, error) {
	var n int64
	if err := s.queryRow(ctx, "SELECT COUNT(*) FROM national_pushes WHERE pushed_at IS NULL AND attempts > 0").Scan(&n); err != nil {
		return 0, fmt.Errorf("national pushes failing: %w", err)
	}
	return n, nil
}

// CheckpointAt is when the scheduler last fixed the audit trail's head in
// a signed checkpoint; zero when it never did.
func (s *Store) CheckpointAt(ctx context.Context) (time.Time, error) {
	v, err := s.Setting(ctx, "checkpoint_at")
	if err != nil || v == "" {
		return time.Time{}, err
	}
	ms, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return time.Time{}, fmt.Errorf("setting checkpoint_at %q: %w", v, err)
	}
	return time.UnixMilli(ms), nil
}

// ReplicationLag is how far the PostgreSQL standbys streaming from this
// database are behind in replaying it (the largest replay_lag of
// pg_stat_replication, 0 when they are idle and caught up); known is
// false on SQLite, with no standby, or when the role may not read the
// figures (it needs pg_monitor).
func (s *Store) ReplicationLag(ctx context.Context) (lag time.Duration, known bool, err error) {
	if !s.pg {
		return 0, false, nil
	}
	var seconds float64
	var visible int64
	err = s.queryRow(ctx, `SELECT COALESCE(EXTRACT(EPOCH FROM MAX(replay_lag)), 0)::float8, COUNT(state)
		FROM pg_stat_replication`).Scan(&seconds, &visible)
	if err != nil {
		return 0, false, fmt.Errorf("replication lag: %w", err)
	}
	return time.Duration(seconds * float64(time.Second)), visible > 0, nil
}

// SQLiteFile is the file of a SQLite dsn; ok is false for PostgreSQL.
func SQLiteFile(dsn string) (file string, ok bool) {
	if IsPostgres(dsn) {
		return "", false
	}
	file, _, _ = strings.Cut(dsn, "?")
	return file, true
}

// OnGroupCommit has f told how long each group of reviews took to store,
// from the committer taking it up to its callers being answered, retries
// included (the figure behind the group-commit latency alert).
func (s *Store) OnGroupCommit(f func(time.Duration)) { s.groups.observe.Store(&f) }
