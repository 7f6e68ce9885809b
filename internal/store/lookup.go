package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/haocha/haocha/internal/lookup"
	"time"
)

// CountAttempt records one look-up attempt and counts those of its kind
// and key since since. Attempts older than since are forgotten.
func (s *Store) CountAttempt(ctx context.Context, kind, key string, now, since time.Time) (int, error) {
	var n int
	err := s.inTx(ctx, func(t tx) error {
		if _, err := t.exec(ctx, "DELETE FROM follow_attempts WHERE at < ?", millis(since)); err != nil {
			return err
		}
		if _, err := t.exec(ctx, "INSERT INTO follow_attempts (kind, key, at) VALUES (?, ?, ?)", kind, key, millis(now)); err != nil {
			return err
		}
		return t.queryRow(ctx, "SELECT COUNT(*) FROM follow_attempts WHERE kind = ? AND key = ? AND at >= ?",
			kind, key, millis(since)).Scan(&n)
	})
	if err != nil {
		return 0, fmt.Errorf("count look-up attempt: %w", err)
	}
	return n, nil
}

// RealNamePhone returns the order numbered number and its real-name
// reviewer's phone. An anonymous review has no contact row: not found.
func (s *Store) RealNamePhone(ctx context.Context, number string) (int64, string, error) {
	var id int64
	var phone string
	err := s.queryRow(ctx, `SELECT w.id, c.phone FROM work_orders w JOIN review_contacts c ON c.review = w.review
		WHERE w.number = ?`, number).Scan(&id, &phone)
	return id, phone, notFound(err, "number", "no real-name work order numbered %s", number)
}

// SaveCode keeps c as the order's live look-up code.
func (s *Store) SaveCode(ctx context.Context, order int64, c lookup.Code) error {
	err := s.inTx(ctx, func(t tx) error {
		if _, err := t.exec(ctx, "DELETE FROM follow_codes WHERE work_order = ? OR expires_at < ?", order, millis(s.Now())); err != nil {
			return err
		}
		_, err := t.exec(ctx, "INSERT INTO follow_codes (work_order, code_hash, expires_at, attempts) VALUES (?, ?, ?, ?)",
			order, c.Hash, millis(c.Expires), c.Attempts)
		return err
	})
	if err != nil {
		return fmt.Errorf("save look-up code: %w", err)
	}
	return nil
}

// UseCode counts an attempt at the code of the order numbered number
// first, so that concurrent tries cannot pass the limit, then lets check
// decide; a right code is deleted, used once.
func (s *Store) UseCode(ctx context.Context, number string, check func(lookup.Code) bool) (int64, bool, error) {
	var order int64
	var ok bool
	err := s.inTx(ctx, func(t tx) error {
		var c lookup.Code
		var expires int64
		err := t.queryRow(ctx, `UPDATE follow_codes SET attempts = attempts + 1
			WHERE work_order = (SELECT id FROM work_orders WHERE number = ?)
			RETURNING work_order, code_hash, expires_at, attempts`, number).Scan(&order, &c.Hash, &expires, &c.Attempts)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		c.Expires, c.Attempts = fromMillis(expires), c.Attempts-1
		if ok = check(c); ok {
			_, err = t.exec(ctx, "DELETE FROM follow_codes WHERE work_order = ?", order)
		}
		return err
	})
	if err != nil {
		return 0, false, fmt.Errorf("use look-up code: %w", err)
	}
	return order, ok, nil
}

// AddFollowToken gives the order another private token, kept hashed.
func (s *Store) AddFollowToken(ctx context.Context, order int64, token string) error {
	err := s.inTx(ctx, func(t tx) error {
		_, err := t.exec(ctx, "INSERT INTO follow_tokens (token_hash, work_order, created_at) VALUES (?, ?, ?)",
			HashToken(token), order, millis(s.Now()))
		return err
	})
	if err != nil {
		return fmt.Errorf("add follow token: %w", err)
	}
	return nil
}

var _ lookup.Store = (*Store)(nil)
