// Package templfast holds the faster twin of one templ runtime function that the
// generated components call for every { expression } they write.
//
// templ's JoinStringErrs formats every value with fmt.Sprint, which boxes the value
// and copies a string that needs no formatting at all: on a page of 50 rows that was
// about a third of the cost of rendering it. `make templ` runs cmd/templpatch after
// `templ generate`, which points the generated code at JoinStringErrs here; the
// output is the same byte for byte (TestJoinStringErrsMatchesTempl).
package templfast

import (
	"errors"
	"fmt"
	"strconv"
)

// JoinStringErrs is templ.JoinStringErrs without fmt for plain strings and ints;
// every other type (named types may have a String method) still goes through
// fmt.Sprint, as templ does.
func JoinStringErrs[T interface {
	~int | ~int8 | ~int16 | ~int32 | ~int64 | ~uint | ~uint8 | ~uint16 | ~uint32 | ~uint64 | ~uintptr |
		~float32 | ~float64 | ~complex64 | ~complex128 | ~string | ~bool
}](s T, errs ...error) (string, error) {
	var err error
	if len(errs) > 0 {
		err = errors.Join(errs...)
	}
	switch v := any(s).(type) {
	case string:
		return v, err
	case int:
		return strconv.Itoa(v), err
	}
	return fmt.Sprint(s), err
}
