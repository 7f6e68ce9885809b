package web

import (
	"net/http"
	"net/url"

	"github.com/haocha/haocha/internal/citizen"
)

// minePage is the signed-in citizen's own page: their reviews, and the
// follow-up of the work orders they opened. Nobody else's.
type minePage struct {
	page
	CSRF    string
	Reviews []citizen.Review
}

// mine lists the signed-in citizen's reviews; without a session it asks
// them to sign in first.
func (w *Web) mine(rw http.ResponseWriter, r *http.Request) error {
	id := w.citizenOf(r)
	if id == "" {
		http.Redirect(rw, r, "/signin?next=/me", http.StatusSeeOther)
		return nil
	}
	rw.Header().Set("X-Robots-Tag", "noindex")
	p := &minePage{page: w.newPage(r, "me.title"), CSRF: w.formToken(rw, r)}
	var err error
	if p.Reviews, err = w.citizens.Reviews(r.Context(), id); err != nil {
		return err
	}
	return w.render(rw, r, http.StatusOK, "me", p)
}

// myOrder opens the follow-up page of one of the citizen's work orders
// with a fresh private link: the page lists numbers, never links, so
// that a private token is not kept anywhere it was not given.
func (w *Web) myOrder(rw http.ResponseWriter, r *http.Request) error {
	id := w.citizenOf(r)
	if id == "" {
		http.Redirect(rw, r, "/signin?next=/me", http.StatusSeeOther)
		return nil
	}
	tok, err := w.citizens.FollowLink(r.Context(), id, r.PathValue("number"))
	if err != nil {
		return err
	}
	http.Redirect(rw, r, "/follow/"+url.PathEscape(tok), http.StatusSeeOther)
	return nil
}
