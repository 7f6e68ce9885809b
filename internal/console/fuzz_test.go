package console_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/haocha/haocha/internal/workorder"
)

// get answers a GET of path on e without following redirects.
func get(t *testing.T, e *env, path string) (int, []byte) {
	t.Helper()
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Get(e.srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, body
}

// replied is a real-name bad review whose order the unit has answered, so
// that the citizen may now say whether it satisfied them.
func replied(e *env) (number, token string) {
	number, token = e.badReview(false)
	e.must(http.StatusOK, "POST", "/api/v1/orders/"+number+"/dispatch", "operator", map[string]any{"unit": unitA, "complexity": "simple", "days": 3})
	e.must(http.StatusOK, "POST", "/api/v1/orders/"+number+"/reply", "handlerA", map[string]any{"findings": "f", "rectification": "r", "answer": "a"})
	return number, token
}

// FuzzOpen311 sends arbitrary query parameters to the public Open311 view:
// it answers 200 with requests that match them, or 422 naming the field,
// never a server error, and never shows the reviewer.
func FuzzOpen311(f *testing.F) {
	e := newEnv(f)
	closedNo, token := replied(e)
	e.must(http.StatusOK, "POST", "/api/v1/follow/"+token, "", map[string]any{"satisfied": true})
	openNo, _ := e.badReview(true)
	f.Add("", "", "")
	f.Add("open", "bad-review", openNo)
	f.Add("closed", "", closedNo+","+openNo+", nope")
	f.Add("pending", "x", ",,")
	f.Fuzz(func(t *testing.T, status, serviceCode, ids string) {
		q := url.Values{}
		for k, v := range map[string]string{"status": status, "service_code": serviceCode, "service_request_id": ids} {
			if v != "" {
				q.Set(k, v)
			}
		}
		code, body := get(t, e, "/open311/v2/requests.json?"+q.Encode())
		if code == http.StatusUnprocessableEntity {
			var refusal struct{ Field string }
			if json.Unmarshal(body, &refusal) != nil || refusal.Field != "status" {
				t.Fatalf("422 %s does not name the status field", body)
			}
			return
		}
		if code != http.StatusOK {
			t.Fatalf("status=%q service_code=%q service_request_id=%q: %d %s", status, serviceCode, ids, code, body)
		}
		if strings.Contains(string(body), "13912345678") || strings.Contains(string(body), "李四") {
			t.Fatalf("the Open311 view shows the reviewer: %s", body)
		}
		var reqs []struct {
			ID     string `json:"service_request_id"`
			Status string `json:"status"`
		}
		if err := json.Unmarshal(body, &reqs); err != nil {
			t.Fatalf("answer is not a list of requests: %v in %s", err, body)
		}
		var asked []string
		for id := range strings.SplitSeq(ids, ",") {
			asked = append(asked, strings.TrimSpace(id))
		}
		for _, r := range reqs {
			if (status == "open" || status == "closed") && ids == "" && r.Status != status {
				t.Fatalf("asked for %s requests, got %s %s", status, r.Status, r.ID)
			}
			if ids != "" && !slices.Contains(asked, r.ID) {
				t.Fatalf("asked for %q, got %s", ids, r.ID)
			}
		}

		// One request by number: itself, or not found.
		code, body = get(t, e, "/open311/v2/requests/"+url.PathEscape(ids)+".json")
		found := ids == openNo || ids == closedNo
		if (found && code != http.StatusOK) || (!found && code != http.StatusNotFound) {
			t.Fatalf("request %q: %d %s", ids, code, body)
		}
	})
}

// FuzzFollowToken tries arbitrary follow-up tokens and form tokens on the
// citizen's private page: an unknown token is not found, a form without
// the page's own form token is refused (or not found), and no such attempt changes the
// work order.
func FuzzFollowToken(f *testing.F) {
	e := newEnv(f)
	number, token := replied(e)
	secret, err := e.st.Secret(context.Background(), "follow_csrf")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(token, followCSRF(secret, token+"x"))
	f.Add(token[:len(token)-1], "")
	f.Add(strings.ToUpper(token), followCSRF(secret, strings.ToUpper(token)))
	f.Add("../qr", "x")
	f.Fuzz(func(t *testing.T, tok, form string) {
		if tok == "." || tok == ".." {
			return // a path segment, not a token: the router cleans the path
		}
		code, body := get(t, e, "/follow/"+url.PathEscape(tok))
		if want := map[bool]int{true: http.StatusOK, false: http.StatusNotFound}[tok == token]; code != want {
			t.Fatalf("GET /follow/%q = %d, want %d: %.200s", tok, code, want, body)
		}
		if form == followCSRF(secret, tok) {
			return // the page's own form token: the post would be genuine
		}
		c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		resp, err := c.PostForm(e.srv.URL+"/follow/"+url.PathEscape(tok), url.Values{"csrf": {form}, "satisfied": {"yes"}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		// A path the router cannot match ("/") is not found before any form
		// is read; every other post is refused for its form token.
		if resp.StatusCode != http.StatusForbidden && (tok == token || resp.StatusCode != http.StatusNotFound) {
			t.Fatalf("POST /follow/%q with form token %q = %d, want 403", tok, form, resp.StatusCode)
		}
		if o, err := e.st.OrderByNumber(context.Background(), number); err != nil || o.State != workorder.Replied {
			t.Fatalf("order after a refused follow-up: %+v, %v", o, err)
		}
	})
}
