//go:build e2e

package e2e

import (
	"testing"

	"github.com/playwright-community/playwright-go"
)

func TestSignInFailureThenSuccess(t *testing.T) {
	srv := startServer(t)
	b := newBrowser(t, srv, "en-US")
	// Expected: the wrong password is answered 401, which the browser logs.
	b.allowConsole(`status of 401`)
	b.signIn(english, "admin@contoso.com", "not-the-password")
	alert := b.page.GetByRole("alert")
	b.must(expect.Locator(alert).ToContainText("Your account or password is incorrect"))
	b.must(expect.Locator(b.label("Email address")).ToHaveAttribute("aria-invalid", "true"))
	b.must(expect.Locator(b.label("Email address")).ToHaveValue("admin@contoso.com"))
	b.checkA11y("sign-in with an error")

	b.must(b.label("Password").Fill(adminPassword))
	b.must(b.role("button", "Sign in").Click())
	b.must(expect.Page(b.page).ToHaveURL("/"))
	b.must(expect.Locator(b.page.GetByTestId("signed-in-admin")).ToContainText("MOD Administrator"))
	b.checkA11y("home")

	b.must(b.role("button", "Sign out").Click())
	b.must(expect.Locator(b.role("heading", "Sign in")).ToBeVisible())
	b.goto_("/users")
	b.must(expect.Page(b.page).ToHaveURL(urlPattern(`/signin\?next=`)))
}

func TestNonAdminIsToldWhy(t *testing.T) {
	srv := startServer(t)
	b := newBrowser(t, srv, "en-US")
	// Expected: a person without an admin role is answered 401, which the browser logs.
	b.allowConsole(`status of 401`)
	b.signIn(english, "adelev@contoso.com", "anything")
	// Adele has no password and no role: the message does not say which part failed.
	b.must(expect.Locator(b.page.GetByRole("alert")).ToContainText("Your account or password is incorrect"))
}

func TestActiveUsersSearchFilterPaging(t *testing.T) {
	srv := startServer(t)
	b := newBrowser(t, srv, "en-US")
	b.signInAdmin(english)
	b.openActiveUsers(english)
	b.must(expect.Locator(b.userRows()).ToHaveCount(18))
	b.checkA11y("Active users")

	search := b.page.GetByRole("searchbox", playwright.PageGetByRoleOptions{Name: "Search active users list"})
	b.must(search.Fill("wil"))
	b.must(expect.Locator(b.userRows()).ToHaveText([]string{"Alex Wilber", "Nestor Wilke"}))
	b.must(expect.Page(b.page).ToHaveURL(urlPattern(`/users\?q=wil`)))
	b.must(search.Fill(""))
	b.must(expect.Locator(b.userRows()).ToHaveCount(18))

	_, err := b.label("Filter").SelectOption(playwright.SelectOptionValues{Labels: &[]string{"Unlicensed users"}})
	b.must(err)
	b.must(expect.Locator(b.userRows()).ToHaveText([]string{"Grady Archie", "Lynne Robbins"}))
	_, err = b.label("Filter").SelectOption(playwright.SelectOptionValues{Labels: &[]string{"All users"}})
	b.must(err)

	_, err = b.label("Rows per page").SelectOption(playwright.SelectOptionValues{Values: &[]string{"10"}})
	b.must(err)
	pager := b.page.GetByRole("navigation", playwright.PageGetByRoleOptions{Name: "Pagination"})
	b.must(expect.Locator(pager).ToContainText("1-10 of 18"))
	b.must(expect.Locator(b.userRows()).ToHaveCount(10))
	b.must(b.role("link", "Next page").Click())
	b.must(expect.Locator(pager).ToContainText("11-18 of 18"))
	b.must(expect.Locator(b.userRows()).ToHaveCount(8))
	b.must(expect.Locator(b.userRows().First()).ToHaveText("Lidia Holloway"))
	b.must(b.role("link", "Previous page").Click())
	b.must(expect.Locator(pager).ToContainText("1-10 of 18"))
	b.must(expect.Locator(b.userRows().First()).ToHaveText("Adele Vance"))

	// Sorting by display name, descending.
	b.must(b.page.GetByRole("columnheader", playwright.PageGetByRoleOptions{Name: "Display name"}).GetByRole("link").Click())
	b.must(expect.Locator(b.userRows().First()).ToHaveText("Pradeep Gupta"))
	b.screenshot("active-users")
}

func TestSearchWorksWithoutJavaScript(t *testing.T) {
	srv := startServer(t)
	ctx, err := browser.NewContext(playwright.BrowserNewContextOptions{BaseURL: playwright.String(srv.URL), JavaScriptEnabled: playwright.Bool(false)})
	if err != nil {
		t.Fatal(err)
	}
	defer ctx.Close()
	page, err := ctx.NewPage()
	if err != nil {
		t.Fatal(err)
	}
	b := &browserSession{t: t, srv: srv, ctx: ctx, page: page}
	b.signInAdmin(english)
	b.goto_("/users")
	b.must(b.page.GetByRole("searchbox", playwright.PageGetByRoleOptions{Name: "Search active users list"}).Fill("vries"))
	b.must(b.role("button", "Search").Click())
	b.must(expect.Locator(b.userRows()).ToHaveText([]string{"Ger de Vries"}))
	// The pane opens as a page of its own too.
	b.must(b.role("link", "Ger de Vries").Click())
	b.must(expect.Locator(b.role("dialog", "Ger de Vries")).ToBeVisible())
	b.must(b.role("button", "Close").Click())
	b.must(expect.Locator(b.page.GetByRole("dialog")).ToHaveCount(0))
}

func TestPropertiesPaneDeepLinkReloadAndEscape(t *testing.T) {
	srv := startServer(t)
	b := newBrowser(t, srv, "en-US")
	b.signInAdmin(english)
	b.openActiveUsers(english)

	dialog := b.openUser("Adele Vance")
	b.must(expect.Locator(b.role("heading", "Adele Vance")).ToBeFocused())
	b.must(expect.Page(b.page).ToHaveURL(urlPattern(`/users/\d+$`)))
	b.must(expect.Locator(dialog.GetByRole("tab", playwright.LocatorGetByRoleOptions{Name: "Account"})).ToHaveAttribute("aria-selected", "true"))
	b.must(expect.Locator(dialog.GetByRole("tabpanel")).ToContainText("adele.vance@contoso.com"))
	b.checkA11y("properties pane, Account tab")

	b.must(dialog.GetByRole("tab", playwright.LocatorGetByRoleOptions{Name: "Mail"}).Click())
	b.must(expect.Page(b.page).ToHaveURL(urlPattern(`/users/\d+\?tab=mail$`)))
	panel := b.page.GetByRole("tabpanel")
	b.must(expect.Locator(panel.GetByRole("region", playwright.LocatorGetByRoleOptions{Name: "Mailbox permissions"})).ToContainText("Read and manage"))
	b.must(expect.Locator(panel.GetByRole("region", playwright.LocatorGetByRoleOptions{Name: "Email forwarding"})).ToContainText("Off"))
	b.must(expect.Locator(panel).ToContainText("12.57 GB used of 50 GB"))
	b.must(expect.Locator(panel).ToContainText("User mailbox"))
	b.checkA11y("properties pane, Mail tab")
	b.screenshot("pane-mail")

	// Reload and a shared link reopen the same pane on the same tab.
	_, err := b.page.Reload()
	b.must(err)
	b.must(expect.Locator(b.role("dialog", "Adele Vance")).ToBeVisible())
	b.must(expect.Locator(b.page.GetByRole("tab", playwright.PageGetByRoleOptions{Name: "Mail"})).ToHaveAttribute("aria-selected", "true"))
	b.must(expect.Locator(b.role("heading", "Adele Vance")).ToBeFocused())
	shared := newBrowser(t, srv, "en-US")
	shared.signIn(english, "miriamg@contoso.com", adminPassword)
	shared.goto_(b.page.URL())
	b.must(expect.Locator(shared.role("dialog", "Adele Vance")).ToBeVisible())
	b.must(expect.Locator(shared.page.GetByRole("tabpanel")).ToContainText("Mailbox permissions"))

	// Escape closes the pane and returns focus to the list.
	b.must(b.page.Keyboard().Press("Escape"))
	b.must(expect.Locator(b.page.GetByRole("dialog")).ToHaveCount(0))
	b.must(expect.Page(b.page).ToHaveURL("/users"))
	b.must(expect.Locator(b.role("link", "Adele Vance")).ToBeFocused())

	// The close button does the same for a pane opened by a click.
	b.openUser("Alex Wilber")
	b.must(b.role("button", "Close").Click())
	b.must(expect.Locator(b.page.GetByRole("dialog")).ToHaveCount(0))
	b.must(expect.Locator(b.role("link", "Alex Wilber")).ToBeFocused())
}

func TestDutchInterface(t *testing.T) {
	srv := startServer(t)
	b := newBrowser(t, srv, "nl-NL")
	b.goto_("/")
	b.must(expect.Locator(b.page.Locator("html")).ToHaveAttribute("lang", "nl"))
	b.checkA11y("aanmelden")
	b.signInAdmin(dutch)
	b.must(expect.Locator(b.page.GetByRole("navigation", playwright.PageGetByRoleOptions{Name: "Hoofdmenu"})).ToContainText("Gebruikers"))
	b.openActiveUsers(dutch)
	b.must(expect.Locator(b.page.GetByRole("columnheader", playwright.PageGetByRoleOptions{Name: "Weergavenaam"})).ToBeVisible())
	b.must(b.page.GetByRole("searchbox", playwright.PageGetByRoleOptions{Name: dutch.Search}).Fill("lynne"))
	b.must(expect.Locator(b.userRows()).ToHaveText([]string{"Lynne Robbins"}))
	b.must(expect.Locator(b.page.GetByRole("table")).ToContainText("Zonder licentie"))
	dialog := b.openUser("Lynne Robbins")
	b.must(dialog.GetByRole("tab", playwright.LocatorGetByRoleOptions{Name: "E-mail"}).Click())
	panel := b.page.GetByRole("tabpanel")
	for _, want := range []string{"Postvakmachtigingen", "Lezen en beheren", "Verzenden als", "Verzenden namens", "E-mail doorsturen", "Uit", "van 50 GB gebruikt"} {
		b.must(expect.Locator(panel).ToContainText(want))
	}
	b.checkA11y("eigenschappenvenster, E-mail")
	b.screenshot("pane-mail-nl")
	b.must(b.role("button", "Sluiten").Click())

	// Switch to English; the choice is remembered on the next page.
	b.must(b.role("button", "English").Click())
	b.must(expect.Locator(b.role("heading", "Active users")).ToBeVisible())
	b.must(expect.Locator(b.page.Locator("html")).ToHaveAttribute("lang", "en"))
	b.goto_("/shared-mailboxes")
	b.must(expect.Locator(b.role("heading", "Shared mailboxes")).ToBeVisible())
	b.must(b.role("button", "Nederlands").Click())
	b.must(expect.Locator(b.role("heading", "Gedeelde postvakken")).ToBeVisible())
}

func TestEveryPagePassesAxe(t *testing.T) {
	srv := startServer(t)
	b := newBrowser(t, srv, "en-US")
	// Expected: /no-such-page is answered 404, which the browser logs.
	b.allowConsole(`status of 404`)
	b.goto_("/signin")
	b.checkA11y("sign-in")
	b.signInAdmin(english)
	for _, p := range []struct{ path, what string }{
		{"/", "home"},
		{"/users", "Active users"},
		{"/users?filter=blocked", "Active users, empty"},
		{"/shared-mailboxes", "Shared mailboxes"},
		{"/users/1?tab=mail", "pane deep link"},
		{"/no-such-page", "not found"},
	} {
		b.goto_(p.path)
		b.checkA11y(p.what)
	}
}
