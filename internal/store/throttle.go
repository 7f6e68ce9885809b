package store

import (
	"context"
	"fmt"
	"time"

	"github.com/haocha/haocha/internal/account"
	"github.com/haocha/haocha/internal/audit"
)

// maxSubject bounds what a typed login may make us store.
const maxSubject = 200

// throttleKey is one of the three counts of a login attempt.
type throttleKey struct{ scope, subject, login string }

func throttleKeys(address, login string) [3]throttleKey {
	clip := func(s string) string { return s[:min(len(s), maxSubject)] }
	login = clip(login)
	return [3]throttleKey{{"address", address, ""}, {"pair", clip(address + " " + login), login}, {"account", login, login}}
}

// AdmitLogin runs the login throttle for an attempt on login from address
// (an account.AddressKey) before any password is hashed: it refuses with
// how long to wait, or counts the attempt as failed in advance
// (RefundLogin takes it back). A flood from one address is refused on a
// read, without writing.
func (s *Store) AdmitLogin(ctx context.Context, p account.Throttle, address, login string, now time.Time) (time.Duration, bool, error) {
	keys := throttleKeys(address, login)
	var c account.Count
	var since int64
	err := s.queryRow(ctx, "SELECT failures, since FROM login_failures WHERE scope = 'address' AND subject = ?", address).
		Scan(&c.Failures, &since)
	if err != nil && !isNoRows(err) {
		return 0, false, fmt.Errorf("login throttle: %w", err)
	}
	c.Since = fromMillisOrZero(since)
	if wait, ok := p.Admit(&account.Counts{Address: c}, now); !ok {
		return wait, false, nil
	}
	var wait time.Duration
	ok := false
	err = s.inTx(ctx, func(t tx) error {
		counts, err := s.lockCounts(ctx, t, keys)
		if err != nil {
			return err
		}
		if wait, ok = p.Admit(&counts, now); !ok {
			return nil
		}
		if err := s.saveCounts(ctx, t, keys, counts); err != nil {
			return err
		}
		if reached := p.Reached(counts); reached != "" {
			// Once per window: the attempt that brings a count to its limit.
			return s.appendAudit(ctx, t, audit.Entry{At: now, Actor: "system", Action: "login_throttled",
				Note: fmt.Sprintf("%s limit reached: address %s, login %q", reached, address, keys[2].subject)})
		}
		return nil
	})
	if err != nil {
		return 0, false, fmt.Errorf("login throttle: %w", err)
	}
	// Counts whose window has passed are of no use. They go as logins come
	// rather than by a job, after the commit and holding no row, so that
	// two attempts never wait on each other; a failure here costs nothing.
	s.w.ExecContext(ctx, s.rebind("DELETE FROM login_failures WHERE since < ?"), millis(now.Add(-p.Window)))
	return wait, ok, nil
}

// RefundLogin takes back an admitted attempt whose password was right.
func (s *Store) RefundLogin(ctx context.Context, p account.Throttle, address, login string) error {
	keys := throttleKeys(address, login)
	return s.inTx(ctx, func(t tx) error {
		counts, err := s.lockCounts(ctx, t, keys)
		if err != nil {
			return err
		}
		p.Refund(&counts)
		return s.saveCounts(ctx, t, keys, counts)
	})
}

// lockCounts reads the three counts, making their rows if need be and, on
// PostgreSQL, locking them until t ends, so that attempts arriving together
// are counted one after another (SQLite has one writer).
func (s *Store) lockCounts(ctx context.Context, t tx, keys [3]throttleKey) (account.Counts, error) {
	var out [3]account.Count
	for i, k := range keys {
		if _, err := t.exec(ctx, `INSERT INTO login_failures (scope, subject, login) VALUES (?, ?, ?)
			ON CONFLICT (scope, subject) DO NOTHING`, k.scope, k.subject, k.login); err != nil {
			return account.Counts{}, err
		}
		q := "SELECT failures, since FROM login_failures WHERE scope = ? AND subject = ?"
		if s.pg {
			q += " FOR UPDATE"
		}
		var since int64
		if err := t.queryRow(ctx, q, k.scope, k.subject).Scan(&out[i].Failures, &since); err != nil {
			return account.Counts{}, err
		}
		out[i].Since = fromMillisOrZero(since)
	}
	return account.Counts{Address: out[0], Pair: out[1], Account: out[2]}, nil
}

func (s *Store) saveCounts(ctx context.Context, t tx, keys [3]throttleKey, c account.Counts) error {
	for i, n := range [3]account.Count{c.Address, c.Pair, c.Account} {
		var since int64
		if !n.Since.IsZero() {
			since = millis(n.Since)
		}
		if _, err := t.exec(ctx, "UPDATE login_failures SET failures = ?, since = ? WHERE scope = ? AND subject = ?",
			n.Failures, since, keys[i].scope, keys[i].subject); err != nil {
			return err
		}
	}
	return nil
}

func fromMillisOrZero(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return fromMillis(ms)
}

// FailedLogins counts, per login, the failed logins of the account-wide
// window still running at now, for the administrator's list.
func (s *Store) FailedLogins(ctx context.Context, p account.Throttle, now time.Time) (map[string]int, error) {
	rows, err := s.query(ctx, "SELECT subject, failures FROM login_failures WHERE scope = 'account' AND failures > 0 AND since > ?",
		millis(now.Add(-p.Window)))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var login string
		var n int
		if err := rows.Scan(&login, &n); err != nil {
			return nil, err
		}
		out[login] = n
	}
	return out, rows.Err()
}
