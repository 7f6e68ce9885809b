package api_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/api"
	"github.com/haocha/haocha/internal/api/apitest"
	"github.com/haocha/haocha/internal/citizen"
	"github.com/haocha/haocha/internal/intake"
	"github.com/haocha/haocha/internal/route"
	"github.com/haocha/haocha/internal/sms"
	"github.com/haocha/haocha/internal/store/storetest"
)

func doAs(h http.Handler, token, method, target, body string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// TestCitizenSignInOverJSON: a client asks for a code, exchanges it for a
// bearer token, and the review it posts with the token is the citizen's;
// a citizen token that is not (or no longer) good is refused, a staff
// token is not looked at.
func TestCitizenSignInOverJSON(t *testing.T) {
	st := storetest.OpenFixture(t, storetest.SQLiteDSN(t))
	phones := &sms.Memory{}
	svc := &citizen.Service{Store: st, SMS: phones, IdentityKey: []byte("id"), CodeKey: []byte("code"), Now: func() time.Time { return storetest.Now }}
	mux := route.NewMux()
	(&api.API{Store: st, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Intake: &intake.Service{Store: st, Salt: []byte("test")},
		Citizens: svc}).Register(mux)
	h := apitest.Check(t, mux)
	const phone = "13912345678"

	rec := do(h, "POST", "/api/v1/citizen/codes", `{"phone":"139 1234 5678"}`)
	if rec.Code != http.StatusAccepted || strings.Contains(rec.Body.String(), "demo_code") {
		t.Fatalf("code: %d %s, want 202 without the code", rec.Code, rec.Body)
	}
	m, ok := phones.Last(phone, sms.SignInCode)
	if !ok {
		t.Fatal("no code texted")
	}
	code := regexp.MustCompile(`\d{6}`).FindString(m.Text)

	rec = do(h, "POST", "/api/v1/citizen/tokens", `{"phone":"`+phone+`","code":"000000x"}`)
	if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), `"code"`) {
		t.Errorf("malformed code: %d %s", rec.Code, rec.Body)
	}
	rec = do(h, "POST", "/api/v1/citizen/tokens", `{"phone":"`+phone+`","code":"`+code+`"}`)
	var tok struct{ Token string }
	json.Unmarshal(rec.Body.Bytes(), &tok)
	if rec.Code != http.StatusCreated || !citizen.IsToken(tok.Token) {
		t.Fatalf("token: %d %s", rec.Code, rec.Body)
	}

	const bad = `{"channel":"pc","item":"GA-001","stage":"acceptance","stars":2,"tags":["attitude"],"anonymous":true}`
	rec = doAs(h, tok.Token, "POST", "/api/v1/reviews", bad)
	if rec.Code != http.StatusCreated {
		t.Fatalf("review with the token: %d %s", rec.Code, rec.Body)
	}
	mine, err := svc.Reviews(context.Background(), svc.PhoneIdentity(phone))
	if err != nil || len(mine) != 1 || mine[0].Order == "" {
		t.Fatalf("the citizen's reviews: %+v, %v; want the one review and its order", mine, err)
	}
	if rec := doAs(h, "staff-token-never-looked-at", "POST", "/api/v1/reviews", bad); rec.Code != http.StatusCreated {
		t.Errorf("review with a staff token: %d %s", rec.Code, rec.Body)
	}
	if rec := doAs(h, "citizen.forged", "POST", "/api/v1/reviews", bad); rec.Code != http.StatusForbidden || !strings.Contains(rec.Body.String(), `"token"`) {
		t.Errorf("review with a forged citizen token: %d %s, want 403 naming token", rec.Code, rec.Body)
	}
	if rec := doAs(h, tok.Token, "DELETE", "/api/v1/citizen/tokens/current", ""); rec.Code != http.StatusNoContent {
		t.Fatalf("sign out: %d %s", rec.Code, rec.Body)
	}
	if rec := doAs(h, tok.Token, "POST", "/api/v1/reviews", bad); rec.Code != http.StatusForbidden {
		t.Errorf("review after sign-out: %d %s, want 403", rec.Code, rec.Body)
	}
	if mine, _ := svc.Reviews(context.Background(), svc.PhoneIdentity(phone)); len(mine) != 1 {
		t.Errorf("the citizen has %d reviews, want only their own one", len(mine))
	}

	t.Run("demo shows the code", func(t *testing.T) {
		svc.ShowCodes = true
		defer func() { svc.ShowCodes = false }()
		rec := do(h, "POST", "/api/v1/citizen/codes", `{"phone":"13900001111"}`)
		var sent struct {
			DemoCode string `json:"demo_code"`
		}
		json.Unmarshal(rec.Body.Bytes(), &sent)
		m, _ := phones.Last("13900001111", sms.SignInCode)
		if rec.Code != http.StatusAccepted || sent.DemoCode == "" || !strings.Contains(m.Text, sent.DemoCode) {
			t.Errorf("%d %s: want the texted code", rec.Code, rec.Body)
		}
	})
}
