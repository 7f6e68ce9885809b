package console_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/account"
)

// loginAttempt is one answer of the login form, as a client saw it.
type loginAttempt struct {
	status     int
	body       string
	retryAfter string
	session    bool
}

// loginFrom fills the login form from a client at addr (host:port), through
// the server's handler, so that each test client can have an address.
func (e *env) loginFrom(addr, name, pw string) loginAttempt {
	e.t.Helper()
	h := e.m.Handler()
	get := httptest.NewRequest("GET", "/console/login", nil)
	get.RemoteAddr = addr
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, get)
	m := csrfField.FindStringSubmatch(rec.Body.String())
	var ck *http.Cookie
	for _, c := range rec.Result().Cookies() {
		if c.Name == "haocha_login" {
			ck = c
		}
	}
	if m == nil || ck == nil {
		e.t.Fatal("the login page sets no CSRF token")
	}
	post := httptest.NewRequest("POST", "/console/login", strings.NewReader(url.Values{
		"name": {name}, "password": {pw}, "csrf": {m[1]}, "next": {"/console/"}}.Encode()))
	post.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	post.RemoteAddr = addr
	post.AddCookie(ck)
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, post)
	a := loginAttempt{status: rec.Code, body: rec.Body.String(), retryAfter: rec.Header().Get("Retry-After")}
	for _, c := range rec.Result().Cookies() {
		a.session = a.session || (c.Name == "haocha_session" && c.Value != "")
	}
	return a
}

var (
	tokenValue = regexp.MustCompile(`value="[A-Za-z0-9_-]{32}"`)
)

// TestLoginDoesNotRevealAccounts: an unknown name, a wrong password, and
// the right password of a disabled account each cost exactly one password
// hash (so take the same time) and get the same page.
func TestLoginDoesNotRevealAccounts(t *testing.T) {
	e := newEnv(t)
	e.login("admin", password).post("/console/users/handlerB/disable", url.Values{}, true)
	cases := []struct{ name, login, pw string }{
		{"unknown account", "nobody_here", password},
		{"wrong password", "supervisor", "wrong password!"},
		{"disabled account, right password", "handlerB", password},
		{"disabled account, wrong password", "handlerB", "wrong password!"},
	}
	var pages []string
	for i, tc := range cases {
		before := account.Compares()
		a := e.loginFrom(fmt.Sprintf("198.51.100.%d:4000", i+1), tc.login, tc.pw)
		if n := account.Compares() - before; n != 1 {
			t.Errorf("%s: %d password hashes compared, want 1", tc.name, n)
		}
		if a.status != http.StatusUnauthorized || a.session {
			t.Errorf("%s: status %d, session %v; want 401 and none", tc.name, a.status, a.session)
		}
		// The page differs only in the name typed and its fresh form token.
		page := strings.ReplaceAll(tokenValue.ReplaceAllString(a.body, `value="TOKEN"`), `value="`+tc.login+`"`, `value="NAME"`)
		pages = append(pages, page)
	}
	for i := range pages[1:] {
		if pages[i+1] != pages[0] {
			t.Errorf("%s answers differently from %s", cases[i+1].name, cases[0].name)
		}
	}
	// The right password costs one hash too, and logs in.
	before := account.Compares()
	if a := e.loginFrom("198.51.100.9:4000", "supervisor", password); !a.session || account.Compares()-before != 1 {
		t.Errorf("right password: session %v, %d hashes", a.session, account.Compares()-before)
	}
}

// TestStrangerCannotLockOutUser: failures from a stranger's addresses (one
// guesser, then a spread of sixty) throttle those addresses; the real user
// at an address that has not failed logs in throughout.
func TestStrangerCannotLockOutUser(t *testing.T) {
	e := newEnv(t)
	const user, office = "supervisor", "203.0.113.50:5000"
	for i := 0; i < 12; i++ {
		a := e.loginFrom("192.0.2.66:1234", user, "guess "+strconv.Itoa(i))
		if want := map[bool]int{true: 401, false: 429}[i < account.MaxFailures]; a.status != want {
			t.Fatalf("stranger's attempt %d: %d, want %d", i+1, a.status, want)
		}
	}
	if a := e.loginFrom("192.0.2.66:1234", user, password); a.status != 429 || a.session {
		t.Errorf("the guesser's address with the right password: %d, want 429", a.status)
	}
	if a := e.loginFrom(office, user, password); !a.session {
		t.Fatalf("the real user after one guesser: %d, not logged in", a.status)
	}
	// An IPv6 guesser is counted by its /64, whichever address it takes.
	for i := 0; i < account.MaxFailures; i++ {
		e.loginFrom(fmt.Sprintf("[2001:db8:1:2::%x]:443", i+1), user, "guess")
	}
	if a := e.loginFrom("[2001:db8:1:2:ffff::9]:443", user, password); a.status != 429 {
		t.Errorf("another address in the guesser's /64: %d, want 429", a.status)
	}
	// A spread-out guess closes the account to the addresses that failed,
	// not to the office.
	p := account.DefaultThrottle
	for i := 0; i < p.AccountFailures; i++ {
		e.loginFrom(fmt.Sprintf("10.9.%d.%d:80", i/200, i%200), user, "spread guess")
	}
	if a := e.loginFrom("10.9.0.3:80", user, password); a.status != 429 {
		t.Errorf("an address that failed, during the spread guess: %d, want 429", a.status)
	}
	if a := e.loginFrom(office, user, password); !a.session {
		t.Errorf("the real user during a spread guess: %d, not logged in", a.status)
	}
}

// TestLoginFloodThrottledBeforeHashing: 300 attempts at once from one
// client reach the password hash only as often as the address limit allows;
// the rest answer 429 with Retry-After, and another client is unaffected.
func TestLoginFloodThrottledBeforeHashing(t *testing.T) {
	e := newEnv(t)
	before := account.Compares()
	var mu sync.Mutex
	statuses := map[int]int{}
	var wg sync.WaitGroup
	for i := 0; i < 300; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a := e.loginFrom("192.0.2.200:9", fmt.Sprintf("user%d", i%7), "flood password")
			mu.Lock()
			defer mu.Unlock()
			statuses[a.status]++
			if a.status == 429 {
				if s, err := strconv.Atoi(a.retryAfter); err != nil || s < 1 {
					t.Errorf("429 with Retry-After %q", a.retryAfter)
				}
			}
		}()
	}
	wg.Wait()
	limit := account.DefaultThrottle.AddressFailures
	if n := int(account.Compares() - before); n != limit {
		t.Errorf("%d of 300 flood attempts were hashed, want %d", n, limit)
	}
	if statuses[401] != limit || statuses[429] != 300-limit {
		t.Errorf("statuses %v, want %d × 401 and the rest 429", statuses, limit)
	}
	if a := e.loginFrom("198.51.100.1:1", "operator", password); !a.session {
		t.Errorf("another client during the flood: %d", a.status)
	}
	// The window passes, and the address may try again.
	e.clock.Add(account.DefaultThrottle.Window)
	if a := e.loginFrom("192.0.2.200:9", "operator", password); !a.session {
		t.Errorf("the flooding address after the window: %d", a.status)
	}
}

// TestDisabledAndRevokedAccessRefused: disabling an account ends its
// console session and refuses its API token; a revoked token is refused at
// once; an expired one after its 90 days.
func TestDisabledAndRevokedAccessRefused(t *testing.T) {
	e := newEnv(t)
	op := e.login("operator", password)
	e.must(200, "GET", "/api/v1/me", "operator", nil)
	admin := e.login("admin", password)
	if st := admin.post("/console/users/operator/disable", url.Values{}, true); st != 200 || !strings.Contains(admin.last, "已停用") {
		t.Fatalf("disable = %d", st)
	}
	if st := op.status("/console/orders"); st != http.StatusSeeOther {
		t.Errorf("a disabled account's session: %d, want the login page", st)
	}
	e.must(401, "GET", "/api/v1/me", "operator", nil)
	if a := e.loginFrom("198.51.100.1:1", "operator", password); a.session {
		t.Error("a disabled account logged in")
	}
	admin.post("/console/users/operator/enable", url.Values{}, true)
	e.must(401, "GET", "/api/v1/me", "operator", nil) // its token died with the disabling
	if a := e.loginFrom("198.51.100.1:1", "operator", password); !a.session {
		t.Errorf("an enabled account: %d, not logged in", a.status)
	}

	// Revoke from the console: refused at once.
	e.must(200, "GET", "/api/v1/me", "supervisor", nil)
	page := admin.get("/console/users/supervisor")
	m := regexp.MustCompile(`name="token" value="(\d+)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no revoke form on the account page:\n%.500s", page)
	}
	if st := admin.post("/console/users/supervisor/revoke-token", url.Values{"token": {m[1]}}, true); st != 200 {
		t.Fatalf("revoke = %d: %.300s", st, admin.last)
	}
	e.must(401, "GET", "/api/v1/me", "supervisor", nil)

	// Expiry.
	e.must(200, "GET", "/api/v1/me", "handlerA", nil)
	e.clock.Add(account.TokenTTL + time.Minute)
	e.must(401, "GET", "/api/v1/me", "handlerA", nil)
}

// TestAccountConsole: the administrator's actions need the form token and
// the administrator's role, answer bad input naming the field, and are
// audited.
func TestAccountConsole(t *testing.T) {
	e := newEnv(t)
	admin := e.login("admin", password)
	if st := admin.post("/console/users/staff/disable", url.Values{}, false); st != 403 {
		t.Errorf("disable without the form token = %d, want 403", st)
	}
	if st := e.login("supervisor", password).post("/console/users/staff/disable", url.Values{}, true); st != 403 {
		t.Errorf("a supervisor disabling an account = %d, want 403", st)
	}
	if st := admin.post("/console/users/admin/disable", url.Values{}, true); st != 409 {
		t.Errorf("an administrator disabling themselves = %d, want 409", st)
	}
	if st := admin.post("/console/users/nobody/unlock", url.Values{}, true); st != 404 {
		t.Errorf("unlocking an unknown account = %d, want 404", st)
	}
	if st := admin.post("/console/users/staff/password", url.Values{"password": {"short"}}, true); st != 422 || !strings.Contains(admin.last, "password") {
		t.Errorf("a short new password = %d", st)
	}
	if st := admin.post("/console/users/staff/revoke-token", url.Values{"token": {"x"}}, true); st != 422 {
		t.Errorf("a token that is no id = %d, want 422", st)
	}
	// Another account's token is not revoked from this account's page.
	tokens, _ := e.st.Tokens(t.Context(), "operator")
	if st := admin.post("/console/users/staff/revoke-token", url.Values{"token": {strconv.FormatInt(tokens[0].ID, 10)}}, true); st != 404 {
		t.Errorf("revoking another account's token = %d, want 404", st)
	}
	e.must(200, "GET", "/api/v1/me", "operator", nil)

	// Unlock lets an address that failed on the account try again.
	for i := 0; i < account.MaxFailures; i++ {
		e.loginFrom("192.0.2.9:1", "staff", "wrong password!")
	}
	if !strings.Contains(admin.get("/console/users"), ">5<") {
		t.Error("the list does not show the account's 5 failed logins")
	}
	if st := admin.post("/console/users/staff/unlock", url.Values{}, true); st != 200 {
		t.Fatalf("unlock = %d", st)
	}
	if a := e.loginFrom("192.0.2.9:1", "staff", password); !a.session {
		t.Errorf("after unlock: %d", a.status)
	}
	staff := e.login("staff", password)
	if st := admin.post("/console/users/staff/password", url.Values{"password": {"a brand new password"}}, true); st != 200 {
		t.Fatalf("reset = %d: %.300s", st, admin.last)
	}
	if st := staff.status("/console/me"); st != http.StatusSeeOther {
		t.Errorf("the session after a password reset: %d, want the login page", st)
	}
	e.login("staff", "a brand new password")
	var actions []string
	rows, err := e.st.DB().Query("SELECT action || ' ' || actor || ' ' || note FROM audit_log WHERE actor LIKE 'admin:%' ORDER BY seq")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var s string
		rows.Scan(&s)
		actions = append(actions, s)
	}
	got := strings.Join(actions, "\n")
	for _, want := range []string{"user_unlocked admin:admin staff", "password_reset admin:admin staff"} {
		if !strings.Contains(got, want) {
			t.Errorf("audit trail lacks %q:\n%s", want, got)
		}
	}
}
