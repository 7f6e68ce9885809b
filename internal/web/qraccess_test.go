package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/account"
	"github.com/haocha/haocha/internal/app"
)

// qrPrinter is the account the tests print sheets with: an administrator.
const qrPrinter = "qr-admin"

var qrPrinterOnce sync.Once

// printer is a client logged in as an administrator, who may print codes.
func printer(t testing.TB) *client {
	t.Helper()
	qrPrinterOnce.Do(func() {
		hash, err := account.HashPassword(consolePassword)
		if err == nil {
			err = haocha.Store.CreateUser(context.Background(), &account.User{Login: qrPrinter, Role: account.Admin, PasswordHash: hash}, "test")
		}
		if err != nil {
			t.Fatal(err)
		}
	})
	c := newClient(t)
	c.login(qrPrinter)
	return c
}

// sessionCookie is the session of a logged-in client, for requests made
// straight to the handler.
func (c *client) sessionCookie() *http.Cookie {
	u, _ := url.Parse(srv.URL)
	for _, ck := range c.hc.Jar.Cookies(u) {
		if ck.Name == "haocha_session" {
			return ck
		}
	}
	c.t.Fatal("no session cookie")
	return nil
}

// TestQRSheetsNeedStaffLogin: a printed code lets anyone rate that window,
// so the sheets and images are for an administrator or the General Office
// only: the public is sent to the login page, other roles refused.
func TestQRSheetsNeedStaffLogin(t *testing.T) {
	paths := []string{"/qr", "/qr/sheet?hall=H310101-01", "/qr/sheet?all=1", "/qr/" + workstation + ".png", "/qr/" + workstation + ".svg"}
	anon := newClient(t)
	for _, p := range paths {
		resp, _ := anon.get(p)
		if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/console/login?next=") {
			t.Errorf("%s without a login: %d %q, want the login page", p, resp.StatusCode, resp.Header.Get("Location"))
		}
	}
	staffAccount(t, "qr-handler", account.Handler, "310101")
	staffAccount(t, "qr-supervisor", account.Supervisor, "")
	h := newClient(t)
	h.login("qr-handler")
	sup := newClient(t)
	sup.login("qr-supervisor")
	for _, p := range paths[:2] {
		if resp, _ := h.get(p); resp.StatusCode != http.StatusForbidden {
			t.Errorf("%s as a unit handler: %d, want 403", p, resp.StatusCode)
		}
		if resp, _ := sup.get(p); resp.StatusCode != http.StatusOK {
			t.Errorf("%s as the supervisor: %d, want 200", p, resp.StatusCode)
		}
	}
}

// TestOldQRTokenExpires: last week's code still opens the landing page in
// its grace; the code of a week that ended longer ago than the grace is
// refused with 403 naming the token, as a page and as JSON.
func TestOldQRTokenExpires(t *testing.T) {
	c := newClient(t)
	now := time.Now()
	lastWeek := signer.Current(workstation, now.AddDate(0, 0, -7))
	if resp, _ := c.get("/r/" + workstation + "?t=" + lastWeek); resp.StatusCode != http.StatusOK {
		t.Errorf("last week's code in the grace: %d, want 200", resp.StatusCode)
	}
	old := signer.Current(workstation, now.Add(-app.DefaultQRGrace-8*24*time.Hour))
	resp, body := c.get("/r/" + workstation + "?t=" + old)
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "已过期") {
		t.Errorf("a code past its grace: %d, want 403 saying it expired", resp.StatusCode)
	}
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/r/"+workstation+"?t="+old, nil)
	req.Header.Set("Accept", "application/json")
	resp, body = c.do(req)
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, `"field":"t"`) {
		t.Errorf("a code past its grace, as JSON: %d %s, want 403 naming t", resp.StatusCode, body)
	}
	// The code printed today is this week's.
	if resp, _ := c.get(landing(workstation)); resp.StatusCode != http.StatusOK {
		t.Errorf("today's code: %d", resp.StatusCode)
	}
}
