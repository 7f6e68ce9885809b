package httpjson

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"sync"

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

// errorBody is the answer to a refused request.
type errorBody struct {
	Error string `json:"error"`
	Field string `json:"field,omitempty"`
}

// WriteError answers err as {"error": ..., "field": ...}. Internal errors
// are logged and hidden.
func WriteError(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	e, status := Resolve(w, r, log, err)
	body := errorBody{Error: e.Message, Field: e.Field}
	if status == http.StatusTooManyRequests {
		writeEncoded(w, status, limited.encoded(body))
		return
	}
	Write(w, status, body)
}

// Write answers v as JSON with status, leaving non-ASCII as it is.
func Write(w http.ResponseWriter, status int, v any) {
	w.Header()["Content-Type"] = contentType
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

// contentType is the Content-Type of every JSON answer, shared rather
// than allocated for each (Header.Set replaces it, never writes into it).
var contentType = []string{"application/json; charset=utf-8"}

func writeEncoded(w http.ResponseWriter, status int, body []byte) {
	w.Header()["Content-Type"] = contentType
	w.WriteHeader(status)
	w.Write(body)
}

// limited keeps the encoded answers of the limits' refusals (429): a
// flood gets the same few thousands of times a second.
var limited = encodedBodies{max: 64}

// encodedBodies are answers encoded once, up to max of them; past that
// each is encoded when written, so that a refusal with words of its own
// (a count, a time) cannot grow it.
type encodedBodies struct {
	mu  sync.RWMutex
	m   map[errorBody][]byte
	max int
}

func (c *encodedBodies) encoded(body errorBody) []byte {
	c.mu.RLock()
	b, ok := c.m[body]
	c.mu.RUnlock()
	if ok {
		return b
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.Encode(body)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = make(map[errorBody][]byte)
	}
	if len(c.m) < c.max {
		c.m[body] = buf.Bytes()
	}
	return buf.Bytes()
}

// Handler adapts a handler that returns its error rather than writing it.
func Handler(log *slog.Logger, h func(http.ResponseWriter, *http.Request) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			WriteError(w, r, log, err)
		}
	})
}
