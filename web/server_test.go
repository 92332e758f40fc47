package web

import (
	"context"
	"errors"
	"github.com/contoso/admincenter/models/dbtest"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/labstack/echo/v4"
	"golang.org/x/crypto/bcrypt"

	"github.com/contoso/admincenter/models"
)

const testPassword = "Test-Pass-1234"

func init() { models.PasswordCost = bcrypt.MinCost }

// app is the real server over a fresh demo database, with a browser-like client.
type app struct {
	t      *testing.T
	echo   *echo.Echo
	store  *models.Store
	srv    *httptest.Server
	client *http.Client
}

func newApp(t *testing.T) *app {
	t.Helper()
	return newAppWith(t, DefaultConfig())
}

func newAppWith(t *testing.T, cfg Config) *app {
	t.Helper()
	ctx := context.Background()
	store, err := models.Open(ctx, dbtest.DSN(t, "web"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	if err := store.SeedDemo(ctx, testPassword); err != nil {
		t.Fatal(err)
	}
	e := New(cfg, store, slog.New(slog.NewTextHandler(io.Discard, nil)))
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	return &app{t: t, echo: e, store: store, srv: srv, client: newClient()}
}

func newClient() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

type response struct {
	status int
	header http.Header
	body   string
	doc    *goquery.Document
}

func (a *app) do(c *http.Client, req *http.Request) response {
	a.t.Helper()
	res, err := c.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	doc, _ := goquery.NewDocumentFromReader(strings.NewReader(string(b)))
	return response{status: res.StatusCode, header: res.Header, body: string(b), doc: doc}
}

func (a *app) get(path string, headers ...string) response {
	a.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, a.srv.URL+path, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return a.do(a.client, req)
}

func (a *app) post(path string, form url.Values, headers ...string) response {
	a.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, a.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return a.do(a.client, req)
}

// csrf takes the token from a page's form, as a browser would send it.
func (a *app) csrf(path string) string {
	a.t.Helper()
	r := a.get(path)
	tok, ok := r.doc.Find(`input[name="_csrf"]`).First().Attr("value")
	if !ok || tok == "" {
		a.t.Fatalf("no CSRF token on %s (status %d)", path, r.status)
	}
	return tok
}

func (a *app) signIn(email, password string) response {
	a.t.Helper()
	tok := a.csrf("/signin")
	return a.post("/signin", url.Values{"_csrf": {tok}, "email": {email}, "password": {password}})
}

func (a *app) signInAdmin() {
	a.t.Helper()
	if r := a.signIn("admin@contoso.com", testPassword); r.status != http.StatusSeeOther {
		a.t.Fatalf("sign-in: %d\n%s", r.status, r.body)
	}
}

// text is the visible text of the matched elements, one space between elements.
func text(r response, sel string) string {
	parts := r.doc.Find(sel).Map(func(_ int, s *goquery.Selection) string { return s.Text() })
	return strings.Join(strings.Fields(strings.Join(parts, " ")), " ")
}

func TestHealthz(t *testing.T) {
	a := newApp(t)
	if r := a.get("/healthz"); r.status != http.StatusOK {
		t.Fatalf("healthz = %d", r.status)
	}
}

func TestSignedOutVisitorsGoToSignIn(t *testing.T) {
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

func TestActiveUsers(t *testing.T) {
	a := newApp(t)
	a.signInAdmin()
	r := a.get("/users")
	if r.status != http.StatusOK {
		t.Fatalf("users: %d", r.status)
	}
	if got := r.doc.Find("tbody tr").Length(); got != 18 {
		t.Fatalf("rows = %d", got)
	}
	if got := r.doc.Find(`input[type=search][aria-label="Search active users list"]`).Length(); got != 1 {
		t.Fatal("no search box named Search active users list")
	}
	if v, _ := r.doc.Find("th[aria-sort]").Attr("aria-sort"); v != "ascending" {
		t.Fatalf("aria-sort = %q", v)
	}

	// Search works without JavaScript (full page) and as an htmx partial.
	r = a.get("/users?q=wil")
	if got := text(r, "tbody td:nth-child(2) a"); got != "Alex Wilber Nestor Wilke" {
		t.Fatalf("search: %q", got)
	}
	r = a.get("/users?q=wil", "HX-Request", "true", "HX-Target", "users-results")
	if r.doc.Find("html body nav").Length() != 1 || strings.Contains(r.body, "<html") || r.doc.Find("tbody tr").Length() != 2 {
		t.Fatalf("partial search response:\n%s", r.body)
	}

	r = a.get("/users?filter=unlicensed")
	if got := text(r, "tbody td:nth-child(2) a"); got != "Grady Archie Lynne Robbins" {
		t.Fatalf("unlicensed filter: %q", got)
	}
	r = a.get("/users?filter=blocked")
	if r.doc.Find("tbody td:nth-child(2) a").Length() != 0 || !strings.Contains(text(r, "tbody"), "No users match") {
		t.Fatalf("blocked filter: %q", text(r, "tbody"))
	}

	// Paging by keyset links.
	r = a.get("/users?size=10")
	if got := text(r, "nav[aria-label=Pagination] p"); got != "1-10 of 18" {
		t.Fatalf("pager = %q", got)
	}
	next, ok := r.doc.Find(`nav[aria-label=Pagination] a:contains("Next page")`).Attr("href")
	if !ok {
		t.Fatal("no next link")
	}
	r = a.get(next)
	if got := text(r, "nav[aria-label=Pagination] p"); got != "11-18 of 18" || r.doc.Find("tbody tr").Length() != 8 {
		t.Fatalf("page 2 pager = %q", got)
	}
	r = a.get("/users?sort=desc&size=10")
	if first := text(r, "tbody tr:first-child td:nth-child(2) a"); first != "Pradeep Gupta" {
		t.Fatalf("descending first = %q", first)
	}

	// Markup in the search box comes back as text.
	r = a.get("/users?q=" + url.QueryEscape(`"><script>alert(1)</script>`))
	if r.status != http.StatusOK || strings.Contains(r.body, "<script>alert(1)") {
		t.Fatalf("search echo is not escaped: %d", r.status)
	}
}

func TestPropertiesPane(t *testing.T) {
	a := newApp(t)
	a.signInAdmin()
	id, _ := a.store.UserIDByAddress(context.Background(), "adelev@contoso.com")
	path := "/users/" + itoa(id)

	full := a.get(path)
	if full.status != http.StatusOK || full.doc.Find("table tbody tr").Length() == 0 {
		t.Fatalf("full page pane: %d", full.status)
	}
	dlg := full.doc.Find(`[role=dialog][aria-modal=true]`)
	if dlg.Length() != 1 || text(full, "#pane-title") != "Adele Vance" {
		t.Fatalf("dialog: %d %q", dlg.Length(), text(full, "#pane-title"))
	}
	if sel, _ := full.doc.Find("#tab-account").Attr("aria-selected"); sel != "true" {
		t.Fatal("Account is not the selected tab")
	}
	if got := text(full, "[role=tabpanel]"); !strings.Contains(got, "adele.vance@contoso.com") || !strings.Contains(got, "Microsoft 365 Business Standard") {
		t.Fatalf("account tab: %q", got)
	}

	mail := a.get(path+"?tab=mail", "HX-Request", "true", "HX-Target", "pane")
	if strings.Contains(mail.body, "users-results") || strings.Contains(mail.body, "<html") || mail.doc.Find("[role=dialog]").Length() != 1 {
		t.Fatal("htmx pane request must return the pane alone")
	}
	got := text(mail, "[role=tabpanel]")
	for _, want := range []string{"Read and manage", "Send as", "Send on behalf", "Email forwarding", "Off", "User mailbox", "12.57 GB used of 50 GB"} {
		if !strings.Contains(got, want) {
			t.Errorf("mail tab lacks %q: %s", want, got)
		}
	}
	if got := text(mail, "[role=tabpanel] a"); got != "Manage mailbox permissions Check sending Manage email forwarding Check delivery" {
		t.Errorf("mail tab links = %q", got)
	}
	if got := text(mail, "#sec-access ~ div td"); !strings.Contains(got, "Info info@contoso.com Read and manage Directly") {
		t.Errorf("mailboxes Adele can access = %q", got)
	}

	for _, p := range []string{"/users/99999", "/users/abc", "/users/0", "/nope"} {
		r := a.get(p)
		if r.status != http.StatusNotFound || !strings.Contains(text(r, "main"), r.header.Get("X-Request-Id")) || r.header.Get("X-Request-Id") == "" {
			t.Errorf("%s: %d %q", p, r.status, text(r, "main"))
		}
	}
}

func TestDutch(t *testing.T) {
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

func TestSharedMailboxesList(t *testing.T) {
	a := newApp(t)
	a.signInAdmin()
	r := a.get("/shared-mailboxes")
	if r.status != http.StatusOK || text(r, "tbody tr:first-child td") != "Info info@contoso.com 1 3.19 GB used of 50 GB" {
		t.Fatalf("shared: %d %q", r.status, text(r, "tbody tr:first-child td"))
	}
}

func itoa(n uint) string { return strconv.FormatUint(uint64(n), 10) }

func TestFailuresShowAFriendlyPageWithARequestID(t *testing.T) {
	ctx := context.Background()
	store, err := models.Open(ctx, dbtest.DSN(t, "web"))
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

func TestPendingGrantsShowWhenTheyTakeEffect(t *testing.T) {
	a := newApp(t)
	a.store.PropagationDelay = time.Hour
	a.signInAdmin()
	base := a.userPath("meganb@contoso.com")
	tok := a.csrf(base)
	a.post(base+"/mailbox-permissions/sendas", url.Values{"_csrf": {tok}, "trustee": {a.recipient("alexw@contoso.com")}})
	r := a.get(base + "/mailbox-permissions")
	if got := text(r, "[role=dialog]"); !strings.Contains(got, "Pending: takes effect at") || !strings.Contains(got, "apply changes after 60 minutes") {
		t.Fatalf("pending state: %q", got)
	}
	r = a.get(base + "/send-check?sender=alexw@contoso.com&from=meganb@contoso.com")
	if got := text(r, "[role=status]"); !strings.Contains(got, "could not be sent") || !strings.Contains(got, "is pending and takes effect at") {
		t.Fatalf("send check during propagation: %q", got)
	}
}

func TestSignInThrottleAndSignOutEverywhere(t *testing.T) {
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

func TestAuditLog(t *testing.T) {
	a := newApp(t)
	a.signInAdmin()
	megan := a.userPath("meganb@contoso.com")
	tok := a.csrf(megan)
	a.post(megan+"/mailbox-permissions/sendas", url.Values{"_csrf": {tok}, "trustee": {a.recipient("alexw@contoso.com")}})
	a.post(megan+"/forwarding", url.Values{"_csrf": {tok}, "version": {a.forwardingVersion(megan)}, "forward": {"on"}, "address": {"alexw@contoso.com"}})

	r := a.get("/audit")
	if got := text(r, "tbody tr:first-child td:nth-child(3)"); got != "forwarding.set" {
		t.Fatalf("newest first: %q", got)
	}
	if !strings.Contains(text(r, "tbody"), `"forwarding_address":"alexw@contoso.com"`) {
		t.Fatal("the entry does not show before and after")
	}
	r = a.get("/audit?action=mailbox_permission.add&target=megan")
	if n := r.doc.Find("tbody tr").Length(); n != 1 || !strings.Contains(text(r, "tbody"), "SendAs") {
		t.Fatalf("filtered: %d rows", n)
	}
	r = a.get("/audit?actor=admin@&action=signin.success")
	if n := r.doc.Find("tbody tr").Length(); n != 1 {
		t.Fatalf("sign-ins by admin: %d", n)
	}
	if r := a.get("/audit?from=yesterday"); r.status != http.StatusUnprocessableEntity || r.doc.Find("#audit-from[aria-invalid=true]").Length() != 1 {
		t.Fatalf("bad date: %d", r.status)
	}
	if r := a.get("/audit?from=2000-01-01&to=2000-01-02"); !strings.Contains(text(r, "tbody"), "No entries match") {
		t.Fatal("date range")
	}
	r = a.get("/audit/export?action=forwarding.set")
	if r.status != http.StatusOK || !strings.Contains(r.body, "forwarding.set") || strings.Count(r.body, "\n") != 2 {
		t.Fatalf("export: %d\n%s", r.status, r.body)
	}
	// The log has no way to change it.
	for _, m := range []string{http.MethodPost, http.MethodPut, http.MethodDelete} {
		req, _ := http.NewRequest(m, a.srv.URL+"/audit", strings.NewReader("_csrf="+tok))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if r := a.do(a.client, req); r.status != http.StatusMethodNotAllowed && r.status != http.StatusNotFound && r.status != http.StatusForbidden {
			t.Errorf("%s /audit = %d", m, r.status)
		}
	}
}

func TestTrustedProxyForwardedFor(t *testing.T) {
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
