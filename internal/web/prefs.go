package web

import (
	"net/http"
)

// prefs sets the language or text size and goes back to the page the
// switch was on. The choice is remembered for a year.
func (w *Web) prefs(rw http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	// ?lang= is remembered by handle, as on every page.
	switch q.Get("size") {
	case "large", "normal":
		rememberPref(rw, "size", q.Get("size"))
	}
	http.Redirect(rw, r, safeBack(q.Get("back")), http.StatusSeeOther)
	return nil
}

// rememberPref keeps a display choice in a cookie for a year.
func rememberPref(rw http.ResponseWriter, name, value string) {
	http.SetCookie(rw, &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: 365 * 24 * 3600,
		HttpOnly: true, SameSite: http.SameSiteLaxMode})
}
