// Package apiauth is what every API for programs (the Exchange REST endpoint, Microsoft
// Graph) puts in front of its handlers: a bearer token from the token endpoint, never
// a cookie, checked against the app on every request, and a rate limit per app. Each
// API answers a refusal in its own wire format, through its Refuse function.
package apiauth

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/contoso/admincenter/models"
)

// Failure says why a request was refused before it reached the API's handler.
type Failure int

// The failures.
const (
	// NoToken: no "Authorization: Bearer" header (a cookie does not count).
	NoToken Failure = iota
	// BadToken: a token this server did not sign, or tampered with.
	BadToken
	// ExpiredToken: the token's hour is over.
	ExpiredToken
	// WrongAudience: a token for the other API.
	WrongAudience
	// AppGone: the token's app was revoked, has expired or no longer exists.
	AppGone
	// RateLimited: the app made more requests than its rate allows.
	RateLimited
)

// Config sets up the middleware for one API.
type Config struct {
	// Audience is the API's; tokens for another are refused.
	Audience models.Audience
	// Channel is recorded with every change the app makes.
	Channel models.Channel
	// Limiter counts the apps' requests; nil for no limit.
	Limiter *Limiter
	// Free reports requests the middleware does not count, because the handler
	// counts their parts (a $batch).
	Free func(echo.Context) bool
	// Refuse writes the API's answer to a refused request.
	Refuse func(c echo.Context, f Failure, rate Rate) error
}

const actorKey = "apiauth.actor"

// Middleware authenticates every request by its bearer token and rate-limits it
// per app. The admin the app acts as is available to handlers through Actor.
func Middleware(store *models.Store, cfg Config) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			raw, ok := Bearer(c.Request())
			if !ok {
				return cfg.Refuse(c, NoToken, Rate{})
			}
			actor, err := store.AppForToken(c.Request().Context(), raw, cfg.Audience, cfg.Channel)
			if err != nil {
				f, known := failureOf(err)
				if !known {
					return err
				}
				return cfg.Refuse(c, f, Rate{})
			}
			c.Set(actorKey, actor)
			if cfg.Limiter != nil && (cfg.Free == nil || !cfg.Free(c)) {
				rate := cfg.Limiter.Take(actor.App)
				rate.Header(c.Response().Header())
				if !rate.Allowed {
					return cfg.Refuse(c, RateLimited, rate)
				}
			}
			return next(c)
		}
	}
}

// failureOf names a token error; other errors are the server's own.
func failureOf(err error) (Failure, bool) {
	switch {
	case errors.Is(err, models.ErrTokenInvalid):
		return BadToken, true
	case errors.Is(err, models.ErrTokenExpired):
		return ExpiredToken, true
	case errors.Is(err, models.ErrTokenAudience):
		return WrongAudience, true
	case errors.Is(err, models.ErrAppNotFound), errors.Is(err, models.ErrAppRevoked), errors.Is(err, models.ErrAppExpired):
		return AppGone, true
	}
	return 0, false
}

// Actor returns the admin the request's app acts as.
func Actor(c echo.Context) *models.Admin {
	a, _ := c.Get(actorKey).(*models.Admin)
	return a
}

// Bearer returns the token of an "Authorization: Bearer" header.
func Bearer(r *http.Request) (string, bool) {
	scheme, token, ok := strings.Cut(r.Header.Get(echo.HeaderAuthorization), " ")
	token = strings.TrimSpace(token)
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return "", false
	}
	return token, true
}

// Genuine reports whether the request carries a token this server signed that has
// not expired, without asking the database about its app. The server asks before
// reading a request's body, to give such requests the limits of signed-in ones.
// A genuine token comes back in the returned request's context, so that
// Middleware does not check its signature again; otherwise r comes back.
func Genuine(store *models.Store, r *http.Request) (*http.Request, bool) {
	raw, ok := Bearer(r)
	if !ok {
		return r, false
	}
	t, err := store.VerifyToken(r.Context(), raw)
	if err != nil {
		return r, false
	}
	return r.WithContext(models.WithVerifiedToken(r.Context(), t)), true
}

// Limiter allows each app a number of requests per window (a fixed window that
// starts with the app's first request). It counts in this process: with several
// instances behind a balancer, each allows the rate.
type Limiter struct {
	limit  int
	window time.Duration
	now    func() time.Time

	mu      sync.Mutex
	windows map[string]*window
}

type window struct {
	start time.Time
	used  int
}

// NewLimiter allows limit requests per window and app.
func NewLimiter(limit int, per time.Duration) *Limiter {
	return &Limiter{limit: limit, window: per, now: time.Now, windows: map[string]*window{}}
}

// Rate is an app's standing after a request was counted.
type Rate struct {
	Allowed   bool
	Limit     int
	Remaining int
	// Reset is when the window ends and the app has its whole rate again.
	Reset time.Time
	// RetryAfter is how long a refused app waits, in whole seconds.
	RetryAfter int
}

// Take counts one request of the app.
func (l *Limiter) Take(app string) Rate {
	return l.TakeN(app, 1)
}

// TakeN counts n requests of the app; they are allowed only all together.
func (l *Limiter) TakeN(app string, n int) Rate {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	w := l.windows[app]
	if w == nil || !now.Before(w.start.Add(l.window)) {
		if len(l.windows) > 10000 {
			l.sweep(now)
		}
		w = &window{start: now}
		l.windows[app] = w
	}
	r := Rate{Limit: l.limit, Reset: w.start.Add(l.window)}
	if w.used+n <= l.limit {
		w.used += n
		r.Allowed = true
	}
	r.Remaining = l.limit - w.used
	if !r.Allowed {
		r.RetryAfter = max(1, int((r.Reset.Sub(now)+time.Second-1)/time.Second))
	}
	return r
}

// sweep forgets the windows that have ended.
func (l *Limiter) sweep(now time.Time) {
	for k, w := range l.windows {
		if !now.Before(w.start.Add(l.window)) {
			delete(l.windows, k)
		}
	}
}

// Header writes the standing as Exchange Online does: Rate-Limit-Limit,
// Rate-Limit-Remaining and Rate-Limit-Reset (the end of the window, UTC, ISO 8601),
// and Retry-After in seconds on a refusal.
func (r Rate) Header(h http.Header) {
	h.Set("Rate-Limit-Limit", strconv.Itoa(r.Limit))
	h.Set("Rate-Limit-Remaining", strconv.Itoa(r.Remaining))
	h.Set("Rate-Limit-Reset", r.Reset.UTC().Format("2006-01-02T15:04:05.000Z"))
	if !r.Allowed {
		h.Set("Retry-After", strconv.Itoa(r.RetryAfter))
	}
}
