package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/haocha/haocha/internal/app"
	"github.com/haocha/haocha/internal/caller"
	"github.com/haocha/haocha/internal/citizen/citizentest"
	"github.com/haocha/haocha/internal/sms"
)

// signIn signs c in by a code texted to phone and returns the session
// cookie.
func signIn(t *testing.T, c *client, phone, next string) *http.Cookie {
	t.Helper()
	csrf := c.openForm("/signin?next=" + url.QueryEscape(next))
	resp, body := c.post("/signin", url.Values{"csrf": {csrf}, "phone": {phone}, "next": {next}})
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `id="signin-sent"`) {
		t.Fatalf("ask for a code: %d\n%s", resp.StatusCode, body)
	}
	if strings.Contains(body, `id="demo-code"`) {
		t.Error("the code is shown on the page though an SMS gateway is configured")
	}
	m, ok := texts.Last(phone, sms.SignInCode)
	if !ok {
		t.Fatal("no code texted")
	}
	code := codeRE.FindStringSubmatch(m.Text)[1]
	resp, body = c.post("/signin/code", url.Values{"csrf": {csrf}, "phone": {phone}, "code": {code}, "next": {next}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != next {
		t.Fatalf("sign in: %d to %q, want 303 to %s\n%s", resp.StatusCode, resp.Header.Get("Location"), next, body)
	}
	for _, ck := range resp.Cookies() {
		if ck.Name == caller.CitizenCookie {
			return ck
		}
	}
	t.Fatal("no session cookie")
	return nil
}

func TestSignInByCodeThenMyReviews(t *testing.T) {
	forgetAttempts(t)
	c := newClient(t)
	rate := "/items/" + item + "/rate"
	ck := signIn(t, c, "13700001234", rate)
	if !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Secure {
		t.Errorf("session cookie %+v: want HttpOnly, SameSite=Lax, not Secure over plain HTTP", ck)
	}

	mustContain(t, c.page(rate), `id="signin-line"`, `href="/me"`)
	resp, _ := rateBad(t, c, url.Values{"tags": {"multiple_trips"}, "comment": {"跑了两次"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("rate: %d", resp.StatusCode)
	}
	number := numberRE.FindString(c.page("/thanks"))
	mine := c.page("/me")
	mustContain(t, mine, number, `href="/me/orders/`+number+`"`, "我的评价")

	// The order's follow-up opens from the list with a fresh private link.
	resp, _ = c.get("/me/orders/" + number)
	link := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !linkRE.MatchString(link) {
		t.Fatalf("open my order: %d to %q", resp.StatusCode, link)
	}
	mustContain(t, newClient(t).page(link), number)

	// Another citizen sees none of it, and cannot open the order.
	other := newClient(t)
	signIn(t, other, "13700005678", "/me")
	body := other.page("/me")
	if strings.Contains(body, number) || !strings.Contains(body, `id="my-reviews-none"`) {
		t.Error("another citizen's page lists the first citizen's order")
	}
	if resp, _ := other.get("/me/orders/" + number); resp.StatusCode != http.StatusNotFound {
		t.Errorf("another citizen opens the order: %d, want 404", resp.StatusCode)
	}
	if resp, _ := newClient(t).get("/me"); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/signin?next=/me" {
		t.Errorf("/me without a session: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}

	// Signing out ends the session on the server, not only in the browser.
	resp, _ = c.post("/signout", url.Values{"csrf": {c.openForm("/me")}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign out: %d", resp.StatusCode)
	}
	if resp, _ := c.get("/me"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("/me after signing out: %d, want the redirect to sign in", resp.StatusCode)
	}
	replay := newClient(t)
	u, _ := url.Parse(srv.URL)
	replay.hc.Jar.SetCookies(u, []*http.Cookie{{Name: caller.CitizenCookie, Value: ck.Value}})
	if resp, _ := replay.get("/me"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("the signed-out token still opens /me: %d", resp.StatusCode)
	}
}

func TestSignInRefusesWrongCode(t *testing.T) {
	forgetAttempts(t)
	c := newClient(t)
	csrf := c.openForm("/signin")
	c.post("/signin", url.Values{"csrf": {csrf}, "phone": {"13700009999"}})
	resp, body := c.post("/signin/code", url.Values{"csrf": {csrf}, "phone": {"13700009999"}, "code": {"12345x"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="code-error"`) {
		t.Errorf("malformed code: %d", resp.StatusCode)
	}
	if strings.Contains(resp.Header.Get("Set-Cookie"), caller.CitizenCookie) {
		t.Error("a session cookie for a wrong code")
	}
}

// demoServer is a server of its own with no SMS gateway (the demo's log)
// and the city's identity provider running in process.
func demoServer(t *testing.T) (string, *citizentest.Provider) {
	t.Helper()
	hs := httptest.NewUnstartedServer(nil)
	base := "http://" + hs.Listener.Addr().String()
	idp := citizentest.Start(t, base+"/signin/oidc/callback")
	m, err := app.Open(context.Background(), app.Config{DB: t.TempDir() + "/haocha.db", NoDemo: true, BaseURL: base,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)), OIDCIssuer: idp.Issuer, OIDCClientID: idp.ClientID, OIDCClientSecret: idp.ClientSecret})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	hs.Config.Handler = m.Handler()
	hs.Start()
	t.Cleanup(hs.Close)
	return base, idp
}

func browserAt(t *testing.T) *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// fetch gets u with hc and returns the answer and its body.
func fetch(t *testing.T, hc *http.Client, u string) (*http.Response, string) {
	t.Helper()
	resp, err := hc.Get(u)
	return resp, read(t, resp, err)
}

func postForm(t *testing.T, hc *http.Client, u string, v url.Values) (*http.Response, string) {
	t.Helper()
	resp, err := hc.PostForm(u, v)
	return resp, read(t, resp, err)
}

func read(t *testing.T, resp *http.Response, err error) string {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

func TestDemoShowsTheSignInCode(t *testing.T) {
	base, _ := demoServer(t)
	hc := browserAt(t)
	_, body := fetch(t, hc, base+"/signin")
	csrf := csrfRE.FindStringSubmatch(body)[1]
	_, body = postForm(t, hc, base+"/signin", url.Values{"csrf": {csrf}, "phone": {"13711112222"}})
	m := regexp.MustCompile(`id="demo-code-digits">(\d{6})<`).FindStringSubmatch(body)
	if m == nil || !strings.Contains(body, "未配置短信网关") {
		t.Fatalf("the demo does not show the code and why:\n%s", body)
	}
	resp, _ := postForm(t, hc, base+"/signin/code", url.Values{"csrf": {csrf}, "phone": {"13711112222"}, "code": {m[1]}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/me" {
		t.Errorf("sign in with the shown code: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
}

func TestSignInWithTheCityIdentityProvider(t *testing.T) {
	base, idp := demoServer(t)
	start := func(hc *http.Client) *url.URL {
		t.Helper()
		resp, _ := fetch(t, hc, base+"/signin/oidc?next=/me")
		if resp.StatusCode != http.StatusFound {
			t.Fatalf("start: %d", resp.StatusCode)
		}
		return idp.Login(t, resp.Header.Get("Location"), citizentest.User, citizentest.Password)
	}

	hc := browserAt(t)
	if _, body := fetch(t, hc, base+"/signin"); !strings.Contains(body, `id="signin-oidc"`) {
		t.Fatal("the sign-in page does not offer the identity provider")
	}
	back := start(hc)
	resp, _ := fetch(t, hc, back.String())
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/me" {
		t.Fatalf("callback: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if _, body := fetch(t, hc, base+"/me"); !strings.Contains(body, `id="my-reviews-none"`) {
		t.Errorf("signed in with the provider, /me does not open:\n%.500s", body)
	}

	t.Run("bad state", func(t *testing.T) {
		hc := browserAt(t)
		back := start(hc)
		q := back.Query()
		q.Set("state", "forged")
		back.RawQuery = q.Encode()
		resp, body := fetch(t, hc, back.String())
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="signin-oidc-error"`) {
			t.Errorf("forged state: %d", resp.StatusCode)
		}
		if strings.Contains(resp.Header.Get("Set-Cookie"), caller.CitizenCookie+"=citizen.") {
			t.Error("signed in with a forged state")
		}
	})
	t.Run("callback in another browser", func(t *testing.T) {
		// An attacker's code and state, sent to a victim's browser that
		// never started a sign-in (login CSRF).
		back := start(browserAt(t))
		resp, _ := fetch(t, browserAt(t), back.String())
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("callback without the pending sign-in: %d, want 422", resp.StatusCode)
		}
	})
}

// TestSessionCookieSecureOverTLS: served over TLS, the session cookie is
// Secure.
func TestSessionCookieSecureOverTLS(t *testing.T) {
	forgetAttempts(t)
	h := haocha.Handler()
	var cookies []*http.Cookie
	send := func(method, path string, form url.Values) *httptest.ResponseRecorder {
		req := httptest.NewRequest(method, "https://haoping.example.gov.cn"+path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for _, c := range cookies {
			req.AddCookie(c)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		cookies = append(cookies, rec.Result().Cookies()...)
		return rec
	}
	csrf := csrfRE.FindStringSubmatch(send("GET", "/signin", nil).Body.String())[1]
	const phone = "13700004444"
	send("POST", "/signin", url.Values{"csrf": {csrf}, "phone": {phone}})
	m, _ := texts.Last(phone, sms.SignInCode)
	rec := send("POST", "/signin/code", url.Values{"csrf": {csrf}, "phone": {phone}, "code": {codeRE.FindStringSubmatch(m.Text)[1]}})
	for _, c := range rec.Result().Cookies() {
		if c.Name == caller.CitizenCookie {
			if !c.Secure || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode {
				t.Errorf("session cookie over TLS: %+v, want Secure, HttpOnly, SameSite=Lax", c)
			}
			return
		}
	}
	t.Fatalf("no session cookie: %d %s", rec.Code, rec.Body)
}
