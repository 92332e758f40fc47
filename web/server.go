// Package web assembles the HTTP server: the echo instance, its middleware in order,
// the one error handler and the route table.
package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"runtime"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/contoso/admincenter/models"
	"github.com/contoso/admincenter/models/powershell"
	"github.com/contoso/admincenter/views"
	"github.com/contoso/admincenter/views/i18n"
	"github.com/contoso/admincenter/views/page"
	"github.com/contoso/admincenter/web/htmx"
	"github.com/contoso/admincenter/web/session"
)

// Config is what the server needs to know beyond the database.
type Config struct {
	// Secure is true when served over TLS: cookies get the Secure flag and the
	// __Host- prefix, and HSTS is sent.
	Secure bool
	// PublicURL is the address visitors use, when the server sits behind a proxy
	// (e.g. https://admin.contoso.com). Its scheme decides Secure for every request;
	// unsafe requests must come from its origin.
	PublicURL *url.URL
	// IdleTimeout and AbsoluteTimeout bound a sign-in session.
	IdleTimeout     time.Duration
	AbsoluteTimeout time.Duration
	// SessionTouchInterval is how often at most a session's activity is written.
	SessionTouchInterval time.Duration
	// BodyLimit bounds a signed-in request's body, AnonymousBodyLimit anyone
	// else's, in bytes.
	BodyLimit          int64
	AnonymousBodyLimit int64
	// BodyTimeout and AnonymousBodyTimeout bound how long reading a body may take.
	BodyTimeout          time.Duration
	AnonymousBodyTimeout time.Duration
	// TrustedProxies are the proxies whose X-Forwarded-For and X-Forwarded-Proto
	// are believed; without any, the client address is the connection's.
	TrustedProxies []*net.IPNet
	// MetricsToken, when set, is the bearer token /metrics requires from everyone;
	// without it /metrics answers loopback clients only.
	MetricsToken string
	// BenchBaseline routes /_bench/baseline, the in-memory page `make bench` compares with.
	BenchBaseline bool
	// Cmdlets are the cmdlets the Exchange REST endpoint runs; nil means
	// Exchange's (models/powershell/exchange), as the console and the CLI run them.
	Cmdlets *powershell.Registry
	// Jobs runs bulk jobs; nil starts a runner for the server's store.
	Jobs *models.JobRunner
	// APIRateLimit is how many requests an app may make to an API per APIRateWindow;
	// 0 for no limit.
	APIRateLimit  int
	APIRateWindow time.Duration
	// TestControls serves /api/test/* (reset, session, propagation delay) for test
	// suites; the server must listen on loopback.
	TestControls bool
}

// DefaultConfig returns the timeouts and limits the server uses unless told otherwise.
func DefaultConfig() Config {
	return Config{IdleTimeout: 60 * time.Minute, AbsoluteTimeout: 12 * time.Hour, SessionTouchInterval: time.Minute,
		BodyLimit: 1 << 20, AnonymousBodyLimit: 16 << 10, BodyTimeout: 30 * time.Second, AnonymousBodyTimeout: 5 * time.Second,
		APIRateLimit: DefaultAPIRateLimit, APIRateWindow: DefaultAPIRateWindow}
}

// New builds the echo server with its middleware and routes.
func New(cfg Config, store *models.Store, log *slog.Logger) *echo.Echo {
	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	// Client addresses come from the connection; X-Forwarded-For is believed only
	// from proxies configured as trusted.
	e.IPExtractor = echo.ExtractIPDirect()
	if len(cfg.TrustedProxies) > 0 {
		opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
		for _, n := range cfg.TrustedProxies {
			opts = append(opts, echo.TrustIPRange(n))
		}
		e.IPExtractor = echo.ExtractIPFromXFFHeader(opts...)
	}
	e.HTTPErrorHandler = errorHandler

	sessions := session.NewStore(store, cfg.IdleTimeout, cfg.AbsoluteTimeout)
	if cfg.SessionTouchInterval >= 0 {
		sessions.TouchInterval = cfg.SessionTouchInterval
	}
	skipAssets := func(c echo.Context) bool {
		p := c.Request().URL.Path
		return strings.HasPrefix(p, "/static/") || p == "/healthz" || p == "/metrics"
	}
	// Programs never use the pages' session, CSRF token or page info.
	skipBrowser := func(c echo.Context) bool { return skipAssets(c) || forPrograms(c.Request().URL.Path) }
	m := newMetrics(store)
	workers := 4 * runtime.GOMAXPROCS(0)

	e.Use(middleware.RequestID())
	e.Use(requestLogger(log))
	e.Use(m.middleware)
	// A panic becomes an error with its stack, which the request logger logs once.
	e.Use(middleware.RecoverWithConfig(middleware.RecoverConfig{
		DisableStackAll:     true,
		DisableErrorHandler: true,
		LogErrorFunc: func(_ echo.Context, err error, stack []byte) error {
			return fmt.Errorf("panic: %w\n%s", err, stack)
		},
	}))
	e.Use(scheme(cfg))
	e.Use(securityHeaders)
	// The session is looked up and the body read before a worker slot is taken; the
	// session and admin cached at the request's auth generation are used.
	e.Use(authGeneration(store, skipBrowser))
	e.Use(probeSession(sessions, skipBrowser))
	e.Use(probeBearer(store))
	e.Use(readBody(cfg.BodyLimit, cfg.AnonymousBodyLimit, cfg.BodyTimeout, cfg.AnonymousBodyTimeout))
	e.Use(concurrencyLimit(workers, max(2, workers/2), skipAssets))
	// Compression inside the worker slots: a gzip writer is over a megabyte of
	// state, and with Echo's middleware (which took it when a request started)
	// outside them, requests waiting for a slot held one each and, 128 at a time,
	// kept the server collecting garbage; now at most one per slot. promhttp
	// compresses /metrics itself.
	e.Use(compress(func(c echo.Context) bool { return c.Request().URL.Path == "/metrics" }))
	e.Use(language)
	e.Use(csrf(sessions, cfg, skipBrowser))
	e.Use(loadAdmin(sessions, store, skipBrowser))
	e.Use(pageInfo(sessions, store, skipBrowser))

	e.GET("/metrics", m.handler(cfg.MetricsToken))
	routes(e, store, sessions, cfg)
	return e
}

// requestLogger logs every request once, with its request id and duration; a
// failure is logged with its error at error level, and nowhere else.
func requestLogger(log *slog.Logger) echo.MiddlewareFunc {
	return middleware.RequestLoggerWithConfig(middleware.RequestLoggerConfig{
		HandleError:  true,
		LogStatus:    true,
		LogURIPath:   true,
		LogMethod:    true,
		LogLatency:   true,
		LogRequestID: true,
		LogError:     true,
		LogValuesFunc: func(c echo.Context, v middleware.RequestLoggerValues) error {
			attrs := []slog.Attr{
				slog.String("request_id", v.RequestID), slog.String("method", v.Method),
				slog.String("path", v.URIPath), slog.Int("status", v.Status), slog.Duration("duration", v.Latency),
			}
			if v.Status >= 500 && v.Error != nil {
				log.LogAttrs(c.Request().Context(), slog.LevelError, "request failed", append(attrs, slog.String("error", v.Error.Error()))...)
				return nil
			}
			log.LogAttrs(c.Request().Context(), slog.LevelInfo, "request", attrs...)
			return nil
		},
	})
}

// securityHeaders sets a strict Content-Security-Policy (no inline script or style,
// no eval), forbids framing and sniffing, sends HSTS when the visitor is on TLS, and
// keeps every response but the static files out of caches: pages and exports hold
// the tenant's data and the session's CSRF token.
func securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		if session.Secure(c.Request()) {
			h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
		}
		if !strings.HasPrefix(c.Request().URL.Path, "/static/") {
			h.Set("Cache-Control", "no-store")
		}
		return next(c)
	}
}

// language puts the request's language in its context: the remembered choice, or the
// best match for Accept-Language.
func language(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		chosen := ""
		if ck, err := c.Cookie(session.Cookie(c.Request(), i18n.CookieName)); err == nil {
			chosen = ck.Value
		}
		lang := i18n.Match(chosen, c.Request().Header.Get("Accept-Language"))
		c.SetRequest(c.Request().WithContext(i18n.WithLang(c.Request().Context(), lang)))
		c.Response().Header().Add("Vary", "Accept-Language")
		return next(c)
	}
}

// authGeneration reads the auth generation once for the request, before its
// session and admin are looked up (models/authcache.go).
func authGeneration(store *models.Store, skip func(echo.Context) bool) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if skip(c) {
				return next(c)
			}
			r := c.Request()
			safe := r.Method == http.MethodGet || r.Method == http.MethodHead
			c.SetRequest(r.WithContext(store.WithAuthGeneration(r.Context(), safe)))
			return next(c)
		}
	}
}

// loadAdmin finds the signed-in admin of the request. A session whose user has lost
// every admin role, or was blocked, is ended.
func loadAdmin(sessions *session.Store, store *models.Store, skip func(echo.Context) bool) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if skip(c) {
				return next(c)
			}
			sess, err := sessions.Current(c)
			if err != nil {
				return err
			}
			uid, ok := session.UserIDOf(sess)
			if !ok {
				return next(c)
			}
			admin, err := store.AdminByUserID(c.Request().Context(), uid)
			if errors.Is(err, models.ErrNotFound) || (err == nil && len(admin.Roles) == 0) {
				if err := sessions.SignOut(c); err != nil {
					return err
				}
				return next(c)
			}
			if err != nil {
				return err
			}
			session.SetAdmin(c, admin)
			if err := sessions.Touch(c); err != nil {
				return err
			}
			return next(c)
		}
	}
}

// pageInfo gives the views what every page shows: the admin, the organization, the
// CSRF token, where we are, and the toasts queued for this page.
func pageInfo(sessions *session.Store, store *models.Store, skip func(echo.Context) bool) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if skip(c) {
				return next(c)
			}
			r := c.Request()
			info := page.Info{
				Admin: session.Admin(c), Path: r.URL.Path, URL: r.URL.RequestURI(),
				RequestID: c.Response().Header().Get(echo.HeaderXRequestID),
			}
			info.CSRFToken, _ = c.Get(csrfContextKey).(string)
			if info.Admin != nil {
				if org, err := store.Organization(r.Context()); err == nil {
					info.OrgName = org.Name
				}
				if r.Method == http.MethodGet && !htmx.IsPartial(r) {
					info.Toasts = sessions.Flashes(c)
				}
			}
			c.SetRequest(r.WithContext(page.With(r.Context(), info)))
			c.Response().Header().Add("Vary", htmx.HeaderRequest)
			return next(c)
		}
	}
}

// requireAdmin sends signed-out visitors to the sign-in page, and htmx requests a
// redirect header, so a page never renders half signed-in.
func requireAdmin(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if session.Admin(c) != nil {
			return next(c)
		}
		return sendToSignIn(c)
	}
}

// sendToSignIn answers a request that needs a signed-in admin and has none.
func sendToSignIn(c echo.Context) error {
	to := "/signin"
	if r := c.Request(); r.Method == http.MethodGet && r.URL.Path != "/" {
		to += "?next=" + url.QueryEscape(r.URL.RequestURI())
	}
	if htmx.IsPartial(c.Request()) || c.Request().Header.Get(htmx.HeaderRequest) == "true" {
		c.Response().Header().Set(htmx.HeaderRedirect, to)
		return c.NoContent(http.StatusUnauthorized)
	}
	if c.Request().Method != http.MethodGet && c.Request().Method != http.MethodHead {
		return echo.NewHTTPError(http.StatusUnauthorized)
	}
	return c.Redirect(http.StatusSeeOther, to)
}

// errorHandler turns every error into the friendly page with the request id (or, for
// htmx, the same page that app.js turns into a toast). The detail is logged once by
// the request logger; a person never sees it.
func errorHandler(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	status := http.StatusInternalServerError
	var he *echo.HTTPError
	ve, invalid := models.AsValidation(err)
	switch {
	case errors.As(err, &he):
		status = he.Code
	case invalid:
		// A handler that did not render its panel with the violation: the person
		// still reads the message (see static/js/app.js, X-Error-Page).
		status = http.StatusUnprocessableEntity
	case errors.Is(err, models.ErrNotFound):
		status = http.StatusNotFound
	case errors.Is(err, models.ErrForbidden):
		status = http.StatusForbidden
	case errors.Is(err, context.Canceled):
		return // the client went away; there is no one to answer
	}
	if c.Request().Method == http.MethodHead {
		_ = c.NoContent(status)
		return
	}
	if forPrograms(c.Request().URL.Path) {
		programError(c, status)
		return
	}
	// A body that did not arrive in time has cancelled the request's context; the
	// answer is still rendered.
	ctx := context.WithoutCancel(c.Request().Context())
	if info := page.Get(ctx); info.RequestID == "" {
		info.RequestID = c.Response().Header().Get(echo.HeaderXRequestID)
		info.Admin = session.Admin(c)
		ctx = page.With(ctx, info)
	}
	view := views.ErrorView{Status: status, RequestID: page.Get(ctx).RequestID}
	if invalid {
		view.Invalid = ve.First()
	}
	var buf bytes.Buffer
	if rerr := views.ErrorPage(view).Render(ctx, &buf); rerr != nil {
		_ = c.String(http.StatusInternalServerError, "Internal Server Error")
		return
	}
	// The whole-page error is never swapped into a pane or list, even at a status
	// the layout swaps (409, 422): app.js says its message in the open panel.
	c.Response().Header().Set("X-Error-Page", "true")
	_ = c.HTMLBlob(status, buf.Bytes())
}
