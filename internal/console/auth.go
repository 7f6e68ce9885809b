package console

import (
	"context"
	"crypto/subtle"
	"github.com/haocha/haocha/internal/audit"
	"github.com/haocha/haocha/internal/catalog"
	"net/http"
	"strings"

	"github.com/haocha/haocha/internal/account"
	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/store"
	"github.com/haocha/haocha/internal/workorder"
)

// Cookie names.
const (
	sessionCookie = "haocha_session"
	loginCookie   = "haocha_login" // CSRF token of the login form, before any session
)

// who is the authenticated caller of a request.
type who struct {
	User   *account.User
	CSRF   string // of the session; empty for API tokens
	Bearer bool
	// L is the language the caller reads the console in; Here is the page
	// asked for, where the language switch comes back to.
	L    Lang
	Here string
	// Unit is the handler's unit, for its name.
	Unit catalog.Unit
}

func (w *who) actor() workorder.Actor {
	if w == nil {
		return workorder.Actor{}
	}
	return w.User.Actor()
}

// authenticate finds the caller by API token or session cookie; nil when
// neither is valid.
func (c *Console) authenticate(r *http.Request) (*who, error) {
	if h := r.Header.Get("Authorization"); h != "" {
		tok, ok := strings.CutPrefix(h, "Bearer ")
		if !ok {
			return nil, apperr.New(apperr.Unauthorized, "", "want Authorization: Bearer <token>")
		}
		u, err := c.Store.UserByAPIToken(r.Context(), store.HashToken(strings.TrimSpace(tok)))
		if apperr.Is(err, apperr.NotFound) {
			return nil, apperr.New(apperr.Unauthorized, "", "unknown or revoked API token")
		}
		if err != nil {
			return nil, err
		}
		return &who{User: u, Bearer: true, L: langOf(r), Here: r.URL.RequestURI()}, nil
	}
	ck, err := r.Cookie(sessionCookie)
	if err != nil || ck.Value == "" {
		return nil, nil
	}
	u, csrf, err := c.Store.SessionUser(r.Context(), store.HashToken(ck.Value), c.Store.Now())
	if apperr.Is(err, apperr.NotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	wh := &who{User: u, CSRF: csrf, L: langOf(r), Here: r.URL.RequestURI()}
	if u.Unit != "" {
		// A unit gone from the catalogue still shows, by its code.
		if wh.Unit, err = c.Store.Unit(r.Context(), u.Unit); err != nil {
			wh.Unit = catalog.Unit{Code: u.Unit, NameZH: u.Unit}
		}
	}
	return wh, nil
}

// checkCSRF refuses a state-changing request made with a session cookie
// unless it carries the session's token, in the form or a header.
func checkCSRF(r *http.Request, w *who) error {
	if w == nil || w.Bearer || r.Method == http.MethodGet || r.Method == http.MethodHead {
		return nil
	}
	got := r.Header.Get("X-CSRF-Token")
	if got == "" {
		got = r.PostFormValue("csrf")
	}
	if subtle.ConstantTimeCompare([]byte(got), []byte(w.CSRF)) != 1 {
		return apperr.New(apperr.Forbidden, "csrf", "the form has expired: reload the page and try again")
	}
	return nil
}

func (c *Console) setCookie(w http.ResponseWriter, name, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{
		Name: name, Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: !c.InsecureCookies, SameSite: http.SameSiteLaxMode,
	})
}

// login checks a login and password and opens a session. A locked account
// and a wrong password answer alike, so that neither tells an attacker
// which accounts exist.
func (c *Console) login(ctx context.Context, w http.ResponseWriter, name, password string) (*account.User, error) {
	now := c.Store.Now()
	failed := apperr.New(apperr.Unauthorized, "password", "wrong name or password, or the account is locked for a while after repeated failures")
	u, err := c.Store.UserByLogin(ctx, name)
	if apperr.Is(err, apperr.NotFound) {
		account.PasswordMatches("", password)
		return nil, failed
	} else if err != nil {
		return nil, err
	}
	if u.Disabled || u.LockedUntil.After(now) {
		account.PasswordMatches("", password)
		return nil, failed
	}
	if !account.PasswordMatches(u.PasswordHash, password) {
		locked, err := c.Store.LoginFailed(ctx, u.ID, now)
		if err != nil {
			return nil, err
		}
		if locked {
			c.Store.Audit(ctx, audit.Entry{Actor: "system", Action: "account_locked", Note: u.Login})
		}
		return nil, failed
	}
	if err := c.Store.LoginSucceeded(ctx, u.ID); err != nil {
		return nil, err
	}
	tok := account.NewToken()
	if err := c.Store.CreateSession(ctx, u.ID, store.HashToken(tok), account.NewToken(), now); err != nil {
		return nil, err
	}
	c.setCookie(w, sessionCookie, tok, int(account.SessionTTL.Seconds()))
	c.Store.Audit(ctx, audit.Entry{Actor: u.Actor().String(), Action: "login"})
	return u, nil
}
