package main

import (
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/account"
	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/store"
)

// userDB is a database with one operator, op1, and an open store on it
// whose clock the test moves.
func userDB(t *testing.T) (string, *store.Store) {
	t.Helper()
	db := filepath.Join(t.TempDir(), "u.db")
	if out, err := runCLI(t, "user", "add", "--db", db, "--role", "operator", "--name", "op1", "--password", "a long enough password"); err != nil {
		t.Fatalf("user add: %v %s", err, out)
	}
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return db, st
}

var tokenLine = regexp.MustCompile(`(?m)^API token (\d+) for (\S+), expires (\S+).*\n(\S+)$`)

// issue runs `user token` and returns the token's id and secret.
func issue(t *testing.T, db string, args ...string) (id, secret string) {
	t.Helper()
	out, err := runCLI(t, append([]string{"user", "token", "--db", db}, args...)...)
	m := tokenLine.FindStringSubmatch(strings.TrimSpace(out))
	if err != nil || m == nil {
		t.Fatalf("user token %v: %v %q", args, err, out)
	}
	return m[1], m[4]
}

func tokenWorks(st *store.Store, secret string) bool {
	_, err := st.UserByAPIToken(context.Background(), store.HashToken(secret))
	return err == nil
}

func auditActions(t *testing.T, st *store.Store) string {
	t.Helper()
	rows, err := st.DB().Query("SELECT action || ' ' || actor || ' ' || note FROM audit_log ORDER BY seq")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var all []string
	for rows.Next() {
		var s string
		rows.Scan(&s)
		all = append(all, s)
	}
	return strings.Join(all, "\n")
}

// TestUserTokenCommands: `user token` issues a token that expires (90 days
// by default, or --expires); `user tokens` lists id, user, created,
// expires, last used, revoked; `user revoke-token` by id or by prefix
// refuses the token at once.
func TestUserTokenCommands(t *testing.T) {
	db, st := userDB(t)
	start := time.Now()
	id1, tok1 := issue(t, db, "op1", "--label", "ci")
	id2, tok2 := issue(t, db, "--name", "op1", "--expires", "30d")
	if !tokenWorks(st, tok1) || !tokenWorks(st, tok2) {
		t.Fatal("new tokens do not work")
	}
	for _, bad := range []string{"0d", "400d", "soon", "-5h"} {
		if _, err := runCLI(t, "user", "token", "--db", db, "op1", "--expires", bad); err == nil || !strings.Contains(err.Error(), "expires") {
			t.Errorf("--expires %s: %v, want an error naming expires", bad, err)
		}
	}
	if _, err := runCLI(t, "user", "token", "--db", db, "nobody"); apperr.CodeOf(err) != apperr.NotFound {
		t.Errorf("a token for an unknown account: %v", err)
	}
	// Expiry: the 30-day token dies after 30 days, the default one after 90.
	st.Now = func() time.Time { return start.Add(31 * 24 * time.Hour) }
	if tokenWorks(st, tok2) || !tokenWorks(st, tok1) {
		t.Error("after 31 days: want the 30-day token refused and the 90-day one working")
	}
	st.Now = func() time.Time { return start.Add(91 * 24 * time.Hour) }
	if tokenWorks(st, tok1) {
		t.Error("a default token works after 91 days")
	}
	st.Now = time.Now

	out, err := runCLI(t, "user", "tokens", "--db", db)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"ID", "USER", "CREATED", "EXPIRES", "LAST USED", "REVOKED", tok1[:account.PrefixLen], "ci"} {
		if !strings.Contains(out, want) {
			t.Errorf("user tokens lacks %q:\n%s", want, out)
		}
	}
	// Revoke by prefix, then by id; each is refused at once, and twice is an error.
	// "--" ends the flags: a prefix may begin with "-", as the README says.
	if out, err := runCLI(t, "user", "revoke-token", "--db", db, "--", tok1[:account.PrefixLen]); err != nil || !strings.Contains(out, "revoked") {
		t.Fatalf("revoke by prefix: %v %s", err, out)
	}
	if tokenWorks(st, tok1) || !tokenWorks(st, tok2) {
		t.Error("revoking by prefix: want token 1 refused, token 2 working")
	}
	if _, err := runCLI(t, "user", "revoke-token", "--db", db, id2); err != nil || tokenWorks(st, tok2) {
		t.Errorf("revoke by id: %v, still works %v", err, tokenWorks(st, tok2))
	}
	if _, err := runCLI(t, "user", "revoke-token", "--db", db, id1); apperr.CodeOf(err) != apperr.Conflict {
		t.Errorf("revoking twice: %v", err)
	}
	if _, err := runCLI(t, "user", "revoke-token", "--db", db, "abc"); apperr.CodeOf(err) != apperr.Invalid {
		t.Errorf("a too-short prefix: %v", err)
	}
	out, _ = runCLI(t, "user", "tokens", "--db", db, "op1")
	if strings.Count(out, "revoked") != 2 {
		t.Errorf("user tokens op1 after revoking both:\n%s", out)
	}
	audit := auditActions(t, st)
	for _, want := range []string{"token_issued cli op1", "token_revoked cli token " + id1} {
		if !strings.Contains(audit, want) {
			t.Errorf("audit trail lacks %q:\n%s", want, audit)
		}
	}
}

// TestUserAccountCommands: disable ends sessions and revokes tokens for
// good; enable gives back the login only; unlock forgets failed logins;
// reset-password replaces the password and ends sessions. Each is audited.
func TestUserAccountCommands(t *testing.T) {
	db, st := userDB(t)
	ctx := context.Background()
	_, tok := issue(t, db, "op1")
	u, err := st.UserByLogin(ctx, "op1")
	if err != nil {
		t.Fatal(err)
	}
	session := func(h string) bool {
		_, _, err := st.SessionUser(ctx, h, time.Now())
		return err == nil
	}
	if err := st.CreateSession(ctx, u.ID, "s1", "c", time.Now()); err != nil {
		t.Fatal(err)
	}
	if out, err := runCLI(t, "user", "disable", "op1", "--db", db); err != nil || !strings.Contains(out, "disabled") {
		t.Fatalf("disable: %v %s", err, out)
	}
	if tokenWorks(st, tok) || session("s1") {
		t.Error("a disabled account's token or session still works")
	}
	if out, _ := runCLI(t, "user", "list", "--db", db); !strings.Contains(out, "disabled") {
		t.Errorf("user list does not show the account disabled:\n%s", out)
	}
	if _, err := runCLI(t, "user", "enable", "--db", db, "op1"); err != nil {
		t.Fatal(err)
	}
	if tokenWorks(st, tok) {
		t.Error("enabling the account brought its revoked token back")
	}
	if u, _ := st.UserByLogin(ctx, "op1"); u.Disabled {
		t.Error("enable left the account disabled")
	}

	// unlock: an address that failed five times on op1 may try again.
	p := account.DefaultThrottle
	for i := 0; i < p.PairFailures; i++ {
		st.AdmitLogin(ctx, p, "192.0.2.7", "op1", time.Now())
	}
	if _, ok, _ := st.AdmitLogin(ctx, p, "192.0.2.7", "op1", time.Now()); ok {
		t.Fatal("five failures did not throttle the address on the account")
	}
	if _, err := runCLI(t, "user", "unlock", "--db", db, "op1"); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := st.AdmitLogin(ctx, p, "192.0.2.7", "op1", time.Now()); !ok {
		t.Error("after unlock the address is still refused")
	}

	// reset-password, from HAOCHA_PASSWORD.
	st.CreateSession(ctx, u.ID, "s2", "c", time.Now())
	t.Setenv("HAOCHA_PASSWORD", "short")
	if _, err := runCLI(t, "user", "reset-password", "--db", db, "op1"); apperr.CodeOf(err) != apperr.Invalid {
		t.Errorf("a short new password: %v", err)
	}
	t.Setenv("HAOCHA_PASSWORD", "the new long password")
	if _, err := runCLI(t, "user", "reset-password", "--db", db, "op1"); err != nil {
		t.Fatal(err)
	}
	u, _ = st.UserByLogin(ctx, "op1")
	if !account.PasswordMatches(u.PasswordHash, "the new long password") || session("s2") {
		t.Error("reset-password: want the new password to match and the old session gone")
	}

	for _, sub := range []string{"disable", "enable", "unlock", "reset-password"} {
		if _, err := runCLI(t, "user", sub, "--db", db, "nobody"); apperr.CodeOf(err) != apperr.NotFound {
			t.Errorf("user %s nobody: %v", sub, err)
		}
		if _, err := runCLI(t, "user", sub, "--db", db); err == nil {
			t.Errorf("user %s without a name succeeded", sub)
		}
	}
	audit := auditActions(t, st)
	for _, want := range []string{"user_disabled cli op1", "user_enabled cli op1", "user_unlocked cli op1", "password_reset cli op1", "login_throttled system pair"} {
		if !strings.Contains(audit, want) {
			t.Errorf("audit trail lacks %q:\n%s", want, audit)
		}
	}
}
