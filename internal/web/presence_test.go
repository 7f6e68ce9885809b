package web_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// A window review through the JSON API needs proof that the reviewer stood
// at the workstation: its QR token, current or within its grace. Otherwise
// 403 names qr_token, and nothing is stored.
func TestAPIWindowReviewNeedsQRToken(t *testing.T) {
	var other string
	must(t, haocha.Store.DB().QueryRow("SELECT code FROM workstations WHERE code <> ? ORDER BY code LIMIT 1", workstation).Scan(&other))
	month := haocha.Store.Now().AddDate(0, 0, -30)
	for _, tc := range []struct {
		name, channel, token string
		want                 int
	}{
		{"window without a token", "window", "", http.StatusForbidden},
		{"tablet without a token", "tablet", "", http.StatusForbidden},
		{"another workstation's token", "window", token(other), http.StatusForbidden},
		{"a forged token", "window", "w1.AAAAAAAAAAAAAAAAAAAAAA", http.StatusForbidden},
		{"a month-old token", "window", haocha.Signer.Current(workstation, month), http.StatusForbidden},
		{"the current token", "window", token(workstation), http.StatusCreated},
		{"online needs none", "pc", "", http.StatusCreated},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sub := map[string]any{"channel": tc.channel, "item": item, "stage": "acceptance", "stars": 4, "anonymous": true}
			if tc.channel != "pc" {
				sub["workstation"] = workstation
			}
			if tc.token != "" {
				sub["qr_token"] = tc.token
			}
			body, _ := json.Marshal(sub)
			before := countReviews(t)
			resp, err := http.Post(srv.URL+"/api/v1/reviews", "application/json", bytes.NewReader(body))
			must(t, err)
			defer resp.Body.Close()
			var out struct{ Error, Field string }
			json.NewDecoder(resp.Body).Decode(&out)
			if resp.StatusCode != tc.want {
				t.Fatalf("status %d %+v, want %d", resp.StatusCode, out, tc.want)
			}
			stored := countReviews(t) - before
			if tc.want == http.StatusForbidden && (out.Field != "qr_token" || stored != 0) {
				t.Errorf("refusal names %q and stored %d reviews, want qr_token and none", out.Field, stored)
			}
			if tc.want == http.StatusCreated && stored != 1 {
				t.Errorf("stored %d reviews, want 1", stored)
			}
		})
	}
}

func countReviews(t *testing.T) int {
	t.Helper()
	var n int
	must(t, haocha.Store.DB().QueryRow("SELECT COUNT(*) FROM reviews").Scan(&n))
	return n
}

// The device's routes are public in the registry but answer only a paired
// device's token: anything else is 403 naming token. Bad input names its
// field.
func TestDeviceRoutesRefuse(t *testing.T) {
	for _, tc := range []struct {
		method, path, token, body string
		want                      int
		field                     string
	}{
		{"GET", "/device/state", "", "", http.StatusForbidden, "token"},
		{"GET", "/device/events", "forged", "", http.StatusForbidden, "token"},
		{"POST", "/device/reviews", "forged", `{"client_id":"a","transaction":"T","stars":5}`, http.StatusForbidden, "token"},
		{"POST", "/device/claim", "", `{}`, http.StatusUnprocessableEntity, "claim"},
		{"POST", "/device/claim", "", `{"claim":"nobody-has-this"}`, http.StatusNotFound, "claim"},
		{"GET", "/device?idle=0", "", "", http.StatusUnprocessableEntity, "idle"},
	} {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			req, _ := http.NewRequest(tc.method, srv.URL+tc.path, strings.NewReader(tc.body))
			req.Header.Set("Accept", "application/json")
			if tc.body != "" {
				req.Header.Set("Content-Type", "application/json")
			}
			if tc.token != "" {
				req.Header.Set("Authorization", "Bearer "+tc.token)
			}
			resp, err := http.DefaultClient.Do(req)
			must(t, err)
			defer resp.Body.Close()
			var out struct{ Error, Field string }
			json.NewDecoder(resp.Body).Decode(&out)
			if resp.StatusCode != tc.want || out.Field != tc.field {
				t.Errorf("%d %+v, want %d naming %s", resp.StatusCode, out, tc.want, tc.field)
			}
		})
	}
}
