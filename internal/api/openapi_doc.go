package api

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/haocha/haocha/internal/route"
)

// The OpenAPI document is written by hand in one file, openapi.yaml, and
// embedded: tests hold it to the router (internal/app) and to the real
// requests and answers of the test suite (apitest), so it cannot drift.
//
//go:embed openapi.yaml
var openAPIYAML []byte

// OpenAPIPath is where the document is served, as JSON.
const OpenAPIPath = "/api/openapi.json"

// OpenAPIDocument returns the document as written (YAML).
func OpenAPIDocument() []byte { return bytes.Clone(openAPIYAML) }

// LoadOpenAPI parses and validates the document.
func LoadOpenAPI(ctx context.Context) (*openapi3.T, error) {
	doc, err := openapi3.NewLoader().LoadFromData(openAPIYAML)
	if err != nil {
		return nil, fmt.Errorf("openapi.yaml: %w", err)
	}
	if err := doc.Validate(ctx); err != nil {
		return nil, fmt.Errorf("openapi.yaml: %w", err)
	}
	return doc, nil
}

// openAPIJSON is the document converted once, at start: a document that
// does not parse is a broken build, so it stops the program at once.
var openAPIJSON = func() []byte {
	doc, err := LoadOpenAPI(context.Background())
	if err != nil {
		panic(err)
	}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		panic(fmt.Errorf("openapi.yaml to JSON: %w", err))
	}
	return b
}()

func (a *API) registerDocument(mux *route.Mux) {
	mux.HandleFunc("GET "+OpenAPIPath, route.Public, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Write(openAPIJSON)
	})
}
