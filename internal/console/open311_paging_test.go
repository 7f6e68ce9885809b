package console_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
)

// open311Get reads an Open311 list: the numbers or codes it holds and the
// response, whose headers lead to the neighbouring pages.
func open311Get(t *testing.T, e *env, path string) ([]string, *http.Response) {
	t.Helper()
	resp, err := http.Get(e.srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s = %d %s", path, resp.StatusCode, body)
	}
	var list []struct {
		ID   string `json:"service_request_id"`
		Code string `json:"service_code"`
	}
	if err := json.Unmarshal(body, &list); err != nil {
		t.Fatalf("GET %s: %v in %s", path, err, body)
	}
	var ids []string
	for _, r := range list {
		ids = append(ids, r.ID+r.Code)
	}
	return ids, resp
}

// TestOpen311Pages walks requests.json forward by Next-Cursor and back by
// Prev-Cursor at several page sizes: every request comes once, in the
// order of the whole list, which stays the answer without ?limit=. The
// Link header names the same pages.
func TestOpen311Pages(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		for i := range 7 {
			n, _ := e.badReview(i%2 == 0)
			if i%3 == 0 {
				e.must(200, "POST", "/api/v1/orders/"+n+"/dispatch", "operator", map[string]any{"unit": unitA, "complexity": "simple", "days": 2})
			}
			e.clock.Add(3600e9)
		}
		for _, status := range []string{"", "open"} {
			all, first := open311Get(t, e, "/open311/v2/requests.json?status="+status)
			if len(all) != 7 || first.Header.Get("Next-Cursor") != "" {
				t.Fatalf("status %q: the whole list is %v, next %q", status, all, first.Header.Get("Next-Cursor"))
			}
			for _, size := range []int{1, 3, 7} {
				var seen []string
				var resp *http.Response
				cursor := ""
				for range 10 {
					var got []string
					got, resp = open311Get(t, e, fmt.Sprintf("/open311/v2/requests.json?status=%s&limit=%d&cursor=%s", status, size, url.QueryEscape(cursor)))
					seen = append(seen, got...)
					if cursor = resp.Header.Get("Next-Cursor"); cursor == "" {
						break
					}
					if link := resp.Header.Values("Link"); len(link) == 0 || !strings.Contains(link[0], url.Values{"cursor": {cursor}}.Encode()) || !strings.HasSuffix(link[0], `rel="next"`) {
						t.Errorf("Link %q does not lead to cursor %s", link, cursor)
					}
				}
				if !slices.Equal(seen, all) {
					t.Errorf("status %q in pages of %d: %v, want %v", status, size, seen, all)
				}
				var back []string
				for prev := resp.Header.Get("Prev-Cursor"); prev != ""; prev = resp.Header.Get("Prev-Cursor") {
					var got []string
					got, resp = open311Get(t, e, fmt.Sprintf("/open311/v2/requests.json?status=%s&limit=%d&cursor=%s", status, size, url.QueryEscape(prev)))
					back = append(got, back...)
				}
				if want := all[:len(all)-len(lastPage(all, size))]; !slices.Equal(back, want) {
					t.Errorf("status %q in pages of %d, backwards: %v, want %v", status, size, back, want)
				}
			}
		}
		// services.json is paged alike, though it holds one service.
		if got, resp := open311Get(t, e, "/open311/v2/services.json?limit=1"); len(got) != 1 || resp.Header.Get("Next-Cursor") != "" {
			t.Errorf("services, one a page: %v, next %q", got, resp.Header.Get("Next-Cursor"))
		}
	})
}

// lastPage is the last page of all in pages of size.
func lastPage(all []string, size int) []string {
	n := len(all) % size
	if n == 0 {
		n = size
	}
	return all[len(all)-n:]
}
