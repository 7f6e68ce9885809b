package citizen_test

import (
	"context"
	"testing"

	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/citizen"
	"github.com/haocha/haocha/internal/citizen/citizentest"
	"github.com/haocha/haocha/internal/store/storetest"
)

const callback = "http://127.0.0.1:1/signin/oidc/callback"

// TestSignInOIDC signs in against a real OpenID Connect provider running
// in process, and has it refuse a callback whose state or nonce is not
// the sign-in's own.
func TestSignInOIDC(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, storetest.SQLiteDSN(t))
	idp := citizentest.Start(t, callback)
	w.svc.OIDC = &citizen.OIDC{Issuer: idp.Issuer, ClientID: idp.ClientID, ClientSecret: idp.ClientSecret, RedirectURL: callback}

	begin := func() (*citizen.Pending, string, string) {
		t.Helper()
		authURL, p, err := w.svc.OIDC.Begin(ctx)
		if err != nil {
			t.Fatalf("begin: %v", err)
		}
		back := idp.Login(t, authURL, citizentest.User, citizentest.Password)
		if back.Query().Get("code") == "" {
			t.Fatalf("the provider sent no code: %s", back)
		}
		return &p, back.Query().Get("state"), back.Query().Get("code")
	}

	p, state, code := begin()
	s, err := w.svc.SignInOIDC(ctx, *p, state, code)
	if err != nil {
		t.Fatalf("sign in: %v", err)
	}
	if want := w.svc.OIDCIdentity(idp.Issuer, citizentest.Subject); s.Citizen != want {
		t.Errorf("identity %s, want the hash of the issuer and subject %s", s.Citizen, want)
	}
	if who, err := w.svc.Who(ctx, s.Token); err != nil || who != s.Citizen {
		t.Errorf("who: %q, %v", who, err)
	}
	t.Run("code used once", func(t *testing.T) {
		_, err := w.svc.SignInOIDC(ctx, *p, state, code)
		wantRefused(t, err, apperr.Invalid, "code")
	})
	t.Run("bad state", func(t *testing.T) {
		p, _, code := begin()
		_, err := w.svc.SignInOIDC(ctx, *p, "forged", code)
		wantRefused(t, err, apperr.Invalid, "state")
	})
	t.Run("bad nonce", func(t *testing.T) {
		// The browser brings back one sign-in's state and code with
		// another's nonce: the ID token names the first nonce.
		p, state, code := begin()
		other, _, _ := begin()
		p.Nonce = other.Nonce
		_, err := w.svc.SignInOIDC(ctx, *p, state, code)
		wantRefused(t, err, apperr.Invalid, "nonce")
	})
	t.Run("bad verifier", func(t *testing.T) {
		p, state, code := begin()
		other, _, _ := begin()
		p.Verifier = other.Verifier
		_, err := w.svc.SignInOIDC(ctx, *p, state, code)
		wantRefused(t, err, apperr.Invalid, "code")
	})
}
