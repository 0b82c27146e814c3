// Package apperr is Haven's one error vocabulary: a domain error carries a code and a message
// that is safe to show the member; the web layer maps codes to HTTP statuses in one place.
package apperr

import (
	"errors"
	"fmt"
	"time"
)

// Codes a domain can return.
const (
	EINVALID      = "invalid"      // the input is wrong; Fields says where
	ENOTFOUND     = "not_found"    // nothing there, or nothing the viewer may see
	EUNAUTHORIZED = "unauthorized" // not signed in, or wrong credentials
	EFORBIDDEN    = "forbidden"    // signed in, but not allowed
	ECONFLICT     = "conflict"     // already exists, or already handled
	ERATELIMIT    = "rate_limited" // too many attempts; RetryAfter says for how long
	EUNAVAILABLE  = "unavailable"  // a dependency (the database) is not answering
	EINTERNAL     = "internal"     // a bug; the member sees only a calm apology
)

// Error is a domain error.
type Error struct {
	Code       string
	Message    string            // safe to show the member
	Fields     map[string]string // per form field, for EINVALID
	RetryAfter time.Duration     // for ERATELIMIT
	Ends       time.Time         // when what Message speaks of ends (a mute, a suspension), shown as a time; zero: none
	Err        error             // the cause, never shown
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Err)
	}
	return e.Code + ": " + e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// New returns an error with a code and a safe message.
func New(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Invalid returns an EINVALID error for form fields (field name → message).
func Invalid(fields map[string]string) *Error {
	return &Error{Code: EINVALID, Message: "Please check the highlighted fields.", Fields: fields}
}

// Code returns err's code, or EINTERNAL when err is not a domain error.
func Code(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// As returns err as a domain error, if it is one.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// Conflict returns an ECONFLICT error that, like Invalid, points at form fields.
func Conflict(fields map[string]string) *Error {
	return &Error{Code: ECONFLICT, Message: "Please check the highlighted fields.", Fields: fields}
}
