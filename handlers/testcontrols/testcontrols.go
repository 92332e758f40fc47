// Package testcontrols serves the controls a test suite uses between its tests, when
// the server was started with --test-controls on loopback: put the demo tenant back,
// get a signed-in session for a demo admin without typing a password (for
// Playwright's storage state), change the propagation delay, and fill a mailbox
// to a size (to reach the storage states).
//
// They answer only requests made from this machine straight to the server, to a
// loopback host name (so a web page cannot reach them by DNS rebinding), with a JSON
// body (so a form on another site cannot post to them, and a script on another site
// cannot without a CORS preflight, which the server does not answer).
package testcontrols

import (
	"encoding/json"
	"errors"
	"io"
	"math"
	"mime"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/contoso/admincenter/models"
	"github.com/contoso/admincenter/web/session"
)

// Controls serves the test controls.
type Controls struct {
	store    *models.Store
	sessions *session.Store
}

// New returns the test controls.
func New(store *models.Store, sessions *session.Store) *Controls {
	return &Controls{store: store, sessions: sessions}
}

// Problem is the controls' error answer: {"error":{"code":"NotAdmin","message":"..."}}.
type Problem struct {
	Error ProblemDetail `json:"error"`
}

// ProblemDetail says what went wrong.
type ProblemDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

func problem(c echo.Context, status int, code, message string) error {
	return c.JSON(status, Problem{ProblemDetail{Code: code, Message: message}})
}

// Guard lets through only requests from this machine, straight to the server, to a
// loopback host, with JSON bodies.
func (h *Controls) Guard(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		if !fromLoopback(r) || !loopbackHost(r.Host) {
			return problem(c, http.StatusForbidden, "NotLoopback", "The test controls answer requests made on this machine to 127.0.0.1, [::1] or localhost only.")
		}
		switch r.Header.Get("Sec-Fetch-Site") {
		case "cross-site", "same-site":
			return problem(c, http.StatusForbidden, "CrossSite", "The test controls don't answer requests from web pages of other sites.")
		}
		if r.Method == http.MethodPost {
			mt, _, _ := mime.ParseMediaType(r.Header.Get(echo.HeaderContentType))
			if mt != echo.MIMEApplicationJSON {
				return problem(c, http.StatusUnsupportedMediaType, "NotJSON", "Send a JSON body with Content-Type: application/json (an empty object {} will do).")
			}
		}
		return next(c)
	}
}

// fromLoopback reports whether the request comes from this machine and not through a
// proxy (which announces itself with forwarding headers).
func fromLoopback(r *http.Request) bool {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	ip := net.ParseIP(host)
	if err != nil || ip == nil || !ip.IsLoopback() {
		return false
	}
	for _, h := range []string{echo.HeaderXForwardedFor, echo.HeaderXRealIP, "Forwarded", echo.HeaderXForwardedProto} {
		if r.Header.Get(h) != "" {
			return false
		}
	}
	return true
}

func loopbackHost(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.Trim(host, "[]")
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// ResetRequest is the body of POST /api/test/reset.
type ResetRequest struct {
	// KeepApps keeps the API apps (and so the suite's client secret); by default
	// they go with the rest of the tenant.
	KeepApps bool `json:"keepApps"`
}

// ResetResponse says how long the reset took.
type ResetResponse struct {
	ElapsedMS float64 `json:"elapsedMs"`
}

// Reset puts the demo tenant back as --demo made it: POST /api/test/reset.
func (h *Controls) Reset(c echo.Context) error {
	var req ResetRequest
	if !decode(c, &req) {
		return badJSON(c)
	}
	start := time.Now()
	err := h.store.ResetDemo(c.Request().Context(), req.KeepApps)
	if errors.Is(err, models.ErrNoDemoPassword) {
		return problem(c, http.StatusConflict, "NoDemoPassword", "This database was seeded before the demo password was kept; start the server with --demo on a new database.")
	}
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, ResetResponse{ElapsedMS: math.Round(float64(time.Since(start).Microseconds())/10) / 100})
}

// SessionRequest is the body of POST /api/test/session.
type SessionRequest struct {
	// Username is the admin's address, e.g. admin@contoso.com.
	Username string `json:"username"`
}

// StorageState is Playwright's storage state: pass it to browser.newContext({
// storageState }) or save it as a file for the config's use.storageState.
type StorageState struct {
	Cookies []StateCookie `json:"cookies"`
	Origins []any         `json:"origins"`
}

// StateCookie is one cookie of a storage state.
type StateCookie struct {
	Name     string  `json:"name"`
	Value    string  `json:"value"`
	Domain   string  `json:"domain"`
	Path     string  `json:"path"`
	Expires  float64 `json:"expires"`
	HTTPOnly bool    `json:"httpOnly"`
	Secure   bool    `json:"secure"`
	SameSite string  `json:"sameSite"`
}

// Session signs a demo admin in without a password: POST /api/test/session. The
// answer sets the session cookie and holds it as a Playwright storage state.
func (h *Controls) Session(c echo.Context) error {
	var req SessionRequest
	if !decode(c, &req) {
		return badJSON(c)
	}
	admin, err := h.store.TestSignIn(c.Request().Context(), req.Username)
	switch {
	case errors.Is(err, models.ErrNotFound):
		return problem(c, http.StatusNotFound, "NotFound", "No one in the tenant has the address '"+req.Username+"'.")
	case errors.Is(err, models.ErrNotAdmin):
		return problem(c, http.StatusForbidden, "NotAdmin", req.Username+" has no admin role, so can't sign in to the admin center.")
	case errors.Is(err, models.ErrSignInBlocked):
		return problem(c, http.StatusForbidden, "SignInBlocked", req.Username+" is blocked from signing in.")
	case err != nil:
		return err
	}
	if err := h.sessions.SignIn(c, admin.UserID); err != nil {
		return err
	}
	state := StorageState{Cookies: []StateCookie{}, Origins: []any{}}
	host := c.Request().Host
	if hh, _, err := net.SplitHostPort(host); err == nil {
		host = hh
	}
	for _, line := range c.Response().Header().Values("Set-Cookie") {
		ck, err := http.ParseSetCookie(line)
		if err != nil || ck.Value == "" {
			continue
		}
		sc := StateCookie{Name: ck.Name, Value: ck.Value, Domain: strings.Trim(host, "[]"), Path: ck.Path, Expires: -1,
			HTTPOnly: ck.HttpOnly, Secure: ck.Secure, SameSite: sameSite(ck.SameSite)}
		if ck.MaxAge > 0 {
			sc.Expires = float64(time.Now().Add(time.Duration(ck.MaxAge) * time.Second).Unix())
		}
		state.Cookies = append(state.Cookies, sc)
	}
	return c.JSON(http.StatusOK, state)
}

func sameSite(s http.SameSite) string {
	switch s {
	case http.SameSiteStrictMode:
		return "Strict"
	case http.SameSiteNoneMode:
		return "None"
	}
	return "Lax"
}

// DelayBody is the propagation delay, in the body of POST and the answer of GET
// /api/test/propagation-delay: seconds, or a duration such as "60m".
type DelayBody struct {
	Seconds  *float64 `json:"seconds,omitempty"`
	Duration string   `json:"duration,omitempty"`
}

// Delay answers the current propagation delay: GET /api/test/propagation-delay.
func (h *Controls) Delay(c echo.Context) error {
	d := h.store.PropagationDelay()
	secs := d.Seconds()
	return c.JSON(http.StatusOK, DelayBody{Seconds: &secs, Duration: d.String()})
}

// SetDelay changes the propagation delay for changes made from now on: POST
// /api/test/propagation-delay with {"seconds":3600} or {"duration":"60m"}.
func (h *Controls) SetDelay(c echo.Context) error {
	var req DelayBody
	if !decode(c, &req) {
		return badJSON(c)
	}
	var d time.Duration
	switch {
	case req.Seconds != nil && req.Duration == "":
		if *req.Seconds < 0 || *req.Seconds > 7*24*3600 || math.IsNaN(*req.Seconds) {
			return problem(c, http.StatusBadRequest, "BadDelay", "The delay is between 0 and 604800 seconds (a week).")
		}
		d = time.Duration(*req.Seconds * float64(time.Second))
	case req.Duration != "" && req.Seconds == nil:
		var err error
		if d, err = time.ParseDuration(req.Duration); err != nil || d < 0 || d > 7*24*time.Hour {
			return problem(c, http.StatusBadRequest, "BadDelay", "The duration is like \"90s\" or \"60m\", at most a week.")
		}
	default:
		return problem(c, http.StatusBadRequest, "BadDelay", "Send {\"seconds\": 3600} or {\"duration\": \"60m\"}.")
	}
	h.store.SetPropagationDelay(d)
	return h.Delay(c)
}

// StorageRequest is the body of POST /api/test/storage: the mailbox's address, the
// megabytes in use and, optionally, a new quota in megabytes.
type StorageRequest struct {
	Address string `json:"address"`
	UsedMB  *int64 `json:"usedMB"`
	QuotaMB int64  `json:"quotaMB,omitempty"`
}

// StorageResponse is the mailbox's storage after the change, with its state: "ok",
// "near" (from 90%), "send_blocked" (from 100%) or "full" (from 105%).
type StorageResponse struct {
	Address string `json:"address"`
	UsedMB  int64  `json:"usedMB"`
	QuotaMB int64  `json:"quotaMB"`
	State   string `json:"state"`
}

// maxStorageMB bounds the sizes a test may set (1 PB), far above any quota.
const maxStorageMB = 1 << 30

// SetStorage fills a mailbox to a size, so a suite can reach the storage states:
// POST /api/test/storage with {"address":"info@contoso.com","usedMB":46500}.
func (h *Controls) SetStorage(c echo.Context) error {
	var req StorageRequest
	if !decode(c, &req) {
		return badJSON(c)
	}
	if req.UsedMB == nil || *req.UsedMB < 0 || *req.UsedMB > maxStorageMB || req.QuotaMB < 0 || req.QuotaMB > maxStorageMB {
		return problem(c, http.StatusBadRequest, "BadStorage", "Send {\"address\": \"info@contoso.com\", \"usedMB\": 46500} and, to change the quota too, \"quotaMB\": 51200 (0 to 1073741824).")
	}
	st, err := h.store.SetMailboxStorage(c.Request().Context(), req.Address, *req.UsedMB<<20, req.QuotaMB<<20)
	switch {
	case errors.Is(err, models.ErrNotFound):
		return problem(c, http.StatusNotFound, "NotFound", "No one in the tenant has the address '"+req.Address+"'.")
	case errors.Is(err, models.ErrNoMailbox):
		return problem(c, http.StatusConflict, "NoMailbox", "'"+req.Address+"' has no mailbox (it is a group or a mail contact).")
	case err != nil:
		return err
	}
	return c.JSON(http.StatusOK, StorageResponse{Address: req.Address, UsedMB: st.UsedBytes >> 20, QuotaMB: st.QuotaBytes >> 20, State: string(st.State)})
}

// decode reads a JSON body; an empty one is {}.
func decode(c echo.Context, v any) bool {
	dec := json.NewDecoder(c.Request().Body)
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	return err == nil || errors.Is(err, io.EOF)
}

func badJSON(c echo.Context) error {
	return problem(c, http.StatusBadRequest, "BadJSON", "The body isn't the JSON this control takes.")
}
