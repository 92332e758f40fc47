//go:build e2e

package e2e

import (
	"testing"

	"github.com/playwright-community/playwright-go"
)

type licenseLabels struct {
	locale, Assign, Panel, Why, Button, Licensed, Toast string
	l                                                   labels
}

var licenseEN = licenseLabels{"en-US", "Assign a license", "Assign a license", "Over 50 GB it needs a license", "Assign",
	"Licensed with Exchange Online (Plan 2)", "holds 100 GB", english}
var licenseNL = licenseLabels{"nl-NL", "Een licentie toewijzen", "Een licentie toewijzen", "Boven 50 GB heeft het een licentie", "Toewijzen",
	"Gelicentieerd met Exchange Online (Plan 2)", "bevat 100 GB", dutch}

// TestSharedMailboxLicensePath: a shared mailbox's pane offers Assign a license;
// the panel says why (50 GB, Plan 2, sign-in blocked), and assigning Plan 2 gives
// the mailbox 100 GB, which the pane then says (issue 14).
func TestSharedMailboxLicensePath(t *testing.T) {
	for _, l := range []licenseLabels{licenseEN, licenseNL} {
		t.Run(l.locale, func(t *testing.T) {
			srv := startServer(t)
			b := newBrowser(t, srv, l.locale)
			b.signInAdmin(l.l)
			b.goto_("/shared-mailboxes")
			b.must(b.page.GetByRole("table").GetByRole("link", playwright.LocatorGetByRoleOptions{Name: "Info"}).Click())
			b.must(b.role("button", l.Assign).Click())
			b.must(expect.Locator(b.role("heading", l.Panel)).ToBeVisible())
			b.must(expect.Locator(b.page.GetByRole("dialog")).ToContainText(l.Why))
			b.must(expect.Locator(b.page.GetByRole("radio", playwright.PageGetByRoleOptions{Name: "Exchange Online (Plan 2)"})).ToBeChecked())
			b.checkA11y(l.Panel)
			shots(b, "shared-license-"+l.locale)
			b.must(b.page.SetViewportSize(1440, 900))
			b.must(b.role("button", l.Button).Click())
			b.must(expect.Locator(b.page.Locator("#toasts")).ToContainText(l.Toast))
			b.must(expect.Locator(b.page.GetByTestId("shared-license-state")).ToContainText(l.Licensed))
			b.checkA11y(l.Panel + ", done")
			shots(b, "shared-licensed-"+l.locale)
		})
	}
}
