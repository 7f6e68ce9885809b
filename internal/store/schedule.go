package store

import (
	"context"
	"encoding/json"
	"fmt"
	"github.com/haocha/haocha/internal/audit"
	"github.com/haocha/haocha/internal/workorder"
	"strings"
	"time"

	"github.com/haocha/haocha/internal/calendar"
)

// Calendar returns the working-day calendar: the shipped schedules with
// the days administrators imported on top.
func (s *Store) Calendar(ctx context.Context) (*calendar.Calendar, error) {
	days := calendar.Shipped()
	rows, err := s.query(ctx, "SELECT day, kind, name FROM calendar_days ORDER BY day")
	if err != nil {
		return nil, fmt.Errorf("calendar: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var d calendar.Day
		if err := rows.Scan(&d.Date, &d.Kind, &d.Name); err != nil {
			return nil, err
		}
		days = append(days, d)
	}
	return calendar.New(days), rows.Err()
}

// ImportCalendar stores days, replacing stored days of the same dates.
func (s *Store) ImportCalendar(ctx context.Context, days []calendar.Day, actor string) error {
	now := s.Now()
	return s.inTx(ctx, func(t tx) error {
		for _, d := range days {
			if _, err := t.exec(ctx, `INSERT INTO calendar_days (day, kind, name, imported_at) VALUES (?, ?, ?, ?)
				ON CONFLICT (day) DO UPDATE SET kind = excluded.kind, name = excluded.name, imported_at = excluded.imported_at`,
				d.Date, string(d.Kind), d.Name, millis(now)); err != nil {
				return fmt.Errorf("calendar day %s: %w", d.Date, err)
			}
		}
		// Dispatch deadlines and working days to close may have moved:
		// every day's order rollups are built again.
		if _, err := t.exec(ctx, `UPDATE order_rollup_days SET dirty = TRUE,
				changed = CASE WHEN changed < ? THEN ? ELSE changed END`, millis(now), millis(now)); err != nil {
			return fmt.Errorf("order rollups: %w", err)
		}
		return s.appendAudit(ctx, t, audit.Entry{At: now, Actor: actor, Action: "calendar_import",
			Note: fmt.Sprintf("%d days from %s to %s", len(days), days[0].Date, days[len(days)-1].Date)})
	})
}

// AcquireLease takes or renews the lease name for holder until now+ttl. It
// reports false when another holder's lease is still running. Every
// process sharing the database sees the same lease.
func (s *Store) AcquireLease(ctx context.Context, name, holder string, ttl time.Duration) (bool, error) {
	now := s.Now()
	var got string
	err := s.inTx(ctx, func(t tx) error {
		*t.uncounted = true
		if _, err := t.exec(ctx, `INSERT INTO leases (name, holder, expires_at) VALUES (?, ?, ?)
			ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
			WHERE leases.holder = excluded.holder OR leases.expires_at < ?`,
			name, holder, millis(now.Add(ttl)), millis(now)); err != nil {
			return err
		}
		return t.queryRow(ctx, "SELECT holder FROM leases WHERE name = ?", name).Scan(&got)
	})
	if err != nil {
		return false, fmt.Errorf("lease %s: %w", name, err)
	}
	return got == holder, nil
}

// ReleaseLease gives the lease up if holder has it.
func (s *Store) ReleaseLease(ctx context.Context, name, holder string) error {
	_, err := s.w.ExecContext(ctx, s.rebind("DELETE FROM leases WHERE name = ? AND holder = ?"), name, holder)
	return err
}

// PendingNotices returns notifications due for delivery at now.
func (s *Store) PendingNotices(ctx context.Context, now time.Time, limit int) ([]workorder.Notice, error) {
	rows, err := s.query(ctx, `SELECT id, work_order, payload, attempts, created_at FROM notifications
		WHERE sent_at IS NULL AND next_at <= ? ORDER BY id LIMIT ?`, millis(now), limit)
	if err != nil {
		return nil, fmt.Errorf("pending notifications: %w", err)
	}
	defer rows.Close()
	var out []workorder.Notice
	for rows.Next() {
		var n workorder.Notice
		var payload string
		var id, order, created int64
		var attempts int
		if err := rows.Scan(&id, &order, &payload, &attempts, &created); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(payload), &n); err != nil {
			return nil, fmt.Errorf("notification %d: %w", id, err)
		}
		n.ID, n.OrderID, n.Attempts, n.CreatedAt = id, order, attempts, fromMillis(created)
		out = append(out, n)
	}
	return out, rows.Err()
}

// NoticeSent marks a notification delivered.
func (s *Store) NoticeSent(ctx context.Context, id int64, now time.Time) error {
	_, err := s.w.ExecContext(ctx, s.rebind("UPDATE notifications SET sent_at = ?, attempts = attempts + 1 WHERE id = ?"), millis(now), id)
	return err
}

// NoticeFailed records a failed delivery and when to try again; a zero
// retry time gives up, keeping the row for inspection.
func (s *Store) NoticeFailed(ctx context.Context, id int64, retry time.Time, why string) error {
	next := millis(retry)
	if retry.IsZero() {
		next = 1<<62 - 1
	}
	_, err := s.w.ExecContext(ctx, s.rebind("UPDATE notifications SET attempts = attempts + 1, next_at = ?, last_error = ? WHERE id = ?"),
		next, why, id)
	return err
}

// Watch lists the ids of orders w selects: past due and not yet flagged,
// due soon and not yet notified, and candidates for escalation. The rules
// that fill w, and decide on each order, are workorder's.
func (s *Store) Watch(ctx context.Context, w workorder.Watch) (overdue, dueSoon, escalate []int64, err error) {
	now := w.Now
	ids := func(q string, args ...any) []int64 {
		if err != nil {
			return nil
		}
		rows, e := s.query(ctx, q+" ORDER BY id", args...)
		if e != nil {
			err = e
			return nil
		}
		defer rows.Close()
		var out []int64
		for rows.Next() {
			var id int64
			if e := rows.Scan(&id); e != nil {
				err = e
				return nil
			}
			out = append(out, id)
		}
		if e := rows.Err(); e != nil {
			err = e
		}
		return out
	}
	overdue = ids("SELECT id FROM work_orders WHERE state = 'dispatched' AND NOT overdue AND due_at < ?", millis(now))
	if !w.DueSoonBefore.IsZero() {
		dueSoon = ids(`SELECT id FROM work_orders WHERE state = 'dispatched' AND NOT due_soon_sent AND NOT overdue
			AND due_at >= ? AND due_at < ?`, millis(now), millis(w.DueSoonBefore))
	}
	var rule []string
	var args []any
	if w.NotSatisfiedTimes > 0 {
		rule, args = append(rule, "(state = 'not_satisfied' AND not_satisfied >= ?)"), append(args, w.NotSatisfiedTimes)
	}
	if !w.OverdueBefore.IsZero() {
		rule, args = append(rule, "(state = 'dispatched' AND overdue AND due_at < ?)"), append(args, millis(w.OverdueBefore))
	}
	if len(rule) > 0 {
		escalate = ids("SELECT id FROM work_orders WHERE "+strings.Join(rule, " OR "), args...)
	}
	if err != nil {
		err = fmt.Errorf("scheduler watch: %w", err)
	}
	return overdue, dueSoon, escalate, err
}
