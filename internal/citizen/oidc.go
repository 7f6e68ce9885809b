package citizen

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"log/slog"
	"sync"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/haocha/haocha/internal/apperr"
)

// OIDC signs citizens in with the city's identity provider by the
// authorization code flow, with state, nonce and PKCE.
type OIDC struct {
	Issuer, ClientID, ClientSecret string
	// RedirectURL is the callback page's absolute address, as registered
	// with the provider.
	RedirectURL string
	// Log gets why the provider refused or could not be reached; the
	// citizen is told only that it did.
	Log *slog.Logger

	mu       sync.Mutex
	provider *oidc.Provider // discovered on first use, so a provider that is down does not stop the server
}

// Pending is what the browser keeps between leaving for the provider and
// coming back: the state to compare, the nonce the ID token must carry and
// the PKCE verifier.
type Pending struct {
	State    string `json:"s"`
	Nonce    string `json:"n"`
	Verifier string `json:"v"`
}

func (o *OIDC) discover(ctx context.Context) (*oidc.Provider, *oauth2.Config, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.provider == nil {
		p, err := oidc.NewProvider(ctx, o.Issuer)
		if err != nil {
			o.log().ErrorContext(ctx, "identity provider not reached", "issuer", o.Issuer, "err", err)
			return nil, nil, apperr.New(apperr.Unavailable, "", "the identity provider cannot be reached just now")
		}
		o.provider = p
	}
	return o.provider, &oauth2.Config{ClientID: o.ClientID, ClientSecret: o.ClientSecret, RedirectURL: o.RedirectURL,
		Endpoint: o.provider.Endpoint(), Scopes: []string{oidc.ScopeOpenID}}, nil
}

// Begin returns where to send the browser and what it must bring back.
func (o *OIDC) Begin(ctx context.Context) (string, Pending, error) {
	_, cfg, err := o.discover(ctx)
	if err != nil {
		return "", Pending{}, err
	}
	p := Pending{State: random(), Nonce: random(), Verifier: oauth2.GenerateVerifier()}
	return cfg.AuthCodeURL(p.State, oidc.Nonce(p.Nonce), oauth2.S256ChallengeOption(p.Verifier)), p, nil
}

// Finish exchanges the code the provider sent back with state for an ID
// token, verifies it (signature, issuer, audience, expiry, nonce) and
// returns its issuer and subject.
func (o *OIDC) Finish(ctx context.Context, p Pending, state, code string) (issuer, subject string, err error) {
	if p.State == "" || subtle.ConstantTimeCompare([]byte(state), []byte(p.State)) != 1 {
		return "", "", apperr.Invalidf("state", "the sign-in did not start here, or has expired: sign in again")
	}
	if code == "" {
		return "", "", apperr.Invalidf("code", "the identity provider sent no code")
	}
	provider, cfg, err := o.discover(ctx)
	if err != nil {
		return "", "", err
	}
	tok, err := cfg.Exchange(ctx, code, oauth2.VerifierOption(p.Verifier))
	if err != nil {
		o.log().WarnContext(ctx, "identity provider refused the code", "err", err)
		return "", "", apperr.Invalidf("code", "the identity provider did not confirm the sign-in")
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return "", "", apperr.Invalidf("id_token", "the identity provider sent no ID token")
	}
	idt, err := provider.Verifier(&oidc.Config{ClientID: o.ClientID}).Verify(ctx, raw)
	if err != nil {
		o.log().WarnContext(ctx, "ID token refused", "err", err)
		return "", "", apperr.Invalidf("id_token", "the ID token did not check out")
	}
	if subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(p.Nonce)) != 1 {
		return "", "", apperr.Invalidf("nonce", "the ID token was not issued for this sign-in")
	}
	return idt.Issuer, idt.Subject, nil
}

// SignInOIDC finishes a sign-in with the identity provider and starts a
// session.
func (s *Service) SignInOIDC(ctx context.Context, p Pending, state, code string) (Session, error) {
	if s.OIDC == nil {
		return Session{}, apperr.NotFoundf("", "no identity provider is configured")
	}
	iss, sub, err := s.OIDC.Finish(ctx, p, state, code)
	if err != nil {
		return Session{}, err
	}
	return s.Start(ctx, s.OIDCIdentity(iss, sub))
}

func random() string {
	b := make([]byte, 16)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func (o *OIDC) log() *slog.Logger {
	if o.Log != nil {
		return o.Log
	}
	return slog.Default()
}
