// Package apperr holds Haocha's one error type: a code that the edges map to
// a status, the field at fault, and a message safe to show to users.
package apperr

import (
	"errors"
	"fmt"
)

// Code classifies an error for the edges (HTTP status, CLI exit message).
type Code string

// Error codes. Each maps to exactly one HTTP status, in httpjson (status.go).
const (
	Malformed    Code = "malformed"    // the request could not be read at all
	Invalid      Code = "invalid"      // well-formed but a value is wrong
	NotFound     Code = "not_found"    // the thing does not exist (or must not be seen)
	Conflict     Code = "conflict"     // the request repeats or contradicts stored state
	Unauthorized Code = "unauthorized" // no valid credentials
	Forbidden    Code = "forbidden"    // credentials valid, action not allowed
	Internal     Code = "internal"     // a fault of ours; details are logged, not shown
	TooMany      Code = "rate_limited" // the client must slow down
	// Unavailable: a dependency (the database) cannot be reached just now;
	// the client may retry the same request later.
	Unavailable Code = "unavailable"
	// UnsupportedType: the body is not of the media type the route takes.
	UnsupportedType Code = "unsupported_type"
	// Gone: the thing existed and is no longer usable (a used or expired
	// single-use link).
	Gone Code = "gone"
)

// Error is an error with a code, an optional field and a user-safe message.
type Error struct {
	Code    Code
	Field   string
	Message string
}

func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("%s: %s", e.Field, e.Message)
	}
	return e.Message
}

// New returns an error with code, field and message.
func New(code Code, field, format string, args ...any) *Error {
	return &Error{Code: code, Field: field, Message: fmt.Sprintf(format, args...)}
}

// Invalidf reports a wrong value in field.
func Invalidf(field, format string, args ...any) *Error {
	return New(Invalid, field, format, args...)
}

// NotFoundf reports a missing thing.
func NotFoundf(field, format string, args ...any) *Error {
	return New(NotFound, field, format, args...)
}

// As returns the *Error inside err, or nil.
func As(err error) *Error {
	if e, ok := err.(*Error); ok {
		// Unwrapped, as most are: errors.As would allocate its target.
		return e
	}
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}

// CodeOf returns err's code: Internal for errors that carry none.
func CodeOf(err error) Code {
	if e := As(err); e != nil {
		return e.Code
	}
	return Internal
}

// Is reports whether err carries code.
func Is(err error, code Code) bool { return err != nil && CodeOf(err) == code }
