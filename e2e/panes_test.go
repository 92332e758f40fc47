//go:build e2e

package e2e

import (
	"testing"

	"github.com/playwright-community/playwright-go"
)

// TestSharedPaneTellsTheTruth: the shared mailbox pane summarizes who holds each
// right (people and groups apart), links to Check sending and Check delivery, says
// how its storage stands, and the list's member count follows a change made in the
// members panel once the pane closes. English and Dutch, at 1440 and 390 px.
func TestSharedPaneTellsTheTruth(t *testing.T) {
	for _, c := range []struct {
		locale                                                    string
		l                                                         labels
		sharedNav, members, edit, none, onePerson, check, deliver string
		storageOK, remove                                         string
		size                                                      playwright.Size
	}{
		{"en-US", english, "Shared mailboxes", "Members", "Edit Members", "No one", "1 person", "Check sending", "Check delivery",
			"Storage is fine.", "Remove Adele Vance", playwright.Size{Width: 1440, Height: 900}},
		{"nl-NL", dutch, "Gedeelde postvakken", "Leden", "Leden bewerken", "Niemand", "1 persoon", "Verzenden controleren", "Bezorging controleren",
			"", "Adele Vance verwijderen", phone},
	} {
		t.Run(c.locale, func(t *testing.T) {
			srv := startServer(t)
			b := newBrowser(t, srv, c.locale)
			b.must(b.page.SetViewportSize(c.size.Width, c.size.Height))
			b.signInAdmin(c.l)
			b.goto_("/shared-mailboxes?q=info")
			row := b.page.Locator("tbody tr").Filter(playwright.LocatorFilterOptions{HasText: "info@contoso.com"})
			b.must(expect.Locator(row.Locator("td").Nth(2)).ToHaveText("1"))
			b.must(row.GetByRole("link", playwright.LocatorGetByRoleOptions{Name: "Info", Exact: playwright.Bool(true)}).Click())
			dialog := b.role("dialog", "Info")
			b.must(expect.Locator(dialog).ToBeVisible())
			summary := dialog.Locator("[data-rights-summary]")
			b.must(expect.Locator(summary).ToContainText(c.l.ReadManage))
			b.must(expect.Locator(summary.Locator("dd").First()).ToHaveText(c.onePerson))
			b.must(expect.Locator(dialog.GetByRole("link", playwright.LocatorGetByRoleOptions{Name: c.check, Exact: playwright.Bool(true)})).ToBeVisible())
			b.must(expect.Locator(dialog.GetByRole("link", playwright.LocatorGetByRoleOptions{Name: c.deliver, Exact: playwright.Bool(true)})).ToBeVisible())
			b.must(expect.Locator(dialog.Locator("[data-storage-state]")).ToHaveAttribute("data-storage-state", "ok"))
			b.paneReady()
			b.checkA11y("shared mailbox pane (" + c.locale + ")")
			b.screenshot("shared-pane-" + c.locale)
			if wide := b.wideElements(); c.size == phone && len(wide) > 0 {
				t.Errorf("the pane at 390 px: %v", wide)
			}

			// Members: take Adele away, close the pane, the list says 0.
			b.must(dialog.GetByRole("button", playwright.LocatorGetByRoleOptions{Name: c.edit, Exact: playwright.Bool(true)}).Click())
			b.paneReady()
			b.must(b.page.GetByRole("button", playwright.PageGetByRoleOptions{Name: c.remove, Exact: playwright.Bool(true)}).Click())
			b.must(expect.Locator(b.page.GetByRole("button", playwright.PageGetByRoleOptions{Name: c.remove, Exact: playwright.Bool(true)})).ToHaveCount(0))
			b.must(b.page.Keyboard().Press("Escape"))
			b.must(expect.Locator(b.page.Locator("[data-pane]")).ToHaveCount(0))
			b.must(expect.Locator(row.Locator("td").Nth(2)).ToHaveText("0"))
		})
	}
}
