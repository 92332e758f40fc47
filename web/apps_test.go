package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/contoso/admincenter/handlers/adminapi/exoclient"
)

func TestAppsPage(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.signInAdmin()
	ctx := context.Background()

	r := a.get("/settings/apps")
	if r.status != http.StatusOK || text(r, "h1") != "Apps and API access" || text(r, "tbody td") != "No apps yet." {
		t.Fatalf("empty list: %d %q", r.status, text(r, "main"))
	}
	if _, ok := r.doc.Find(`a[href="/settings/apps/new"]`).Attr("href"); !ok {
		t.Error("no New app for a Global administrator")
	}
	if r.doc.Find(`nav a[aria-current="page"][href="/settings/apps"]`).Length() != 1 {
		t.Error("the navigation doesn't mark Apps and API access")
	}
	tid, _ := a.store.TenantID(ctx)
	if text(r, `[data-testid="tenant-id"]`) != tid {
		t.Errorf("tenant id %q", text(r, `[data-testid="tenant-id"]`))
	}

	tok := a.csrf("/settings/apps/new")
	before := fingerprint(t, a.store)
	r = a.post("/settings/apps", url.Values{"_csrf": {tok}, "name": {" "}, "lifetime": {"7"}})
	if r.status != http.StatusUnprocessableEntity || r.doc.Find(`#app-name[aria-invalid="true"]`).Length() != 1 ||
		!strings.Contains(text(r, "#app-name-error"), "Enter a display name.") ||
		!strings.Contains(text(r, "#app-roles-error"), "Choose at least one admin role.") ||
		!strings.Contains(text(r, "#app-lifetime-error"), "Choose when the secret expires.") {
		t.Fatalf("invalid form: %d %s", r.status, text(r, "form"))
	}
	if fingerprint(t, a.store) != before {
		t.Error("a refused form wrote something")
	}
	r = a.post("/settings/apps", url.Values{"name": {"CIPP"}, "role": {"exchange_admin"}, "lifetime": {"180"}})
	if r.status != http.StatusForbidden || fingerprint(t, a.store) != before {
		t.Fatalf("without the CSRF token: %d", r.status)
	}

	r = a.post("/settings/apps", url.Values{"_csrf": {tok}, "name": {"CIPP"}, "role": {"exchange_admin", "global_reader"}, "lifetime": {"365"}})
	created := r.header.Get("Location")
	if r.status != http.StatusSeeOther || !strings.HasPrefix(created, "/settings/apps/") || strings.Contains(r.body, "~") {
		t.Fatalf("create: %d to %q", r.status, created)
	}
	r = a.get(created)
	if r.status != http.StatusOK || text(r, "h1") != "App CIPP created" || r.header.Get("Cache-Control") != "no-store" {
		t.Fatalf("created page: %d %s", r.status, text(r, "main"))
	}
	secret, _ := r.doc.Find("#app-secret").Attr("value")
	clientID, _ := r.doc.Find("#app-client-id").Attr("value")
	shownTenant, _ := r.doc.Find("#app-tenant-id").Attr("value")
	if len(secret) != 40 || !guidRE.MatchString(clientID) || shownTenant != tid || r.doc.Find(`[role="alert"]`).Length() == 0 ||
		!strings.Contains(r.body, a.srv.URL+"/"+tid+"/oauth2/v2.0/token") {
		t.Fatalf("created page: secret %q client %q tenant %q", secret, clientID, shownTenant)
	}
	// The secret works, and is never shown again: a reload of the result page shows
	// the app without it (and creates nothing).
	if _, err := exoclient.GetToken(ctx, nil, a.srv.URL, tid, clientID, secret, exoclient.ScopeExchange); err != nil {
		t.Fatal(err)
	}
	snapshot := fingerprint(t, a.store)
	r = a.get(created)
	if again, _ := r.doc.Find("#app-client-id").Attr("value"); r.status != http.StatusOK || again != clientID ||
		strings.Contains(r.body, secret) || r.doc.Find("#app-secret").Length() != 0 ||
		!strings.Contains(text(r, "[data-testid=secret-shown-once]"), "shown only once") {
		t.Fatalf("reloaded result page: %d %q", r.status, text(r, "main"))
	}
	if fingerprint(t, a.store) != snapshot {
		t.Error("reloading the result page changed something")
	}
	r = a.get("/settings/apps")
	if strings.Contains(r.body, secret) || !strings.Contains(r.body, secret[:3]+"***") {
		t.Error("the list shows the secret, or not its hint")
	}
	row := text(r, "tbody tr")
	for _, want := range []string{"CIPP", clientID, "Exchange administrator, Global reader", "Active"} {
		if !strings.Contains(row, want) {
			t.Errorf("row %q lacks %q", row, want)
		}
	}
	if strings.Contains(row, "Never") {
		t.Errorf("last use not shown after a token was issued: %q", row)
	}
	// A second app of the same name is refused, in the form.
	r = a.post("/settings/apps", url.Values{"_csrf": {tok}, "name": {"cipp"}, "role": {"global_reader"}, "lifetime": {"90"}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(text(r, "#app-name-error"), "An app named cipp already exists.") {
		t.Errorf("duplicate name: %d %q", r.status, text(r, "#app-name-error"))
	}

	// Revoke: confirm, then the list says so and the secret stops working.
	apps, _ := a.store.Apps(ctx)
	revoke := "/settings/apps/" + itoa(apps[0].ID) + "/revoke"
	if label, _ := a.get("/settings/apps").doc.Find(`a[href="` + revoke + `"]`).Attr("aria-label"); label != "Revoke CIPP" {
		t.Errorf("revoke link named %q", label)
	}
	r = a.get(revoke)
	if r.status != http.StatusOK || text(r, "h1") != "Revoke CIPP?" {
		t.Fatalf("confirm: %d", r.status)
	}
	r = a.post(revoke, url.Values{"_csrf": {tok}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/settings/apps" {
		t.Fatalf("revoke: %d", r.status)
	}
	r = a.get("/settings/apps")
	if !strings.Contains(text(r, "tbody tr"), "Revoked") || !strings.Contains(text(r, `[role="status"], [aria-live]`), "App CIPP revoked.") {
		t.Errorf("after revoke: %q / %q", text(r, "tbody tr"), text(r, `[role="status"], [aria-live]`))
	}
	if _, err := exoclient.GetToken(ctx, nil, a.srv.URL, tid, clientID, secret, exoclient.ScopeExchange); err == nil {
		t.Error("a revoked app got a token")
	}
	if r := a.get("/settings/apps/999/revoke"); r.status != http.StatusNotFound {
		t.Errorf("unknown app: %d", r.status)
	}
}

func TestAppsPageForOtherRolesAndInDutch(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	for addr, role := range map[string]string{"miriamg@contoso.com": "Global reader", "pattif@contoso.com": "Exchange administrator"} {
		a.client = newClient()
		if r := a.signIn(addr, testPassword); r.status != http.StatusSeeOther {
			t.Fatal(r.status)
		}
		r := a.get("/settings/apps")
		if r.status != http.StatusOK || r.doc.Find(`button[disabled][aria-describedby="apps-denied"]`).Length() != 1 ||
			text(r, "#apps-denied") != "Your role, "+role+", can't create or revoke apps. Only a Global administrator can." {
			t.Errorf("%s: %d %q", addr, r.status, text(r, "#apps-denied"))
		}
		if r := a.get("/settings/apps/new"); r.status != http.StatusForbidden {
			t.Errorf("%s opened New app: %d", addr, r.status)
		}
	}
	a.client = newClient()
	a.signInAdmin()
	lang := a.csrf("/")
	a.post("/language", url.Values{"_csrf": {lang}, "lang": {"nl"}, "next": {"/settings/apps"}})
	r := a.get("/settings/apps")
	if text(r, "h1") != "Apps en API-toegang" || !strings.Contains(text(r, "thead"), "Toepassings-id (client)") ||
		!strings.Contains(text(r, "nav"), "Apps en API-toegang") {
		t.Errorf("Dutch: %q %q", text(r, "h1"), text(r, "thead"))
	}
	r = a.get("/settings/apps/new")
	if !strings.Contains(text(r, "select option[selected]"), "180 dagen (6 maanden), aanbevolen") || !strings.Contains(text(r, "legend"), "Beheerdersrollen") {
		t.Errorf("Dutch form: %q", text(r, "form"))
	}
	tok := a.csrf("/settings/apps/new")
	r = a.post("/settings/apps", url.Values{"_csrf": {tok}, "name": {"Rapportage"}, "lifetime": {"90"}})
	if !strings.Contains(text(r, "#app-roles-error"), "Kies ten minste één beheerdersrol.") {
		t.Errorf("Dutch error: %q", text(r, "#app-roles-error"))
	}
}
