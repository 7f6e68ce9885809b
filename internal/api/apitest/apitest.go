// Package apitest holds the API to its contract in tests: Check wraps a
// handler so that every request the tests send to a path of the OpenAPI
// document, and every answer, is validated against the document.
package apitest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/haocha/haocha/internal/api"
)

// apiPrefixes are the paths that must all be in the document: a request
// under them that the document does not name fails the test unless the
// server refused it (4xx: nothing there, or not for this caller).
var apiPrefixes = []string{"/api/v1/", "/open311/"}

// maxBody is how much of an answer is kept for validation; a longer one
// (an event stream that ran long) is checked for its status only.
const maxBody = 8 << 20

var (
	loadOnce sync.Once
	router   routers.Router
	loadErr  error
)

func init() {
	// Answers the document gives as text or files: their bodies are
	// strings, not JSON, to the validator.
	for _, ct := range []string{"text/event-stream", "text/html",
		"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"} {
		openapi3filter.RegisterBodyDecoder(ct, openapi3filter.FileBodyDecoder)
	}
}

func load() (routers.Router, error) {
	loadOnce.Do(func() {
		var doc *openapi3.T
		if doc, loadErr = api.LoadOpenAPI(context.Background()); loadErr == nil {
			router, loadErr = gorillamux.NewRouter(doc)
		}
	})
	return router, loadErr
}

// Check returns h wrapped so that each request to a path of the document
// and its answer are validated against it, failing tb on a mismatch:
//   - a request the document allows must get an answer it documents, in
//     status, headers and body;
//   - a request it refuses (a missing required parameter, a wrong body)
//     must be refused by the server too, with a 4xx it documents;
//   - a request under /api/v1/ or /open311/ on a path it does not name
//     must be refused (4xx).
//
// Who may call is the server's to check (the route walk tests it), so
// credentials are not.
func Check(tb testing.TB, h http.Handler) http.Handler {
	tb.Helper()
	var mu sync.Mutex
	done := false
	// A fuzz test may not fail from inside its target: its reports wait
	// for the end.
	_, fuzzing := tb.(*testing.F)
	var held []string
	tb.Cleanup(func() {
		mu.Lock()
		defer mu.Unlock()
		for _, h := range held {
			tb.Error(h)
		}
		done = true
	})
	checked, err := Wrap(h, func(msg string) {
		mu.Lock()
		defer mu.Unlock()
		switch {
		case done:
			// An answer finished after the test (a stream a server
			// closed late) has no test left to fail.
		case fuzzing:
			held = append(held, msg)
		default:
			tb.Error(msg)
		}
	})
	if err != nil {
		tb.Fatal(err)
	}
	return checked
}

// Wrap is Check for tests without a testing.TB at hand (a TestMain's
// shared server): each mismatch is handed to report, which may be called
// from several requests at once.
func Wrap(h http.Handler, report func(msg string)) (http.Handler, error) {
	rt, err := load()
	if err != nil {
		return nil, err
	}
	reportf := func(format string, args ...any) { report(fmt.Sprintf("contract: "+format, args...)) }
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		route, params, findErr := rt.FindRoute(r)
		if findErr != nil {
			rec := &recorder{ResponseWriter: w}
			h.ServeHTTP(rec, r)
			if s := rec.status(); underAPI(r.URL.Path) && (s < 400 || s > 499) {
				reportf("%s %s answered %d but is not in openapi.yaml: %v", r.Method, r.URL.Path, rec.status(), findErr)
			}
			return
		}
		body, err := io.ReadAll(r.Body)
		if err != nil {
			reportf("%s %s: reading the request: %v", r.Method, r.URL.Path, err)
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		in := &openapi3filter.RequestValidationInput{Request: r.Clone(r.Context()), PathParams: params, Route: route,
			Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, MultiError: true}}
		in.Request.Body = io.NopCloser(bytes.NewReader(body))
		reqErr := openapi3filter.ValidateRequest(r.Context(), in)

		rec := &recorder{ResponseWriter: w}
		h.ServeHTTP(rec, r)
		status := rec.status()
		if reqErr != nil && (status < 400 || status > 499) {
			reportf("%s %s: the document refuses the request but the server answered %d: %v", r.Method, r.URL.RequestURI(), status, reqErr)
		}
		if rec.body.Len() > maxBody {
			return
		}
		out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: status, Header: rec.Header(),
			Body:    io.NopCloser(bytes.NewReader(rec.body.Bytes())),
			Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true}}
		if err := openapi3filter.ValidateResponse(r.Context(), out); err != nil {
			reportf("%s %s: the %d answer does not match openapi.yaml: %v\nbody: %s", r.Method, r.URL.RequestURI(), status, err, clip(rec.body.String()))
		}
	}), nil
}

func underAPI(path string) bool {
	for _, p := range apiPrefixes {
		if strings.HasPrefix(path, p) {
			return true
		}
	}
	return false
}

func clip(s string) string {
	if len(s) > 600 {
		return s[:600] + "…"
	}
	return s
}

// recorder passes the answer through and keeps a copy of it.
type recorder struct {
	http.ResponseWriter
	code int
	body bytes.Buffer
}

func (r *recorder) WriteHeader(code int) {
	if r.code == 0 {
		r.code = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.code == 0 {
		r.code = http.StatusOK
	}
	if r.body.Len() <= maxBody {
		r.body.Write(b)
	}
	return r.ResponseWriter.Write(b)
}

func (r *recorder) status() int {
	if r.code == 0 {
		return http.StatusOK
	}
	return r.code
}

// Unwrap lets http.ResponseController reach the writer beneath (flushes
// of an event stream, write deadlines).
func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// Flush passes a flush through for code that asks the writer directly.
func (r *recorder) Flush() {
	if f, ok := r.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}
