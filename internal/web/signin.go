package web

import (
	"crypto/hmac"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/caller"
	"github.com/haocha/haocha/internal/citizen"
	"github.com/haocha/haocha/internal/httpjson"
	"github.com/haocha/haocha/internal/route"
)

// registerSignIn adds the citizen's sign-in, sign-out and own page.
func (w *Web) registerSignIn(mux *route.Mux) {
	mux.Handle("GET /signin", route.Public, w.handle(w.signIn))
	mux.Handle("POST /signin", route.Public, w.handle(w.signIn))
	mux.Handle("POST /signin/code", route.Public, w.handle(w.signInCode))
	mux.Handle("GET /signin/oidc", route.Public, w.handle(w.signInOIDC))
	mux.Handle("GET /signin/oidc/callback", route.Public, w.handle(w.oidcCallback))
	mux.Handle("POST /signout", route.Public, w.handle(w.signOut))
	mux.Handle("GET /me", route.Public, w.handle(w.mine))
	mux.Handle("GET /me/orders/{number}", route.Public, w.handle(w.myOrder))
}

// signInForm is the sign-in page: the phone, then the code texted to it,
// or the city's identity provider.
type signInForm struct {
	page
	CSRF     string
	Next     string // the local page to go back to once signed in
	Phone    string
	Sent     bool   // a code was asked for: ask for it
	DemoCode string // the code itself, in the demo without an SMS gateway
	OIDC     bool   // the city's identity provider is configured
	SignedIn bool
	Err      *fieldError
	Expired  bool
}

// ErrFor returns the error message for the control with id, if any.
func (f *signInForm) ErrFor(id string) string {
	if f.Err != nil && f.Err.Field == id {
		return f.Err.Message
	}
	return ""
}

func (w *Web) newSignInForm(rw http.ResponseWriter, r *http.Request) *signInForm {
	f := &signInForm{page: w.newPage(r, "signin.title"), Next: localNext(r.FormValue("next")), OIDC: w.citizens.OIDC != nil}
	f.Self = "/signin?next=" + url.QueryEscape(f.Next)
	f.CSRF = w.formToken(rw, r)
	rw.Header().Set("X-Robots-Tag", "noindex")
	return f
}

// signIn shows the sign-in page (GET) or texts a code to the phone posted.
func (w *Web) signIn(rw http.ResponseWriter, r *http.Request) error {
	if err := parseForm(rw, r); err != nil {
		return err
	}
	f := w.newSignInForm(rw, r)
	if r.Method != http.MethodPost {
		f.SignedIn = w.citizenOf(r) != ""
		return w.render(rw, r, http.StatusOK, "signin", f)
	}
	f.Phone = r.PostFormValue("phone")
	if !w.formTokenOK(r) {
		f.Expired = true
		return w.render(rw, r, http.StatusForbidden, "signin", f)
	}
	code, err := w.citizens.RequestCode(r.Context(), f.Phone, caller.RemoteHost(r))
	if err != nil {
		return w.signInRefused(rw, r, f, err)
	}
	f.Sent, f.DemoCode = true, code
	return w.render(rw, r, http.StatusOK, "signin", f)
}

// signInCode checks the code and signs the citizen in.
func (w *Web) signInCode(rw http.ResponseWriter, r *http.Request) error {
	if err := parseForm(rw, r); err != nil {
		return err
	}
	f := w.newSignInForm(rw, r)
	f.Phone, f.Sent = r.PostFormValue("phone"), true
	if !w.formTokenOK(r) {
		f.Expired = true
		return w.render(rw, r, http.StatusForbidden, "signin", f)
	}
	s, err := w.citizens.SignInWithCode(r.Context(), f.Phone, r.PostFormValue("code"), caller.RemoteHost(r))
	if err != nil {
		return w.signInRefused(rw, r, f, err)
	}
	w.startSession(rw, r, s, f.Next)
	return nil
}

// signInRefused shows a refusal next to its field; other errors go to
// the error page.
func (w *Web) signInRefused(rw http.ResponseWriter, r *http.Request, f *signInForm, err error) error {
	e := apperr.As(err)
	if e == nil || (e.Code != apperr.Invalid && e.Code != apperr.TooMany) {
		return err
	}
	field, key := e.Field, "signin.err.oidc"
	switch {
	case e.Code == apperr.TooMany && e.Field == "phone":
		key = "signin.err.texts"
	case e.Code == apperr.TooMany:
		field, key = "signin-submit", "signin.err.often"
	case e.Field == "phone":
		key = "signin.err.phone"
	case e.Field == "code":
		key = "signin.err.code"
	default: // state, nonce, id_token: the identity provider's sign-in
		field = "signin-oidc"
	}
	f.Err = &fieldError{Field: field, Message: f.L.T(key)}
	return w.render(rw, r, httpjson.Status(e.Code), "signin", f)
}

// startSession sets the session cookie and goes on to next.
func (w *Web) startSession(rw http.ResponseWriter, r *http.Request, s citizen.Session, next string) {
	w.setCookie(rw, r, caller.CitizenCookie, s.Token, "/", int(citizen.SessionTTL/time.Second))
	http.Redirect(rw, r, next, http.StatusSeeOther)
}

// setCookie sets a sign-in cookie: HttpOnly, SameSite=Lax (the identity
// provider sends the browser back by a top-level GET), and Secure when
// the site is served over TLS, here or at the proxy --base-url names.
func (w *Web) setCookie(rw http.ResponseWriter, r *http.Request, name, value, path string, maxAge int) {
	http.SetCookie(rw, &http.Cookie{Name: name, Value: value, Path: path, MaxAge: maxAge, HttpOnly: true,
		Secure: strings.HasPrefix(w.base(r), "https://"), SameSite: http.SameSiteLaxMode})
}

// signOut ends the session and forgets the cookie.
func (w *Web) signOut(rw http.ResponseWriter, r *http.Request) error {
	if err := parseForm(rw, r); err != nil {
		return err
	}
	if !w.formTokenOK(r) {
		return apperr.New(apperr.Forbidden, "csrf", "the form has expired: reload the page and try again")
	}
	if ck, err := r.Cookie(caller.CitizenCookie); err == nil && ck.Value != "" {
		if err := w.citizens.SignOut(r.Context(), ck.Value); err != nil {
			return err
		}
	}
	w.setCookie(rw, r, caller.CitizenCookie, "", "/", -1)
	http.Redirect(rw, r, "/", http.StatusSeeOther)
	return nil
}

// citizenOf is the identity hash of the signed-in citizen of r, or ""
// when nobody is signed in (or their session has ended).
func (w *Web) citizenOf(r *http.Request) string {
	tok := caller.CitizenToken(r)
	if w.citizens == nil || tok == "" {
		return ""
	}
	id, err := w.citizens.Who(r.Context(), tok)
	if err != nil {
		if !apperr.Is(err, apperr.Forbidden) {
			w.log.WarnContext(r.Context(), "citizen session not read", "err", err)
		}
		return ""
	}
	return id
}

// The OIDC sign-in's pending state travels in a signed cookie scoped to
// the callback, like the receipt.
const oidcCookie = "haocha_oidc"

type oidcPending struct {
	citizen.Pending
	Next    string `json:"x"`
	Expires int64  `json:"e"`
}

// signInOIDC sends the browser to the city's identity provider.
func (w *Web) signInOIDC(rw http.ResponseWriter, r *http.Request) error {
	if w.citizens.OIDC == nil {
		return apperr.NotFoundf("", "no identity provider is configured")
	}
	to, p, err := w.citizens.OIDC.Begin(r.Context())
	if err != nil {
		return err
	}
	b, _ := json.Marshal(oidcPending{Pending: p, Next: localNext(r.FormValue("next")), Expires: time.Now().Add(10 * time.Minute).Unix()})
	v := base64.RawURLEncoding.EncodeToString(b)
	w.setCookie(rw, r, oidcCookie, v+"."+w.mac("oidc", v), "/signin/oidc", 600)
	http.Redirect(rw, r, to, http.StatusFound)
	return nil
}

// oidcCallback is where the identity provider sends the browser back.
func (w *Web) oidcCallback(rw http.ResponseWriter, r *http.Request) error {
	if w.citizens.OIDC == nil {
		return apperr.NotFoundf("", "no identity provider is configured")
	}
	p := w.readPending(r)
	w.setCookie(rw, r, oidcCookie, "", "/signin/oidc", -1)
	q := r.URL.Query()
	var err error
	var s citizen.Session
	if q.Get("error") != "" {
		// The citizen cancelled, or the provider refused them.
		err = apperr.Invalidf("state", "the identity provider did not sign you in: %.100s", q.Get("error"))
	} else {
		s, err = w.citizens.SignInOIDC(r.Context(), p.Pending, q.Get("state"), q.Get("code"))
	}
	if err != nil {
		f := w.newSignInForm(rw, r)
		f.Next = p.Next
		if apperr.Is(err, apperr.Invalid) {
			err = apperr.Invalidf("state", "%s", err)
		}
		return w.signInRefused(rw, r, f, err)
	}
	w.startSession(rw, r, s, localNext(p.Next))
	return nil
}

func (w *Web) readPending(r *http.Request) oidcPending {
	var p oidcPending
	c, err := r.Cookie(oidcCookie)
	if err != nil {
		return p
	}
	v, sig, ok := strings.Cut(c.Value, ".")
	if !ok || !hmac.Equal([]byte(sig), []byte(w.mac("oidc", v))) {
		return p
	}
	b, err := base64.RawURLEncoding.DecodeString(v)
	if err != nil || json.Unmarshal(b, &p) != nil || time.Now().Unix() > p.Expires {
		return oidcPending{}
	}
	return p
}

// localNext is next when it is a page of this site, else the citizen's own
// page: a sign-in link must not send anyone elsewhere.
func localNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\r\n") {
		return "/me"
	}
	return next
}
