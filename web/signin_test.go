package web

import (
	"context"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/contoso/admincenter/models"
)

// signInAttempts counts the audit events of sign-in attempts.
func (a *app) signInEvents() int {
	return a.count(`SELECT COUNT(*) FROM audit_events WHERE action LIKE 'signin.%'`)
}

// TestNextAfterSignInRefusesDisguisedHosts: only a parsed path on this site is
// followed after sign-in; control characters (which browsers drop, leaving
// "//evil.example") and backslashes (which they read as "/") anywhere, also
// percent-encoded, send the person home instead.
func TestNextAfterSignInRefusesDisguisedHosts(t *testing.T) {
	a := newApp(t)
	for next, want := range map[string]string{
		"/users/2?tab=mail":             "/users/2?tab=mail",
		"/users?q=wil&size=10":          "/users?q=wil&size=10",
		"/\t/evil.example":              "/",
		"/\n/evil.example":              "/",
		"/%09/evil.example":             "/",
		"/\x00/evil.example":            "/",
		"/\\evil.example":               "/",
		"/users\\..\\evil":              "/",
		"/%5Cevil.example":              "/",
		"/%2F%2Fevil.example":           "/",
		"/\u0085/evil.example":          "/",
		"https:/evil.example":           "/",
		"/users?q=%0d%0aSet-Cookie:x":   "/",
		"///evil.example":               "/",
		"/" + strings.Repeat("a", 3000): "/",
	} {
		a.client = newClient()
		tok := a.csrf("/signin")
		r := a.post("/signin", url.Values{"_csrf": {tok}, "email": {"admin@contoso.com"}, "password": {testPassword}, "next": {next}})
		if got := r.header.Get("Location"); got != want {
			t.Errorf("next %q -> %q, want %q", next, got, want)
		}
	}
	// The form carries only what would be followed.
	a.client = newClient()
	r := a.get("/signin?next=" + url.QueryEscape("/\t/evil.example"))
	if v, _ := r.doc.Find(`form[action="/signin"] input[name=next]`).Attr("value"); v != "/" {
		t.Errorf("sign-in form keeps next %q", v)
	}
	// And so does the language switch.
	tok := a.csrf("/signin")
	if r := a.post("/language", url.Values{"_csrf": {tok}, "lang": {"nl"}, "next": {"/%09/evil.example"}}); r.header.Get("Location") != "/" {
		t.Errorf("language switch follows %q", r.header.Get("Location"))
	}
}

// TestAnonymousSignInCannotFillTheDatabase: the sign-in form is bounded before
// anything is looked up, refused attempts are counts rather than rows, and
// anonymous visitors make no sessions.
func TestAnonymousSignInCannotFillTheDatabase(t *testing.T) {
	a := newApp(t)
	before := a.signInEvents()
	tok := a.csrf("/signin")
	// A 900 KB address is refused from the body's size, a 300-character one by the
	// field's limit, with a message on the field; neither leaves a trace.
	if r := a.post("/signin", url.Values{"_csrf": {tok}, "email": {strings.Repeat("a", 900<<10) + "@contoso.com"}, "password": {"x"}}); r.status != http.StatusRequestEntityTooLarge {
		t.Fatalf("900 KB address: %d", r.status)
	}
	r := a.post("/signin", url.Values{"_csrf": {tok}, "email": {strings.Repeat("a", 300) + "@contoso.com"}, "password": {"x"}})
	if r.status != http.StatusUnprocessableEntity || r.doc.Find(`#email[aria-invalid=true][aria-describedby=email-error]`).Length() != 1 ||
		!strings.Contains(text(r, "#email-error"), "at most 254 characters") || strings.Contains(r.body, strings.Repeat("a", 300)) {
		t.Fatalf("300-character address: %d %q", r.status, text(r, "#email-error"))
	}
	for _, bad := range []string{"admin\x00@contoso.com", "admin@contoso.com\u202e", "\xff\xfe@contoso.com", ""} {
		if r := a.post("/signin", url.Values{"_csrf": {tok}, "email": {bad}, "password": {"x"}}); r.status != http.StatusUnprocessableEntity {
			t.Errorf("address %q: %d", bad, r.status)
		}
	}
	if r := a.post("/signin", url.Values{"_csrf": {tok}, "email": {"admin@contoso.com"}, "password": {strings.Repeat("p", 300)}}); r.status != http.StatusUnprocessableEntity ||
		!strings.Contains(text(r, "#password-error"), "at most 256 characters") {
		t.Fatalf("300-character password: %d", r.status)
	}
	if n := a.signInEvents() - before; n != 0 {
		t.Fatalf("malformed forms left %d audit events", n)
	}

	// Attempts from one client at many addresses: past the client's limit they
	// are counted, not stored one by one.
	const tries = 100
	for i := 0; i < tries; i++ {
		a.post("/signin", url.Values{"_csrf": {tok}, "email": {"nobody" + itoa(uint(i)) + "@contoso.com"}, "password": {"x"}})
	}
	events := a.signInEvents() - before
	if events > models.ClientThrottleFailures+2 {
		t.Fatalf("%d attempts left %d audit events", tries, events)
	}
	throttles, err := a.store.SignInThrottles(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var refused int64
	for _, th := range throttles {
		if strings.HasPrefix(th.Scope, "client:") {
			refused = th.Refused
		}
	}
	if len(throttles) > models.ClientThrottleFailures+1 || refused != tries-models.ClientThrottleFailures {
		t.Fatalf("%d throttle rows, %d refused attempts counted", len(throttles), refused)
	}
	t.Logf("%d attempts at distinct addresses: %d audit events, %d throttle rows", tries, events, len(throttles))

	// Anonymous visitors store no session, whatever they post.
	for _, p := range []string{"/signout", "/signout-everywhere", "/language"} {
		a.post(p, url.Values{"_csrf": {tok}, "lang": {"nl"}})
	}
	if n := a.count(`SELECT COUNT(*) FROM sessions`); n != 0 {
		t.Fatalf("anonymous requests made %d sessions", n)
	}
}

// TestSignInThrottleCountsPerPerson: every way of typing a person's username counts
// against the same limit; an email alias is no sign-in name at all (it never
// reaches the person's password), so aliases do not multiply the guesses either.
func TestSignInThrottleCountsPerPerson(t *testing.T) {
	// Every attempt from another client address (through a trusted proxy), so only
	// the count per person can stop them.
	cfg := DefaultConfig()
	_, loopback, _ := net.ParseCIDR("127.0.0.0/8")
	cfg.TrustedProxies = []*net.IPNet{loopback}
	a := newAppWith(t, cfg)
	ctx := context.Background()
	adele, _ := a.store.UserIDByAddress(ctx, "adelev@contoso.com")
	if err := a.store.SetPassword(ctx, adele, "Adele-Pass-1"); err != nil {
		t.Fatal(err)
	}
	try := func(i int, addr, password string) response {
		tok := a.csrf("/signin")
		return a.post("/signin", url.Values{"_csrf": {tok}, "email": {addr}, "password": {password}}, "X-Forwarded-For", "198.51.100."+itoa(uint(i+1)))
	}
	// Her alias with her password signs no one in: it is an email address, not her username.
	if r := try(40, "adele.vance@contoso.com", "Adele-Pass-1"); r.status != http.StatusUnauthorized {
		t.Fatalf("an alias as a sign-in name: %d", r.status)
	}
	for i := 0; i < models.ThrottleFailures; i++ {
		addr := []string{"adelev@contoso.com", " ADELEV@Contoso.com"}[i%2]
		if r := try(i, addr, "wrong"); r.status != http.StatusUnauthorized {
			t.Fatalf("failure %d: %d", i, r.status)
		}
	}
	for i, addr := range []string{"adelev@contoso.com", "AdeleV@contoso.com"} {
		if r := try(50+i, addr, "Adele-Pass-1"); r.status != http.StatusTooManyRequests {
			t.Fatalf("%s after %d failures typed two ways: %d", addr, models.ThrottleFailures, r.status)
		}
	}
	// An address that belongs to nobody is counted as typed (normalized).
	for i := 0; i < models.ThrottleFailures; i++ {
		try(100+i, []string{"ghost@contoso.com", " GHOST@contoso.com "}[i%2], "wrong")
	}
	if r := try(200, "ghost@contoso.com", "x"); r.status != http.StatusTooManyRequests {
		t.Fatalf("unknown address after %d failures: %d", models.ThrottleFailures, r.status)
	}
}

// TestParallelSignInAttemptsStayWithinTheLimit: attempts are counted in the same
// write as the check, so a burst of 30 parallel wrong passwords gets no more than
// the limit through to the password check, per person and per client address.
// Ten bursts of each.
func TestParallelSignInAttemptsStayWithinTheLimit(t *testing.T) {
	const burst, bursts = 30, 10
	cfg := DefaultConfig()
	_, loopback, _ := net.ParseCIDR("127.0.0.0/8")
	cfg.TrustedProxies = []*net.IPNet{loopback}
	a := newAppWith(t, cfg)
	var offset atomic.Int64
	a.store.Now = func() time.Time { return time.Now().UTC().Add(time.Duration(offset.Load())) }
	tok := a.csrf("/signin")
	run := func(address func(i int) string, client func(i int) string) (checked int) {
		var wg sync.WaitGroup
		var n atomic.Int32
		start := make(chan struct{})
		for i := 0; i < burst; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				req, _ := http.NewRequest(http.MethodPost, a.srv.URL+"/signin", strings.NewReader(url.Values{"_csrf": {tok}, "email": {address(i)}, "password": {"wrong"}}.Encode()))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				req.Header.Set("X-Forwarded-For", client(i))
				<-start
				res, err := a.client.Do(req)
				if err != nil {
					t.Error(err)
					return
				}
				res.Body.Close()
				switch res.StatusCode {
				case http.StatusUnauthorized:
					n.Add(1)
				case http.StatusTooManyRequests:
				default:
					t.Errorf("attempt: %d", res.StatusCode)
				}
			}()
		}
		close(start)
		wg.Wait()
		return int(n.Load())
	}
	for b := 0; b < bursts; b++ {
		// Past every lockout of the burst before.
		offset.Add(int64(2 * time.Hour))
		if n := run(func(int) string { return "pattif@contoso.com" }, func(i int) string { return "198.51.100." + itoa(uint(i+1)) }); n > models.ThrottleFailures {
			t.Fatalf("burst %d: %d of %d parallel attempts at one person were checked (limit %d)", b, n, burst, models.ThrottleFailures)
		}
		if n := run(func(i int) string { return "nobody" + itoa(uint(b*burst+i)) + "@contoso.com" }, func(int) string { return "203.0.113.5" }); n > models.ClientThrottleFailures {
			t.Fatalf("burst %d: %d of %d parallel attempts from one client were checked (limit %d)", b, n, burst, models.ClientThrottleFailures)
		}
	}
}

// TestLockoutIsProgressive: the first lockout is short and each one after it
// twice as long; a successful sign-in clears the person's count.
func TestLockoutIsProgressive(t *testing.T) {
	// Each round comes from another client address (through a trusted proxy), so
	// only the person's lockouts are measured.
	cfg := DefaultConfig()
	_, loopback, _ := net.ParseCIDR("127.0.0.0/8")
	cfg.TrustedProxies = []*net.IPNet{loopback}
	a := newAppWith(t, cfg)
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	a.store.Now = func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	client := "198.51.100.1"
	try := func(password string) response {
		t.Helper()
		tok := a.csrf("/signin")
		return a.post("/signin", url.Values{"_csrf": {tok}, "email": {"pattif@contoso.com"}, "password": {password}}, "X-Forwarded-For", client)
	}
	fail := func(n int) {
		t.Helper()
		for i := 0; i < n; i++ {
			if r := try("wrong"); r.status != http.StatusUnauthorized {
				t.Fatalf("failure %d: %d", i, r.status)
			}
		}
	}
	// Four failures, then the right password: the count starts over.
	fail(models.ThrottleFailures - 1)
	if r := try(testPassword); r.status != http.StatusSeeOther {
		t.Fatalf("right password after %d failures: %d", models.ThrottleFailures-1, r.status)
	}
	a.client = newClient()
	for round, lockout := range []time.Duration{time.Minute, 2 * time.Minute, 4 * time.Minute, 8 * time.Minute, 16 * time.Minute} {
		client = "198.51.100." + itoa(uint(round+2))
		fail(models.ThrottleFailures)
		r := try(testPassword)
		until := now.Add(lockout).Format("15:04 UTC")
		if r.status != http.StatusTooManyRequests || !strings.Contains(text(r, "[role=alert]"), "Try again after "+until) {
			t.Fatalf("lockout %d: %d %q, want until %s", round+1, r.status, text(r, "[role=alert]"), until)
		}
		advance(lockout - time.Second)
		if r := try(testPassword); r.status != http.StatusTooManyRequests {
			t.Fatalf("lockout %d ended early: %d", round+1, r.status)
		}
		advance(2 * time.Second)
	}
	if r := try(testPassword); r.status != http.StatusSeeOther {
		t.Fatalf("after the lockout: %d", r.status)
	}
	// The right password cleared the lockouts: the next one is short again.
	a.client = newClient()
	fail(models.ThrottleFailures)
	if r := try(testPassword); !strings.Contains(text(r, "[role=alert]"), "Try again after "+now.Add(time.Minute).Format("15:04 UTC")) {
		t.Fatalf("after a success: %q", text(r, "[role=alert]"))
	}
}

// TestFamiliarDeviceSignsInDuringAnAttack: a browser that signed in before keeps
// signing in while others guess the password (from other addresses or its own),
// and gets its own limit; a forged or another person's device cookie does not.
func TestFamiliarDeviceSignsInDuringAnAttack(t *testing.T) {
	a := newApp(t)
	a.signInAdmin()
	familiar := a.client
	u, _ := url.Parse(a.srv.URL)
	var device *http.Cookie
	for _, c := range familiar.Jar.Cookies(u) {
		if c.Name == "admincenter_device" {
			device = c
		}
	}
	if device == nil {
		t.Fatal("no familiar-device cookie after sign-in")
	}
	tok := a.csrf("/")
	a.post("/signout", url.Values{"_csrf": {tok}})

	// The attacker locks the person out and the client address too.
	attacker := a.withClient(newClient())
	for i := 0; i < models.ThrottleFailures; i++ {
		attacker.signIn("admin@contoso.com", "guess"+itoa(uint(i)))
	}
	for i := models.ThrottleFailures; i < models.ClientThrottleFailures; i++ {
		attacker.signIn("nobody"+itoa(uint(i))+"@contoso.com", "guess")
	}
	if r := attacker.signIn("admin@contoso.com", testPassword); r.status != http.StatusTooManyRequests {
		t.Fatalf("attacker with the right password during the lockout: %d", r.status)
	}
	// A tampered device cookie or the device of another person is no way around it.
	for name, value := range map[string]string{"tampered": device.Value[:len(device.Value)-2] + "xx", "of another person": "2" + device.Value[strings.Index(device.Value, "."):]} {
		c := newClient()
		c.Jar.SetCookies(u, []*http.Cookie{{Name: "admincenter_device", Value: value}})
		if r := a.withClient(c).signIn("admin@contoso.com", testPassword); r.status != http.StatusTooManyRequests {
			t.Fatalf("%s device cookie: %d", name, r.status)
		}
	}
	// The familiar browser signs in.
	if r := a.signIn("admin@contoso.com", testPassword); r.status != http.StatusSeeOther {
		t.Fatalf("familiar device during the attack: %d %q", r.status, text(r, "[role=alert]"))
	}
	if n := a.count(`SELECT COUNT(*) FROM audit_events WHERE action = 'signin.success' AND after LIKE '%familiar_device%'`); n != 1 {
		t.Fatalf("the familiar sign-in is not audited as such: %d", n)
	}
	// It has a limit of its own.
	tok = a.csrf("/")
	a.post("/signout", url.Values{"_csrf": {tok}})
	for i := 0; i < models.ThrottleFailures; i++ {
		if r := a.signIn("admin@contoso.com", "typo"); r.status != http.StatusUnauthorized {
			t.Fatalf("familiar device, failure %d: %d", i, r.status)
		}
	}
	if r := a.signIn("admin@contoso.com", testPassword); r.status != http.StatusTooManyRequests {
		t.Fatalf("familiar device past its own limit: %d", r.status)
	}
}
