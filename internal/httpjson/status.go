package httpjson

import (
	"encoding/json"
	"log/slog"
	"net/http"

	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/dberr"
)

// RetryAfter is what an unavailable database asks clients to wait, in
// seconds: about as long as a PostgreSQL restart takes.
const RetryAfter = "10"

// StatusClientClosed is logged for a request whose client hung up before
// the answer: nobody reads it, and it is not a fault of ours (nginx's 499).
const StatusClientClosed = 499

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
	case apperr.Unavailable:
		return http.StatusServiceUnavailable
	case apperr.UnsupportedType:
		return http.StatusUnsupportedMediaType
	case apperr.Gone:
		return http.StatusGone
	}
	return http.StatusInternalServerError
}

// Resolve turns err into the error to show and its status, logging what
// needs a look once: internal faults at ERROR, an unreachable database at
// WARN, a client that hung up at INFO. It sets the headers the status
// needs (Retry-After, WWW-Authenticate).
func Resolve(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) (*apperr.Error, int) {
	ctx := r.Context()
	if ctx.Err() != nil {
		// Whatever failed, it failed because the client hung up or its
		// deadline passed: not ours to fix.
		log.InfoContext(ctx, "client gone before the answer", "method", r.Method, "path", r.Pattern, "err", err)
		return &apperr.Error{Code: apperr.Unavailable, Message: "request cancelled"}, StatusClientClosed
	}
	e := apperr.As(err)
	if e == nil && dberr.Unreachable(err) {
		// A database error a store method passed on unmarked: during a
		// failover that is any write path, and it is "try again" too.
		e = &apperr.Error{Code: apperr.Unavailable, Message: "the database is unavailable just now: try again shortly"}
	}
	switch {
	case e == nil:
		log.ErrorContext(ctx, "request failed", "method", r.Method, "path", r.Pattern, "err", err)
		e = &apperr.Error{Code: apperr.Internal, Message: "internal error"}
	case e.Code == apperr.Unavailable:
		log.WarnContext(ctx, "database unavailable", "method", r.Method, "path", r.Pattern, "err", err)
		w.Header().Set("Retry-After", RetryAfter)
	case e.Code == apperr.Unauthorized:
		w.Header().Set("WWW-Authenticate", `Bearer realm="haocha"`)
	}
	return e, Status(e.Code)
}

// WriteError answers err as {"error": ..., "field": ...}. Internal errors
// are logged and hidden.
func WriteError(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	e, status := Resolve(w, r, log, err)
	body := map[string]string{"error": e.Message}
	if e.Field != "" {
		body["field"] = e.Field
	}
	Write(w, status, body)
}

// Write answers v as JSON with status, leaving non-ASCII as it is.
func Write(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

// Handler adapts a handler that returns its error rather than writing it.
func Handler(log *slog.Logger, h func(http.ResponseWriter, *http.Request) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			WriteError(w, r, log, err)
		}
	})
}
