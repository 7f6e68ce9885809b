package api

import (
	"net/http"
	"time"

	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/caller"
	"github.com/haocha/haocha/internal/citizen"
	"github.com/haocha/haocha/internal/httpjson"
	"github.com/haocha/haocha/internal/route"
)

// registerCitizen adds the citizen's sign-in by SMS code: a code, then a
// bearer token that POST /api/v1/reviews takes.
func (a *API) registerCitizen(mux *route.Mux) {
	mux.Handle("POST /api/v1/citizen/codes", route.Public, a.handle(a.citizenCode))
	mux.Handle("POST /api/v1/citizen/tokens", route.Public, a.handle(a.citizenToken))
	mux.Handle("DELETE /api/v1/citizen/tokens/current", route.Public, a.handle(a.citizenSignOut))
}

type citizenCodeRequest struct {
	Phone string `json:"phone"`
}

type citizenCodeSent struct {
	ExpiresIn int `json:"expires_in"` // seconds
	// DemoCode is the code itself, only where no SMS gateway is
	// configured (the demo): nothing is really texted there.
	DemoCode string `json:"demo_code,omitempty"`
}

func (a *API) citizenCode(w http.ResponseWriter, r *http.Request) error {
	var req citizenCodeRequest
	if err := httpjson.Decode(w, r, &req); err != nil {
		return err
	}
	code, err := a.Citizens.RequestCode(r.Context(), req.Phone, caller.RemoteHost(r))
	if err != nil {
		return err
	}
	httpjson.Write(w, http.StatusAccepted, citizenCodeSent{ExpiresIn: int(citizen.CodeTTL / time.Second), DemoCode: code})
	return nil
}

type citizenTokenRequest struct {
	Phone string `json:"phone"`
	Code  string `json:"code"`
}

type citizenTokenIssued struct {
	Token     string    `json:"token"`
	ExpiresAt time.Time `json:"expires_at"`
}

func (a *API) citizenToken(w http.ResponseWriter, r *http.Request) error {
	var req citizenTokenRequest
	if err := httpjson.Decode(w, r, &req); err != nil {
		return err
	}
	s, err := a.Citizens.SignInWithCode(r.Context(), req.Phone, req.Code, caller.RemoteHost(r))
	if err != nil {
		return err
	}
	httpjson.Write(w, http.StatusCreated, citizenTokenIssued{Token: s.Token, ExpiresAt: s.Expires.UTC()})
	return nil
}

func (a *API) citizenSignOut(w http.ResponseWriter, r *http.Request) error {
	tok := caller.CitizenBearer(r)
	if tok == "" {
		return apperr.New(apperr.Forbidden, "token", "want Authorization: Bearer <citizen token>")
	}
	if _, err := a.Citizens.Who(r.Context(), tok); err != nil {
		return err
	}
	if err := a.Citizens.SignOut(r.Context(), tok); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// citizenOf is the identity hash of the citizen whose bearer token r
// carries: "" without one, 403 naming token for one that is unknown or
// expired, so that a client is not silently taken for an anonymous
// visitor.
func (a *API) citizenOf(r *http.Request) (string, error) {
	tok := caller.CitizenBearer(r)
	if tok == "" || a.Citizens == nil {
		return "", nil
	}
	return a.Citizens.Who(r.Context(), tok)
}
