package web

import (
	"net/http"

	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/caller"
	"github.com/haocha/haocha/internal/httpjson"
)

// findForm is the "find my work order" page: first the number and phone,
// then the code sent by SMS.
type findForm struct {
	page
	CSRF    string
	Number  string
	Phone   string
	Sent    bool // the request was taken: ask for the code
	Err     *fieldError
	Expired bool
}

// ErrFor returns the error message for the control with id, if any.
func (f *findForm) ErrFor(id string) string {
	if f.Err != nil && f.Err.Field == id {
		return f.Err.Message
	}
	return ""
}

// find shows the look-up form (GET) or takes the number and phone (POST)
// and asks for the code. The page after a request reads the same whether
// or not the pair matched an order.
func (w *Web) find(rw http.ResponseWriter, r *http.Request) error {
	if err := parseForm(rw, r); err != nil {
		return err
	}
	f := &findForm{page: w.newPage(r, "find.title")}
	f.Self = "/find"
	rw.Header().Set("X-Robots-Tag", "noindex")
	f.CSRF = w.formToken(rw, r)
	if r.Method != http.MethodPost {
		return w.render(rw, r, http.StatusOK, "find", f)
	}
	f.Number, f.Phone = r.PostFormValue("number"), r.PostFormValue("phone")
	if !w.formTokenOK(r) {
		f.Expired = true
		return w.render(rw, r, http.StatusForbidden, "find", f)
	}
	err := w.lookup.Request(r.Context(), f.Number, f.Phone, caller.Client(r).Address)
	if err != nil {
		return w.findRefused(rw, r, f, err)
	}
	f.Sent, f.Phone = true, ""
	return w.render(rw, r, http.StatusOK, "find", f)
}

// findCode checks the code and opens the follow page with a fresh private
// link.
func (w *Web) findCode(rw http.ResponseWriter, r *http.Request) error {
	if err := parseForm(rw, r); err != nil {
		return err
	}
	f := &findForm{page: w.newPage(r, "find.title"), Sent: true}
	f.Self = "/find"
	rw.Header().Set("X-Robots-Tag", "noindex")
	f.CSRF = w.formToken(rw, r)
	f.Number = r.PostFormValue("number")
	if !w.formTokenOK(r) {
		f.Expired = true
		return w.render(rw, r, http.StatusForbidden, "find", f)
	}
	token, err := w.lookup.Confirm(r.Context(), f.Number, r.PostFormValue("code"), caller.Client(r).Address)
	if err != nil {
		return w.findRefused(rw, r, f, err)
	}
	http.Redirect(rw, r, "/follow/"+token, http.StatusSeeOther)
	return nil
}

// findRefused shows a refusal next to its field; other errors go to the
// error page.
func (w *Web) findRefused(rw http.ResponseWriter, r *http.Request, f *findForm, err error) error {
	e := apperr.As(err)
	if e == nil || (e.Code != apperr.Invalid && e.Code != apperr.TooMany) {
		return err
	}
	field := e.Field
	if field == "client" {
		field = "find-submit"
	}
	key := "find.err." + e.Field
	if e.Code == apperr.TooMany {
		key = "find.err.often"
	}
	f.Err = &fieldError{Field: field, Message: f.L.T(key)}
	return w.render(rw, r, httpjson.Status(e.Code), "find", f)
}
