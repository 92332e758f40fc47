package web

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/contoso/admincenter/models"
	"github.com/contoso/admincenter/models/dbtest"
)

// newTLSApp is the real server over TLS (httptest's certificate), with a client
// that trusts it and keeps cookies.
func newTLSApp(t *testing.T, cfg Config) *app {
	t.Helper()
	store, err := models.Open(context.Background(), dbtest.DSN(t, "web"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	if err := store.SeedDemo(context.Background(), testPassword); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewTLSServer(New(cfg, store, slog.New(slog.NewTextHandler(io.Discard, nil))))
	t.Cleanup(srv.Close)
	client := srv.Client()
	client.Jar, _ = cookiejar.New(nil)
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &app{t: t, store: store, srv: srv, client: client}
}

func setCookies(r response) map[string]*http.Cookie {
	out := map[string]*http.Cookie{}
	for _, c := range (&http.Response{Header: r.header}).Cookies() {
		out[c.Name] = c
	}
	return out
}

// TestCookiesOverTLSAreHostPrefixed: over TLS every cookie is __Host- prefixed and
// Secure, for the whole site and no domain, and HSTS is sent; the whole flow works.
func TestCookiesOverTLSAreHostPrefixed(t *testing.T) {
	a := newTLSApp(t, DefaultConfig())
	r := a.get("/signin")
	if r.header.Get("Strict-Transport-Security") == "" {
		t.Fatal("no HSTS over TLS")
	}
	tok, _ := r.doc.Find(`input[name="_csrf"]`).Attr("value")
	r = a.post("/signin", url.Values{"_csrf": {tok}, "email": {"admin@contoso.com"}, "password": {testPassword}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("sign-in over TLS: %d", r.status)
	}
	tok = a.csrf("/")
	r2 := a.post("/language", url.Values{"_csrf": {tok}, "lang": {"nl"}, "next": {"/users"}})
	names := map[string]bool{}
	for _, resp := range []response{r, r2} {
		for name, c := range setCookies(resp) {
			names[name] = true
			if !strings.HasPrefix(name, "__Host-") || !c.Secure || c.Path != "/" || c.Domain != "" || !c.HttpOnly {
				t.Errorf("cookie %s: %+v", name, c)
			}
		}
	}
	for _, want := range []string{"__Host-admincenter_session", "__Host-admincenter_device", "__Host-lang"} {
		if !names[want] {
			t.Errorf("no %s cookie (got %v)", want, names)
		}
	}
	if r := a.get("/users"); r.status != http.StatusOK || text(r, "h1") != "Actieve gebruikers" {
		t.Fatalf("signed in over TLS: %d %q", r.status, text(r, "h1"))
	}
}

// TestPublicURLAndForwardedProtoDecideTheScheme: behind a TLS-terminating proxy,
// --public-url https://... or X-Forwarded-Proto from a trusted proxy make cookies
// Secure (and __Host-) and send HSTS; the header from anyone else changes nothing.
func TestPublicURLAndForwardedProtoDecideTheScheme(t *testing.T) {
	secure := func(t *testing.T, r response, want bool) {
		t.Helper()
		if got := r.header.Get("Strict-Transport-Security") != ""; got != want {
			t.Errorf("HSTS sent = %v, want %v", got, want)
		}
		cookies := setCookies(r)
		if len(cookies) == 0 {
			t.Fatal("no cookie set")
		}
		for name, c := range cookies {
			if c.Secure != want || strings.HasPrefix(name, "__Host-") != want {
				t.Errorf("cookie %s Secure=%v, want %v", name, c.Secure, want)
			}
		}
	}
	t.Run("public URL", func(t *testing.T) {
		cfg := DefaultConfig()
		cfg.PublicURL, _ = url.Parse("https://admin.contoso.test")
		a := newAppWith(t, cfg)
		secure(t, a.get("/signin"), true)
		// Unsafe requests must come from the public origin.
		a.client = newClient()
		r := a.get("/signin")
		cookie := setCookies(r)["__Host-admincenter_presession"]
		if cookie == nil {
			t.Fatal("no __Host-admincenter_presession cookie")
		}
		tok, _ := r.doc.Find(`input[name="_csrf"]`).Attr("value")
		for origin, want := range map[string]int{"https://evil.example": http.StatusForbidden, "https://admin.contoso.test": http.StatusUnauthorized} {
			req, _ := http.NewRequest(http.MethodPost, a.srv.URL+"/signin", strings.NewReader(url.Values{"_csrf": {tok}, "email": {"admin@contoso.com"}, "password": {"wrong"}}.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Origin", origin)
			req.AddCookie(cookie)
			if r := a.do(newClient(), req); r.status != want {
				t.Errorf("Origin %s: %d, want %d", origin, r.status, want)
			}
		}
	})
	_, loopback, _ := net.ParseCIDR("127.0.0.0/8")
	_, elsewhere, _ := net.ParseCIDR("10.0.0.0/8")
	t.Run("forwarded by a trusted proxy", func(t *testing.T) {
		cfg := DefaultConfig()
		cfg.TrustedProxies = []*net.IPNet{loopback}
		a := newAppWith(t, cfg)
		secure(t, a.get("/signin", "X-Forwarded-Proto", "https"), true)
		a.client = newClient()
		secure(t, a.get("/signin", "X-Forwarded-Proto", "http"), false)
	})
	t.Run("forwarded by anyone else", func(t *testing.T) {
		cfg := DefaultConfig()
		cfg.TrustedProxies = []*net.IPNet{elsewhere}
		a := newAppWith(t, cfg)
		secure(t, a.get("/signin", "X-Forwarded-Proto", "https"), false)
	})
}

// TestPagesAndExportsAreNotCached: every page and export holds the tenant's data
// (and the session's token); none may be kept by a browser or proxy cache.
func TestPagesAndExportsAreNotCached(t *testing.T) {
	a := newApp(t)
	if r := a.get("/signin"); r.header.Get("Cache-Control") != "no-store" {
		t.Errorf("/signin: Cache-Control %q", r.header.Get("Cache-Control"))
	}
	a.signInAdmin()
	for _, p := range []string{"/", "/users", "/users/export", "/audit", "/audit/export", "/shared-mailboxes", a.userPath("adelev@contoso.com"), "/nope"} {
		if r := a.get(p); r.header.Get("Cache-Control") != "no-store" {
			t.Errorf("%s (%d): Cache-Control %q", p, r.status, r.header.Get("Cache-Control"))
		}
	}
	if r := a.get("/static/js/htmx.min.js?v=1"); !strings.Contains(r.header.Get("Cache-Control"), "immutable") {
		t.Errorf("static files stay cacheable: %q", r.header.Get("Cache-Control"))
	}
}

// TestMetricsNeedLoopbackOrToken: without a token, /metrics answers only a client on
// this machine that came straight to it (not through a local proxy); with a token,
// only a request bearing it, loopback included.
func TestMetricsNeedLoopbackOrToken(t *testing.T) {
	a := newApp(t)
	if r := a.get("/metrics"); r.status != http.StatusOK {
		t.Fatalf("loopback: %d", r.status)
	}
	for _, h := range []string{"X-Forwarded-For", "Forwarded", "X-Real-Ip"} {
		if r := a.get("/metrics", h, "203.0.113.9"); r.status != http.StatusNotFound {
			t.Errorf("through a local proxy (%s): %d", h, r.status)
		}
	}
	cfg := DefaultConfig()
	cfg.MetricsToken = "metrics-token-0123456789"
	b := newAppWith(t, cfg)
	for name, h := range map[string][]string{
		"none": nil, "wrong": {"Authorization", "Bearer metrics-token-0123456780"}, "basic": {"Authorization", "Basic bWV0cmljcy10b2tlbi0wMTIzNDU2Nzg5"},
	} {
		if r := b.get("/metrics", h...); r.status != http.StatusUnauthorized {
			t.Errorf("token %s: %d", name, r.status)
		}
	}
	if r := b.get("/metrics", "Authorization", "Bearer metrics-token-0123456789", "X-Forwarded-For", "203.0.113.9"); r.status != http.StatusOK || !strings.Contains(r.body, "admincenter_http_requests_total") {
		t.Fatalf("with the token: %d", r.status)
	}
}

// slowUpload opens a connection, sends a request's head and then its body one
// byte at a time, every interval, until the body is complete or stop is closed.
// It reports on done when the server answered or dropped the connection.
func slowUpload(t *testing.T, base, path string, cookies []*http.Cookie, size int, interval time.Duration, stop <-chan struct{}, answered *atomic.Int32) {
	u, _ := url.Parse(base)
	conn, err := net.Dial("tcp", u.Host)
	if err != nil {
		t.Error(err)
		return
	}
	defer conn.Close()
	var head strings.Builder
	fmt.Fprintf(&head, "POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n", path, u.Host, size)
	for _, c := range cookies {
		fmt.Fprintf(&head, "Cookie: %s=%s\r\n", c.Name, c.Value)
	}
	head.WriteString("\r\n")
	if _, err := conn.Write([]byte(head.String())); err != nil {
		t.Error(err)
		return
	}
	got := make(chan struct{})
	go func() {
		_, _ = bufio.NewReader(conn).ReadByte()
		answered.Add(1)
		close(got)
	}()
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for sent := 0; sent < size; sent++ {
		select {
		case <-stop:
			return
		case <-got:
			return
		case <-tick.C:
			if _, err := conn.Write([]byte("x")); err != nil {
				return
			}
		}
	}
	select {
	case <-stop:
	case <-got:
	}
}

// TestSlowUploadsDoNotLockOthersOut: more slow uploads than the server has worker
// places (anonymous ones to the sign-in form, signed-in ones to a change) must not
// keep another person from signing in: bodies are read before a place is taken.
// The slow uploads would take 8 s; the sign-in must be done while all of them are
// still sending. The test logs how long the sign-in took.
func TestSlowUploadsDoNotLockOthersOut(t *testing.T) {
	cfg := DefaultConfig()
	cfg.AnonymousBodyTimeout = 30 * time.Second // the uploads, not the deadline, are under test
	a := newAppWith(t, cfg)
	places := 4 * runtime.GOMAXPROCS(0)
	u, _ := url.Parse(a.srv.URL)
	var signedIn [][]*http.Cookie
	for i := 0; i < places; i++ {
		c := newClient()
		a.withClient(c).signInAdmin()
		signedIn = append(signedIn, c.Jar.Cookies(u))
	}
	stop := make(chan struct{})
	var answered atomic.Int32
	var wg sync.WaitGroup
	const size, interval = 80, 100 * time.Millisecond
	for i := 0; i < 2*places; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if i%2 == 0 {
				slowUpload(t, a.srv.URL, "/signin", nil, size, interval, stop, &answered)
			} else {
				slowUpload(t, a.srv.URL, "/users/1/contact", signedIn[i/2], size, interval, stop, &answered)
			}
		}()
	}
	defer func() {
		close(stop)
		wg.Wait()
	}()
	time.Sleep(500 * time.Millisecond) // every upload has sent its head and started its body

	start := time.Now()
	done := make(chan response, 1)
	go func() {
		c := a.withClient(newClient())
		tokReq, _ := http.NewRequest(http.MethodGet, a.srv.URL+"/signin", nil)
		res, err := c.client.Do(tokReq)
		if err != nil {
			done <- response{status: -1}
			return
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		m := strings.SplitN(strings.SplitN(string(b), `name="_csrf" value="`, 2)[1], `"`, 2)[0]
		req, _ := http.NewRequest(http.MethodPost, a.srv.URL+"/signin", strings.NewReader(url.Values{"_csrf": {m}, "email": {"admin@contoso.com"}, "password": {testPassword}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		res, err = c.client.Do(req)
		if err != nil {
			done <- response{status: -1}
			return
		}
		res.Body.Close()
		done <- response{status: res.StatusCode}
	}()
	select {
	case r := <-done:
		took := time.Since(start)
		if r.status != http.StatusSeeOther {
			t.Fatalf("sign-in during slow uploads: %d", r.status)
		}
		if n := answered.Load(); n != 0 {
			t.Fatalf("the sign-in took %s, until %d slow uploads had been answered", took, n)
		}
		t.Logf("sign-in (GET /signin + POST /signin) took %s with %d slow uploads in flight (%d worker places)", took.Round(time.Millisecond), 2*places, places)
	case <-time.After(time.Duration(size)*interval + 5*time.Second):
		t.Fatal("no sign-in while slow uploads were sending")
	}
}

// TestAnonymousSlowBodyIsCutShort: an anonymous request gets a short deadline for
// its body; it is answered 408 and closed instead of holding the connection.
func TestAnonymousSlowBodyIsCutShort(t *testing.T) {
	cfg := DefaultConfig()
	cfg.AnonymousBodyTimeout = 300 * time.Millisecond
	a := newAppWith(t, cfg)
	u, _ := url.Parse(a.srv.URL)
	conn, err := net.Dial("tcp", u.Host)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /signin HTTP/1.1\r\nHost: %s\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\nemail=", u.Host)
	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	start := time.Now()
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("no answer to a stalled body: %v", err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusRequestTimeout {
		t.Fatalf("stalled anonymous body: %d", res.StatusCode)
	}
	t.Logf("stalled anonymous body answered %d after %s", res.StatusCode, time.Since(start).Round(time.Millisecond))
	// And a body too large for an anonymous request is refused from its length.
	r := a.post("/signin", url.Values{"email": {strings.Repeat("a", int(cfg.AnonymousBodyLimit))}})
	if r.status != http.StatusRequestEntityTooLarge {
		t.Fatalf("large anonymous body: %d", r.status)
	}
}
