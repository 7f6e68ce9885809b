package web_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

// A review naming a workstation needs proof of this visit, on every
// channel (issue 16): the printed QR token alone is refused with 403
// naming workstation, a forged one naming qr_token, and nothing is stored;
// the rating device's per-transaction proof makes it a review of that
// transaction, and a review naming no workstation is taken unverified.
func TestWorkstationNeedsProofOfTheVisit(t *testing.T) {
	type want struct {
		status int
		field  string
		level  string
	}
	cases := map[string]struct {
		sub  map[string]any
		want want
	}{}
	for _, ch := range []string{"window", "tablet", "kiosk", "pc", "app", "wechat", "alipay", "hotline", "sms"} {
		cases[ch+" with the printed token only"] = struct {
			sub  map[string]any
			want want
		}{map[string]any{"channel": ch, "workstation": workstation, "qr_token": token(workstation)}, want{http.StatusForbidden, "workstation", ""}}
	}
	number, proof := served(t, workstation)
	other, _ := served(t, workstation)
	for name, tc := range map[string]struct {
		sub  map[string]any
		want want
	}{
		"a forged token":        {map[string]any{"channel": "window", "workstation": workstation, "qr_token": "w1.AAAAAAAAAAAAAAAAAAAAAA"}, want{http.StatusForbidden, "qr_token", ""}},
		"another's proof":       {map[string]any{"channel": "window", "workstation": workstation, "transaction": other, "transaction_proof": proof}, want{http.StatusForbidden, "transaction", ""}},
		"the device's proof":    {map[string]any{"channel": "window", "workstation": workstation, "transaction": number, "transaction_proof": proof}, want{http.StatusCreated, "", "transaction"}},
		"no workstation at all": {map[string]any{"channel": "pc"}, want{http.StatusCreated, "", "unverified"}},
	} {
		cases[name] = tc
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			sub := map[string]any{"item": item, "stage": "acceptance", "stars": 1, "comment": "态度差", "anonymous": true}
			for k, v := range tc.sub {
				sub[k] = v
			}
			body, _ := json.Marshal(sub)
			before := countReviews(t)
			resp, err := http.Post(srv.URL+"/api/v1/reviews", "application/json", bytes.NewReader(body))
			must(t, err)
			defer resp.Body.Close()
			var out struct{ Error, Field, Verification string }
			json.NewDecoder(resp.Body).Decode(&out)
			stored := countReviews(t) - before
			if resp.StatusCode != tc.want.status || out.Field != tc.want.field || out.Verification != tc.want.level {
				t.Fatalf("%d naming %q, level %q (%s); want %d naming %q, level %q", resp.StatusCode, out.Field, out.Verification, out.Error,
					tc.want.status, tc.want.field, tc.want.level)
			}
			if wantStored := map[bool]int{true: 1, false: 0}[tc.want.status == http.StatusCreated]; stored != wantStored {
				t.Errorf("stored %d reviews, want %d", stored, wantStored)
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

// No validity oracle (issue 16): over the API, a number nobody reported
// and a reported one the caller cannot show is theirs get the same status
// and the same body, even as a malformed review or a later review (追评).
func TestNoTransactionOracleOverTheAPI(t *testing.T) {
	theirs, _ := served(t, workstation)
	answer := func(number string, later bool) (int, string) {
		body, _ := json.Marshal(map[string]any{"channel": "app", "transaction": number, "stars": 0, "anonymous": true, "later_review": later})
		resp, err := http.Post(srv.URL+"/api/v1/reviews", "application/json", bytes.NewReader(body))
		must(t, err)
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	s1, b1 := answer("NOBODY-REPORTED-1", false)
	s2, b2 := answer(theirs, false)
	s3, b3 := answer(theirs, true)
	if s1 != http.StatusForbidden || s2 != s1 || s3 != s1 || b2 != b1 || b3 != b1 {
		t.Errorf("unknown: %d %s\nnot theirs: %d %s\nhijacked 追评: %d %s\nwant one 403 answer", s1, b1, s2, b2, s3, b3)
	}
}
