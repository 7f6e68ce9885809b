package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/haocha/haocha/internal/account"
	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/audit"
)

// An administrator's changes to accounts: each is one transaction with its
// row in the audit trail; by names who made it ("cli" or an actor).

// accountChange runs fn on the account named login and audits it as action.
func (s *Store) accountChange(ctx context.Context, login, by, action string, fn func(t tx, id int64, now time.Time) error) error {
	now := s.Now()
	return s.inTx(ctx, func(t tx) error {
		var id int64
		if err := t.queryRow(ctx, "SELECT id FROM users WHERE login = ?", strings.TrimSpace(login)).Scan(&id); err != nil {
			return notFound(err, "name", "no account named %q", login)
		}
		if err := fn(t, id, now); err != nil {
			return err
		}
		return s.appendAudit(ctx, t, audit.Entry{At: now, Actor: by, Action: action, Note: login})
	})
}

// SetDisabled disables or enables an account. Disabling ends its sessions
// and revokes its API tokens for good: enabling it again gives back the
// login, not the tokens.
func (s *Store) SetDisabled(ctx context.Context, login string, disabled bool, by string) error {
	action := map[bool]string{true: "user_disabled", false: "user_enabled"}[disabled]
	return s.accountChange(ctx, login, by, action, func(t tx, id int64, now time.Time) error {
		if _, err := t.exec(ctx, "UPDATE users SET disabled = ? WHERE id = ?", disabled, id); err != nil {
			return err
		}
		if !disabled {
			return nil
		}
		return endAccess(ctx, t, id, now, true)
	})
}

// endAccess deletes an account's sessions and, with tokens, revokes its
// API tokens.
func endAccess(ctx context.Context, t tx, id int64, now time.Time, tokens bool) error {
	if _, err := t.exec(ctx, "DELETE FROM sessions WHERE user_id = ?", id); err != nil {
		return err
	}
	if !tokens {
		return nil
	}
	_, err := t.exec(ctx, "UPDATE api_tokens SET revoked = TRUE, revoked_at = ? WHERE user_id = ? AND NOT revoked", millis(now), id)
	return err
}

// Unlock forgets the failed logins on an account, from every address.
func (s *Store) Unlock(ctx context.Context, login, by string) error {
	return s.accountChange(ctx, login, by, "user_unlocked", func(t tx, id int64, _ time.Time) error {
		if _, err := t.exec(ctx, "DELETE FROM login_failures WHERE login = ?", strings.TrimSpace(login)); err != nil {
			return err
		}
		_, err := t.exec(ctx, "UPDATE users SET failed_logins = 0, locked_until = 0 WHERE id = ?", id)
		return err
	})
}

// ResetPassword replaces an account's password hash and ends its sessions:
// whoever knew the old password is logged out. Its failed logins are
// forgotten.
func (s *Store) ResetPassword(ctx context.Context, login, hash, by string) error {
	return s.accountChange(ctx, login, by, "password_reset", func(t tx, id int64, now time.Time) error {
		if _, err := t.exec(ctx, "UPDATE users SET password_hash = ?, failed_logins = 0, locked_until = 0 WHERE id = ?", hash, id); err != nil {
			return err
		}
		if _, err := t.exec(ctx, "DELETE FROM login_failures WHERE login = ?", strings.TrimSpace(login)); err != nil {
			return err
		}
		return endAccess(ctx, t, id, now, false)
	})
}

// IssueToken stores a new API token for login, living ttl, and returns it
// as listed (the secret itself is the caller's to show once).
func (s *Store) IssueToken(ctx context.Context, login, secret, label string, ttl time.Duration, by string) (account.Token, error) {
	k := account.Token{User: strings.TrimSpace(login), Prefix: secret[:account.PrefixLen], Label: label}
	err := s.accountChange(ctx, login, by, "token_issued", func(t tx, id int64, now time.Time) error {
		k.CreatedAt, k.ExpiresAt = time.UnixMilli(millis(now)), time.UnixMilli(millis(now.Add(ttl)))
		return t.queryRow(ctx, `INSERT INTO api_tokens (user_id, token_hash, label, created_at, expires_at, prefix)
			VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, id, HashToken(secret), label, millis(k.CreatedAt), millis(k.ExpiresAt),
			k.Prefix).Scan(&k.ID)
	})
	return k, err
}

const tokenColumns = `k.id, u.login, k.prefix, k.label, k.created_at, k.expires_at, COALESCE(k.last_used_at, 0),
	COALESCE(k.revoked_at, CASE WHEN k.revoked THEN k.created_at ELSE 0 END)`

func scanToken(row scanner) (account.Token, error) {
	var k account.Token
	var created, expires, used, revoked int64
	err := row.Scan(&k.ID, &k.User, &k.Prefix, &k.Label, &created, &expires, &used, &revoked)
	k.CreatedAt, k.ExpiresAt, k.LastUsed, k.RevokedAt = fromMillis(created), fromMillis(expires), fromMillisOrZero(used), fromMillisOrZero(revoked)
	return k, err
}

// Tokens lists the API tokens of login, or of every account when login is
// empty, newest first.
func (s *Store) Tokens(ctx context.Context, login string) ([]account.Token, error) {
	q := "SELECT " + tokenColumns + " FROM api_tokens k JOIN users u ON u.id = k.user_id"
	var args []any
	if login != "" {
		q += " WHERE u.login = ?"
		args = append(args, strings.TrimSpace(login))
	}
	rows, err := s.query(ctx, q+" ORDER BY k.id DESC", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []account.Token
	for rows.Next() {
		k, err := scanToken(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

// RevokeToken revokes at once the API token named by ref: its id, the
// token itself, or its first account.PrefixLen characters or more.
func (s *Store) RevokeToken(ctx context.Context, ref, by string) (account.Token, error) {
	ref = strings.TrimSpace(ref)
	where, arg := "k.id = ?", any(nil)
	if id, err := strconv.ParseInt(ref, 10, 64); err == nil && len(ref) < account.PrefixLen {
		arg = id
	} else if len(ref) >= account.PrefixLen {
		where, arg = "k.prefix = ?", ref[:account.PrefixLen]
		if len(ref) > account.PrefixLen {
			where = "k.prefix = ? AND k.token_hash = ?"
		}
	} else {
		return account.Token{}, apperr.Invalidf("token", "want a token id, or at least the token's first %d characters", account.PrefixLen)
	}
	var k account.Token
	now := s.Now()
	err := s.inTx(ctx, func(t tx) error {
		args := []any{arg}
		if strings.Contains(where, "token_hash") {
			args = append(args, HashToken(ref))
		}
		rows, err := t.query(ctx, "SELECT "+tokenColumns+" FROM api_tokens k JOIN users u ON u.id = k.user_id WHERE "+where, args...)
		if err != nil {
			return err
		}
		var found []account.Token
		for rows.Next() {
			k, err := scanToken(rows)
			if err != nil {
				rows.Close()
				return err
			}
			found = append(found, k)
		}
		rows.Close()
		switch {
		case rows.Err() != nil:
			return rows.Err()
		case len(found) == 0:
			return apperr.NotFoundf("token", "no API token %q", ref)
		case len(found) > 1:
			return apperr.New(apperr.Conflict, "token", "%d tokens begin %q: name one by its id", len(found), ref)
		case !found[0].RevokedAt.IsZero():
			return apperr.New(apperr.Conflict, "token", "token %d was revoked already", found[0].ID)
		}
		k = found[0]
		k.RevokedAt = time.UnixMilli(millis(now))
		if _, err := t.exec(ctx, "UPDATE api_tokens SET revoked = TRUE, revoked_at = ? WHERE id = ?", millis(now), k.ID); err != nil {
			return err
		}
		return s.appendAudit(ctx, t, audit.Entry{At: now, Actor: by, Action: "token_revoked",
			Note: fmt.Sprintf("token %d (%s) of %s", k.ID, k.Prefix, k.User)})
	})
	return k, err
}
