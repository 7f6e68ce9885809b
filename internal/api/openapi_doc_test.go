package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/haocha/haocha/internal/api"
)

// TestOpenAPIServedAsJSON: /api/openapi.json is the embedded document,
// as JSON, with every operation named for client generators.
func TestOpenAPIServedAsJSON(t *testing.T) {
	_, h := newServer(t)
	rec := do(h, "GET", api.OpenAPIPath, "")
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "application/json; charset=utf-8" {
		t.Fatalf("%d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
	var doc struct {
		OpenAPI string           `json:"openapi"`
		Servers []map[string]any `json:"servers"`
		Paths   map[string]map[string]struct {
			OperationID string `json:"operationId"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.OpenAPI != "3.0.3" || len(doc.Servers) == 0 {
		t.Errorf("openapi %q, servers %v", doc.OpenAPI, doc.Servers)
	}
	ids := map[string]string{}
	for path, item := range doc.Paths {
		for method, op := range item {
			where := method + " " + path
			if op.OperationID == "" {
				t.Errorf("%s has no operationId", where)
			}
			if other, ok := ids[op.OperationID]; ok {
				t.Errorf("%s and %s share the operationId %q", where, other, op.OperationID)
			}
			ids[op.OperationID] = where
		}
	}
	if op := doc.Paths["/api/v1/index"]["get"]; op.OperationID != "getIndex" {
		t.Errorf("GET /api/v1/index is %q", op.OperationID)
	}
}

// TestIndexScopeRequired: the document and the server agree that a ranking
// needs its scope: the document marks it required, the server answers 422
// naming it (newServer's contract check holds the two together).
func TestIndexScopeRequired(t *testing.T) {
	doc, err := api.LoadOpenAPI(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/api/v1/index", "/api/v1/indicators"} {
		p := doc.Paths.Find(path).Get.Parameters.GetByInAndName("query", "scope")
		if p == nil || !p.Required {
			t.Errorf("%s: the document does not require scope", path)
		}
	}
	_, h := newServer(t)
	for _, target := range []string{"/api/v1/index", "/api/v1/index?from=2026-07-01", "/api/v1/indicators?code=310101"} {
		rec := do(h, "GET", target, "")
		var e struct{ Field string }
		json.Unmarshal(rec.Body.Bytes(), &e)
		if rec.Code != http.StatusUnprocessableEntity || e.Field != "scope" {
			t.Errorf("%s: %d %s, want 422 naming scope", target, rec.Code, rec.Body)
		}
	}
	if rec := do(h, "GET", "/api/v1/index?scope=unit", ""); rec.Code != http.StatusOK {
		t.Errorf("with scope: %d %s", rec.Code, rec.Body)
	}
}
