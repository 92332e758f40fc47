package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/labstack/echo/v4"
	"golang.org/x/crypto/bcrypt"

	"github.com/contoso/admincenter/models"
	"github.com/contoso/admincenter/models/dbtest"
)

const testPassword = "Test-Pass-1234"

// fastHashing lowers bcrypt's work factor: it only slows guessing, and tests need speed.
var fastHashing = models.WithPasswordCost(bcrypt.MinCost)

// app is the real server over a fresh demo database, with a browser-like client.
type app struct {
	t      *testing.T
	echo   *echo.Echo
	store  *models.Store
	srv    *httptest.Server
	client *http.Client
}

// on is the app for a subtest: its helpers fail the subtest, not the parent. It
// starts with the parent's browser; switching browsers stays in the subtest.
func (a *app) on(t *testing.T) *app {
	b := *a
	b.t = t
	return &b
}

func newApp(t *testing.T) *app {
	t.Helper()
	return newAppWith(t, DefaultConfig())
}

func newAppWith(t *testing.T, cfg Config) *app {
	t.Helper()
	ctx := context.Background()
	store, err := models.Open(ctx, dbtest.DSN(t, "web"), fastHashing)
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

func itoa(n uint) string { return strconv.FormatUint(uint64(n), 10) }

// userPath is the pane address of the person with the given address.
func (a *app) userPath(addr string) string {
	a.t.Helper()
	id, err := a.store.UserIDByAddress(context.Background(), addr)
	if err != nil {
		a.t.Fatal(err)
	}
	return "/users/" + itoa(id)
}

func (a *app) recipient(addr string) string {
	a.t.Helper()
	id, err := a.store.RecipientByAddress(context.Background(), addr)
	if err != nil {
		a.t.Fatal(err)
	}
	return itoa(id)
}

// holders lists the direct holders of a right on a person's mailbox.
func (a *app) holders(owner string, r models.Right) []string {
	a.t.Helper()
	id, _ := a.store.UserIDByAddress(context.Background(), owner)
	mb, err := a.store.MailboxOfUser(context.Background(), id)
	if err != nil {
		a.t.Fatal(err)
	}
	acc, err := a.store.MailboxAccess(context.Background(), mb.ID)
	if err != nil {
		a.t.Fatal(err)
	}
	var out []string
	for _, h := range acc.Direct(r) {
		out = append(out, h.Address)
	}
	return out
}

func (a *app) licenseID(sku string) string {
	a.t.Helper()
	ls, err := a.store.Licenses(context.Background())
	if err != nil {
		a.t.Fatal(err)
	}
	for _, l := range ls {
		if l.SKU == sku {
			return itoa(l.ID)
		}
	}
	a.t.Fatalf("no license %s", sku)
	return ""
}

func parseID(s string) uint {
	var n uint
	for _, c := range s {
		n = n*10 + uint(c-'0')
	}
	return n
}

func (a *app) sharedPath(addr string) string {
	a.t.Helper()
	list, err := a.store.SharedMailboxes(context.Background(), sharedQuery(addr))
	if err != nil || len(list.Rows) == 0 {
		a.t.Fatalf("no shared mailbox %s (%v)", addr, err)
	}
	return "/shared-mailboxes/" + itoa(list.Rows[0].ID)
}

func sharedQuery(addr string) models.SharedMailboxQuery {
	return models.SharedMailboxQuery{Search: addr}
}

// forwardingForm reads the version the panel was built from.
func (a *app) forwardingVersion(path string) string {
	a.t.Helper()
	r := a.get(path + "/forwarding")
	v, ok := r.doc.Find(`input[name=version]`).Attr("value")
	if !ok {
		a.t.Fatalf("no version on %s/forwarding (%d)", path, r.status)
	}
	return v
}

// forward turns forwarding of the person at path on to addr, as the panel does.
func (a *app) forward(path, tok, addr string) response {
	a.t.Helper()
	return a.post(path+"/forwarding", url.Values{"_csrf": {tok}, "version": {a.forwardingVersion(path)}, "forward": {"on"}, "address": {addr}})
}

// exec runs SQL statements on the app's database, for states the app itself can't
// reach (such as an organization without domains).
func (a *app) exec(stmts ...string) {
	a.t.Helper()
	db, err := a.store.SQLDB()
	if err != nil {
		a.t.Fatal(err)
	}
	for _, stmt := range stmts {
		if _, err := db.Exec(stmt); err != nil {
			a.t.Fatalf("%s: %v", stmt, err)
		}
	}
}
