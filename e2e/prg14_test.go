//go:build e2e

package e2e

import (
	"strings"
	"testing"

	"github.com/playwright-community/playwright-go"
)

// TestCreatingThenReloadingCreatesNothingTwice: Add a user and New app redirect
// after their POST (issue 14); reloading the result page adds nothing and no longer
// shows the password or the client secret, which were shown once.
func TestCreatingThenReloadingCreatesNothingTwice(t *testing.T) {
	srv := startServer(t)
	b := newBrowser(t, srv, "en-US")
	b.signInAdmin(english)
	b.openActiveUsers(english)
	b.must(b.role("link", "Add a user").Click())
	b.must(b.label("First name").Fill("Reload"))
	b.must(b.label("Last name").Fill("Tester"))
	b.must(b.label("Username").Fill("Reload.Tester"))
	b.must(expect.Locator(b.page.Locator("#add-alias-check")).ToContainText("reload.tester@contoso.com is available"))
	b.must(b.role("button", "Add user").Click())
	status := b.page.GetByRole("status").Filter(playwright.LocatorFilterOptions{HasText: "Reload Tester was added"})
	b.must(expect.Locator(status).ToBeVisible())
	pw, err := b.page.GetByTestId("new-password").TextContent()
	b.must(err)
	if len(pw) < 8 {
		t.Fatalf("password %q", pw)
	}
	b.must(expect.Locator(status).ToContainText("reload.tester@contoso.com"))
	_, err = b.page.Reload()
	b.must(err)
	b.must(expect.Locator(status).ToBeVisible())
	b.must(expect.Locator(b.page.GetByTestId("new-password")).ToHaveCount(0))
	b.must(expect.Locator(b.page.GetByTestId("password-shown-once")).ToContainText("shown only once"))
	b.must(expect.Locator(b.page.GetByTestId("password-shown-once").GetByRole("link", playwright.LocatorGetByRoleOptions{Name: "Reset password"})).ToBeVisible())
	if body, err := b.page.Locator("body").TextContent(); err != nil || strings.Contains(body, pw) {
		t.Fatalf("the password is on the reloaded page (%v)", err)
	}
	b.checkA11y("Add a user, reloaded result")
	b.openActiveUsers(english)
	b.must(b.page.GetByRole("searchbox", playwright.PageGetByRoleOptions{Name: "Search active users list"}).Fill("reload"))
	b.must(expect.Locator(b.userRows()).ToHaveText([]string{"Reload Tester"}))
}

// TestNewAppReloadInDutch: the client secret is shown once; the reloaded result
// page says so in Dutch and the list holds one app.
func TestNewAppReloadInDutch(t *testing.T) {
	srv := startServer(t)
	b := newBrowser(t, srv, "nl-NL")
	b.signInAdmin(dutch)
	b.must(b.page.GetByRole("link", playwright.PageGetByRoleOptions{Name: "Apps en API-toegang"}).Click())
	b.must(b.role("link", "Nieuwe app").Click())
	b.must(b.label("Weergavenaam").Fill("Herlaad"))
	b.must(b.label("Globale lezer").Check())
	b.must(b.role("button", "Maken").Click())
	b.must(expect.Locator(b.role("heading", "App Herlaad gemaakt")).ToBeVisible())
	secret, err := b.label("Waarde van clientgeheim").InputValue()
	b.must(err)
	if len(secret) != 40 {
		t.Fatalf("secret %q", secret)
	}
	_, err = b.page.Reload()
	b.must(err)
	b.must(expect.Locator(b.role("heading", "App Herlaad gemaakt")).ToBeVisible())
	b.must(expect.Locator(b.label("Waarde van clientgeheim")).ToHaveCount(0))
	b.must(expect.Locator(b.page.GetByTestId("secret-shown-once")).ToContainText("maar één keer getoond"))
	if html, err := b.page.Content(); err != nil || strings.Contains(html, secret) {
		t.Fatalf("the secret is on the reloaded page (%v)", err)
	}
	b.checkA11y("App gemaakt, herladen")
	b.must(b.role("link", "Gereed").Click())
	b.must(expect.Locator(b.page.GetByRole("row").Filter(playwright.LocatorFilterOptions{HasText: "Herlaad"})).ToHaveCount(1))
}
