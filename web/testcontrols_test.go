package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/contoso/admincenter/models"
)

func (a *app) control(path, body string, headers ...string) response {
	a.t.Helper()
	return a.postJSON(a.srv.URL+path, "", body, headers...)
}

func TestTestControlsAreOffByDefault(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.signInAdmin()
	tok := a.csrf("/")
	before := fingerprint(t, a.store)
	for _, path := range []string{"/api/test/reset", "/api/test/session", "/api/test/propagation-delay", "/api/test/storage"} {
		r := a.control(path, `{"username":"admin@contoso.com"}`, "X-CSRF-Token", tok)
		if r.status != http.StatusNotFound || r.header.Get("Set-Cookie") != "" {
			t.Errorf("%s: %d", path, r.status)
		}
	}
	if fingerprint(t, a.store) != before {
		t.Error("a test control worked while off")
	}
}

func TestResetRestoresTheDemoTenant(t *testing.T) {
	t.Parallel()
	a := newAPIApp(t, func(c *Config) { c.TestControls = true })
	ctx := context.Background()
	fresh := newApp(t) // a demo tenant as --demo makes it
	want := tenantView(t, fresh)

	// Change it the ways a test would: a grant, a new person, a new password, an app.
	admin, _ := a.store.Authenticate(ctx, "admin@contoso.com", testPassword)
	a.appToken("Suite", models.RoleGlobalAdmin)
	a.page(a.invoke(a.appToken("Suite 2", models.RoleExchangeAdmin), "", seedNewMailbox))
	if _, _, err := a.store.CreateUser(ctx, admin, models.NewUser{FirstName: "Zed", LastName: "Test", Alias: "zed", Domain: "contoso.com"}); err != nil {
		t.Fatal(err)
	}
	if err := a.store.SetPassword(ctx, admin.UserID, "Another-Pass-77"); err != nil {
		t.Fatal(err)
	}
	if tenantView(t, a) == want {
		t.Fatal("nothing changed")
	}

	r := a.control("/api/test/reset", `{}`)
	var res struct {
		ElapsedMS float64 `json:"elapsedMs"`
	}
	if r.status != http.StatusOK || json.Unmarshal([]byte(r.body), &res) != nil || res.ElapsedMS <= 0 {
		t.Fatalf("reset: %d %s", r.status, r.body)
	}
	t.Logf("reset took %.1f ms", res.ElapsedMS)
	if got := tenantView(t, a); got != want {
		t.Errorf("after reset:\n%s\nwant\n%s", got, want)
	}
	// The demo password is back, and the people have their ids (so /users/3 is Alex again).
	a.client = newClient()
	a.signInAdmin()
	if r := a.get(fresh.userPath("alexw@contoso.com")); r.status != http.StatusOK || !strings.Contains(r.body, "Alex Wilber") {
		t.Errorf("ids changed: %d", r.status)
	}
	if apps, _ := a.store.Apps(ctx); len(apps) != 0 {
		t.Errorf("%d apps after reset", len(apps))
	}
	// keepApps keeps a suite's client secret working.
	id, secret := a.newAPICredential("Kept", models.RoleGlobalReader)
	if r := a.control("/api/test/reset", `{"keepApps":true}`); r.status != http.StatusOK {
		t.Fatal(r.status)
	}
	a.token(id, secret, "https://outlook.office365.com/.default")
	if r := a.control("/api/test/reset", `{"keep":"everything"}`); r.status != http.StatusBadRequest {
		t.Errorf("an unknown field: %d", r.status)
	}
}

// tenantView is what a test suite sees of a tenant: the people with their ids,
// roles and licenses, the shared mailboxes and their permissions, the audit log's
// length.
func tenantView(t *testing.T, a *app) string {
	t.Helper()
	ctx := context.Background()
	var b strings.Builder
	list, err := a.store.Users(ctx, models.UserQuery{Page: models.Page{Size: 100}})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range list.Rows {
		admin, _ := a.store.AdminByUserID(ctx, u.ID)
		b.WriteString(itoa(u.ID) + " " + u.DisplayName + " " + u.Username + " " + strings.Join(u.Licenses, ",") + " " + string(admin.PrimaryRole()) + "\n")
	}
	shared, err := a.store.SharedMailboxes(ctx, models.SharedMailboxQuery{Page: models.Page{Size: 100}})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range shared.Rows {
		acc, _ := a.store.MailboxAccess(ctx, m.ID)
		b.WriteString(itoa(m.ID) + " " + m.DisplayName + " " + m.Address)
		for _, r := range models.Rights {
			for _, h := range acc.Direct(r) {
				b.WriteString(" " + string(r) + ":" + h.Address)
			}
		}
		b.WriteString("\n")
	}
	page, _ := a.store.AuditEvents(ctx, models.AuditQuery{Size: 100})
	b.WriteString("audit " + itoa(uint(len(page.Events))) + "\n")
	if _, err := a.store.Authenticate(ctx, "admin@contoso.com", testPassword); err != nil {
		b.WriteString("demo password: " + err.Error() + "\n")
	}
	return b.String()
}

func TestSessionControlSignsInADemoAdmin(t *testing.T) {
	t.Parallel()
	a := newAPIApp(t, func(c *Config) { c.TestControls = true })
	r := a.control("/api/test/session", `{"username":"pattif@contoso.com"}`)
	var state struct {
		Cookies []struct {
			Name, Value, Domain, Path, SameSite string
			Expires                             float64
			HTTPOnly                            bool `json:"httpOnly"`
			Secure                              bool
		} `json:"cookies"`
		Origins []any `json:"origins"`
	}
	if r.status != http.StatusOK || json.Unmarshal([]byte(r.body), &state) != nil || len(state.Cookies) != 1 || state.Origins == nil {
		t.Fatalf("%d %s", r.status, r.body)
	}
	ck := state.Cookies[0]
	if ck.Name != "admincenter_session" || ck.Domain != "127.0.0.1" || ck.Path != "/" || !ck.HTTPOnly || ck.Expires != -1 || ck.SameSite != "Lax" {
		t.Errorf("cookie %+v", ck)
	}
	if !strings.Contains(r.header.Get("Set-Cookie"), "admincenter_session="+ck.Value) {
		t.Errorf("Set-Cookie %q", r.header.Get("Set-Cookie"))
	}
	// A browser holding it is signed in as Patti, and can post with the session's CSRF token.
	b := newClient()
	u, _ := url.Parse(a.srv.URL)
	b.Jar.SetCookies(u, []*http.Cookie{{Name: ck.Name, Value: ck.Value, Path: "/"}})
	a.client = b
	page := a.get("/")
	if page.status != http.StatusOK || !strings.Contains(text(page, `[data-testid="signed-in-admin"]`), "Patti Fernandez") {
		t.Fatalf("home with the session: %d %q", page.status, text(page, `[data-testid="signed-in-admin"]`))
	}
	if ev := lastEvent(t, a.store); ev.Action != "signin.success" || !strings.Contains(ev.After, "test_controls") {
		t.Errorf("audit %+v", ev)
	}

	for body, want := range map[string]int{
		`{"username":"nobody@contoso.com"}`: http.StatusNotFound,
		`{"username":"alexw@contoso.com"}`:  http.StatusForbidden, // no admin role
		`{"user":"admin@contoso.com"}`:      http.StatusBadRequest,
		`[`:                                 http.StatusBadRequest,
	} {
		if r := a.control("/api/test/session", body); r.status != want || r.header.Get("Set-Cookie") != "" {
			t.Errorf("%s: %d, want %d", body, r.status, want)
		}
	}
}

func TestTestControlsAnswerOnlyThisMachine(t *testing.T) {
	t.Parallel()
	a := newAPIApp(t, func(c *Config) { c.TestControls = true })
	before := fingerprint(t, a.store)
	for name, c := range map[string]struct {
		headers []string
		ctype   string
		want    int
	}{
		"another host name (DNS rebinding)": {[]string{"Host", "tests.evil.example"}, "application/json", http.StatusForbidden},
		"through a proxy":                   {[]string{"X-Forwarded-For", "203.0.113.9"}, "application/json", http.StatusForbidden},
		"from another site's page":          {[]string{"Sec-Fetch-Site", "cross-site"}, "application/json", http.StatusForbidden},
		"a form post":                       {nil, "application/x-www-form-urlencoded", http.StatusUnsupportedMediaType},
		"text/plain (no preflight)":         {nil, "text/plain", http.StatusUnsupportedMediaType},
	} {
		req, _ := http.NewRequest(http.MethodPost, a.srv.URL+"/api/test/reset", strings.NewReader(`{}`))
		req.Header.Set("Content-Type", c.ctype)
		for i := 0; i+1 < len(c.headers); i += 2 {
			req.Header.Set(c.headers[i], c.headers[i+1])
		}
		if c.headers != nil && c.headers[0] == "Host" {
			req.Host = c.headers[1]
		}
		if r := a.do(newClient(), req); r.status != c.want || !strings.Contains(r.header.Get("Content-Type"), "json") {
			t.Errorf("%s: %d, want %d", name, r.status, c.want)
		}
	}
	if fingerprint(t, a.store) != before {
		t.Error("a refused control changed the database")
	}
	// localhost is loopback too.
	req, _ := http.NewRequest(http.MethodGet, a.srv.URL+"/api/test/propagation-delay", nil)
	req.Host = "localhost:" + strings.Split(a.srv.Listener.Addr().String(), ":")[1]
	if r := a.do(newClient(), req); r.status != http.StatusOK {
		t.Errorf("localhost: %d", r.status)
	}
}

func TestPropagationDelayControl(t *testing.T) {
	t.Parallel()
	a := newAPIApp(t, func(c *Config) { c.TestControls = true })
	if r := a.get("/api/test/propagation-delay"); r.status != http.StatusOK || r.body != "{\"seconds\":0,\"duration\":\"0s\"}\n" {
		t.Errorf("initial: %d %s", r.status, r.body)
	}
	if r := a.control("/api/test/propagation-delay", `{"duration":"60m"}`); r.status != http.StatusOK || !strings.Contains(r.body, `"seconds":3600`) {
		t.Fatalf("set: %d %s", r.status, r.body)
	}
	// A grant made now is pending for an hour.
	tok := a.appToken("CIPP", models.RoleExchangeAdmin)
	a.page(a.invoke(tok, "", `{"CmdletInput":{"CmdletName":"Add-MailboxPermission","Parameters":{"Identity":"info@contoso.com","User":"alexw@contoso.com","AccessRights":["FullAccess"]}}}`))
	mb, _ := a.store.SharedMailboxes(context.Background(), models.SharedMailboxQuery{Search: "info@contoso.com"})
	acc, _ := a.store.MailboxAccess(context.Background(), mb.Rows[0].ID)
	pending := false
	for _, h := range acc.Direct(models.RightFullAccess) {
		if h.Address == "alexw@contoso.com" {
			pending = h.Pending(time.Now()) && h.EffectiveAt.After(time.Now().Add(59*time.Minute))
		}
	}
	if !pending {
		t.Error("the grant isn't pending for an hour")
	}
	for _, bad := range []string{`{"seconds":-1}`, `{"duration":"forever"}`, `{"seconds":5,"duration":"5s"}`, `{}`, `{"seconds":9999999}`} {
		if r := a.control("/api/test/propagation-delay", bad); r.status != http.StatusBadRequest {
			t.Errorf("%s: %d", bad, r.status)
		}
	}
	if r := a.control("/api/test/propagation-delay", `{"seconds":0}`); r.status != http.StatusOK || a.store.PropagationDelay() != 0 {
		t.Errorf("back to 0: %d", r.status)
	}
}

func lastEvent(t *testing.T, s *models.Store) models.AuditEvent {
	t.Helper()
	page, err := s.AuditEvents(context.Background(), models.AuditQuery{Size: 10})
	if err != nil || len(page.Events) == 0 {
		t.Fatalf("audit: %v", err)
	}
	return page.Events[0]
}
