//go:build e2e

package e2e

import (
	"testing"

	"github.com/playwright-community/playwright-go"
)

// TestStorageStatesCanBeSeen: the demo tenant's Joni Sherman can't send and its
// shared mailbox Reception is nearly full. A person sees it as a badge in Active
// users and in Shared mailboxes, and in words in each pane (a person's Mail tab,
// the shared mailbox's pane). English and Dutch, at 1440 and 390 px, with axe.
func TestStorageStatesCanBeSeen(t *testing.T) {
	for _, c := range []struct {
		locale                      string
		l                           labels
		cantSend, cantSendWords     string
		nearlyFull, nearlyFullWords string
	}{
		{"en-US", english, "Can't send", "Full: the mailbox can't send mail, and receives only for a short while longer.",
			"Nearly full", "Nearly full: the mailbox will soon stop sending mail."},
		{"nl-NL", dutch, "Kan niet verzenden", "Vol: het postvak kan geen e-mail verzenden en ontvangt nog maar korte tijd.",
			"Bijna vol", "Bijna vol: het postvak kan binnenkort geen e-mail meer verzenden."},
	} {
		t.Run(c.locale, func(t *testing.T) {
			srv := startServer(t)
			b := newBrowser(t, srv, c.locale)
			b.signInAdmin(c.l)
			for _, size := range []playwright.Size{{Width: 1440, Height: 900}, phone} {
				b.must(b.page.SetViewportSize(size.Width, size.Height))
				b.goto_("/users?q=joni")
				row := b.page.Locator("tbody tr").Filter(playwright.LocatorFilterOptions{HasText: "Joni Sherman"})
				b.must(expect.Locator(row.Locator("[data-storage-badge]")).ToHaveText(c.cantSend))
				b.must(expect.Locator(row.Locator("[data-storage-badge]")).ToBeVisible())
				tab := b.openMailTab(c.l, "Joni Sherman")
				state := tab.Locator("[data-storage-state]")
				b.must(expect.Locator(state).ToHaveText(c.cantSendWords))
				b.must(expect.Locator(state).ToBeVisible())
				b.paneReady()
				b.checkA11y("Joni's Mail tab (" + c.locale + ")")
				if wide := b.wideElements(); size == phone && len(wide) > 0 {
					t.Errorf("Joni's pane at 390 px: %v", wide)
				}

				b.goto_("/shared-mailboxes")
				row = b.page.Locator("tbody tr").Filter(playwright.LocatorFilterOptions{HasText: "reception@contoso.com"})
				b.must(expect.Locator(row.Locator("[data-storage-badge]")).ToHaveText(c.nearlyFull))
				b.must(expect.Locator(row.Locator("[data-storage-badge]")).ToBeVisible())
				b.must(row.GetByRole("link", playwright.LocatorGetByRoleOptions{Name: "Reception", Exact: playwright.Bool(true)}).Click())
				dialog := b.role("dialog", "Reception")
				b.must(expect.Locator(dialog.Locator("[data-storage-state]")).ToHaveText(c.nearlyFullWords))
				b.must(expect.Locator(dialog.Locator("[data-storage-state]")).ToBeVisible())
				b.paneReady()
				b.checkA11y("Reception's pane (" + c.locale + ")")
				b.shot("storage-" + c.locale)
			}
		})
	}
}
