package scheduler

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/checkpoint"
)

// DefaultCheckpointEvery is how often the audit trail's head is fixed.
const DefaultCheckpointEvery = time.Hour

// DefaultRetention is how long a reviewer's contact is kept after the
// order closes: three years.
const DefaultRetention = 3 * 365 * 24 * time.Hour

// CheckpointSink receives each checkpoint besides the file (the webhook).
type CheckpointSink interface {
	SendCheckpoint(ctx context.Context, c checkpoint.Checkpoint) error
}

// Checkpoint appends a signed checkpoint to CheckpointFile, and hands it
// to the sink, when CheckpointEvery has passed since the last one (kept in
// the database, so a new lease holder keeps the rhythm). It reports whether
// it wrote one.
func (s *Scheduler) Checkpoint(ctx context.Context) (bool, error) {
	if s.CheckpointFile == "" {
		return false, nil
	}
	now := s.Store.Now()
	last, err := s.Store.Setting(ctx, "checkpoint_at")
	if err != nil {
		return false, err
	}
	if ms, err := strconv.ParseInt(last, 10, 64); err == nil && now.Sub(time.UnixMilli(ms)) < s.CheckpointEvery {
		return false, nil
	}
	c := checkpoint.Checkpoint{At: now.UTC().Truncate(time.Millisecond), Days: map[string]string{}}
	if c.Seq, c.Head, err = s.Store.AuditHead(ctx); err != nil {
		return false, err
	}
	through, err := s.digestDays(ctx, c.Days, now)
	if err != nil {
		return false, err
	}
	c.Sign(checkpoint.Key(s.Store.Keys.Derive("checkpoint", 32)))
	if err := checkpoint.Append(s.CheckpointFile, c); err != nil {
		return false, err
	}
	if err := s.Store.SetSetting(ctx, "checkpoint_at", strconv.FormatInt(now.UnixMilli(), 10)); err != nil {
		return true, err
	}
	if through != "" {
		if err := s.Store.SetSetting(ctx, "checkpoint_day", through); err != nil {
			return true, err
		}
	}
	// The file is the record; a webhook that fails gets the next hour's.
	if cs, ok := s.Sink.(CheckpointSink); ok {
		if err := cs.SendCheckpoint(ctx, c); err != nil {
			s.Log.WarnContext(ctx, "checkpoint not delivered to the webhook", "seq", c.Seq, "err", err)
		}
	}
	s.Log.InfoContext(ctx, "audit checkpoint", "seq", c.Seq, "days", len(c.Days), "file", s.CheckpointFile)
	return true, nil
}

// digestDays fills days with the digests of whole days not yet
// checkpointed, from the day before the last one checkpointed (reviews of a
// group committing across midnight land there late) through yesterday;
// the first time, from the first review. It returns the last day.
func (s *Scheduler) digestDays(ctx context.Context, days map[string]string, now time.Time) (string, error) {
	from, err := s.Store.Setting(ctx, "checkpoint_day")
	if err != nil {
		return "", err
	}
	if from == "" {
		if from, err = s.Store.FirstReviewDay(ctx); err != nil || from == "" {
			return "", err
		}
	} else if t, err := calendar.ParseDay(from); err == nil {
		from = t.AddDate(0, 0, -1).Format(time.DateOnly)
	}
	day, err := calendar.ParseDay(from)
	if err != nil {
		return "", fmt.Errorf("checkpoint day: %w", err)
	}
	today := calendar.Midnight(now)
	through := ""
	for ; day.Before(today); day = day.AddDate(0, 0, 1) {
		d := day.Format(time.DateOnly)
		if days[d], _, err = s.Store.ReviewDigest(ctx, d); err != nil {
			return "", err
		}
		through = d
	}
	return through, nil
}

// retain erases, once a day, the reviewer contacts and the applicants'
// phones whose retention has ended.
func (s *Scheduler) retain(ctx context.Context) error {
	now := s.Store.Now()
	day := now.In(calendar.Zone).Format(time.DateOnly)
	if s.Retention <= 0 || day == s.retained {
		return nil
	}
	n, err := s.Store.EraseContacts(ctx, now.Add(-s.Retention))
	if err != nil {
		return err
	}
	if n > 0 {
		s.Log.InfoContext(ctx, "reviewer contacts erased after retention", "count", n)
	}
	if n, err = s.Store.EraseTransactionPhones(ctx, now.Add(-s.Retention)); err != nil {
		return err
	}
	if n > 0 {
		s.Log.InfoContext(ctx, "applicant phones erased after retention", "count", n)
	}
	s.retained = day
	return nil
}
