package apitest_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/haocha/haocha/internal/api/apitest"
)

// recordingTB keeps what Check reports instead of failing the test.
type recordingTB struct {
	testing.TB
	errs []string
}

func (r *recordingTB) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}
func (r *recordingTB) Error(args ...any) { r.errs = append(r.errs, fmt.Sprint(args...)) }
func (r *recordingTB) Helper()           {}

// TestCheckFindsMismatches: a server that breaks the contract in each way
// the check knows is reported, and one that keeps it is not.
func TestCheckFindsMismatches(t *testing.T) {
	tests := []struct {
		name, method, target string
		status               int
		body                 string
		want                 string // in the report; "" for none
	}{
		{"kept", "GET", "/api/v1/me", 200, `{"name":"a","role":"operator"}`, ""},
		{"documented error", "GET", "/api/v1/me", 401, `{"error":"log in"}`, ""},
		{"body off the schema", "GET", "/api/v1/me", 200, `{"name":"a","role":"king"}`, "does not match"},
		{"undocumented status", "GET", "/api/v1/me", 418, `{"error":"teapot"}`, "does not match"},
		{"error without its message", "GET", "/api/v1/me", 401, `{"field":"x"}`, "does not match"},
		{"taken what the document refuses", "GET", "/api/v1/index", 200, `{}`, "the document refuses the request"},
		{"refused what the document refuses", "GET", "/api/v1/index", 422, `{"error":"scope required","field":"scope"}`, ""},
		{"route not in the document", "GET", "/api/v1/nowhere", 200, `{}`, "not in openapi.yaml"},
		{"refused route not in the document", "GET", "/api/v1/nowhere", 404, `{"error":"no"}`, ""},
		{"page, not the API", "GET", "/console/orders", 200, `<p>`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recordingTB{TB: t}
			h := apitest.Check(rec, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json; charset=utf-8")
				w.WriteHeader(tt.status)
				w.Write([]byte(tt.body))
			}))
			req := httptest.NewRequest(tt.method, tt.target, nil)
			req.Header.Set("Authorization", "Bearer x")
			h.ServeHTTP(httptest.NewRecorder(), req)
			got := strings.Join(rec.errs, "\n")
			if tt.want == "" && got != "" {
				t.Errorf("reported a kept contract: %s", got)
			}
			if tt.want != "" && !strings.Contains(got, tt.want) {
				t.Errorf("report %q, want one saying %q", got, tt.want)
			}
		})
	}
}
