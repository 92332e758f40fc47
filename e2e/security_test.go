//go:build e2e

package e2e

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/playwright-community/playwright-go"

	"github.com/contoso/admincenter/models"
	"github.com/contoso/admincenter/models/dbtest"
)

// tryHTTPSignIn makes one sign-in attempt as a script would, from a fresh client.
func tryHTTPSignIn(t *testing.T, base, email, password string) int {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &apiClient{base: base, http: &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	tok := c.csrf(t, "/signin")
	res, err := c.http.PostForm(base+"/signin", url.Values{"_csrf": {tok}, "email": {email}, "password": {password}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}

// TestFamiliarBrowserSignsInDuringAnAttack: while someone guesses the Global
// administrator's password (and has the client address locked out too), a new
// browser is refused with the time to try again, and the browser the admin signed
// in from before signs in.
func TestFamiliarBrowserSignsInDuringAnAttack(t *testing.T) {
	srv := startServer(t)
	familiar := newBrowser(t, srv, "en-US")
	familiar.signInAdmin(english)
	familiar.must(familiar.role("button", "Sign out").Click())
	familiar.must(expect.Locator(familiar.role("heading", "Sign in")).ToBeVisible())

	for i := 0; i < models.ThrottleFailures; i++ {
		if s := tryHTTPSignIn(t, srv.URL, "admin@contoso.com", fmt.Sprintf("guess-%d", i)); s != http.StatusUnauthorized {
			t.Fatalf("guess %d: %d", i, s)
		}
	}
	for i := models.ThrottleFailures; i < models.ClientThrottleFailures; i++ {
		tryHTTPSignIn(t, srv.URL, fmt.Sprintf("nobody%d@contoso.com", i), "guess")
	}

	stranger := newBrowser(t, srv, "en-US")
	stranger.allowConsole(`status of 429`) // the throttle refuses the stranger on purpose
	stranger.signIn(english, "admin@contoso.com", adminPassword)
	stranger.must(expect.Locator(stranger.page.GetByRole("alert")).ToContainText("Too many failed sign-in attempts. Try again after"))
	stranger.checkA11y("sign-in refused by the throttle")

	familiar.signInAdmin(english)
	familiar.must(expect.Locator(familiar.page.GetByTestId("signed-in-admin")).ToContainText("MOD Administrator"))
}

// TestSignInMessagesInBothLanguages: a missing password is named on its field, and
// a throttled attempt says until when, in English and in Dutch.
func TestSignInMessagesInBothLanguages(t *testing.T) {
	srv := startServer(t)
	for _, tc := range []struct {
		locale, name, missing, throttled string
		l                                labels
	}{
		{"en-US", "en", "Enter your password.", "Too many failed sign-in attempts. Try again after", english},
		{"nl-NL", "nl", "Voer uw wachtwoord in.", "Te veel mislukte aanmeldpogingen. Probeer het opnieuw na", dutch},
	} {
		b := newBrowser(t, srv, tc.locale)
		b.allowConsole(`status of (401|422|429)`) // wrong, empty and throttled sign-ins, on purpose
		b.signIn(tc.l, "pattif@contoso.com", "")
		pw := b.label(tc.l.Password)
		b.must(expect.Locator(pw).ToHaveAttribute("aria-invalid", "true"))
		b.must(expect.Locator(pw).ToHaveAccessibleDescription(tc.missing))
		b.checkA11y("sign-in with a field error")
		shots(b, "signin-field-error-"+tc.name)

		for i := 0; i < models.ThrottleFailures; i++ {
			tryHTTPSignIn(t, srv.URL, "pattif@contoso.com", "wrong")
		}
		b.must(b.page.SetViewportSize(1440, 900))
		b.signIn(tc.l, "pattif@contoso.com", adminPassword)
		b.must(expect.Locator(b.page.GetByRole("alert")).ToContainText(tc.throttled))
		shots(b, "signin-throttled-"+tc.name)
	}
}

// shots takes the screenshots a person looks at, at desktop and phone sizes.
func shots(b *browserSession, name string) {
	b.t.Helper()
	for _, size := range []playwright.Size{{Width: 1440, Height: 900}, {Width: 390, Height: 844}} {
		b.must(b.page.SetViewportSize(size.Width, size.Height))
		b.screenshot(fmt.Sprintf("%s-%dx%d", name, size.Width, size.Height))
	}
}

// TestNoOpenRedirectAfterSignIn: a return address that a browser would turn into
// another host ("/<tab>/evil.example") ends on this site's home page.
func TestNoOpenRedirectAfterSignIn(t *testing.T) {
	srv := startServer(t)
	b := newBrowser(t, srv, "en-US")
	for _, next := range []string{"/%09/evil.example", "/%5Cevil.example", "/\\evil.example"} {
		b.goto_("/signin?next=" + url.QueryEscape(next))
		b.must(b.label(english.Email).Fill("admin@contoso.com"))
		b.must(b.label(english.Password).Fill(adminPassword))
		b.must(b.role("button", english.SignIn).Click())
		b.must(expect.Page(b.page).ToHaveURL("/"))
		b.must(b.role("button", "Sign out").Click())
		b.must(expect.Locator(b.role("heading", "Sign in")).ToBeVisible())
	}
}

// TestServeBehindATLSProxy: with --public-url https://..., the real server sends
// HSTS and __Host- Secure cookies over its plain listener, a script signs in, and
// /metrics wants the --metrics-token.
func TestServeBehindATLSProxy(t *testing.T) {
	const token = "e2e-metrics-token-0123456789"
	srv := launch(t, dbtest.DSN(t, "e2e"), "--public-url", "https://admin.contoso.test", "--metrics-token", token)
	t.Cleanup(func() { srv.stop(t) })
	res, err := http.Get(srv.URL + "/signin")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.Header.Get("Strict-Transport-Security") == "" {
		t.Fatal("no HSTS behind a TLS proxy")
	}
	for _, c := range res.Cookies() {
		if !c.Secure || !strings.HasPrefix(c.Name, "__Host-") {
			t.Fatalf("cookie %s is not a Secure __Host- cookie", c.Name)
		}
	}
	c := signInHTTP(t, srv.URL)
	if res, err := c.http.Get(srv.URL + "/users"); err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("signed in behind the proxy: %v %v", res, err)
	} else {
		res.Body.Close()
	}
	for auth, want := range map[string]int{"": http.StatusUnauthorized, "Bearer nope": http.StatusUnauthorized, "Bearer " + token: http.StatusOK} {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/metrics", nil)
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != want {
			t.Errorf("/metrics with %q: %d, want %d", auth, res.StatusCode, want)
		}
	}
}

// TestSlowUploadsDoNotLockOutSignIn: twice as many slow uploads as the server has
// worker places, half anonymous to the sign-in form and half from signed-in
// admins, trickle one byte every 100 ms (8 s per body). Another person signs in
// meanwhile; the test logs how long that took, and fails if it had to wait for any
// slow upload to be answered.
func TestSlowUploadsDoNotLockOutSignIn(t *testing.T) {
	srv := startServer(t)
	places := 8 // 4 per core on this 2-core machine; more uploads than that is the point
	u, _ := url.Parse(srv.URL)
	var admins [][]*http.Cookie
	for i := 0; i < places; i++ {
		admins = append(admins, signInHTTP(t, srv.URL).http.Jar.Cookies(u))
	}
	stop := make(chan struct{})
	var answered atomic.Int32
	var wg sync.WaitGroup
	const size, interval = 80, 100 * time.Millisecond
	for i := 0; i < 2*places; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var cookies []*http.Cookie
			path := "/signin"
			if i%2 == 1 {
				cookies, path = admins[i/2], "/users/1/contact"
			}
			trickle(t, u.Host, path, cookies, size, interval, stop, &answered)
		}()
	}
	defer func() {
		close(stop)
		wg.Wait()
	}()
	time.Sleep(500 * time.Millisecond)

	start := time.Now()
	status := tryHTTPSignIn(t, srv.URL, "admin@contoso.com", adminPassword)
	took := time.Since(start)
	if status != http.StatusSeeOther {
		t.Fatalf("sign-in during slow uploads: %d", status)
	}
	if n := answered.Load(); n != 0 {
		t.Fatalf("the sign-in took %s, until %d slow uploads had been answered", took, n)
	}
	t.Logf("real server: sign-in (GET + POST /signin) took %s with %d slow uploads in flight", took.Round(time.Millisecond), 2*places)
}

// trickle sends a request's head, then its body a byte per interval, until the
// body is sent, stop is closed or the server answers (counted in answered).
func trickle(t *testing.T, host, path string, cookies []*http.Cookie, size int, interval time.Duration, stop <-chan struct{}, answered *atomic.Int32) {
	conn, err := net.Dial("tcp", host)
	if err != nil {
		t.Error(err)
		return
	}
	defer conn.Close()
	var head strings.Builder
	fmt.Fprintf(&head, "POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n", path, host, size)
	for _, c := range cookies {
		fmt.Fprintf(&head, "Cookie: %s=%s\r\n", c.Name, c.Value)
	}
	head.WriteString("\r\n")
	if _, err := io.WriteString(conn, head.String()); err != nil {
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
