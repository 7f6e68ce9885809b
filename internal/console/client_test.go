package console_test

import (
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
)

// staffClient is a logged-in console user with a session cookie.
type staffClient struct {
	e       *env
	session *http.Cookie
	last    string
	lang    string // the "lang" cookie sent, if any
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func noRedirect() *http.Client {
	return &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// tryLogin fills the login form; it returns the session cookie and status.
func (e *env) tryLogin(name, pw string) (*http.Cookie, int) {
	e.t.Helper()
	resp, err := http.Get(e.srv.URL + "/console/login")
	if err != nil {
		e.t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	var loginCk *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == "haocha_login" {
			loginCk = c
		}
	}
	m := csrfField.FindStringSubmatch(string(body))
	if loginCk == nil || m == nil {
		e.t.Fatal("the login page sets no CSRF token")
	}
	req, _ := http.NewRequest("POST", e.srv.URL+"/console/login", strings.NewReader(url.Values{
		"name": {name}, "password": {pw}, "csrf": {m[1]}, "next": {"/console/"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(loginCk)
	resp, err = noRedirect().Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	resp.Body.Close()
	for _, c := range resp.Cookies() {
		if c.Name == "haocha_session" && c.Value != "" {
			if !c.HttpOnly {
				e.t.Error("the session cookie is readable by scripts")
			}
			return c, resp.StatusCode
		}
	}
	return nil, resp.StatusCode
}

func (e *env) login(name, pw string) *staffClient {
	e.t.Helper()
	ck, st := e.tryLogin(name, pw)
	if ck == nil {
		e.t.Fatalf("login %s = %d", name, st)
	}
	return &staffClient{e: e, session: ck}
}

func (c *staffClient) do(req *http.Request) *http.Response {
	c.e.t.Helper()
	req.AddCookie(c.session)
	if c.lang != "" {
		req.AddCookie(&http.Cookie{Name: "lang", Value: c.lang})
	}
	resp, err := noRedirect().Do(req)
	if err != nil {
		c.e.t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	c.last = string(b)
	return resp
}

func (c *staffClient) status(path string) int {
	req, _ := http.NewRequest("GET", c.e.srv.URL+path, nil)
	return c.do(req).StatusCode
}

func (c *staffClient) get(path string) string {
	c.e.t.Helper()
	if st := c.status(path); st != 200 {
		c.e.t.Fatalf("GET %s = %d: %.300s", path, st, c.last)
	}
	return c.last
}

// post sends a form, with the session's CSRF token when withCSRF; a
// redirect after success is followed once.
func (c *staffClient) post(path string, form url.Values, withCSRF bool) int {
	c.e.t.Helper()
	if withCSRF {
		c.status("/console/orders?limit=1") // every console page, even a refusal, carries the token
		m := csrfField.FindStringSubmatch(c.last)
		if m == nil {
			c.e.t.Fatal("no CSRF token on the console page")
		}
		form.Set("csrf", m[1])
	}
	req, _ := http.NewRequest("POST", c.e.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp := c.do(req)
	if resp.StatusCode == http.StatusSeeOther {
		if loc := resp.Header.Get("Location"); strings.HasPrefix(loc, "/console/orders/") {
			return c.status(loc)
		}
	}
	return resp.StatusCode
}
