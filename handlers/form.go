package handlers

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
)

// Reading what a request sends: every handler parses its input with these, so a
// malformed value means the same thing everywhere.

// idParam reads a numeric path parameter; anything else is a 404.
func idParam(c echo.Context, name string) (uint, error) {
	id, err := strconv.ParseUint(c.Param(name), 10, 32)
	if err != nil || id == 0 {
		return 0, echo.ErrNotFound
	}
	return uint(id), nil
}

// intQuery reads an integer query parameter, 0 when absent or malformed.
func intQuery(c echo.Context, name string) int {
	n, _ := strconv.Atoi(c.QueryParam(name))
	return n
}

// formParams reads a posted form; a body that is not one is a 400.
func formParams(c echo.Context) (url.Values, error) {
	form, err := c.FormParams()
	if err != nil {
		return nil, echo.NewHTTPError(http.StatusBadRequest).SetInternal(err)
	}
	return form, nil
}

// checkedIDs reads the ids ticked in a repeated field of a posted form (people,
// licenses), as formIDs does.
func checkedIDs(c echo.Context, name string) ([]uint, error) {
	form, err := formParams(c)
	if err != nil {
		return nil, err
	}
	return formIDs(form[name]), nil
}

// formIDs reads the ids of a repeated form or query field (checked people, licenses,
// trustees), in order, without repeats; values that are not ids are left out.
func formIDs(values []string) []uint {
	var out []uint
	for _, v := range values {
		if id, err := strconv.ParseUint(v, 10, 32); err == nil && id > 0 && !slices.Contains(out, uint(id)) {
			out = append(out, uint(id))
		}
	}
	return out
}

// formID reads one id from a form field; false when it holds none.
func formID(c echo.Context, name string) (uint, bool) {
	ids := formIDs([]string{c.FormValue(name)})
	if len(ids) == 0 {
		return 0, false
	}
	return ids[0], true
}

// formVersion reads the version a form was built from (0 when missing, which no
// record has, so the change is refused as stale).
func formVersion(c echo.Context) int {
	v, _ := strconv.Atoi(c.FormValue("version"))
	return v
}

// formChecked reads a checkbox.
func formChecked(c echo.Context, name string) bool { return c.FormValue(name) == "on" }

// localTime reads a datetime-local field as UTC; empty is nil, and false means it is
// not a date and time.
func localTime(s string) (*time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, true
	}
	t, err := time.ParseInLocation("2006-01-02T15:04", s, time.UTC)
	if err != nil {
		return nil, false
	}
	return &t, true
}

// LocalPath returns next when it is a path on this site, otherwise "/", so a
// redirect after sign-in can never send a person elsewhere. It accepts only what
// parses as a path with no scheme or host, and refuses control characters and
// backslashes anywhere, also percent-encoded: browsers drop tabs and newlines and
// read "\" as "/", which turns "/\t/evil.example" or "/\\evil.example" into
// "//evil.example". What comes back is the parsed path re-encoded, with its query.
func LocalPath(next string) string {
	if len(next) > maxLocalPath || !strings.HasPrefix(next, "/") || unsafePath(next) {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" ||
		!strings.HasPrefix(u.Path, "/") || strings.HasPrefix(u.Path, "//") || unsafePath(u.Path) {
		return "/"
	}
	if q, err := url.QueryUnescape(u.RawQuery); err != nil || unsafePath(q) {
		return "/"
	}
	out := u.EscapedPath()
	if strings.HasPrefix(out, "//") || strings.HasPrefix(out, "/\\") {
		return "/"
	}
	if u.RawQuery != "" {
		out += "?" + u.RawQuery
	}
	// Re-encoding can lengthen a path threefold; what comes back must itself
	// pass, so a link built from it keeps working.
	if len(out) > maxLocalPath {
		return "/"
	}
	return out
}

// maxLocalPath bounds a return address: longer ones are not anyone's page.
const maxLocalPath = 2048

// unsafePath reports control characters or backslashes.
func unsafePath(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f || r == '\\' || (r >= 0x80 && r < 0xa0) })
}
