// Package api serves Haocha's JSON API: review intake, statistics and the
// catalogue.
package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"

	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/metrics"
	"github.com/haocha/haocha/internal/store"
)

// MaxBody is the largest request body accepted, in bytes.
const MaxBody = 64 << 10

// API holds what the handlers need.
type API struct {
	Store *store.Store
	Log   *slog.Logger
	// Salt keys the hashed client mark kept with each review.
	Salt []byte
	// Metrics counts accepted and refused reviews; nil counts nothing.
	Metrics *metrics.Metrics
}

// Register adds the API's routes to mux.
func (a *API) Register(mux *http.ServeMux) {
	mux.Handle("POST /api/v1/reviews", a.handle(a.countReview(a.createReview)))
	mux.Handle("GET /api/v1/stats", a.handle(a.stats))
	mux.Handle("GET /api/v1/index", a.handle(a.indexBoard))
	mux.Handle("GET /api/v1/indicators", a.handle(a.indicators))
	mux.Handle("GET /api/v1/units", a.handle(a.units))
	mux.Handle("GET /api/v1/units/{code}", a.handle(a.unit))
	mux.Handle("GET /api/v1/items", a.handle(a.items))
	mux.Handle("GET /api/v1/items/{code}", a.handle(a.item))
	mux.Handle("GET /api/v1/workstations/{code}", a.handle(a.workstation))
	mux.Handle("GET /api/v1/dimensions", a.handle(a.dimensions))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		if err := a.Store.DB().PingContext(r.Context()); err != nil {
			WriteJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "database unavailable"})
			return
		}
		WriteJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
}

// handlerFunc is an API handler: it returns an error rather than writing one.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

func (a *API) handle(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			WriteError(w, r, a.Log, err)
		}
	})
}

// Status maps an error code to its HTTP status: the one place that does.
func Status(code apperr.Code) int {
	switch code {
	case apperr.Malformed:
		return http.StatusBadRequest
	case apperr.Invalid:
		return http.StatusUnprocessableEntity
	case apperr.NotFound:
		return http.StatusNotFound
	case apperr.Conflict:
		return http.StatusConflict
	case apperr.Unauthorized:
		return http.StatusUnauthorized
	case apperr.Forbidden:
		return http.StatusForbidden
	case apperr.TooMany:
		return http.StatusTooManyRequests
	}
	return http.StatusInternalServerError
}

// WriteError answers err as {"error": ..., "field": ...}. Internal errors
// are logged and hidden.
func WriteError(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	e := apperr.As(err)
	if e == nil {
		log.ErrorContext(r.Context(), "request failed", "method", r.Method, "path", r.URL.Path, "err", err)
		e = &apperr.Error{Code: apperr.Internal, Message: "internal error"}
	}
	body := map[string]string{"error": e.Message}
	if e.Field != "" {
		body["field"] = e.Field
	}
	WriteJSON(w, Status(e.Code), body)
}

// WriteJSON answers v as JSON with status, leaving non-ASCII as it is.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

// decode reads one JSON object of at most MaxBody bytes into v, refusing
// unknown fields, so a misspelt field is an error and not silently lost.
func decode(w http.ResponseWriter, r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, MaxBody))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil {
		if dec.More() {
			return apperr.New(apperr.Malformed, "body", "want one JSON object, found more after it")
		}
		return nil
	}
	var tooBig *http.MaxBytesError
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &tooBig):
		return apperr.New(apperr.Malformed, "body", "larger than %d bytes", MaxBody)
	case errors.As(err, &typeErr):
		return apperr.New(apperr.Malformed, typeErr.Field, "wrong type: want %s", typeErr.Type)
	case errors.As(err, &syntaxErr):
		return apperr.New(apperr.Malformed, "body", "malformed JSON at byte %d: %v", syntaxErr.Offset, syntaxErr)
	case errors.Is(err, io.EOF):
		return apperr.New(apperr.Malformed, "body", "empty: want a JSON object")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return apperr.New(apperr.Malformed, "body", "malformed JSON: ends early")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return apperr.New(apperr.Malformed, field, "unknown field")
	}
	return apperr.New(apperr.Malformed, "body", "malformed JSON: %v", err)
}

// tooMany is a sanity bound on list sizes requested by clients.
func limitParam(r *http.Request, def, max int) (int, error) {
	v := r.URL.Query().Get("limit")
	if v == "" {
		return def, nil
	}
	var n int
	if _, err := fmt.Sscan(v, &n); err != nil || n < 1 || n > max {
		return 0, apperr.Invalidf("limit", "want 1 to %d", max)
	}
	return n, nil
}
