package console

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/haocha/haocha/internal/account"
	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/audit"
	"github.com/haocha/haocha/internal/caller"
	"github.com/haocha/haocha/internal/catalog"
	"github.com/haocha/haocha/internal/store"
)

// Cookie names.
const (
	sessionCookie = caller.SessionCookie
	loginCookie   = "haocha_login" // CSRF token of the login form, before any session
)

// who is the authenticated caller of a page: the staff member with what
// the pages show of them.
type who struct {
	*caller.Staff
	// L is the language the caller reads the console in; Here is the page
	// asked for, where the language switch comes back to.
	L    Lang
	Here string
	// Unit is the handler's unit, for its name.
	Unit catalog.Unit
}

func (w *who) actor() account.Actor {
	if w == nil {
		return account.Actor{}
	}
	return w.Staff.Actor()
}

// authenticate finds the caller by API token or session cookie; nil when
// neither is valid. Under a route.Mux the caller is found once per request.
func (c *Console) authenticate(r *http.Request) (*who, error) {
	s, err := c.callers().Of(r)
	if s == nil || err != nil {
		return nil, err
	}
	wh := &who{Staff: s, L: langOf(r), Here: r.URL.RequestURI()}
	if u := s.User; u.Unit != "" && !s.Bearer {
		// A unit gone from the catalogue still shows, by its code.
		if wh.Unit, err = c.Store.Unit(r.Context(), u.Unit); err != nil {
			wh.Unit = catalog.Unit{Code: u.Unit, NameZH: u.Unit}
		}
	}
	return wh, nil
}

func (c *Console) callers() caller.Finder {
	return caller.Finder{Store: c.Store, Now: func() time.Time { return c.Store.Now() }}
}

// checkCSRF refuses a state-changing request made with a session cookie
// unless it carries the session's token.
func checkCSRF(r *http.Request, w *who) error {
	if w == nil {
		return nil
	}
	return caller.CheckCSRF(r, w.Staff)
}

func (c *Console) setCookie(w http.ResponseWriter, name, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{
		Name: name, Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: !c.InsecureCookies, SameSite: http.SameSiteLaxMode,
	})
}

// loginRefused is the one answer to a wrong name, a wrong password and a
// disabled account, so that it tells nobody which accounts exist.
var loginRefused = apperr.New(apperr.Unauthorized, "password", "wrong name or password, or the account is disabled")

// throttled asks a client to wait before trying to log in again.
type throttled struct {
	err  *apperr.Error
	wait time.Duration
}

func (t throttled) Error() string { return t.err.Error() }

// Unwrap gives the page its message and the edges its code.
func (t throttled) Unwrap() error { return t.err }

// login checks a login and password and opens a session. The throttle
// comes first, before any hashing, so that a flood costs a read; then
// exactly one password hash is compared whatever the case (unknown login,
// disabled account, wrong or right password), so the answer takes the same
// time and, but for a right password, is the same.
func (c *Console) login(r *http.Request, w http.ResponseWriter, name, password string) (*account.User, error) {
	ctx, now := r.Context(), c.Store.Now()
	name = strings.TrimSpace(name)
	addr := account.AddressKey(caller.RemoteHost(r))
	wait, ok, err := c.Store.AdmitLogin(ctx, c.Throttle, addr, name, now)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, throttled{apperr.New(apperr.TooMany, "name", "too many failed logins: wait %s and try again",
			wait.Round(time.Minute).String()), wait}
	}
	u, err := c.Store.UserByLogin(ctx, name)
	hash := ""
	if err == nil {
		hash = u.PasswordHash
	} else if !apperr.Is(err, apperr.NotFound) {
		return nil, err
	}
	if !account.PasswordMatches(hash, password) || u.Disabled {
		return nil, loginRefused
	}
	if err := c.Store.RefundLogin(ctx, c.Throttle, addr, name); err != nil {
		return nil, err
	}
	tok := account.NewToken()
	if err := c.Store.CreateSession(ctx, u.ID, store.HashToken(tok), account.NewToken(), now); err != nil {
		return nil, err
	}
	c.setCookie(w, sessionCookie, tok, int(account.SessionTTL.Seconds()))
	c.Store.Audit(ctx, audit.Entry{Actor: u.Actor().String(), Action: "login"})
	c.recordNetwork(ctx, u, caller.RemoteHost(r), now)
	return u, nil
}

// recordNetwork notes the network a staff member of a unit signed in
// from: reviews of that unit from it are held. A failure is logged, not
// fatal: the sign-in itself succeeded.
func (c *Console) recordNetwork(ctx context.Context, u *account.User, host string, now time.Time) {
	if c.NetMark == nil || (u.Unit == "" && u.Staff == "") {
		return
	}
	mark := c.NetMark(host)
	if mark == "" {
		return
	}
	if err := c.Store.RecordStaffNetwork(ctx, mark, u.ID, u.Staff, u.Unit, now); err != nil {
		c.Log.Warn("record staff network", "user", u.ID, "err", err)
	}
}
