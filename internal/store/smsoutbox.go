package store

// The SMS outbox (sms.Queue): messages sealed at rest, emptied once sent.

import (
	"context"
	"fmt"
	"time"

	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/sms"
)

// never is a next_at no clock reaches: a message given up.
const never = 1<<62 - 1

// QueueSMS stores m sealed, due at due, and returns its id; a text its
// phone's limits refuse is stored as refused and the error is a
// *sms.Refused.
func (s *Store) QueueSMS(ctx context.Context, m sms.Message, now, due time.Time) (int64, error) {
	var id int64
	var refused string
	err := s.inTx(ctx, func(t tx) error {
		var err error
		id, refused, err = s.queueSMS(ctx, t, m, now, due)
		return err
	})
	if err == nil && refused != "" {
		return id, &sms.Refused{ID: id, Purpose: m.Purpose, Reason: refused}
	}
	return id, err
}

// HoldSMS stores m sealed for the held review, never due: releasing the
// review makes it due, rejecting it gives it up (decideOne). A text its
// phone's limits refuse is stored as refused, as by QueueSMS.
func (s *Store) HoldSMS(ctx context.Context, m sms.Message, now time.Time, review int64) (int64, error) {
	var id int64
	var refused string
	err := s.inTx(ctx, func(t tx) error {
		var err error
		if id, refused, err = s.queueSMS(ctx, t, m, now, fromMillis(never)); err != nil {
			return err
		}
		_, err = t.exec(ctx, "UPDATE sms_outbox SET held_review = ? WHERE id = ?", review, id)
		return err
	})
	if err == nil && refused != "" {
		return id, &sms.Refused{ID: id, Purpose: m.Purpose, Reason: refused}
	}
	return id, err
}

// queueSMS stores m in t, so that what causes a message and the message
// commit together. Every text passes here, so here its phone's limits
// (SMSLimits) and opt-out are applied: a refused text is stored without
// phone or text, never due, with why it was refused, which is returned.
func (s *Store) queueSMS(ctx context.Context, t tx, m sms.Message, now, due time.Time) (int64, string, error) {
	key, err := s.Secret(ctx, "sms_optout")
	if err != nil {
		return 0, "", err
	}
	hash := sms.PhoneHash(key, review.NormalizePhone(m.Phone))
	refused, err := s.smsRefusal(ctx, t, m, hash, now)
	if err != nil {
		return 0, "", fmt.Errorf("queue sms: %w", err)
	}
	phone, text, next := "", "", millis(due)
	if refused == "" {
		if phone, err = s.Keys.Seal("sms_phone", m.Phone); err != nil {
			return 0, "", err
		}
		if text, err = s.Keys.Seal("sms_text", m.Text); err != nil {
			return 0, "", err
		}
	} else {
		next = never
	}
	var id int64
	if err := t.queryRow(ctx, `INSERT INTO sms_outbox (purpose, phone, text, created_at, next_at, phone_hash, refused)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, string(m.Purpose), phone, text, millis(now), next, hash, refused).Scan(&id); err != nil {
		return 0, "", fmt.Errorf("queue sms: %w", err)
	}
	return id, refused, nil
}

// smsRefusal says why m, to the phone of hash, is not to be sent at now
// ("" when it is). The phone's lock is held to the end of t, so that texts
// racing to one phone are counted one after another.
func (s *Store) smsRefusal(ctx context.Context, t tx, m sms.Message, hash string, now time.Time) (string, error) {
	if err := s.xactLock(ctx, t, Lock{classSMSPhone, hashKey(hash)}); err != nil {
		return "", err
	}
	var opted int
	if err := t.queryRow(ctx, "SELECT COUNT(*) FROM sms_optouts WHERE phone_hash = ?", hash).Scan(&opted); err != nil {
		return "", err
	}
	l := s.SMSLimits.Or()
	var day, burst int
	if err := t.queryRow(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN created_at > ? THEN 1 ELSE 0 END), 0)
		FROM sms_outbox WHERE phone_hash = ? AND refused = '' AND created_at > ?`,
		millis(now.Add(-l.BurstWindow)), hash, millis(now.Add(-sms.Day))).Scan(&day, &burst); err != nil {
		return "", err
	}
	return l.Refuse(m, opted > 0, day, burst), nil
}

// hashKey picks a lock within a class from a hex hash.
func hashKey(hash string) int32 {
	var k uint32
	for i := 0; i < 8 && i < len(hash); i++ {
		k = k<<4 | uint32(unhex(hash[i]))
	}
	return int32(k)
}

func unhex(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	}
	return 0
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
