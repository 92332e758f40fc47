package web

import (
	"bytes"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/contoso/admincenter/web/session"
)

// scheme decides whether the request reached the visitor over TLS and records it
// for the cookies and HSTS: served with TLS, or a --public-url of https, or
// "X-Forwarded-Proto: https" from a proxy in --trusted-proxies (from anyone else the
// header is ignored).
func scheme(cfg Config) echo.MiddlewareFunc {
	publicHTTPS := cfg.PublicURL != nil && cfg.PublicURL.Scheme == "https"
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			r := c.Request()
			secure := cfg.Secure || r.TLS != nil || publicHTTPS
			if !secure && cfg.PublicURL == nil && fromTrustedProxy(r, cfg.TrustedProxies) {
				proto, _, _ := strings.Cut(r.Header.Get(echo.HeaderXForwardedProto), ",")
				secure = strings.EqualFold(strings.TrimSpace(proto), "https")
			}
			c.SetRequest(r.WithContext(session.WithSecure(r.Context(), secure)))
			return next(c)
		}
	}
}

// fromTrustedProxy reports whether the connection comes from one of the proxies.
func fromTrustedProxy(r *http.Request, proxies []*net.IPNet) bool {
	ip := peerIP(r)
	if ip == nil {
		return false
	}
	for _, n := range proxies {
		if n.Contains(ip) {
			return true
		}
	}
	return false
}

func peerIP(r *http.Request) net.IP {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return nil
	}
	return net.ParseIP(host)
}

// signedInKey is where probeSession leaves whether the request belongs to a live
// signed-in session.
const signedInKey = "admincenter.signed_in"

// probeSession looks the request's session up once, before the body is read and a
// worker slot is taken, so both can treat anonymous requests more strictly.
func probeSession(sessions *session.Store, skip func(echo.Context) bool) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if skip(c) {
				return next(c)
			}
			_, ok, err := sessions.SignedIn(c)
			if err != nil {
				return err
			}
			c.Set(signedInKey, ok)
			return next(c)
		}
	}
}

func signedIn(c echo.Context) bool {
	ok, _ := c.Get(signedInKey).(bool)
	return ok
}

// readBody reads the whole (bounded) request body before the request takes a worker
// slot, so a slow upload holds a connection, not a slot everyone else waits for.
// Anonymous requests get a small limit and a short deadline; a body that is too
// large is a 413, one that does not arrive in time a 408.
func readBody(limit, anonLimit int64, timeout, anonTimeout time.Duration) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			r := c.Request()
			if r.Body == nil || r.Body == http.NoBody || (r.ContentLength == 0 && len(r.TransferEncoding) == 0) {
				return next(c)
			}
			max, wait := limit, timeout
			if !signedIn(c) {
				max, wait = min(limit, anonLimit), anonTimeout
			}
			if r.ContentLength > max {
				c.Response().Header().Set(echo.HeaderConnection, "close")
				return echo.ErrStatusRequestEntityTooLarge
			}
			rc := http.NewResponseController(c.Response())
			_ = rc.SetReadDeadline(time.Now().Add(wait)) // not every writer supports it (tests' recorders)
			body, err := io.ReadAll(http.MaxBytesReader(c.Response(), r.Body, max))
			_ = rc.SetReadDeadline(time.Time{})
			if err != nil {
				c.Response().Header().Set(echo.HeaderConnection, "close")
				var tooLarge *http.MaxBytesError
				var ne net.Error
				switch {
				case errors.As(err, &tooLarge):
					return echo.ErrStatusRequestEntityTooLarge
				case errors.Is(err, os.ErrDeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
					return echo.NewHTTPError(http.StatusRequestTimeout).SetInternal(err)
				default:
					return echo.NewHTTPError(http.StatusBadRequest).SetInternal(err)
				}
			}
			r.Body = io.NopCloser(bytes.NewReader(body))
			r.ContentLength = int64(len(body))
			return next(c)
		}
	}
}

// concurrencyLimit lets at most n signed-in requests work at once, and anonymous
// requests at most anon in a pool of their own; the others wait their turn. Past the
// machine's capacity, queued requests then cost a parked goroutine instead of a
// half-built page each, which keeps memory flat under overload, and anonymous
// traffic can't take the places of the admins at work. Bodies are read before
// (readBody), so a slot is only held while working.
func concurrencyLimit(n, anon int, skip func(echo.Context) bool) echo.MiddlewareFunc {
	slots := make(chan struct{}, n)
	anonSlots := make(chan struct{}, anon)
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if skip(c) {
				return next(c)
			}
			pool := anonSlots
			if signedIn(c) {
				pool = slots
			}
			select {
			case pool <- struct{}{}:
			case <-c.Request().Context().Done():
				return c.Request().Context().Err()
			}
			defer func() { <-pool }()
			return next(c)
		}
	}
}
