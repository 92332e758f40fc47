//go:build e2e

package e2e

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/playwright-community/playwright-go"

	"github.com/contoso/admincenter/handlers/adminapi/exoclient"
)

// TestAppsPage creates an app in Settings > Apps and API access, copies its secret,
// lets a program use it through the token endpoint and the Exchange REST endpoint,
// sees its last use, and revokes it; axe scans every step.
func TestAppsPage(t *testing.T) {
	srv := startServer(t)
	b := newBrowser(t, srv, "en-US")
	b.signInAdmin(english)

	b.must(b.page.GetByRole("navigation", playwright.PageGetByRoleOptions{Name: "Main"}).GetByRole("link", playwright.LocatorGetByRoleOptions{Name: "Apps and API access"}).Click())
	b.must(expect.Locator(b.role("heading", "Apps and API access")).ToBeVisible())
	b.must(expect.Locator(b.page.GetByRole("cell", playwright.PageGetByRoleOptions{Name: "No apps yet."})).ToBeVisible())
	b.checkA11y("Apps and API access, empty")

	b.must(b.role("link", "New app").Click())
	b.must(expect.Locator(b.role("heading", "New app")).ToBeVisible())
	b.must(b.label("Display name").Fill("CIPP"))
	b.must(b.label("Exchange administrator").Check())
	_, err := b.label("Expires").SelectOption(playwright.SelectOptionValues{Labels: &[]string{"90 days (3 months)"}})
	b.must(err)
	b.checkA11y("New app")
	b.must(b.role("button", "Create").Click())

	b.must(expect.Locator(b.role("heading", "App CIPP created")).ToBeVisible())
	b.must(expect.Locator(b.page.GetByRole("alert")).ToContainText("Copy the client secret value now."))
	secret, err := b.label("Client secret value").InputValue()
	b.must(err)
	clientID, err := b.label("Application (client) ID").InputValue()
	b.must(err)
	tenant, err := b.label("Directory (tenant) ID").InputValue()
	b.must(err)
	if len(secret) != 40 || len(clientID) != 36 || len(tenant) != 36 {
		t.Fatalf("secret %q client %q tenant %q", secret, clientID, tenant)
	}
	b.checkA11y("App created")
	shots(b, "apps-created-en")

	// A program uses it: a token, then the Exchange REST endpoint.
	ctx := context.Background()
	tok, err := exoclient.GetToken(ctx, nil, srv.URL, tenant, clientID, secret, exoclient.ScopeExchange)
	if err != nil {
		t.Fatal(err)
	}
	c, err := exoclient.New(srv.URL, tok)
	if err != nil {
		t.Fatal(err)
	}
	if vals, _, err := c.Invoke(ctx, "Get-Command", nil, exoclient.Select{"Name"}); err != nil || len(vals) == 0 {
		t.Fatalf("InvokeCommand: %v", err)
	}

	b.must(b.role("link", "Done").Click())
	row := b.page.GetByRole("row").Filter(playwright.LocatorFilterOptions{HasText: "CIPP"})
	b.must(expect.Locator(row).ToContainText(clientID))
	b.must(expect.Locator(row).ToContainText("Exchange administrator"))
	b.must(expect.Locator(row).ToContainText(secret[:3] + "***"))
	b.must(expect.Locator(row).ToContainText("Active"))
	b.must(expect.Locator(row).Not().ToContainText("Never"))
	b.must(expect.Locator(b.page.GetByText(secret)).ToHaveCount(0))
	b.checkA11y("Apps and API access, one app")
	shots(b, "apps-list-en")

	b.must(b.role("link", "Revoke CIPP").Click())
	b.must(expect.Locator(b.role("heading", "Revoke CIPP?")).ToBeVisible())
	b.checkA11y("Revoke app")
	b.must(b.role("button", "Revoke").Click())
	b.must(expect.Locator(b.page.GetByText("App CIPP revoked.")).ToBeVisible())
	b.must(expect.Locator(row).ToContainText("Revoked"))
	b.must(expect.Locator(b.role("link", "Revoke CIPP")).ToHaveCount(0))

	// The program's token stops working at once.
	if _, _, err := c.Invoke(ctx, "Get-Command", nil, nil); err == nil {
		t.Fatal("a revoked app's token still works")
	} else if e, ok := err.(*exoclient.Error); !ok || e.Status != http.StatusUnauthorized {
		t.Fatalf("revoked: %v", err)
	}
}

func TestAppsPageInDutch(t *testing.T) {
	srv := startServer(t)
	b := newBrowser(t, srv, "nl-NL")
	// Expected: Create refuses a bad app with 422 and the form, which the browser logs.
	b.allowConsole(`status of 422`)
	b.signInAdmin(dutch)
	b.must(b.page.GetByRole("link", playwright.PageGetByRoleOptions{Name: "Apps en API-toegang"}).Click())
	b.must(expect.Locator(b.role("heading", "Apps en API-toegang")).ToBeVisible())
	b.must(b.role("link", "Nieuwe app").Click())
	b.must(b.role("button", "Maken").Click())
	b.must(expect.Locator(b.label("Weergavenaam")).ToHaveAttribute("aria-invalid", "true"))
	b.must(expect.Locator(b.page.GetByText("Voer een weergavenaam in.")).ToBeVisible())
	b.must(expect.Locator(b.page.GetByText("Kies ten minste één beheerdersrol.")).ToBeVisible())
	b.checkA11y("Nieuwe app, met fouten")
	shots(b, "apps-new-errors-nl")
	b.must(b.label("Weergavenaam").Fill("Rapportage"))
	b.must(b.label("Globale lezer").Check())
	b.must(b.role("button", "Maken").Click())
	b.must(expect.Locator(b.role("heading", "App Rapportage gemaakt")).ToBeVisible())
	secret, err := b.label("Waarde van clientgeheim").InputValue()
	b.must(err)
	if len(secret) != 40 || !strings.Contains(secret, "8Q~") {
		t.Errorf("secret %q", secret)
	}
	b.checkA11y("App gemaakt")
	shots(b, "apps-created-nl")
	b.must(b.role("link", "Gereed").Click())
	b.must(expect.Locator(b.page.GetByRole("row").Filter(playwright.LocatorFilterOptions{HasText: "Rapportage"})).ToContainText("Actief"))
	shots(b, "apps-list-nl")
}
