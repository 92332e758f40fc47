package web

import (
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/contoso/admincenter/handlers/apiauth"
	"github.com/contoso/admincenter/models"
)

// The default rate of an app at each API: 10,000 requests in 10 minutes, the rate
// Microsoft Graph allows an app per mailbox.
const (
	DefaultAPIRateLimit  = 10000
	DefaultAPIRateWindow = 10 * time.Minute
)

// forPrograms reports whether a path belongs to the surfaces for programs: the
// token endpoint (/{tenant}/oauth2/v2.0/token), the Exchange REST endpoint
// (/adminapi/...), Microsoft Graph (/v1.0/...) and the test controls (/api/test/...). They authenticate with
// bearer tokens (or, the test controls, by coming from loopback) and never with the
// pages' session cookie, so the pages' session, CSRF and page middleware skip them.
func forPrograms(path string) bool {
	if strings.HasPrefix(path, "/adminapi/") || strings.HasPrefix(path, "/v1.0/") || strings.HasPrefix(path, "/api/test/") {
		return true
	}
	// /{tenant}/oauth2/v2.0/token, and any other address under a tenant's oauth2.
	_, rest, _ := strings.Cut(strings.TrimPrefix(path, "/"), "/")
	return strings.HasPrefix(rest, "oauth2/")
}

// probeBearer treats a request to a program surface that carries a genuine access
// token (signed here, not expired) like a signed-in one when its body is read and
// it waits for a worker place; whether its app may still act is checked by the
// API's own middleware, which finds the verified token in the request's context
// and does not verify it again. Requests without one get the anonymous limits.
func probeBearer(store *models.Store) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			r := c.Request()
			if forPrograms(r.URL.Path) {
				r, genuine := apiauth.Genuine(store, r)
				c.SetRequest(r)
				c.Set(signedInKey, genuine)
			}
			return next(c)
		}
	}
}

// programErrorBody is the answer to a request for a program that failed before its
// API's own handlers could answer (a body too large or too slow, a panic): JSON in
// the OData error shape, never the pages' HTML.
type programErrorBody struct {
	Error programErrorDetail `json:"error"`
}

type programErrorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

func programError(c echo.Context, status int) {
	code := strings.ReplaceAll(http.StatusText(status), " ", "")
	if code == "" {
		code = "Error"
	}
	_ = c.JSON(status, programErrorBody{Error: programErrorDetail{Code: code, Message: http.StatusText(status)}})
}
