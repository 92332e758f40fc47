// Package handlers turns HTTP requests into calls on the models and renders the
// views. Handlers hold no business rules.
package handlers

import (
	"bytes"
	"fmt"
	"net/http"
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
// redirect after sign-in can never send a person elsewhere.
func LocalPath(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") ||
		strings.ContainsAny(next, "\r\n") {
		return "/"
	}
	return next
}
