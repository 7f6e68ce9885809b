package web

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"time"
)

// Forms are anonymous, so they are protected by a signed double submit: a
// random value in a cookie, and in the form its HMAC under a server key.
// Another site can make the browser send the cookie but can neither read it
// nor compute the HMAC, so it cannot forge the form field.
const formCookie = "haocha_form"

func (w *Web) mac(parts ...string) string {
	m := hmac.New(sha256.New, w.formKey)
	for _, p := range parts {
		m.Write([]byte(p))
		m.Write([]byte{0})
	}
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// formToken returns the token to put in a form, setting the cookie it is
// bound to when the browser has none.
func (w *Web) formToken(rw http.ResponseWriter, r *http.Request) string {
	c, err := r.Cookie(formCookie)
	v := ""
	if err == nil && len(c.Value) >= 22 {
		v = c.Value
	} else {
		b := make([]byte, 16)
		rand.Read(b)
		v = base64.RawURLEncoding.EncodeToString(b)
		http.SetCookie(rw, &http.Cookie{Name: formCookie, Value: v, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode})
	}
	return w.mac("form", v)
}

// formTokenOK checks the token a form came back with.
func (w *Web) formTokenOK(r *http.Request) bool {
	c, err := r.Cookie(formCookie)
	if err != nil || c.Value == "" {
		return false
	}
	return hmac.Equal([]byte(r.PostFormValue("csrf")), []byte(w.mac("form", c.Value)))
}

// receipt is what the confirmation page shows after the redirect that
// follows a submitted form. It travels in a signed, short-lived cookie,
// never in the address: the follow-up token in it is the citizen's alone.
type receipt struct {
	Stars     int    `json:"s"`
	Item      string `json:"i,omitempty"` // what was rated, for the summary
	Stage     string `json:"g,omitempty"`
	Scores    []int  `json:"d,omitempty"` // by position in the dimension set
	WorkOrder string `json:"n,omitempty"`
	Token     string `json:"t,omitempty"`
	SentTo    string `json:"p,omitempty"` // the masked phone the link was texted to
	Expires   int64  `json:"e"`
}

const receiptCookie = "haocha_receipt"

func (w *Web) setReceipt(rw http.ResponseWriter, rc receipt) {
	rc.Expires = time.Now().Add(30 * time.Minute).Unix()
	b, _ := json.Marshal(rc)
	v := base64.RawURLEncoding.EncodeToString(b)
	http.SetCookie(rw, &http.Cookie{Name: receiptCookie, Value: v + "." + w.mac("receipt", v), Path: "/thanks",
		MaxAge: 1800, HttpOnly: true, SameSite: http.SameSiteLaxMode})
}

func (w *Web) readReceipt(r *http.Request) (receipt, bool) {
	var rc receipt
	c, err := r.Cookie(receiptCookie)
	if err != nil {
		return rc, false
	}
	v, sig, ok := strings.Cut(c.Value, ".")
	if !ok || !hmac.Equal([]byte(sig), []byte(w.mac("receipt", v))) {
		return rc, false
	}
	b, err := base64.RawURLEncoding.DecodeString(v)
	if err != nil || json.Unmarshal(b, &rc) != nil || time.Now().Unix() > rc.Expires {
		return receipt{}, false
	}
	return rc, true
}
