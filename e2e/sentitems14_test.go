//go:build e2e

package e2e

import (
	"testing"

	"github.com/playwright-community/playwright-go"
)

// TestNewSharedMailboxKeepsBothSentCopies: the Sent items panel says new shared
// mailboxes keep both copies, and a mailbox just made with Add a shared mailbox
// does: both boxes ticked, and the pane says On twice. English and Dutch.
func TestNewSharedMailboxKeepsBothSentCopies(t *testing.T) {
	for _, c := range []struct {
		locale, name, section, edit, intro, asLabel, behalfLabel, on string
		l                                                            labels
		s                                                            sharedLabels
	}{
		{"en-US", "Sent Copies", "Sent items", "Edit Sent items",
			"New shared mailboxes keep a copy of mail sent as and on behalf of them in their own Sent Items",
			"Copy items sent as this mailbox", "Copy items sent on behalf of this mailbox", "On", english, sharedEN},
		{"nl-NL", "Verzonden kopieen", "Verzonden items", "Verzonden items bewerken",
			"Nieuwe gedeelde postvakken bewaren een kopie van e-mail die als en namens het postvak wordt verzonden",
			"Items kopiëren die als dit postvak zijn verzonden", "Items kopiëren die namens dit postvak zijn verzonden", "Aan", dutch, sharedNL},
	} {
		t.Run(c.locale, func(t *testing.T) {
			srv := startServer(t)
			b := newBrowser(t, srv, c.locale)
			b.signInAdmin(c.l)
			b.createShared(c.s, c.name, "")
			b.must(expect.Page(b.page).ToHaveURL(urlPattern(`/shared-mailboxes/new\?created=\d+$`)))
			b.goto_("/shared-mailboxes")
			b.must(b.page.GetByRole("table").GetByRole("link", playwright.LocatorGetByRoleOptions{Name: c.name, Exact: playwright.Bool(true)}).Click())
			sent := b.page.GetByRole("region", playwright.PageGetByRoleOptions{Name: c.section, Exact: playwright.Bool(true)})
			b.must(expect.Locator(sent).ToContainText(c.asLabel + ": " + c.on))
			b.must(expect.Locator(sent).ToContainText(c.behalfLabel + ": " + c.on))
			b.must(b.role("button", c.edit).Click())
			b.must(expect.Locator(b.page.GetByRole("dialog")).ToContainText(c.intro))
			b.must(expect.Locator(b.label(c.asLabel)).ToBeChecked())
			b.must(expect.Locator(b.label(c.behalfLabel)).ToBeChecked())
			b.paneReady()
			b.checkA11y("Sent items of a new shared mailbox (" + c.locale + ")")
		})
	}
}
