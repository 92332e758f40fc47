//go:build e2e

package e2e

import (
	"testing"

	"github.com/playwright-community/playwright-go"
)

// fwdLabels are the forwarding panel's words per language.
type fwdLabels struct {
	Manage, ForwardAll, Address, KeepCopy, Save, Back string
}

var fwdEN = fwdLabels{"Manage email forwarding", "Forward all emails sent to this mailbox", "Forwarding email address", "Keep a copy of forwarded emails", "Save changes", "Back"}
var fwdNL = fwdLabels{"E-mail doorsturen beheren", "Alle e-mailberichten doorsturen die naar dit postvak zijn verzonden", "Doorstuuradres", "Een kopie van doorgestuurde e-mailberichten bewaren", "Wijzigingen opslaan", "Terug"}

// forward follows the seed: Manage email forwarding, tick Forward all emails sent to
// this mailbox, enter the address, choose whether to keep a copy, Save changes.
func (b *browserSession) forward(f fwdLabels, address string, keepCopy bool) {
	b.t.Helper()
	b.must(b.role("link", f.Manage).Click())
	b.must(expect.Locator(b.role("heading", f.Manage)).ToBeVisible())
	b.must(b.label(f.ForwardAll).Check())
	b.must(b.label(f.Address).Fill(address))
	if keepCopy {
		b.must(b.label(f.KeepCopy).Check())
	} else {
		b.must(b.label(f.KeepCopy).Uncheck())
	}
	b.must(b.role("button", f.Save).Click())
}

func TestForwardingFollowingTheSeedSteps(t *testing.T) {
	srv := startServer(t)
	b := newBrowser(t, srv, "en-US")
	b.signInAdmin(english)
	b.openActiveUsers(english)
	b.openMailTab(english, "Megan Bowen")
	b.forward(fwdEN, "alexw@contoso.com", true)
	b.must(expect.Locator(b.page.Locator("#toasts")).ToContainText("Forwarding to alexw@contoso.com saved"))
	b.must(expect.Locator(b.page.GetByRole("dialog")).ToContainText("Only new messages are forwarded"))
	b.checkA11y("Manage email forwarding")
	b.must(b.role("button", "Back").Click())
	fwd := b.page.GetByRole("region", playwright.PageGetByRoleOptions{Name: "Email forwarding"})
	b.must(expect.Locator(fwd).ToContainText("Applied: forwarding to alexw@contoso.com, keeping a copy"))

	// Check delivery shows both copies.
	b.must(b.role("link", "Check delivery").Click())
	b.must(expect.Locator(b.label("Recipient address")).ToHaveValue("meganb@contoso.com"))
	b.must(b.role("button", "Check").Click())
	result := b.page.GetByRole("region", playwright.PageGetByRoleOptions{Name: "Where mail to meganb@contoso.com goes"})
	b.must(expect.Locator(result).ToContainText("Delivered to the mailbox of Megan Bowen"))
	b.must(expect.Locator(result).ToContainText("Forwarded by Megan Bowen to alexw@contoso.com"))
	b.must(expect.Locator(result).ToContainText("Delivered to the mailbox of Alex Wilber"))
	b.checkA11y("Check delivery")

	// A distribution list expands to its members.
	b.must(b.label("Recipient address").Fill("salesteam@contoso.com"))
	b.must(b.role("button", "Check").Click())
	result = b.page.GetByRole("region", playwright.PageGetByRoleOptions{Name: "Where mail to salesteam@contoso.com goes"})
	b.must(expect.Locator(result).ToContainText("Delivered to the mailbox of Diego Siciliani"))
	b.must(expect.Locator(result).ToContainText("Delivered to the mailbox of Johanna Lorenz"))

	// Unticking turns it off.
	b.must(b.role("button", "Back").Click())
	b.must(b.role("link", "Manage email forwarding").Click())
	b.must(b.label("Forward all emails sent to this mailbox").Uncheck())
	b.must(b.role("button", "Save changes").Click())
	b.must(expect.Locator(b.page.Locator("#toasts")).ToContainText("Forwarding turned off"))
	b.must(b.role("button", "Back").Click())
	b.must(expect.Locator(fwd).ToContainText("Off"))
}

func TestForwardingInDutch(t *testing.T) {
	srv := startServer(t)
	b := newBrowser(t, srv, "nl-NL")
	b.signInAdmin(dutch)
	b.openActiveUsers(dutch)
	b.openMailTab(dutch, "Ger de Vries")
	b.forward(fwdNL, "flip@contoso.nl", false)
	b.must(expect.Locator(b.page.Locator("#toasts")).ToContainText("Doorsturen naar flip@contoso.nl opgeslagen"))
	b.checkA11y("E-mail doorsturen beheren")
	b.must(b.role("button", "Terug").Click())
	b.must(expect.Locator(b.page.GetByRole("region", playwright.PageGetByRoleOptions{Name: "E-mail doorsturen"})).ToContainText("Toegepast: doorsturen naar flip@contoso.nl, zonder kopie"))
}

func TestUnlicensedMailboxCannotForward(t *testing.T) {
	srv := startServer(t)
	b := newBrowser(t, srv, "en-US")
	b.signInAdmin(english)
	b.openActiveUsers(english)
	b.openMailTab(english, "Grady Archie")
	b.must(b.role("link", "Manage email forwarding").Click())
	b.must(expect.Locator(b.label("Forward all emails sent to this mailbox")).ToBeDisabled())
	b.must(expect.Locator(b.page.GetByRole("dialog")).ToContainText("no license that includes a mailbox"))
	b.must(expect.Locator(b.role("link", "Go to licenses")).ToBeVisible())
	b.checkA11y("forwarding, unlicensed")
}

func TestRejectedForwardingAddressSavesNothing(t *testing.T) {
	srv := startServer(t)
	b := newBrowser(t, srv, "en-US")
	// Expected: the rejected address is answered 422, which the browser logs.
	b.allowConsole(`status of 422`)
	b.signInAdmin(english)
	b.openActiveUsers(english)
	b.openMailTab(english, "Isaiah Langer")
	b.forward(fwdEN, "sales@contoso.com, support@contoso.com", false)
	field := b.label("Forwarding email address")
	b.must(expect.Locator(field).ToHaveAttribute("aria-invalid", "true"))
	b.must(expect.Locator(b.page.GetByRole("dialog")).ToContainText("create a distribution list and forward to it"))
	b.must(expect.Locator(field).ToHaveValue("sales@contoso.com, support@contoso.com"))
	b.checkA11y("forwarding with an error")
	b.must(b.role("button", "Back").Click())
	b.must(expect.Locator(b.page.GetByRole("region", playwright.PageGetByRoleOptions{Name: "Email forwarding"})).ToContainText("Off"))
}

func TestExternalForwardingPolicyWarning(t *testing.T) {
	srv := startServer(t)
	b := newBrowser(t, srv, "en-US")
	b.signInAdmin(english)
	b.openActiveUsers(english)
	b.openMailTab(english, "Nestor Wilke")
	// The warning shows as the address is typed, before saving; Save changes saves.
	b.must(b.role("link", fwdEN.Manage).Click())
	b.must(b.label(fwdEN.ForwardAll).Check())
	b.must(b.label(fwdEN.Address).Fill("nestor@fabrikam.com"))
	warning := b.page.Locator("#fwd-bounce")
	b.must(expect.Locator(warning).ToContainText("5.7.520 Access denied, Your organization does not allow external forwarding"))
	b.must(expect.Locator(warning.GetByRole("link", playwright.LocatorGetByRoleOptions{Name: "View the automatic forwarding policy"})).ToHaveAttribute("href", "/settings/forwarding"))
	b.checkA11y("forwarding with the bounce warning")
	b.must(b.role("button", fwdEN.Save).Click())
	b.must(expect.Locator(b.page.Locator("#toasts")).ToContainText("Forwarding to nestor@fabrikam.com saved"))
	b.must(b.role("button", "Back").Click())
	b.must(expect.Locator(b.page.GetByRole("region", playwright.PageGetByRoleOptions{Name: "Email forwarding"})).ToContainText("Blocked by policy"))

	// Settings > Automatic forwarding: turn it On and the block goes.
	b.must(b.page.Keyboard().Press("Escape"))
	b.must(b.role("link", "Automatic forwarding").Click())
	b.checkA11y("Automatic forwarding")
	b.must(b.label("On - Forwarding is enabled").Check())
	b.must(b.role("button", "Save changes").Click())
	b.must(expect.Locator(b.page.Locator("#toasts")).ToContainText("Automatic forwarding set to On - Forwarding is enabled"))
	b.openActiveUsers(english)
	b.openMailTab(english, "Nestor Wilke")
	b.must(expect.Locator(b.page.GetByRole("region", playwright.PageGetByRoleOptions{Name: "Email forwarding"})).Not().ToContainText("Blocked by policy"))
}
