package httpjson_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"syscall"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/httpjson"
)

type input struct {
	Stars      int            `json:"stars"`
	Dimensions map[string]int `json:"dimensions"`
	Contact    *struct {
		Name string `json:"name"`
	} `json:"contact"`
}

func TestDecodeNamesTheFieldAtFault(t *testing.T) {
	tests := []struct {
		name, body string
		optional   bool
		field      string // "" when the body is accepted
		message    string
	}{
		{"good", `{"stars":4,"dimensions":{"accuracy":5}}`, false, "", ""},
		{"unknown field", `{"stars":4,"colour":"red"}`, false, "colour", "unknown field"},
		{"unknown nested field", `{"contact":{"name":"x","phone":"1"}}`, false, "contact.phone", "unknown field"},
		{"unknown field that looks like a known one", `{"Stars":4}`, false, "Stars", "unknown field"},
		{"unknown field with an empty name", `{"":1}`, false, "body", "unknown field"},
		{"repeated field", `{"stars":4,"stars":1}`, false, "stars", "repeated field"},
		{"wrong type", `{"stars":"five"}`, false, "stars", "wrong type"},
		{"wrong type inside a map", `{"dimensions":{"accuracy":"high"}}`, false, "dimensions.accuracy", "wrong type"},
		{"ends early", `{"stars":4,`, false, "body", "ends early"},
		{"two objects", `{"stars":4} {"stars":5}`, false, "body", "malformed JSON"},
		{"empty", ``, false, "body", "empty"},
		{"empty where optional", ` `, true, "", ""},
		{"too large", `{"dimensions":{` + strings.Repeat(`"x":1,`, httpjson.MaxBody/6) + `"y":1}}`, false, "body", "larger than"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(tt.body))
			r.Header.Set("Content-Type", "application/json; charset=utf-8")
			decode := httpjson.Decode
			if tt.optional {
				decode = httpjson.DecodeOptional
			}
			var in input
			err := decode(httptest.NewRecorder(), r, &in)
			if tt.field == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			e := apperr.As(err)
			if e == nil || e.Code != apperr.Malformed || e.Field != tt.field || !strings.Contains(e.Message, tt.message) {
				t.Fatalf("got %#v, want malformed %q with %q", e, tt.field, tt.message)
			}
		})
	}
}

// TestDecodeTakesJSONOnly: a body sent as text/plain or a form (what another
// website can make a visitor's browser post without asking) is refused
// with 415, however well it parses.
func TestDecodeTakesJSONOnly(t *testing.T) {
	for _, ct := range []string{"", "text/plain", "text/plain; charset=utf-8", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/jsonp"} {
		r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(`{"stars":4}`))
		if ct != "" {
			r.Header.Set("Content-Type", ct)
		}
		var in input
		err := httpjson.Decode(httptest.NewRecorder(), r, &in)
		if httpjson.Status(apperr.CodeOf(err)) != http.StatusUnsupportedMediaType || in.Stars != 0 {
			t.Errorf("Content-Type %q: %v, decoded %+v; want 415 and nothing read", ct, err, in)
		}
	}
}

func TestWriteErrorStatusesAndLogs(t *testing.T) {
	tests := []struct {
		name       string
		err        error
		cancelled  bool
		status     int
		retryAfter bool
		logLevel   string // the level of the line logged, "" for none
	}{
		{"invalid", apperr.Invalidf("stars", "want 1 to 5"), false, 422, false, ""},
		{"rate limited", apperr.New(apperr.TooMany, "client", "slow down"), false, 429, false, ""},
		{"database unavailable", fmt.Errorf("create review: %w", apperr.New(apperr.Unavailable, "", "try again")), false, 503, true, "WARN"},
		{"internal", errors.New("disk on fire"), false, 500, false, "ERROR"},
		{"client hung up", fmt.Errorf("create review: %w", context.Canceled), true, httpjson.StatusClientClosed, false, "INFO"},
		{"client hung up during a query that failed oddly", errors.New("sqlite: interrupted"), true, httpjson.StatusClientClosed, false, "INFO"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs bytes.Buffer
			log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
			r := httptest.NewRequest(http.MethodPost, "/api/v1/reviews", nil)
			if tt.cancelled {
				ctx, cancel := context.WithCancel(r.Context())
				cancel()
				r = r.WithContext(ctx)
			}
			rec := httptest.NewRecorder()
			httpjson.WriteError(rec, r, log, tt.err)
			if rec.Code != tt.status {
				t.Errorf("status %d, want %d", rec.Code, tt.status)
			}
			if got := rec.Header().Get("Retry-After"); (got != "") != tt.retryAfter {
				t.Errorf("Retry-After %q, want it set: %v", got, tt.retryAfter)
			}
			if tt.logLevel == "" && logs.Len() > 0 || tt.logLevel != "" && !strings.Contains(logs.String(), "level="+tt.logLevel) {
				t.Errorf("logged %q, want a line at %q", logs.String(), tt.logLevel)
			}
			if strings.Contains(rec.Body.String(), "disk on fire") {
				t.Errorf("internal detail shown: %s", rec.Body)
			}
		})
	}
}

// A database error that reached the edge unmarked (a write path during a
// failover) answers 503 with Retry-After, not 500; other faults stay 500.
func TestUnmarkedDatabaseOutageIs503(t *testing.T) {
	for _, tt := range []struct {
		err  error
		want int
	}{
		{fmt.Errorf("insert session: %w", &pgconn.PgError{Code: "25006", Message: "cannot execute INSERT in a read-only transaction"}), http.StatusServiceUnavailable},
		{fmt.Errorf("insert session: %w", &pgconn.PgError{Code: "57P01"}), http.StatusServiceUnavailable},
		{fmt.Errorf("insert session: %w", &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}), http.StatusServiceUnavailable},
		{errors.New("nil map"), http.StatusInternalServerError},
	} {
		rec := httptest.NewRecorder()
		httpjson.WriteError(rec, httptest.NewRequest("POST", "/x", nil), slog.New(slog.DiscardHandler), tt.err)
		if rec.Code != tt.want {
			t.Errorf("%v: status %d, want %d", tt.err, rec.Code, tt.want)
		}
		if got := rec.Header().Get("Retry-After"); (tt.want == http.StatusServiceUnavailable) != (got != "") {
			t.Errorf("%v: Retry-After %q", tt.err, got)
		}
	}
}

// A limit's refusal (429) is answered from its encoding kept once, the
// same bytes as any error's answer; past the bound of what is kept,
// refusals with words of their own are still answered in their own words.
func TestTooManyAnswer(t *testing.T) {
	answer := func(err error) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		httpjson.WriteError(rec, httptest.NewRequest(http.MethodPost, "/api/v1/reviews", nil), slog.New(slog.DiscardHandler), err)
		return rec
	}
	slow := apperr.New(apperr.TooMany, "client", "slow down: \"at most\" 30 <in> 10m")
	for range 2 {
		rec := answer(slow)
		if want := `{"error":"slow down: \"at most\" 30 <in> 10m","field":"client"}` + "\n"; rec.Code != 429 || rec.Body.String() != want {
			t.Errorf("%d %q, want 429 %q", rec.Code, rec.Body, want)
		}
		if ct := rec.Header().Get("Content-Type"); ct != "application/json; charset=utf-8" {
			t.Errorf("Content-Type %q", ct)
		}
	}
	for i := range 200 {
		msg := fmt.Sprintf("wait %d seconds", i)
		rec := answer(apperr.New(apperr.TooMany, "", "%s", msg))
		if want := `{"error":"` + msg + `"}` + "\n"; rec.Body.String() != want {
			t.Fatalf("refusal %d: %q, want %q", i, rec.Body, want)
		}
	}
}
