package scheduler

import (
	"context"
	"time"

	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/national"
	"github.com/haocha/haocha/internal/notify"
)

// nationalBatch bounds the days one tick sends (catching up after downtime
// goes on at the next tick).
const nationalBatch = 7

// pushNational schedules a push for every day that ended since the last
// one, and sends those due: an acknowledged push is recorded and audited,
// a failed one tried again with the webhook's backoff, and after its last
// attempt every hour, since a day the national platform lacks is not to be
// given up. The state is in the database, so a push not yet acknowledged
// is sent again after a restart. It returns how many days were delivered.
func (s *Scheduler) pushNational(ctx context.Context) (int, error) {
	if s.National == nil {
		return 0, nil
	}
	now := s.Store.Now()
	yesterday := calendar.Midnight(now).AddDate(0, 0, -1).Format(time.DateOnly)
	if err := s.Store.ScheduleNationalPushes(ctx, yesterday, now); err != nil {
		return 0, err
	}
	due, err := s.Store.NationalPushesDue(ctx, now, nationalBatch)
	if err != nil {
		return 0, err
	}
	key := national.SigningKey(s.Store.Keys)
	sent := 0
	for _, p := range due {
		exp, err := national.Make(ctx, s.Store, p.Day, key)
		if err != nil {
			return sent, err // a fault of ours, not the endpoint's: retried next tick
		}
		receipt, err := s.National.Send(ctx, exp)
		if err != nil {
			wait := notify.Backoff(p.Attempts + 1)
			if wait == 0 {
				wait = time.Hour
			}
			if s.Metrics != nil {
				s.Metrics.NationalPushFailed()
			}
			s.Log.WarnContext(ctx, "national push failed", "day", p.Day, "attempt", p.Attempts+1, "retry_in", wait, "err", err)
			// The endpoint is likely down: the later days wait for the next
			// tick rather than hold this one up to a timeout each.
			return sent, s.Store.NationalPushFailed(ctx, p.Day, now.Add(wait), err.Error())
		}
		if err := s.Store.NationalPushed(ctx, p.Day, receipt, now, "scheduler"); err != nil {
			return sent, err
		}
		s.Log.InfoContext(ctx, "national push delivered", "day", p.Day, "manifest_sha256", receipt)
		sent++
	}
	return sent, nil
}
