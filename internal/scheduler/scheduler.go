// Package scheduler runs the background work of the closed loop: it flags
// overdue orders, sends "due soon" notices, escalates by rule and delivers
// notifications. Several server processes may share one database: a lease
// row lets one of them work at a time, and every step is idempotent.
package scheduler

import (
	"context"
	"fmt"
	"github.com/haocha/haocha/internal/theme"
	"log/slog"
	"os"
	"time"

	"github.com/haocha/haocha/internal/account"
	"github.com/haocha/haocha/internal/alert"
	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/invitation"
	"github.com/haocha/haocha/internal/national"
	"github.com/haocha/haocha/internal/notify"
	"github.com/haocha/haocha/internal/periodic"
	"github.com/haocha/haocha/internal/report"
	"github.com/haocha/haocha/internal/sms"
	"github.com/haocha/haocha/internal/store"
	"github.com/haocha/haocha/internal/workorder"
)

// Scheduler is the background job. The clock is the store's.
type Scheduler struct {
	Store *store.Store
	Log   *slog.Logger
	Sink  notify.Sink
	// Orders is the work-order service the scheduler acts through.
	Orders *workorder.Service
	Rules  workorder.Rules
	// Alerts evaluates the concentration rules; nil turns that off.
	Alerts *alert.Service
	// AlertEvery is the least time between two evaluations of the
	// concentration rules; the first tick evaluates.
	AlertEvery time.Duration
	lastAlerts time.Time
	// themed is when this process last classified bad reviews: its first
	// tick classifies every one without themes (the backfill), later ticks
	// those of the last two days.
	themed time.Time
	Every  time.Duration // between ticks
	// Grace is how long a tick in progress when Run is stopped may take
	// to finish before its context is cancelled.
	Grace time.Duration
	// Holder names this process in the lease.
	Holder string
	// ReportAlerts feeds the reports' section on concentration alerts;
	// nil leaves it saying none are recorded.
	ReportAlerts report.Alerts
	// DefaultReviews is the default-review policy (默认好评, off by
	// default): a transaction whose rating window closes unrated gets a
	// default satisfied review.
	DefaultReviews bool
	// Invitations sends rating invitations and reminders; SMS delivers
	// the outbox. Either nil: that step is off.
	Invitations *invitation.Service
	SMS         *sms.Outbox

	// CheckpointFile receives a signed checkpoint of the audit trail
	// every CheckpointEvery; none when empty (trust.go).
	CheckpointFile  string
	CheckpointEvery time.Duration
	// Retention is how long reviewer contacts are kept after their order
	// closes; 0 keeps them.
	Retention time.Duration

	// National sends each day's national exchange once the day has
	// ended (national.go); nil turns the push off.
	National *national.Endpoint

	// Metrics is told of each tick finished without error and of each
	// failed national push, for the operator's alerts; nil: not told.
	Metrics Observer

	warned   string // the day the calendar warning was last logged
	retained string // the day contacts past retention were last erased
}

const lease = "scheduler"

// Observer is what the scheduler reports to monitoring (metrics.Metrics).
type Observer interface {
	// SchedulerTicked: this process, holding the lease, finished a tick
	// without error at at (the wall clock, as the alerts compare it).
	SchedulerTicked(at time.Time)
	NationalPushFailed()
}

// DefaultGrace is how long a tick in progress at shutdown may take to finish.
const DefaultGrace = 10 * time.Second

// DefaultAlertEvery spaces evaluations of the concentration rules: each
// reads two windows of bad reviews and counts the others, which every
// minute would be work for nothing (a concentration matters in days).
const DefaultAlertEvery = 5 * time.Minute

// releaseTimeout bounds giving up the lease at shutdown.
const releaseTimeout = 5 * time.Second

// Report counts what one tick did.
type Report struct {
	Leader    bool
	Overdue   int
	DueSoon   int
	Escalated int
	Alerts    int // alerts raised
	Sent      int
	Failed    int
	Reports   int // report files issued
	National  int // days of the national exchange delivered
	// Windows counts the transactions whose rating window closed.
	Windows store.Closed
	// Invitations counts the invitations and reminders queued; SMSSent
	// and SMSFailed the outbox's deliveries.
	Invitations        invitation.Sent
	SMSSent, SMSFailed int
}

// New returns a scheduler with the defaults filled in.
func New(st *store.Store, log *slog.Logger, sink notify.Sink, rules workorder.Rules) *Scheduler {
	host, _ := os.Hostname()
	now := func() time.Time { return st.Now() }
	orders := workorder.NewService(st, now)
	return &Scheduler{Store: st, Log: log, Sink: sink, Orders: orders, Rules: rules, Every: time.Minute, Grace: DefaultGrace,
		Alerts: alert.NewService(st, now), AlertEvery: DefaultAlertEvery, ReportAlerts: st,
		CheckpointEvery: DefaultCheckpointEvery, Retention: DefaultRetention,
		Holder: fmt.Sprintf("%s/%d/%s", host, os.Getpid(), account.NewToken()[:8])}
}

// Run ticks until ctx ends, then gives up the lease so that another
// process may take over at once. A tick in progress when ctx ends finishes
// (within Grace) before Run returns, so the caller may close the store
// after it. The error is the lease's release: the lease would otherwise
// hold until it expires.
func (s *Scheduler) Run(ctx context.Context) error {
	periodic.Run(ctx, s.Every, s.Grace, func(ctx context.Context) {
		if _, err := s.Tick(ctx); err != nil {
			s.Log.ErrorContext(ctx, "scheduler tick", "err", err)
		}
	})
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), releaseTimeout)
	defer cancel()
	if err := s.Store.ReleaseLease(rctx, lease, s.Holder); err != nil {
		return fmt.Errorf("release the scheduler lease: %w", err)
	}
	return nil
}

// Tick does one round of work if this process holds the lease.
func (s *Scheduler) Tick(ctx context.Context) (Report, error) {
	var rep Report
	ttl := 2 * s.Every
	if ttl < 30*time.Second {
		ttl = 30 * time.Second
	}
	ok, err := s.Store.AcquireLease(ctx, lease, s.Holder, ttl)
	if err != nil || !ok {
		return rep, err
	}
	rep.Leader = true
	swept, err := s.Orders.Sweep(ctx, s.Rules)
	if err != nil {
		return rep, err
	}
	rep.Overdue, rep.DueSoon, rep.Escalated = swept.Overdue, swept.DueSoon, swept.Escalated
	s.warnCalendar(ctx)
	// The order rollups of the days the sweep and the day's writes
	// changed, built here too so that a read replica, which cannot build
	// them, finds them built.
	if err := s.Store.BuildOrderRollups(ctx); err != nil {
		return rep, fmt.Errorf("order rollups: %w", err)
	}
	if err := s.classifyThemes(ctx); err != nil {
		return rep, err
	}
	if now := s.Store.Now(); s.Alerts != nil && (s.lastAlerts.IsZero() || now.Sub(s.lastAlerts) >= s.AlertEvery) {
		raised, err := s.Alerts.Sweep(ctx)
		if err != nil {
			return rep, fmt.Errorf("alerts: %w", err)
		}
		s.lastAlerts, rep.Alerts = now, len(raised)
	}
	if _, err := s.Checkpoint(ctx); err != nil {
		return rep, fmt.Errorf("checkpoint: %w", err)
	}
	if err := s.retain(ctx); err != nil {
		return rep, fmt.Errorf("retention: %w", err)
	}
	if rep.Windows, err = s.Store.CloseRatingWindows(ctx, s.Store.Now(), s.DefaultReviews); err != nil {
		return rep, err
	}
	if err := s.invite(ctx, &rep); err != nil {
		return rep, err
	}
	rep.Sent, rep.Failed, err = s.deliver(ctx, s.Store.Now())
	if err == nil {
		rep.Reports, err = s.issueReports(ctx)
	}
	if err == nil {
		rep.National, err = s.pushNational(ctx)
	}
	w, iv := rep.Windows, rep.Invitations
	if rep.Overdue+rep.DueSoon+rep.Escalated+rep.Alerts+rep.Sent+rep.Failed+rep.Reports+rep.National+w.Rated+w.Unrated+w.Defaulted+
		iv.Invited+iv.Reminded+iv.OptedOut+rep.SMSSent+rep.SMSFailed > 0 {
		s.Log.InfoContext(ctx, "scheduler", "overdue", rep.Overdue, "due_soon", rep.DueSoon,
			"escalated", rep.Escalated, "alerts", rep.Alerts, "sent", rep.Sent, "failed", rep.Failed, "reports", rep.Reports, "national", rep.National,
			"windows_rated", w.Rated, "windows_unrated", w.Unrated, "default_reviews", w.Defaulted,
			"invited", iv.Invited, "reminded", iv.Reminded, "opted_out", iv.OptedOut, "sms_sent", rep.SMSSent, "sms_failed", rep.SMSFailed)
	}
	if err == nil && s.Metrics != nil {
		s.Metrics.SchedulerTicked(time.Now())
	}
	return rep, err
}

// invite queues the invitations and reminders due, after the windows
// closed, and delivers the SMS outbox: a gateway that is down delays the
// messages, never the tick.
func (s *Scheduler) invite(ctx context.Context, rep *Report) error {
	var err error
	if s.Invitations != nil {
		if rep.Invitations, err = s.Invitations.Run(ctx); err != nil {
			return err
		}
	}
	if s.SMS != nil {
		rep.SMSSent, rep.SMSFailed, err = s.SMS.Deliver(ctx, s.Store.Now())
	}
	return err
}

// warnCalendar logs, once a day, that next year's official calendar is
// due and missing: deadlines reaching into it count weekends alone.
func (s *Scheduler) warnCalendar(ctx context.Context) {
	now := s.Store.Now()
	day := now.In(calendar.Zone).Format(time.DateOnly)
	if day == s.warned {
		return
	}
	cal, err := s.Orders.Calendar(ctx)
	if err != nil {
		return
	}
	if y, missing := cal.Missing(now); missing {
		s.Log.WarnContext(ctx, "next year's holiday calendar is not loaded: deadlines in it count weekends only and are provisional; import it (haocha calendar import, or the console)", "year", y)
	}
	s.warned = day
}

// deliver hands pending notifications to the sink, retrying failures with
// backoff.
func (s *Scheduler) deliver(ctx context.Context, now time.Time) (sent, failed int, err error) {
	notices, err := s.Store.PendingNotices(ctx, now, 100)
	if err != nil {
		return 0, 0, err
	}
	for _, n := range notices {
		if e := s.Sink.Send(ctx, n); e != nil {
			failed++
			var retry time.Time
			if d := notify.Backoff(n.Attempts + 1); d > 0 {
				retry = now.Add(d)
			}
			s.Log.WarnContext(ctx, "notification failed", "id", n.ID, "event", n.Event, "attempt", n.Attempts+1, "err", e)
			if err := s.Store.NoticeFailed(ctx, n.ID, retry, e.Error()); err != nil {
				return sent, failed, err
			}
			continue
		}
		sent++
		if err := s.Store.NoticeSent(ctx, n.ID, now); err != nil {
			return sent, failed, err
		}
	}
	return sent, failed, nil
}

// classifyThemes stores the complaint themes of the bad reviews that have
// none yet (internal/theme): the pages and the 通报 count them.
func (s *Scheduler) classifyThemes(ctx context.Context) error {
	since := time.Time{}
	if !s.themed.IsZero() {
		since = s.themed.Add(-48 * time.Hour)
	}
	now := s.Store.Now()
	if _, err := s.Store.ClassifyThemes(ctx, since, theme.Default().OfReview); err != nil {
		return fmt.Errorf("themes: %w", err)
	}
	s.themed = now
	return nil
}
