// Package handlers turns HTTP requests into calls on the models and renders the
// views. Handlers hold no business rules.
package handlers

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"github.com/contoso/admincenter/web/htmx"
)

// render writes partial to an htmx request and full to anything else. It renders
// into a buffer first, so a failed render becomes a clean error page rather than half
// a page.
func render(c echo.Context, status int, full, partial templ.Component) error {
	comp := full
	if partial != nil && htmx.IsPartial(c.Request()) {
		comp = partial
	}
	var buf bytes.Buffer
	if err := comp.Render(c.Request().Context(), &buf); err != nil {
		return fmt.Errorf("render: %w", err)
	}
	return c.HTMLBlob(status, buf.Bytes())
}

// redirect answers a form post: 303 to the next page, or for htmx an HX-Redirect so
// the whole page changes.
func redirect(c echo.Context, to string) error {
	if htmx.IsPartial(c.Request()) {
		c.Response().Header().Set(htmx.HeaderRedirect, to)
		return c.NoContent(http.StatusNoContent)
	}
	return c.Redirect(http.StatusSeeOther, to)
}

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
	return out
}

// maxLocalPath bounds a return address: longer ones are not anyone's page.
const maxLocalPath = 2048

// unsafePath reports control characters or backslashes.
func unsafePath(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f || r == '\\' || (r >= 0x80 && r < 0xa0) })
}
