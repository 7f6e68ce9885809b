package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/haocha/haocha/internal/i18n"
)

// Languages: Chinese by default, English on request, remembered in a cookie.
const (
	langZH = "zh"
	langEN = "en"
)

// locale translates the fixed texts of the pages.
type locale string

// T is the text of key from the catalogue (internal/i18n).
func (l locale) T(key string) string { return i18n.Lang(l).T(key) }

// HTMLLang is the value of the html lang attribute.
func (l locale) HTMLLang() string {
	if l == langEN {
		return "en"
	}
	return "zh-CN"
}

// langOf is the page's language: ?lang= on the link first, so that a link
// shared in English opens in English, then the cookie.
func langOf(r *http.Request) locale {
	if l, ok := linkLang(r); ok {
		return l
	}
	if c, err := r.Cookie("lang"); err == nil && c.Value == langEN {
		return langEN
	}
	return langZH
}

// linkLang is the language a link asks for with ?lang=zh or ?lang=en.
func linkLang(r *http.Request) (locale, bool) {
	switch v := r.URL.Query().Get("lang"); v {
	case langZH, langEN:
		return locale(v), true
	}
	return "", false
}

// withoutLang is uri without its lang parameter: the language switch
// must not come back to a link that asks for the other language.
func withoutLang(uri string) string {
	u, err := url.ParseRequestURI(uri)
	if err != nil || !u.Query().Has("lang") {
		return uri
	}
	q := u.Query()
	q.Del("lang")
	u.RawQuery = q.Encode()
	return u.RequestURI()
}

// starWords names each star count, 1 to 5.
var starWords = [6]string{"", "stars.1", "stars.2", "stars.3", "stars.4", "stars.5"}

// safeBack returns back when it is a path on this site, else "/": the
// preference links must not redirect elsewhere. Browsers drop tabs and
// newlines from a URL and read a backslash as a slash, so "/\t/evil" and
// "/\\evil" would leave the site: any control character or backslash is
// refused, and what is left must parse as a path with no scheme or host.
func safeBack(back string) string {
	if !strings.HasPrefix(back, "/") || strings.HasPrefix(back, "//") ||
		strings.ContainsFunc(back, func(r rune) bool { return r < 0x20 || r == 0x7f || r == '\\' }) {
		return "/"
	}
	u, err := url.Parse(back)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || !strings.HasPrefix(u.Path, "/") {
		return "/"
	}
	return back
}
