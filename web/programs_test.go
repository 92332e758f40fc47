package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/contoso/admincenter/models"
)

// cookiesNeverReachPrograms is the role matrix of the surfaces for programs: a
// browser signed in with any role, Global administrator included, sending its CSRF
// token, is refused by every one of them and changes nothing; the answer is the
// API's JSON, never a page. It returns the pairs checked.
func cookiesNeverReachPrograms(t *testing.T, a *app, clients map[models.Role]*http.Client, tokens map[models.Role]string, routes []string) int {
	t.Helper()
	if len(routes) < 3 {
		t.Errorf("only %d routes for programs: %v", len(routes), routes)
	}
	// The tenant id is made on first use; make it now, so the first request
	// doesn't look like a change.
	if _, err := a.store.TenantID(t.Context()); err != nil {
		t.Fatal(err)
	}
	fill := strings.NewReplacer(":tenant", "contoso.com", "*", "Mailbox")
	checked := 0
	for _, route := range routes {
		path := fill.Replace(route)
		for _, role := range append([]models.Role{""}, models.Roles...) {
			client, tok := newClient(), ""
			if role != "" {
				client, tok = clients[role], tokens[role]
			}
			before, err := a.store.Fingerprint(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			f := url.Values{"_csrf": {tok}, "name": {"Changed"}}
			req, _ := http.NewRequest(http.MethodPost, a.srv.URL+path, strings.NewReader(f.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("X-CSRF-Token", tok)
			res := a.do(client, req)
			if res.status < 400 || !strings.HasPrefix(res.header.Get("Content-Type"), "application/json") {
				t.Errorf("%s with the cookie of %q: %d %s", path, role, res.status, res.header.Get("Content-Type"))
			}
			if strings.HasPrefix(path, "/adminapi/beta/") && res.status != http.StatusUnauthorized {
				t.Errorf("%s with the cookie of %q: %d, want 401", path, role, res.status)
			}
			if after, _ := a.store.Fingerprint(t.Context()); after != before {
				t.Errorf("%s with the cookie of %q changed the database", path, role)
			}
			checked++
		}
	}
	return checked
}

func TestForPrograms(t *testing.T) {
	t.Parallel()
	for path, want := range map[string]bool{
		"/contoso.com/oauth2/v2.0/token": true, "/6f2c1c4e-8a11-4b7e-9c1d-2f0b7a1e3d55/oauth2/v2.0/token": true,
		"/adminapi/beta/contoso.com/InvokeCommand": true, "/api/test/reset": true,
		"/users": false, "/users/1": false, "/settings/apps": false, "/": false, "/signin": false, "/static/css/app.css": false,
		"/oauth2": false, "/adminapi": false,
	} {
		if got := forPrograms(path); got != want {
			t.Errorf("forPrograms(%q) = %v", path, got)
		}
	}
}
