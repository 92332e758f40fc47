package web

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/contoso/admincenter/models"
	"github.com/contoso/admincenter/models/dbtest"
)

func TestHealthz(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	if r := a.get("/healthz"); r.status != http.StatusOK {
		t.Fatalf("healthz = %d", r.status)
	}
}

func TestSignedOutVisitorsGoToSignIn(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	for _, p := range []string{"/", "/users", "/users/2?tab=mail", "/shared-mailboxes"} {
		r := a.get(p)
		if r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/signin") {
			t.Errorf("%s: %d %s", p, r.status, r.header.Get("Location"))
		}
	}
	r := a.get("/users", "HX-Request", "true")
	if r.status != http.StatusUnauthorized || !strings.HasPrefix(r.header.Get("HX-Redirect"), "/signin") {
		t.Errorf("htmx while signed out: %d %q", r.status, r.header.Get("HX-Redirect"))
	}
}

func TestSignIn(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	r := a.signIn("admin@contoso.com", "wrong")
	if r.status != http.StatusUnauthorized {
		t.Fatalf("wrong password: %d", r.status)
	}
	wrongPassword := text(r, "[role=alert]")
	r = a.signIn("nobody@contoso.com", testPassword)
	if text(r, "[role=alert]") != wrongPassword || wrongPassword == "" {
		t.Fatalf("unknown address and wrong password must read the same: %q vs %q", text(r, "[role=alert]"), wrongPassword)
	}
	if v, _ := r.doc.Find("#email").Attr("aria-invalid"); v != "true" {
		t.Fatal("the email field is not marked invalid")
	}

	// A planted session cookie is not kept across sign-in.
	u, _ := url.Parse(a.srv.URL)
	a.client.Jar.SetCookies(u, []*http.Cookie{{Name: "admincenter_session", Value: "planted"}})
	r = a.signIn("admin@contoso.com", testPassword)
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/" {
		t.Fatalf("sign-in: %d %s", r.status, r.header.Get("Location"))
	}
	var sc *http.Cookie
	for _, c := range (&http.Response{Header: r.header}).Cookies() {
		if c.Name == "admincenter_session" {
			sc = c
		}
	}
	if sc == nil || sc.Value == "planted" || !sc.HttpOnly || sc.SameSite != http.SameSiteLaxMode || sc.Path != "/" {
		t.Fatalf("session cookie = %+v", sc)
	}
	home := a.get("/")
	if home.status != http.StatusOK || !strings.Contains(text(home, "header"), "MOD Administrator") {
		t.Fatalf("home: %d %q", home.status, text(home, "header"))
	}

	// Sign out ends the session on the server: the old cookie no longer works.
	tok := a.csrf("/")
	if r := a.post("/signout", url.Values{"_csrf": {tok}}); r.status != http.StatusSeeOther {
		t.Fatalf("sign-out: %d", r.status)
	}
	replay := newClient()
	replay.Jar.SetCookies(u, []*http.Cookie{sc})
	req, _ := http.NewRequest(http.MethodGet, a.srv.URL+"/", nil)
	if r := a.do(replay, req); r.status != http.StatusSeeOther {
		t.Fatalf("old session after sign-out: %d", r.status)
	}
}

func TestSignInRefusesNonAdmins(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	ctx := context.Background()
	id, err := a.store.UserIDByAddress(ctx, "adelev@contoso.com")
	if err != nil {
		t.Fatal(err)
	}
	if err := a.store.SetPassword(ctx, id, "Adele-Pass-1"); err != nil {
		t.Fatal(err)
	}
	r := a.signIn("adelev@contoso.com", "Adele-Pass-1")
	if r.status != http.StatusForbidden || !strings.Contains(text(r, "[role=alert]"), "admin role") {
		t.Fatalf("non-admin: %d %q", r.status, text(r, "[role=alert]"))
	}
	if r := a.get("/"); r.status != http.StatusSeeOther {
		t.Fatalf("non-admin got a session: %d", r.status)
	}
}

func TestNextAfterSignInStaysOnSite(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	tok := a.csrf("/signin")
	for next, want := range map[string]string{
		"/users/2?tab=mail":     "/users/2?tab=mail",
		"https://evil.example/": "/",
		"//evil.example/":       "/",
		"/\\evil.example":       "/",
	} {
		a.client = newClient()
		tok = a.csrf("/signin")
		r := a.post("/signin", url.Values{"_csrf": {tok}, "email": {"admin@contoso.com"}, "password": {testPassword}, "next": {next}})
		if got := r.header.Get("Location"); got != want {
			t.Errorf("next %q -> %q, want %q", next, got, want)
		}
	}
}

func TestCSRF(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	form := url.Values{"email": {"admin@contoso.com"}, "password": {testPassword}}
	if r := a.post("/signin", form); r.status != http.StatusForbidden {
		t.Fatalf("no token: %d", r.status)
	}
	tok := a.csrf("/signin") // sets the pre-session cookie
	form.Set("_csrf", "forged")
	if r := a.post("/signin", form); r.status != http.StatusForbidden {
		t.Fatalf("forged token: %d", r.status)
	}
	form.Set("_csrf", tok)
	if r := a.post("/signin", form, "Sec-Fetch-Site", "cross-site"); r.status != http.StatusForbidden {
		t.Fatalf("cross-site: %d", r.status)
	}
	// Fetch metadata alone is not enough: a same-origin request still needs the token.
	form.Del("_csrf")
	if r := a.post("/signin", form, "Sec-Fetch-Site", "same-origin"); r.status != http.StatusForbidden {
		t.Fatalf("same-origin fetch metadata without a token: %d", r.status)
	}
	// The token also travels in the header htmx sends.
	a.client = newClient()
	tok = a.csrf("/signin")
	form.Set("_csrf", "")
	if r := a.post("/signin", form, "X-CSRF-Token", tok, "Sec-Fetch-Site", "same-origin"); r.status != http.StatusSeeOther {
		t.Fatalf("header token: %d", r.status)
	}
	// A page rendered for a browser that sends fetch metadata still carries a real token.
	r := a.get("/", "Sec-Fetch-Site", "same-origin")
	if tok, _ := r.doc.Find(`input[name="_csrf"]`).First().Attr("value"); tok == "" || strings.Contains(tok, "sec_fetch") {
		t.Fatalf("token on a fetch-metadata page = %q", tok)
	}
	// No method override lets a POST pass as something else.
	req, _ := http.NewRequest(http.MethodPost, a.srv.URL+"/signout?_method=GET", nil)
	req.Header.Set("X-HTTP-Method-Override", "GET")
	if r := a.do(a.client, req); r.status != http.StatusForbidden {
		t.Fatalf("method override: %d", r.status)
	}
}

func TestDutch(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	r := a.get("/signin", "Accept-Language", "nl-NL,nl;q=0.9,en;q=0.5")
	if lang, _ := r.doc.Find("html").Attr("lang"); lang != "nl" || text(r, "h1") != "Aanmelden" {
		t.Fatalf("Dutch sign-in: lang=%q h1=%q", lang, text(r, "h1"))
	}
	if r.doc.Find(`label[for=email]`).Text() != "E-mailadres" || r.doc.Find(`label[for=password]`).Text() != "Wachtwoord" {
		t.Fatal("Dutch field labels")
	}
	a.signInAdmin()
	tok := a.csrf("/users")
	r = a.post("/language", url.Values{"_csrf": {tok}, "lang": {"nl"}, "next": {"/users?q=wil"}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/users?q=wil" {
		t.Fatalf("language switch: %d %s", r.status, r.header.Get("Location"))
	}
	r = a.get("/users")
	if text(r, "h1") != "Actieve gebruikers" || !strings.Contains(text(r, "nav"), "Gedeelde postvakken") {
		t.Fatalf("remembered Dutch: %q", text(r, "h1"))
	}
	if got := r.doc.Find(`input[aria-label="Lijst met actieve gebruikers doorzoeken"]`).Length(); got != 1 {
		t.Fatal("Dutch search box")
	}
	id, _ := a.store.UserIDByAddress(context.Background(), "adelev@contoso.com")
	r = a.get("/users/" + itoa(id) + "?tab=mail")
	got := text(r, "[role=tabpanel]")
	for _, want := range []string{"Postvakmachtigingen", "Lezen en beheren", "Verzenden als", "Verzenden namens", "E-mail doorsturen", "12,57 GB van 50 GB gebruikt"} {
		if !strings.Contains(got, want) {
			t.Errorf("Dutch mail tab lacks %q: %s", want, got)
		}
	}
}

func TestSecurityHeaders(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	r := a.get("/signin")
	csp := r.header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe") || !strings.Contains(csp, "frame-ancestors 'none'") {
		t.Fatalf("CSP = %q", csp)
	}
	if r.header.Get("X-Content-Type-Options") != "nosniff" || r.header.Get("Referrer-Policy") == "" {
		t.Fatal("missing hardening headers")
	}
	if r := a.get("/static/js/htmx.min.js"); r.status != http.StatusOK || !strings.Contains(r.header.Get("Content-Type"), "javascript") {
		t.Fatalf("htmx: %d %s", r.status, r.header.Get("Content-Type"))
	}
	if r := a.get("/static/../go.mod"); r.status != http.StatusNotFound {
		t.Fatalf("path escape: %d", r.status)
	}
}

func TestFailuresShowAFriendlyPageWithARequestID(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store, err := models.Open(ctx, dbtest.DSN(t, "web"), fastHashing)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	var logs strings.Builder
	e := New(DefaultConfig(), store, slog.New(slog.NewTextHandler(&logs, nil)))
	e.GET("/boom", func(echo.Context) error { return errors.New("database exploded: SELECT secret FROM x") })
	e.GET("/panic", func(echo.Context) error { panic("kaboom") })
	srv := httptest.NewServer(e)
	defer srv.Close()
	for _, p := range []string{"/boom", "/panic"} {
		res, err := http.Get(srv.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		id := res.Header.Get("X-Request-Id")
		if res.StatusCode != http.StatusInternalServerError || id == "" || !strings.Contains(string(b), id) {
			t.Fatalf("%s: %d, request id %q not on the page", p, res.StatusCode, id)
		}
		if strings.Contains(string(b), "SELECT") || strings.Contains(string(b), "kaboom") || strings.Contains(string(b), "goroutine") {
			t.Fatalf("%s leaks the error to the page", p)
		}
		if p == "/panic" && !strings.Contains(logs.String(), "kaboom") {
			t.Fatal("the panic is not in the log")
		}
		if n := strings.Count(logs.String(), id); n != 1 {
			t.Fatalf("%s: the failure was logged %d times", p, n)
		}
	}
}

func TestSignInThrottleAndSignOutEverywhere(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	for i := 0; i < models.ThrottleFailures; i++ {
		if r := a.signIn("pattif@contoso.com", "wrong"); r.status != http.StatusUnauthorized {
			t.Fatalf("failure %d: %d", i, r.status)
		}
	}
	r := a.signIn("pattif@contoso.com", testPassword)
	if r.status != http.StatusTooManyRequests || !strings.Contains(text(r, "[role=alert]"), "Too many failed sign-in attempts. Try again after") {
		t.Fatalf("throttled: %d %q", r.status, text(r, "[role=alert]"))
	}
	// X-Forwarded-For is not trusted: a forged header does not escape the throttle
	// of the client address.
	for i := models.ThrottleFailures; i < models.ClientThrottleFailures; i++ {
		a.signIn("nobody"+itoa(uint(i))+"@contoso.com", "wrong")
	}
	tok := a.csrf("/signin")
	r = a.post("/signin", url.Values{"_csrf": {tok}, "email": {"admin@contoso.com"}, "password": {testPassword}}, "X-Forwarded-For", "203.0.113.7")
	if r.status != http.StatusTooManyRequests {
		t.Fatalf("forged client address: %d", r.status)
	}

	// Sign out everywhere ends the other browser's session too.
	b := newApp(t)
	b.signInAdmin()
	other := newClient()
	old := b.client
	b.client = other
	b.signInAdmin()
	b.client = old
	tok = b.csrf("/")
	if r := b.post("/signout-everywhere", url.Values{"_csrf": {tok}}); r.status != http.StatusSeeOther {
		t.Fatalf("sign out everywhere: %d", r.status)
	}
	req, _ := http.NewRequest(http.MethodGet, b.srv.URL+"/", nil)
	if r := b.do(other, req); r.status != http.StatusSeeOther {
		t.Fatalf("the other session survived: %d", r.status)
	}
}

func TestTrustedProxyForwardedFor(t *testing.T) {
	t.Parallel()
	cfg := DefaultConfig()
	_, loopback, _ := net.ParseCIDR("127.0.0.0/8")
	cfg.TrustedProxies = []*net.IPNet{loopback}
	a := newAppWith(t, cfg)
	tok := a.csrf("/signin")
	for i := 0; i < models.ClientThrottleFailures; i++ {
		a.post("/signin", url.Values{"_csrf": {tok}, "email": {"nobody" + itoa(uint(i)) + "@contoso.com"}, "password": {"x"}}, "X-Forwarded-For", "203.0.113.7")
	}
	// Behind a trusted proxy the client is the forwarded address: it is throttled,
	// another client behind the same proxy is not.
	if r := a.post("/signin", url.Values{"_csrf": {tok}, "email": {"admin@contoso.com"}, "password": {testPassword}}, "X-Forwarded-For", "203.0.113.7"); r.status != http.StatusTooManyRequests {
		t.Fatalf("forwarded client: %d", r.status)
	}
	if r := a.post("/signin", url.Values{"_csrf": {tok}, "email": {"admin@contoso.com"}, "password": {testPassword}}, "X-Forwarded-For", "203.0.113.8"); r.status != http.StatusSeeOther {
		t.Fatalf("other client: %d", r.status)
	}
}

func TestMetricsAndCompression(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.signInAdmin()
	a.get("/users")
	r := a.get("/metrics")
	for _, want := range []string{`admincenter_http_requests_total{method="GET",route="/users",status="200"} 1`,
		"admincenter_http_request_duration_seconds_bucket", "admincenter_sessions_live 1", `go_sql_open_connections{db_name="admincenter"}`} {
		if !strings.Contains(r.body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	req, _ := http.NewRequest(http.MethodGet, a.srv.URL+"/users", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	tr := &http.Transport{DisableCompression: true}
	res, err := (&http.Client{Transport: tr, Jar: a.client.Jar}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("the page is not compressed: %q", res.Header.Get("Content-Encoding"))
	}
}
