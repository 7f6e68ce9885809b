package store

// The SMS outbox (sms.Queue): messages sealed at rest, emptied once sent.

import (
	"context"
	"fmt"
	"time"

	"github.com/haocha/haocha/internal/sms"
)

// never is a next_at no clock reaches: a message given up.
const never = 1<<62 - 1

// QueueSMS stores m sealed, due at due, and returns its id.
func (s *Store) QueueSMS(ctx context.Context, m sms.Message, now, due time.Time) (int64, error) {
	var id int64
	err := s.inTx(ctx, func(t tx) error {
		var err error
		id, err = s.queueSMS(ctx, t, m, now, due)
		return err
	})
	return id, err
}

// queueSMS stores m in t, so that what causes a message and the message
// commit together.
func (s *Store) queueSMS(ctx context.Context, t tx, m sms.Message, now, due time.Time) (int64, error) {
	phone, err := s.Keys.Seal("sms_phone", m.Phone)
	if err != nil {
		return 0, err
	}
	text, err := s.Keys.Seal("sms_text", m.Text)
	if err != nil {
		return 0, err
	}
	var id int64
	if err := t.queryRow(ctx, `INSERT INTO sms_outbox (purpose, phone, text, created_at, next_at)
		VALUES (?, ?, ?, ?, ?) RETURNING id`, string(m.Purpose), phone, text, millis(now), millis(due)).Scan(&id); err != nil {
		return 0, fmt.Errorf("queue sms: %w", err)
	}
	return id, nil
}

// DueSMS returns up to limit messages due at now, opened, oldest first. A
// message no key of the ring opens (its key was taken out of the ring) is
// given up, so that it cannot hold the others back.
func (s *Store) DueSMS(ctx context.Context, now time.Time, limit int) ([]sms.Queued, error) {
	rows, err := s.query(ctx, `SELECT id, purpose, phone, text, attempts FROM sms_outbox
		WHERE sent_at IS NULL AND next_at <= ? ORDER BY id LIMIT ?`, millis(now), limit)
	if err != nil {
		return nil, fmt.Errorf("due sms: %w", err)
	}
	var out []sms.Queued
	shut := map[int64]string{}
	for rows.Next() {
		var q sms.Queued
		var purpose, phone, text string
		if err := rows.Scan(&q.ID, &purpose, &phone, &text, &q.Attempts); err != nil {
			rows.Close()
			return nil, err
		}
		q.Purpose = sms.Purpose(purpose)
		q.Phone, err = s.Keys.Open("sms_phone", phone)
		if err == nil {
			q.Text, err = s.Keys.Open("sms_text", text)
		}
		if err != nil {
			shut[q.ID] = err.Error()
			continue
		}
		out = append(out, q)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for id, why := range shut {
		if err := s.SMSFailed(ctx, id, time.Time{}, why); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// SMSSent marks a message delivered and forgets its phone and text.
func (s *Store) SMSSent(ctx context.Context, id int64, now time.Time) error {
	_, err := s.w.ExecContext(ctx, s.rebind(`UPDATE sms_outbox SET sent_at = ?, attempts = attempts + 1,
		phone = '', text = '', last_error = '' WHERE id = ?`), millis(now), id)
	if err != nil {
		return fmt.Errorf("sms %d sent: %w", id, err)
	}
	return nil
}

// SMSFailed records a failed attempt and when to try again; a zero retry
// gives up and forgets the phone and text.
func (s *Store) SMSFailed(ctx context.Context, id int64, retry time.Time, why string) error {
	q := "UPDATE sms_outbox SET attempts = attempts + 1, next_at = ?, last_error = ? WHERE id = ?"
	next := millis(retry)
	if retry.IsZero() {
		q = "UPDATE sms_outbox SET attempts = attempts + 1, next_at = ?, last_error = ?, phone = '', text = '' WHERE id = ?"
		next = never
	}
	if _, err := s.w.ExecContext(ctx, s.rebind(q), next, why, id); err != nil {
		return fmt.Errorf("sms %d failed: %w", id, err)
	}
	return nil
}
