package models

import (
	"errors"
	"maps"
	"slices"
	"sort"
	"strings"
)

// ErrNotFound is returned when the requested record does not exist.
var ErrNotFound = errors.New("not found")

// ErrForbidden is returned when the acting admin's roles do not allow a change.
var ErrForbidden = errors.New("forbidden")

// ErrNeedsConfirmation is returned when a change has consequences the admin has not
// confirmed yet. Nothing was changed.
var ErrNeedsConfirmation = errors.New("the change needs confirmation")

// ErrStale is returned when a form was based on settings that have changed since.
var ErrStale = errors.New("the settings changed since the form was opened")

// Sign-in failures. ErrInvalidCredentials covers both an unknown address and a wrong
// password, so the message never says which part was wrong.
var (
	ErrInvalidCredentials = errors.New("invalid credentials")
	ErrNotAdmin           = errors.New("account has no admin role")
	ErrSignInBlocked      = errors.New("sign-in blocked")
)

// FieldError is one rule violation: the message key (translated by the views) and
// the values it names.
type FieldError struct {
	Key  string
	Args map[string]any
}

// ValidationError holds the rule violations of one change, per form field. The
// empty field name is a form-level message.
type ValidationError struct {
	Fields map[string]FieldError
	// order lists the fields in the order their rules were checked, which follows
	// the form, so the first message is the same on every run.
	order []string
}

// Error lists the violated rules by key; it is for logs, never shown to a person.
func (e *ValidationError) Error() string {
	keys := make([]string, 0, len(e.Fields))
	for f, fe := range e.Fields {
		keys = append(keys, f+": "+fe.Key)
	}
	sort.Strings(keys)
	return "validation failed: " + strings.Join(keys, "; ")
}

// Add records a violation for a field and returns the error for chaining.
func (e *ValidationError) Add(field, key string, args map[string]any) *ValidationError {
	if e.Fields == nil {
		e.Fields = map[string]FieldError{}
	}
	if _, ok := e.Fields[field]; !ok {
		e.Fields[field] = FieldError{Key: key, Args: args}
		e.order = append(e.order, field)
	}
	return e
}

// First returns the first violation in field order, for a place that shows one
// message; nil when there is none.
func (e *ValidationError) First() *FieldError {
	if e == nil {
		return nil
	}
	for _, f := range e.order {
		fe := e.Fields[f]
		return &fe
	}
	for _, f := range slices.Sorted(maps.Keys(e.Fields)) { // built without Add
		fe := e.Fields[f]
		return &fe
	}
	return nil
}

// OrNil returns nil when no violation was recorded, so callers can return it directly.
func (e *ValidationError) OrNil() error {
	if e == nil || len(e.Fields) == 0 {
		return nil
	}
	return e
}

// Invalid builds a ValidationError with a single violation.
func Invalid(field, key string, args map[string]any) *ValidationError {
	return (&ValidationError{}).Add(field, key, args)
}

// AsValidation returns the ValidationError inside err, if there is one.
func AsValidation(err error) (*ValidationError, bool) {
	var ve *ValidationError
	ok := errors.As(err, &ve)
	return ve, ok
}
