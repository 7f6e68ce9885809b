package store

import (
	"context"
	"fmt"
	"github.com/haocha/haocha/internal/audit"
	"strings"
	"time"

	"github.com/haocha/haocha/internal/account"
	"github.com/haocha/haocha/internal/apperr"
)

// userColumns are what scanUser reads, in its order.
var userColumns = join(plain("id", "login", "display_name", "role"), orEmpty("unit", "staff"), plain("password_hash",
	"failed_logins", "locked_until", "disabled", "created_at"))

func scanUser(row scanner) (*account.User, error) {
	var u account.User
	var role string
	var locked, created int64
	err := row.Scan(&u.ID, &u.Login, &u.DisplayName, &role, &u.Unit, &u.Staff, &u.PasswordHash,
		&u.FailedLogins, &locked, &u.Disabled, &created)
	if err != nil {
		return nil, err
	}
	u.Role, u.LockedUntil, u.CreatedAt = account.Role(role), fromMillis(locked), fromMillis(created)
	return &u, nil
}

// CreateUser stores a new account; by names who made it in the audit
// trail (an actor, "cli", "demo"). u.PasswordHash must be set; the unit or
// staff code must exist.
func (s *Store) CreateUser(ctx context.Context, u *account.User, by string) error {
	if err := u.Check(); err != nil {
		return err
	}
	if u.Unit != "" {
		if ok, err := s.Exists(ctx, "units", u.Unit); err != nil || !ok {
			return firstErr(err, apperr.Invalidf("unit", "unknown unit %q", u.Unit))
		}
	}
	if u.Staff != "" {
		if ok, err := s.Exists(ctx, "staff", u.Staff); err != nil || !ok {
			return firstErr(err, apperr.Invalidf("staff", "unknown staff code %q", u.Staff))
		}
	}
	u.CreatedAt = s.Now()
	return s.inTx(ctx, func(t tx) error {
		var n int
		if err := t.queryRow(ctx, "SELECT COUNT(*) FROM users WHERE login = ?", u.Login).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return apperr.New(apperr.Conflict, "name", "an account named %q exists", u.Login)
		}
		err := t.queryRow(ctx, `INSERT INTO users (login, display_name, role, unit, staff, password_hash, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, u.Login, u.DisplayName, string(u.Role), nullable(u.Unit),
			nullable(u.Staff), u.PasswordHash, millis(u.CreatedAt)).Scan(&u.ID)
		if err != nil {
			return fmt.Errorf("create user: %w", err)
		}
		return s.appendAudit(ctx, t, audit.Entry{At: u.CreatedAt, Actor: by, Action: "user_created",
			Note: fmt.Sprintf("%s as %s %s", u.Login, u.Role, u.Unit+u.Staff)})
	})
}

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

// UserByLogin returns the account named login.
func (s *Store) UserByLogin(ctx context.Context, login string) (*account.User, error) {
	u, err := scanUser(s.queryRow(ctx, "SELECT "+userColumns.sel("")+" FROM users WHERE login = ?", strings.TrimSpace(login)))
	return u, notFound(err, "name", "no such account")
}

// Users lists every account by login.
func (s *Store) Users(ctx context.Context) ([]*account.User, error) {
	rows, err := s.query(ctx, "SELECT "+userColumns.sel("")+" FROM users ORDER BY login")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*account.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// CreateSession stores a session for user under the hash of its token.
func (s *Store) CreateSession(ctx context.Context, user int64, tokenHash, csrf string, now time.Time) error {
	_, err := s.w.ExecContext(ctx, s.rebind(`INSERT INTO sessions (token_hash, user_id, csrf, created_at, expires_at)
		VALUES (?, ?, ?, ?, ?)`), tokenHash, user, csrf, millis(now), millis(now.Add(account.SessionTTL)))
	if err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	return nil
}

// SessionUser returns the account of a live session and its CSRF token.
func (s *Store) SessionUser(ctx context.Context, tokenHash string, now time.Time) (*account.User, string, error) {
	var csrf string
	var u *account.User
	u, err := scanUser(scanFunc(func(dest ...any) error {
		return s.queryRow(ctx, "SELECT "+userColumns.sel("u")+`, s.csrf FROM sessions s JOIN users u ON u.id = s.user_id
			WHERE s.token_hash = ? AND s.expires_at > ? AND NOT u.disabled`, tokenHash, millis(now)).Scan(append(dest, &csrf)...)
	}))
	if err != nil {
		return nil, "", notFound(err, "session", "no such session")
	}
	return u, csrf, nil
}

// DeleteSession ends a session, and any expired ones on the way.
func (s *Store) DeleteSession(ctx context.Context, tokenHash string, now time.Time) error {
	_, err := s.w.ExecContext(ctx, s.rebind("DELETE FROM sessions WHERE token_hash = ? OR expires_at < ?"), tokenHash, millis(now))
	return err
}

// CreateAPIToken stores the hash of a new API token for user, to expire
// after account.TokenTTL.
func (s *Store) CreateAPIToken(ctx context.Context, user int64, tokenHash, label string) error {
	_, err := s.w.ExecContext(ctx, s.rebind(`INSERT INTO api_tokens (user_id, token_hash, label, created_at, expires_at)
		VALUES (?, ?, ?, ?, ?)`), user, tokenHash, label, millis(s.Now()), millis(s.Now().Add(account.TokenTTL)))
	return err
}

// UserByAPIToken returns the account an API token acts for: not revoked,
// not expired, its account not disabled.
func (s *Store) UserByAPIToken(ctx context.Context, tokenHash string) (*account.User, error) {
	now := millis(s.Now())
	u, err := scanUser(s.queryRow(ctx, "SELECT "+userColumns.sel("u")+` FROM api_tokens k JOIN users u ON u.id = k.user_id
		WHERE k.token_hash = ? AND NOT k.revoked AND k.expires_at > ? AND NOT u.disabled`, tokenHash, now))
	if err != nil {
		return nil, notFound(err, "token", "no such token")
	}
	s.w.ExecContext(ctx, s.rebind("UPDATE api_tokens SET last_used_at = ? WHERE token_hash = ?"), now, tokenHash)
	return u, nil
}
