package console

import (
	"fmt"
	"net/http"

	"github.com/haocha/haocha/internal/i18n"
)

// Lang is the language a console page speaks: Chinese by default, English
// when the visitor chose it with the switch (the public pages' "lang"
// cookie). Staff read one language at a time, never both side by side.
type Lang string

// The console's languages.
const (
	LangZH Lang = "zh"
	LangEN Lang = "en"
)

// langOf is the language of a request: ?lang= on the link first, so that
// a link shared in English opens in English, then the cookie.
func langOf(r *http.Request) Lang {
	switch l := Lang(r.URL.Query().Get("lang")); l {
	case LangZH, LangEN:
		return l
	}
	if c, err := r.Cookie("lang"); err == nil && c.Value == string(LangEN) {
		return LangEN
	}
	return LangZH
}

// rememberLang keeps a language asked for with ?lang= in the "lang" cookie
// the public pages also read, so that the pages the console links to and
// redirects to (the home page sends each role on) stay in it.
func rememberLang(w http.ResponseWriter, r *http.Request) {
	switch l := Lang(r.URL.Query().Get("lang")); l {
	case LangZH, LangEN:
		http.SetCookie(w, &http.Cookie{Name: "lang", Value: string(l), Path: "/", MaxAge: 365 * 24 * 3600,
			HttpOnly: true, SameSite: http.SameSiteLaxMode})
	}
}

// T is the text of key from the catalogue (internal/i18n).
func (l Lang) T(key string) string { return i18n.Lang(l).T(key) }

// Days is a number of working days in words: "same day" for 0, and one
// working day without the plural's s.
func (l Lang) Days(n int) string {
	switch {
	case n == 0:
		return l.T("same.day")
	case n == 1 && l == LangEN:
		return "1 working day"
	}
	return l.Tf("days", n)
}

// Tf is the text of key with args filled in.
func (l Lang) Tf(key string, args ...any) string { return fmt.Sprintf(l.T(key), args...) }

// HTMLLang is the value of the html lang attribute.
func (l Lang) HTMLLang() string {
	if l == LangEN {
		return "en"
	}
	return "zh-CN"
}

// Other is the language the switch offers.
func (l Lang) Other() Lang {
	if l == LangEN {
		return LangZH
	}
	return LangEN
}

// Code is the language as the catalogue's Name methods take it.
func (l Lang) Code() string {
	if l == LangEN {
		return "en"
	}
	return "zh"
}

// tr is the text of key in lang ("en" or Chinese), for templates whose
// data carries the language as a plain string.
func tr(lang, key string) string { return Lang(lang).T(key) }
