package web

import (
	"context"
	"crypto/subtle"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/contoso/admincenter/models"
)

// metrics are the Prometheus metrics /metrics serves: requests and their latency by
// route, the database pool, and live sessions.
type metrics struct {
	registry *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
}

func newMetrics(store *models.Store) *metrics {
	m := &metrics{
		registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "admincenter_http_requests_total", Help: "HTTP requests by route, method and status.",
		}, []string{"route", "method", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "admincenter_http_request_duration_seconds", Help: "HTTP request latency by route and method.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}, []string{"route", "method"}),
	}
	m.registry.MustRegister(m.requests, m.latency, collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if db, err := store.SQLDB(); err == nil {
		m.registry.MustRegister(collectors.NewDBStatsCollector(db, "admincenter"))
	}
	m.registry.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "admincenter_sessions_live", Help: "Sign-in sessions that have not expired.",
	}, func() float64 {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		n, err := store.CountLiveSessions(ctx)
		if err != nil {
			return -1
		}
		return float64(n)
	}))
	return m
}

// middleware counts and times every request under its route pattern, so the labels
// stay few whatever the URLs.
func (m *metrics) middleware(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		route := c.Path()
		if route == "" {
			route = "unmatched"
		}
		status := c.Response().Status
		if err != nil {
			if he, ok := err.(*echo.HTTPError); ok {
				status = he.Code
			} else if status < 400 {
				status = http.StatusInternalServerError
			}
		}
		m.requests.WithLabelValues(route, c.Request().Method, strconv.Itoa(status)).Inc()
		m.latency.WithLabelValues(route, c.Request().Method).Observe(time.Since(start).Seconds())
		return err
	}
}

// handler serves /metrics. Without a token only to loopback clients that came
// straight to the server (not through a proxy on the same machine, which would
// pass anyone on): the figures describe the tenant. With a token, to whoever sends
// it as a bearer token, and to no one else, loopback included.
func (m *metrics) handler(token string) echo.HandlerFunc {
	h := promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{})
	return func(c echo.Context) error {
		r := c.Request()
		if token != "" {
			sent, ok := strings.CutPrefix(r.Header.Get(echo.HeaderAuthorization), "Bearer ")
			if !ok || subtle.ConstantTimeCompare([]byte(strings.TrimSpace(sent)), []byte(token)) != 1 {
				c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="metrics"`)
				return echo.ErrUnauthorized
			}
		} else if !directLoopback(r) {
			return echo.ErrNotFound
		}
		h.ServeHTTP(c.Response(), r)
		return nil
	}
}

// directLoopback reports whether the request comes from this machine and not
// through a proxy (which announces itself with forwarding headers).
func directLoopback(r *http.Request) bool {
	ip := peerIP(r)
	if ip == nil || !ip.IsLoopback() {
		return false
	}
	for _, h := range []string{echo.HeaderXForwardedFor, echo.HeaderXRealIP, "Forwarded", echo.HeaderXForwardedProto} {
		if r.Header.Get(h) != "" {
			return false
		}
	}
	return true
}
