package api_test

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestIndexDefinition: the definition of a period (today's by default, the
// fixture's July) is published as data
// and in words; an older version on request; bad values name the field.
func TestIndexDefinition(t *testing.T) {
	_, h := newServer(t)
	for q, want := range map[string]int{"": 1, "?period=2026-07": 1, "?period=2026-12-05": 2, "?period=2026-12-31": 3, "?version=1": 1} {
		rec := do(h, "GET", "/api/v1/index/definition"+q, "")
		var got struct {
			Version    int `json:"version"`
			Definition struct {
				Version int `json:"version"`
			} `json:"definition"`
			Formula []string `json:"formula"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil || rec.Code != 200 {
			t.Fatalf("%q: %d %s", q, rec.Code, rec.Body)
		}
		if got.Version != want || got.Definition.Version != want || len(got.Formula) < 5 {
			t.Errorf("%q: version %d, formula of %d lines; want version %d", q, got.Version, len(got.Formula), want)
		}
	}
	// Version 3 publishes what each verification level counts for, with
	// its weight even at 0 (issue 16), and the dispatch rule (issue 18).
	rec := do(h, "GET", "/api/v1/index/definition?version=3", "")
	for _, want := range []string{`"verified_scopes":["hall","window","workstation","staff"]`, `"unverified_weight":0`,
		`"orders_after_dispatch":true`, `"effective_from":"2026-12-06"`, "reviews.verification"} {
		if !strings.Contains(rec.Body.String(), want) {
			t.Errorf("definition version 3 lacks %s: %s", want, rec.Body)
		}
	}
	for q, field := range map[string]string{"?period=July": `"field":"period"`, "?version=0": `"field":"version"`, "?version=99": `"field":"version"`} {
		rec := do(h, "GET", "/api/v1/index/definition"+q, "")
		if rec.Code < 400 || !strings.Contains(rec.Body.String(), field) {
			t.Errorf("%q: %d %s, want a 4xx naming %s", q, rec.Code, rec.Body, field)
		}
	}
}
