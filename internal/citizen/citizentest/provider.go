// Package citizentest runs a real OpenID Connect provider in process for
// tests: zitadel's op package with its example storage and login page,
// so that the sign-in is tested against the protocol, not a mock of the
// client.
package citizentest

import (
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/zitadel/oidc/v3/example/server/exampleop"
	"github.com/zitadel/oidc/v3/example/server/storage"
)

// The provider's users (its example storage's), both with Password.
const (
	User     = "test-user2"
	Subject  = "id2" // User's subject
	Password = "verysecure"
)

// Provider is a running identity provider with one registered client.
type Provider struct {
	Issuer, ClientID, ClientSecret string
	redirect                       string
}

// Start starts a provider, closed when tb ends, whose client may be sent
// back to redirectURL only.
func Start(tb testing.TB, redirectURL string) *Provider {
	tb.Helper()
	srv := httptest.NewUnstartedServer(nil)
	p := &Provider{Issuer: "http://" + srv.Listener.Addr().String(), ClientID: "haocha", ClientSecret: "provider-secret", redirect: redirectURL}
	clients := map[string]*storage.Client{p.ClientID: storage.WebClient(p.ClientID, p.ClientSecret, redirectURL)}
	st := storage.NewStorageWithClients(storage.NewUserStore(p.Issuer), clients)
	srv.Config.Handler = exampleop.SetupServer(p.Issuer, st, nil, false)
	srv.Start()
	tb.Cleanup(srv.Close)
	return p
}

// Login signs in as user with password on the provider's login page,
// starting from authURL (where the relying party sent the browser), and
// returns the address the provider then sends the browser back to, with
// its code and state, without following it.
func (p *Provider) Login(tb testing.TB, authURL, user, password string) *url.URL {
	tb.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(r *http.Request, _ []*http.Request) error {
		if strings.HasPrefix(r.URL.String(), p.redirect) {
			return http.ErrUseLastResponse
		}
		return nil
	}}
	resp, err := c.Get(authURL)
	if err != nil {
		tb.Fatalf("open the provider: %v", err)
	}
	resp.Body.Close()
	id := resp.Request.URL.Query().Get("authRequestID")
	if resp.StatusCode != http.StatusOK || id == "" {
		tb.Fatalf("the provider did not show its login page: %s at %s", resp.Status, resp.Request.URL)
	}
	login := *resp.Request.URL
	login.RawQuery = ""
	resp, err = c.PostForm(login.String(), url.Values{"id": {id}, "username": {user}, "password": {password}})
	if err != nil {
		tb.Fatalf("log in at the provider: %v", err)
	}
	resp.Body.Close()
	back, err := resp.Location()
	if err != nil {
		tb.Fatalf("the provider did not send the browser back (%s): %v", resp.Status, err)
	}
	return back
}
