package web

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/contoso/admincenter/views/components"
	"github.com/contoso/admincenter/web/session"
)

// csrfContextKey is where the CSRF middleware leaves the token for the views.
const csrfContextKey = "csrf"

// csrf protects every unsafe request. A browser that says the request comes from
// another site, sibling subdomains included (Sec-Fetch-Site: cross-site or
// same-site), is refused outright; with a --public-url, so is an Origin other than
// it. Then the request must carry the token bound to its session on the server (or,
// before sign-in, to its pre-session cookie), in the X-CSRF-Token header or the
// form body, never the query string.
func csrf(sessions *session.Store, cfg Config, skip func(echo.Context) bool) echo.MiddlewareFunc {
	origin := ""
	if cfg.PublicURL != nil {
		origin = cfg.PublicURL.Scheme + "://" + cfg.PublicURL.Host
	}
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if skip(c) {
				return next(c)
			}
			r := c.Request()
			switch r.Method {
			case http.MethodGet, http.MethodHead, http.MethodOptions:
				tok, err := sessions.CSRFToken(c)
				if err != nil {
					return err
				}
				c.Set(csrfContextKey, tok)
				return next(c)
			}
			switch r.Header.Get("Sec-Fetch-Site") {
			case "cross-site", "same-site":
				return csrfFailed(c, "fetch metadata")
			}
			if o := r.Header.Get(echo.HeaderOrigin); origin != "" && o != "" && !strings.EqualFold(o, origin) {
				return csrfFailed(c, "origin")
			}
			sent := r.Header.Get(components.CSRFHeaderName)
			if sent == "" {
				sent = r.PostFormValue(components.CSRFFieldName)
			}
			ok, err := sessions.ValidCSRF(c, sent, r.URL.Path == "/signin")
			if err != nil {
				return err
			}
			if !ok {
				if _, signedIn, _ := sessions.SignedIn(c); !signedIn && hadSession(r) && r.URL.Path != "/signin" {
					// The session ended while the page was open: sign in again, as
					// for any signed-out request. Nothing was done.
					return sendToSignIn(c)
				}
				return csrfFailed(c, "token")
			}
			tok, err := sessions.CSRFToken(c)
			if err != nil {
				return err
			}
			c.Set(csrfContextKey, tok)
			return next(c)
		}
	}
}

func csrfFailed(c echo.Context, why string) error {
	return echo.NewHTTPError(http.StatusForbidden, "CSRF check failed").SetInternal(&csrfError{why})
}

type csrfError struct{ why string }

func (e *csrfError) Error() string { return "CSRF check failed: " + e.why }

// hadSession reports whether the request carried a session cookie at all.
func hadSession(r *http.Request) bool {
	ck, err := r.Cookie(session.Cookie(r, session.CookieName))
	return err == nil && ck.Value != ""
}
