// Package caller tells the HTTP packages (api, console, web) who sends a
// request: a staff member by API token or session cookie (Staff), checked
// against the session's CSRF token, or a member of the public by address
// (Client). One place, so the JSON API and the consoles accept the same
// credentials without importing each other.
package caller

import (
	"context"
	"crypto/subtle"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/haocha/haocha/internal/account"
	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/citizen"
	"github.com/haocha/haocha/internal/intake"
	"github.com/haocha/haocha/internal/route"
	"github.com/haocha/haocha/internal/store"
)

// SessionCookie holds a console session's token.
const SessionCookie = "haocha_session"

// Staff is the authenticated staff caller of a request.
type Staff struct {
	User   *account.User
	CSRF   string // of the session; empty for API tokens
	Bearer bool
}

// Actor is the caller as the services know it; the zero Actor for nobody.
func (s *Staff) Actor() account.Actor {
	if s == nil {
		return account.Actor{}
	}
	return s.User.Actor()
}

// Store is what finding a caller reads.
type Store interface {
	UserByAPIToken(ctx context.Context, tokenHash string) (*account.User, error)
	SessionUser(ctx context.Context, tokenHash string, now time.Time) (*account.User, string, error)
}

// Finder finds the staff caller of a request.
type Finder struct {
	Store Store
	// Now is the clock sessions expire by: the store's, read when asked
	// (tests set the store's clock after Open).
	Now func() time.Time
}

// Authenticate is the route.Authenticator of every route; its value is
// the *Staff.
func (f Finder) Authenticate(r *http.Request) (*account.Actor, any, error) {
	s, err := f.Find(r)
	if s == nil || err != nil {
		return nil, nil, err
	}
	a := s.Actor()
	return &a, s, nil
}

// Of is the caller of r: found once per request under a route.Mux, whose
// authenticator is Authenticate; nil when nobody is logged in.
func (f Finder) Of(r *http.Request) (*Staff, error) {
	if v, ok, err := route.Value(r); ok {
		s, _ := v.(*Staff)
		return s, err
	}
	return f.Find(r)
}

// Find reads the caller's API token or session cookie; nil when neither
// is there, an error for a token that is wrong or revoked.
func (f Finder) Find(r *http.Request) (*Staff, error) {
	if h := r.Header.Get("Authorization"); h != "" {
		tok, ok := strings.CutPrefix(h, "Bearer ")
		if !ok {
			return nil, apperr.New(apperr.Unauthorized, "", "want Authorization: Bearer <token>")
		}
		u, err := f.Store.UserByAPIToken(r.Context(), store.HashToken(strings.TrimSpace(tok)))
		if apperr.Is(err, apperr.NotFound) {
			return nil, apperr.New(apperr.Unauthorized, "", "unknown or revoked API token")
		}
		if err != nil {
			return nil, err
		}
		return &Staff{User: u, Bearer: true}, nil
	}
	ck, err := r.Cookie(SessionCookie)
	if err != nil || ck.Value == "" {
		return nil, nil
	}
	u, csrf, err := f.Store.SessionUser(r.Context(), store.HashToken(ck.Value), f.Now())
	if apperr.Is(err, apperr.NotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &Staff{User: u, CSRF: csrf}, nil
}

// CheckCSRF refuses a state-changing request made with a session cookie
// unless it carries the session's token, in the form or a header. A
// bearer token is not sent by the browser on its own, so it needs none.
func CheckCSRF(r *http.Request, s *Staff) error {
	if s == nil || s.Bearer || r.Method == http.MethodGet || r.Method == http.MethodHead {
		return nil
	}
	got := r.Header.Get("X-CSRF-Token")
	if got == "" {
		got = r.PostFormValue("csrf")
	}
	if subtle.ConstantTimeCompare([]byte(got), []byte(s.CSRF)) != 1 {
		return apperr.New(apperr.Forbidden, "csrf", "the form has expired: reload the page and try again")
	}
	return nil
}

// RemoteHost is the address the request came from, without its port.
func RemoteHost(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// Client is the public sender of a request, as intake records it.
func Client(r *http.Request) intake.Client {
	return intake.Client{Address: RemoteHost(r), UserAgent: r.UserAgent()}
}

// CitizenCookie holds a signed-in citizen's session token on the pages.
const CitizenCookie = "haocha_citizen"

// CitizenToken is the signed-in citizen's token a request carries: a
// citizen's bearer token, else the pages' cookie; "" for neither.
func CitizenToken(r *http.Request) string {
	if tok := CitizenBearer(r); tok != "" {
		return tok
	}
	if ck, err := r.Cookie(CitizenCookie); err == nil && citizen.IsToken(ck.Value) {
		return ck.Value
	}
	return ""
}

// CitizenBearer is the citizen's bearer token of the request: one that
// starts with citizen.TokenPrefix (a staff member's never does); "" for
// none.
func CitizenBearer(r *http.Request) string {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if tok = strings.TrimSpace(tok); ok && citizen.IsToken(tok) {
		return tok
	}
	return ""
}
