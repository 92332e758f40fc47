//go:build e2e

package e2e

import (
	"testing"

	"github.com/playwright-community/playwright-go"
)

func TestAddAUserWithALicense(t *testing.T) {
	srv := startServer(t)
	b := newBrowser(t, srv, "en-US")
	b.signInAdmin(english)
	b.openActiveUsers(english)
	b.must(b.role("link", "Add a user").Click())
	b.must(expect.Locator(b.role("heading", "Add a user")).ToBeVisible())
	b.must(b.label("First name").Fill("Jan"))
	b.must(b.label("Last name").Fill("Jansen"))
	b.must(expect.Locator(b.label("Display name")).ToHaveValue("Jan Jansen"))
	b.must(b.label("Username").Fill("info"))
	b.must(expect.Locator(b.page.Locator("#add-alias-check")).ToContainText(`The proxy address "SMTP:info@contoso.com" is already being used`))
	b.must(b.label("Username").Fill("jan.jansen"))
	b.must(expect.Locator(b.page.Locator("#add-alias-check")).ToContainText("jan.jansen@contoso.com is available"))
	b.must(b.label("Microsoft 365 Business Standard").Check())
	b.must(b.label("Job title").Fill("Adviseur"))
	b.checkA11y("Add a user")
	b.must(b.role("button", "Add user").Click())
	b.must(expect.Locator(b.page.GetByRole("status").Filter(playwright.LocatorFilterOptions{HasText: "Jan Jansen was added"})).ToBeVisible())
	b.must(expect.Locator(b.page.GetByTestId("new-password")).Not().ToBeEmpty())
	b.openActiveUsers(english)
	b.must(b.page.GetByRole("searchbox", playwright.PageGetByRoleOptions{Name: "Search active users list"}).Fill("jansen"))
	b.must(expect.Locator(b.userRows()).ToHaveText([]string{"Jan Jansen"}))
	b.must(expect.Locator(b.page.GetByRole("table")).ToContainText("Microsoft 365 Business Standard"))
}

func TestLicenseRemovalWarnsAboutForwarding(t *testing.T) {
	srv := startServer(t)
	b := newBrowser(t, srv, "en-US")
	b.signInAdmin(english)
	b.openActiveUsers(english)
	b.openMailTab(english, "Joni Sherman")
	b.forward(fwdEN, "lidiah@contoso.com", false)
	b.must(b.role("button", "Back").Click())
	b.must(b.page.GetByRole("tab", playwright.PageGetByRoleOptions{Name: "Licenses and apps"}).Click())
	b.must(expect.Locator(b.page.GetByRole("tabpanel")).ToContainText("licenses available"))
	b.checkA11y("Licenses and apps")
	b.must(b.label("Microsoft 365 Business Standard").Uncheck())
	b.must(b.role("button", "Save changes").Click())
	b.must(expect.Locator(b.page.GetByRole("alert")).ToContainText("Forwarding to lidiah@contoso.com will stop"))
	b.must(b.role("button", "Remove license").Click())
	b.must(expect.Locator(b.page.Locator("#toasts")).ToContainText("Licenses for Joni Sherman saved"))
	b.must(b.page.GetByRole("tab", playwright.PageGetByRoleOptions{Name: "Mail"}).Click())
	fwd := b.page.GetByRole("region", playwright.PageGetByRoleOptions{Name: "Email forwarding"})
	b.must(expect.Locator(fwd).ToContainText("Stopped: mail is no longer forwarded to lidiah@contoso.com"))
	b.must(expect.Locator(fwd).ToContainText("The license that includes a mailbox was removed"))

	// Assigning it again works; the mailbox was kept.
	b.must(b.page.GetByRole("tab", playwright.PageGetByRoleOptions{Name: "Licenses and apps"}).Click())
	b.must(b.label("Microsoft 365 Business Standard").Check())
	b.must(b.role("button", "Save changes").Click())
	b.must(expect.Locator(b.page.Locator("#toasts")).ToContainText("Licenses for Joni Sherman saved"))
}

func TestBlockAndUnblockInDutch(t *testing.T) {
	srv := startServer(t)
	b := newBrowser(t, srv, "nl-NL")
	b.signInAdmin(dutch)
	b.openActiveUsers(dutch)
	b.openUser("Isaiah Langer")
	b.must(b.role("button", "Aanmelden blokkeren").Click())
	b.checkA11y("aanmelden blokkeren")
	b.must(b.role("button", "Wijzigingen opslaan").Click())
	b.must(expect.Locator(b.page.Locator("#toasts")).ToContainText("Isaiah Langer kan zich niet meer aanmelden"))
	b.must(expect.Locator(b.page.GetByRole("dialog")).ToContainText("Aanmelden geblokkeerd"))
	b.must(b.role("button", "Aanmelden deblokkeren").Click())
	b.must(b.role("button", "Wijzigingen opslaan").Click())
	b.must(expect.Locator(b.page.Locator("#toasts")).ToContainText("Isaiah Langer kan zich weer aanmelden"))
}

func TestResetPasswordThenSignInWithIt(t *testing.T) {
	srv := startServer(t)
	b := newBrowser(t, srv, "en-US")
	// Expected: the refused password comes back with 422, which the browser logs.
	b.allowConsole(`status of 422`)
	b.signInAdmin(english)
	b.openActiveUsers(english)
	b.openUser("Miriam Graham")
	b.must(b.role("button", "Reset password").Click())
	b.must(b.label("Let me create the password").Check())
	b.must(b.label("Password").Fill("short"))
	b.must(b.role("button", "Reset password").Click())
	b.must(expect.Locator(b.label("Password")).ToHaveAttribute("aria-invalid", "true"))
	b.must(b.label("Automatically create a password").Check())
	b.must(b.role("button", "Reset password").Click())
	pw := b.page.GetByTestId("new-password")
	b.must(expect.Locator(pw).Not().ToBeEmpty())
	password, err := pw.TextContent()
	b.must(err)
	b.checkA11y("password reset")
	// A reload resets nothing again and shows the password no more.
	_, err = b.page.Reload()
	b.must(err)
	b.must(expect.Locator(b.page.GetByTestId("new-password")).ToHaveCount(0))

	other := newBrowser(t, srv, "en-US")
	// Expected: the refused password comes back with 422, which the browser logs.
	other.allowConsole(`status of 422`)
	other.signIn(english, "miriamg@contoso.com", password)
	b.must(expect.Page(other.page).ToHaveURL("/"))
	b.must(expect.Locator(other.page.GetByTestId("signed-in-admin")).ToContainText("Miriam Graham"))
}

func TestDeleteAndRestore(t *testing.T) {
	srv := startServer(t)
	b := newBrowser(t, srv, "en-US")
	b.signInAdmin(english)
	b.openActiveUsers(english)
	b.openUser("Adele Vance")
	b.must(b.role("button", "Delete user").Click())
	dialog := b.page.GetByRole("dialog")
	b.must(expect.Locator(dialog).ToContainText("The Read and manage permission they hold on Info stops working"))
	b.checkA11y("delete user")
	b.must(dialog.GetByRole("button", playwright.LocatorGetByRoleOptions{Name: "Delete user"}).Click())
	b.must(expect.Locator(b.page.Locator("#toasts")).ToContainText("Adele Vance was deleted"))
	b.must(expect.Locator(b.role("link", "Adele Vance")).ToHaveCount(0))
	b.must(b.role("link", "Deleted users").Click())
	b.checkA11y("Deleted users")
	b.must(b.role("button", "Restore Adele Vance").Click())
	b.must(expect.Locator(b.page.Locator("#toasts")).ToContainText("Adele Vance was restored"))
	b.must(expect.Locator(b.role("dialog", "Adele Vance")).ToBeVisible())
}

func TestBulkLicenseAssignment(t *testing.T) {
	srv := startServer(t)
	b := newBrowser(t, srv, "en-US")
	b.signInAdmin(english)
	b.openActiveUsers(english)
	_, err := b.label("Filter").SelectOption(playwright.SelectOptionValues{Labels: &[]string{"Unlicensed users"}})
	b.must(err)
	b.must(expect.Locator(b.userRows()).ToHaveCount(2))
	b.must(b.label("Select all users on this page").Check())
	b.must(expect.Locator(b.label("Select Grady Archie")).ToBeChecked())
	_, err = b.label("License").SelectOption(playwright.SelectOptionValues{Labels: &[]string{"Microsoft 365 Business Standard"}})
	b.must(err)
	b.must(b.role("button", "Assign license").Click())
	b.must(expect.Locator(b.page.GetByRole("main")).ToContainText("2 users selected"))
	b.checkA11y("bulk confirmation")
	b.must(b.role("button", "Confirm").Click())
	b.must(expect.Locator(b.page.Locator("#toasts")).ToContainText("License assigned to 2 users"))
	_, err = b.label("Filter").SelectOption(playwright.SelectOptionValues{Labels: &[]string{"Unlicensed users"}})
	b.must(err)
	b.must(expect.Locator(b.page.GetByRole("table")).ToContainText("No users match"))
}
