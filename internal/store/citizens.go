package store

// Signed-in citizens (citizen.Store): sign-in codes, sessions and which
// reviews a citizen gave, all under keyed hashes, never a phone.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/haocha/haocha/internal/citizen"
)

// SaveSignInCode keeps c as the phone's one live code, forgetting codes
// long expired on the way.
func (s *Store) SaveSignInCode(ctx context.Context, phoneHash string, c citizen.Code) error {
	err := s.inTx(ctx, func(t tx) error {
		if _, err := t.exec(ctx, "DELETE FROM citizen_codes WHERE phone_hash = ? OR expires_at < ?", phoneHash, millis(s.Now().Add(-time.Hour))); err != nil {
			return err
		}
		_, err := t.exec(ctx, "INSERT INTO citizen_codes (phone_hash, code_hash, expires_at, attempts) VALUES (?, ?, ?, 0)",
			phoneHash, c.Hash, millis(c.Expires))
		return err
	})
	if err != nil {
		return fmt.Errorf("save sign-in code: %w", err)
	}
	return nil
}

// UseSignInCode counts the try before check sees the code, so that tries
// racing each other cannot pass MaxTries; a right code is deleted.
func (s *Store) UseSignInCode(ctx context.Context, phoneHash string, check func(citizen.Code) bool) (bool, error) {
	ok := false
	err := s.inTx(ctx, func(t tx) error {
		var c citizen.Code
		var expires int64
		err := t.queryRow(ctx, `UPDATE citizen_codes SET attempts = attempts + 1 WHERE phone_hash = ?
			RETURNING code_hash, expires_at, attempts`, phoneHash).Scan(&c.Hash, &expires, &c.Tries)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		c.Expires, c.Tries = fromMillis(expires), c.Tries-1
		if ok = check(c); ok {
			_, err = t.exec(ctx, "DELETE FROM citizen_codes WHERE phone_hash = ?", phoneHash)
		}
		return err
	})
	if err != nil {
		return false, fmt.Errorf("use sign-in code: %w", err)
	}
	return ok, nil
}

// SaveSession stores the hash of token, forgetting expired sessions.
func (s *Store) SaveSession(ctx context.Context, token, who string, now, expires time.Time) error {
	err := s.inTx(ctx, func(t tx) error {
		if _, err := t.exec(ctx, "DELETE FROM citizen_sessions WHERE expires_at < ?", millis(now)); err != nil {
			return err
		}
		_, err := t.exec(ctx, "INSERT INTO citizen_sessions (token_hash, citizen_hash, created_at, expires_at) VALUES (?, ?, ?, ?)",
			HashToken(token), who, millis(now), millis(expires))
		return err
	})
	if err != nil {
		return fmt.Errorf("save citizen session: %w", err)
	}
	return nil
}

// SessionCitizen is the identity hash of token's live session.
func (s *Store) SessionCitizen(ctx context.Context, token string, now time.Time) (string, error) {
	var who string
	err := s.queryRow(ctx, "SELECT citizen_hash FROM citizen_sessions WHERE token_hash = ? AND expires_at > ?",
		HashToken(token), millis(now)).Scan(&who)
	return who, notFound(err, "", "no such citizen session")
}

// EndSession deletes token's session.
func (s *Store) EndSession(ctx context.Context, token string) error {
	if _, err := s.w.ExecContext(ctx, s.rebind("DELETE FROM citizen_sessions WHERE token_hash = ?"), HashToken(token)); err != nil {
		return fmt.Errorf("end citizen session: %w", err)
	}
	return nil
}

// OwnReview records that the citizen gave review id.
func (s *Store) OwnReview(ctx context.Context, who string, id int64, at time.Time) error {
	if _, err := s.w.ExecContext(ctx, s.rebind("INSERT INTO citizen_reviews (review, citizen_hash, created_at) VALUES (?, ?, ?) ON CONFLICT (review) DO NOTHING"),
		id, who, millis(at)); err != nil {
		return fmt.Errorf("own review %d: %w", id, err)
	}
	return nil
}

// OwnTransactionReview records review id, of transaction txn, as the
// review of the citizen whose identity hash is the keyed hash of the
// applicant's phone (the same key: a citizen signed in by that phone has
// that hash); nothing when the transaction has no phone.
func (s *Store) OwnTransactionReview(ctx context.Context, txn string, id int64, at time.Time) error {
	hash, err := s.TransactionPhoneHash(ctx, txn)
	if err != nil || hash == "" {
		return err
	}
	return s.OwnReview(ctx, hash, id, at)
}

// CitizenReviews lists the citizen's reviews with their items and work
// orders, newest first.
func (s *Store) CitizenReviews(ctx context.Context, who string, limit int) ([]citizen.Review, error) {
	rows, err := s.query(ctx, `SELECT r.id, r.created_at, r.item, COALESCE(i.name_zh, ''), COALESCE(i.name_en, ''), r.stars,
		COALESCE(w.number, ''), COALESCE(w.state, ''), r.follows IS NOT NULL,
		COALESCE(w.suspected, r.held IS NOT NULL), COALESCE(w.suspect_decision, '')
		FROM citizen_reviews c JOIN reviews r ON r.id = c.review
		LEFT JOIN items i ON i.code = r.item LEFT JOIN work_orders w ON w.review = r.id
		WHERE c.citizen_hash = ? ORDER BY c.created_at DESC, r.id DESC LIMIT ?`, who, limit)
	if err != nil {
		return nil, fmt.Errorf("citizen reviews: %w", err)
	}
	defer rows.Close()
	var out []citizen.Review
	for rows.Next() {
		var v citizen.Review
		var at int64
		var suspected bool
		var decision string
		if err := rows.Scan(&v.ID, &at, &v.Item, &v.ItemZH, &v.ItemEN, &v.Stars, &v.Order, &v.OrderState, &v.Later,
			&suspected, &decision); err != nil {
			return nil, err
		}
		v.Screening = string(screening(suspected, decision))
		v.At = fromMillis(at)
		out = append(out, v)
	}
	return out, rows.Err()
}

// CitizenOrder is the work order numbered number when one of the
// citizen's reviews opened it.
func (s *Store) CitizenOrder(ctx context.Context, who, number string) (int64, error) {
	var id int64
	err := s.queryRow(ctx, `SELECT w.id FROM work_orders w JOIN citizen_reviews c ON c.review = w.review
		WHERE w.number = ? AND c.citizen_hash = ?`, number, who).Scan(&id)
	return id, notFound(err, "number", "no work order of yours numbered %s", number)
}

var _ citizen.Store = (*Store)(nil)
