//go:build e2e

package e2e

import (
	"testing"

	"github.com/playwright-community/playwright-go"
)

// Automapping refused (here asked for a group, by a form tampered with as a stale
// one would be) is said inside the Read and manage panel, which stays; before, the
// generic error page replaced the panel and the reason was lost.
func TestAutomappingRefusalIsShownInThePanel(t *testing.T) {
	srv := startServer(t)
	b := newBrowser(t, srv, "en-US")
	b.allowConsole(`status of 422`) // the tampered automapping change, on purpose
	b.signInAdmin(english)
	b.openActiveUsers(english)
	b.openMailTab(english, "Johanna Lorenz")
	b.must(b.role("link", permEN.Manage).Click())
	b.must(b.role("button", permEN.EditFmt("Read and manage")).Click())
	b.must(b.role("button", permEN.AddPermissions).Click())
	b.paneReady()
	b.must(b.label(permEN.Search).Fill("marketing"))
	b.must(b.page.GetByRole("checkbox", playwright.PageGetByRoleOptions{Name: "MarketingSG", Exact: playwright.Bool(true)}).Check())
	b.must(b.label(permEN.Search).Fill("lidia"))
	b.must(b.page.GetByRole("checkbox", playwright.PageGetByRoleOptions{Name: "Lidia Holloway", Exact: playwright.Bool(true)}).Check())
	b.must(b.role("button", permEN.Add).Click())
	b.must(b.role("button", permEN.Save).Click())
	b.must(b.role("button", permEN.EditFmt("Read and manage")).Click())
	b.paneReady()
	turnOff := b.role("button", "Stop adding this mailbox to the Outlook of Lidia Holloway")
	b.must(expect.Locator(turnOff).ToBeVisible())
	_, err := b.page.Evaluate(`() => {
		const forms = [...document.querySelectorAll("#pane li")];
		const group = forms.find(li => li.textContent.includes("MarketingSG")).querySelector("input[name=trustee]").value;
		const lidia = forms.find(li => li.textContent.includes("Lidia Holloway"));
		lidia.querySelector("form[hx-post$='/automapping'] input[name=trustee]").value = group;
	}`)
	b.must(err)
	b.must(turnOff.Click())
	dialog := b.page.GetByRole("dialog")
	b.must(expect.Locator(dialog.Locator("#save-error")).ToHaveText("Automapping applies to people, not groups."))
	b.must(expect.Locator(dialog.GetByRole("heading", playwright.LocatorGetByRoleOptions{Name: "Read and manage"})).ToBeVisible())
	b.must(expect.Locator(dialog).ToContainText("Lidia Holloway"))
	b.must(expect.Locator(b.page.GetByRole("heading", playwright.PageGetByRoleOptions{Name: "Something went wrong"})).ToHaveCount(0))
	b.checkA11y("automapping refused in the panel")
}
