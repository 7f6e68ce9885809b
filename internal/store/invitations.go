package store

// Rating invitations (invitation.Store): who is due a message, the links
// sent, their single use, and the phones that opted out.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/invitation"
	"github.com/haocha/haocha/internal/sms"
)

// notRated holds for a transaction t no review names.
const notRated = "NOT EXISTS (SELECT 1 FROM review_transactions rt WHERE rt.txn = t.number)"

// ToInvite lists transactions marked for an invitation whose window is
// open and which nobody rated yet; the marks of the others are taken off.
func (s *Store) ToInvite(ctx context.Context, now time.Time, limit int) ([]invitation.Due, error) {
	return s.dueInvitations(ctx, now, `FROM invitations_pending q JOIN transactions t ON t.number = q.txn
		JOIN transaction_phones p ON p.txn = q.txn LEFT JOIN invitations i ON i.txn = q.txn
		ORDER BY q.txn LIMIT ?`, "DELETE FROM invitations_pending WHERE txn IN", limit)
}

// ToRemind lists the invitations whose reminder is due at now and whose
// transaction may still be rated through them; the reminders of the others
// are called off.
func (s *Store) ToRemind(ctx context.Context, now time.Time, limit int) ([]invitation.Due, error) {
	return s.dueInvitations(ctx, now, `FROM invitations i JOIN transactions t ON t.number = i.txn
		JOIN transaction_phones p ON p.txn = i.txn
		WHERE i.remind_at IS NOT NULL AND i.remind_at <= ?
		ORDER BY i.remind_at, i.txn LIMIT ?`, "UPDATE invitations SET remind_at = NULL WHERE txn IN", millis(now), limit)
}

// dueInvitations reads transactions and their opened phones from query
// (with args), and runs drop, a statement ending in "txn IN", once over
// those whose window closed, were rated, or whose invitation was used.
func (s *Store) dueInvitations(ctx context.Context, now time.Time, query, drop string, args ...any) ([]invitation.Due, error) {
	rows, err := s.query(ctx, "SELECT "+transactionColumns.sel("t")+`, p.phone,
		t.outcome IS NULL AND t.rating_closes_at > ? AND i.used_at IS NULL AND `+notRated+" "+query,
		append([]any{millis(now)}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("due invitations: %w", err)
	}
	var out []invitation.Due
	var gone []any
	for rows.Next() {
		var phone string
		var open bool
		t, err := scanTransaction(scanPlus{rows, []any{&phone, &open}})
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("due invitations: %w", err)
		}
		if !open {
			gone = append(gone, t.Number)
			continue
		}
		if phone, err = s.Keys.Open(phoneField, phone); err != nil {
			rows.Close()
			return nil, fmt.Errorf("phone of transaction %s: %w", t.Number, err)
		}
		out = append(out, invitation.Due{Transaction: t, Phone: phone})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("due invitations: %w", err)
	}
	if len(gone) > 0 {
		if _, err := s.w.ExecContext(ctx, s.rebind(drop+" ("+placeholders(len(gone))+")"), gone...); err != nil {
			return nil, fmt.Errorf("due invitations: %w", err)
		}
	}
	return out, nil
}

// scanPlus scans a transaction's columns and then more.
type scanPlus struct {
	row  scanner
	more []any
}

func (p scanPlus) Scan(dest ...any) error { return p.row.Scan(append(dest, p.more...)...) }

// OptedOut reports whether a phone's hash asked for no more invitations.
func (s *Store) OptedOut(ctx context.Context, phoneHash string) (bool, error) {
	var n int
	if err := s.queryRow(ctx, "SELECT COUNT(*) FROM sms_optouts WHERE phone_hash = ?", phoneHash).Scan(&n); err != nil {
		return false, fmt.Errorf("opt-out: %w", err)
	}
	return n > 0, nil
}

// OptOut records a phone's hash as opted out; again changes nothing.
func (s *Store) OptOut(ctx context.Context, phoneHash, source string, now time.Time) error {
	_, err := s.w.ExecContext(ctx, s.rebind("INSERT INTO sms_optouts (phone_hash, source, at) VALUES (?, ?, ?) ON CONFLICT (phone_hash) DO NOTHING"),
		phoneHash, source, millis(now))
	if err != nil {
		return fmt.Errorf("opt out: %w", err)
	}
	return nil
}

// SaveInvitation records an invitation or reminder of txn and, with m,
// its link and message, in one database transaction; an invitation's
// reminder falls due at remindAt (none when zero). It reports false when
// it was recorded before (another process, a tick repeated).
func (s *Store) SaveInvitation(ctx context.Context, txn string, kind invitation.Kind, tokenHash string, m *sms.Message, now, remindAt time.Time) (bool, error) {
	done := false
	err := s.inTx(ctx, func(t tx) error {
		var res sql.Result
		var err error
		if kind == invitation.Invite {
			skipped := ""
			if m == nil {
				skipped = "opted_out"
			}
			var remind any
			if !remindAt.IsZero() && m != nil {
				remind = millis(remindAt)
			}
			if _, err := t.exec(ctx, "DELETE FROM invitations_pending WHERE txn = ?", txn); err != nil {
				return err
			}
			res, err = t.exec(ctx, "INSERT INTO invitations (txn, invited_at, skipped, remind_at) VALUES (?, ?, ?, ?) ON CONFLICT (txn) DO NOTHING",
				txn, millis(now), skipped, remind)
		} else {
			res, err = t.exec(ctx, "UPDATE invitations SET reminded_at = ?, remind_at = NULL WHERE txn = ? AND remind_at IS NOT NULL", millis(now), txn)
		}
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return err
		}
		done = true
		if m == nil {
			return nil
		}
		if _, err := t.exec(ctx, "INSERT INTO invitation_links (token_hash, txn, kind, created_at) VALUES (?, ?, ?, ?)",
			tokenHash, txn, string(kind), millis(now)); err != nil {
			return err
		}
		// A text its phone's limits refuse is recorded as refused in the
		// outbox; the invitation stands, its link unsent.
		_, _, err = s.queueSMS(ctx, t, *m, now, now)
		return err
	})
	if err != nil {
		return false, fmt.Errorf("save %s of transaction %s: %w", kind, txn, err)
	}
	return done, nil
}

// InvitationLink is what a token's hash opens: its transaction, and
// whether it was used or the transaction rated.
func (s *Store) InvitationLink(ctx context.Context, tokenHash string) (invitation.Link, error) {
	var l invitation.Link
	var used, rated bool
	t, err := scanTransaction(scanPlus{s.queryRow(ctx, "SELECT "+transactionColumns.sel("t")+`,
		i.used_at IS NOT NULL, `+notRated+`
		FROM invitation_links l JOIN invitations i ON i.txn = l.txn JOIN transactions t ON t.number = l.txn
		WHERE l.token_hash = ?`, tokenHash), []any{&used, &rated}})
	if errors.Is(err, sql.ErrNoRows) {
		return l, apperr.NotFoundf("token", "no such invitation")
	}
	if err != nil {
		return l, fmt.Errorf("invitation link: %w", err)
	}
	l.Transaction, l.Used, l.Rated = t, used, !rated
	return l, nil
}

// ClaimInvitation marks txn's links used; false when they already were.
func (s *Store) ClaimInvitation(ctx context.Context, txn string, now time.Time) (bool, error) {
	res, err := s.w.ExecContext(ctx, s.rebind("UPDATE invitations SET used_at = ? WHERE txn = ? AND used_at IS NULL"), millis(now), txn)
	if err != nil {
		return false, fmt.Errorf("claim invitation of %s: %w", txn, err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// ReleaseInvitation gives back a claim whose review was refused.
func (s *Store) ReleaseInvitation(ctx context.Context, txn string) error {
	if _, err := s.w.ExecContext(ctx, s.rebind("UPDATE invitations SET used_at = NULL WHERE txn = ? AND review IS NULL"), txn); err != nil {
		return fmt.Errorf("release invitation of %s: %w", txn, err)
	}
	return nil
}

// InvitationReview records the review given through txn's link.
func (s *Store) InvitationReview(ctx context.Context, txn string, review int64) error {
	if _, err := s.w.ExecContext(ctx, s.rebind("UPDATE invitations SET review = ? WHERE txn = ?"), review, txn); err != nil {
		return fmt.Errorf("invitation review of %s: %w", txn, err)
	}
	return nil
}

var (
	_ invitation.Store = (*Store)(nil)
	_ sms.Queue        = (*Store)(nil)
)
