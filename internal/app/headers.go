package app

import (
	"crypto/subtle"
	"log/slog"
	"net/http"

	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/httpjson"
)

// secure sets the headers every response carries, whatever handler answers:
// JSON, images and errors included, so that no answer can be sniffed into
// HTML or framed by another site. Pages set a stricter policy of their own.
func secure(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		// The keys are canonical already and the values shared: Set would
		// allocate a slice for each, on every request. Nothing writes into
		// a header's value slice (Set replaces it, Add appends past its
		// capacity of one).
		h["X-Content-Type-Options"] = nosniff
		h["X-Frame-Options"] = frameDeny
		h["Referrer-Policy"] = sameOrigin
		if len(h["Content-Security-Policy"]) == 0 {
			h["Content-Security-Policy"] = noFrames
		}
		next.ServeHTTP(w, r)
	})
}

// The values of the headers secure sets, each of capacity one.
var (
	nosniff    = []string{"nosniff"}
	frameDeny  = []string{"DENY"}
	sameOrigin = []string{"same-origin"}
	noFrames   = []string{"frame-ancestors 'none'"}
)

// bearer lets through requests that carry token, and answers any other
// with 404, so that the route gives away nothing to whoever guesses it.
func bearer(token string, next http.Handler) http.Handler {
	want := []byte("Bearer " + token)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if subtle.ConstantTimeCompare([]byte(r.Header.Get("Authorization")), want) != 1 {
			http.NotFound(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// crossOrigin refuses a state-changing request that a browser sends from
// another site (Sec-Fetch-Site, or an Origin unlike the Host): a page
// elsewhere must not post reviews, follow-ups or console actions through
// its visitors' browsers. Integrations, which send neither header, pass.
func crossOrigin(next http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		httpjson.WriteError(w, r, slog.Default(), apperr.New(apperr.Forbidden, "Origin", "cross-site request refused"))
	}))
	return cop.Handler(next)
}
