//go:build e2e

package e2e

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/playwright-community/playwright-go"
)

// shot saves the page at 1440x900 and 390x844 for a person to look at
// (E2E_SHOTS=1; e2e/artifacts/shots).
func (b *browserSession) shot(name string) {
	b.t.Helper()
	if os.Getenv("E2E_SHOTS") == "" {
		return
	}
	dir := filepath.Join(repo, "e2e", "artifacts", "shots")
	_ = os.MkdirAll(dir, 0o755)
	for _, s := range []struct {
		w, h int
		tag  string
	}{{1440, 900, "1440"}, {390, 844, "390"}} {
		b.must(b.page.SetViewportSize(s.w, s.h))
		_, err := b.page.Screenshot(playwright.PageScreenshotOptions{Path: playwright.String(filepath.Join(dir, name+"-"+s.tag+".png"))})
		b.must(err)
	}
	b.must(b.page.SetViewportSize(1440, 900))
}

// seedWords are the words of seeds 000, 001 and 004 per language.
type seedWords struct {
	l                                     labels
	f                                     fwdLabels
	p                                     permLabels
	s                                     sharedLabels
	Warning, Blocked, PolicyLink          string
	Switch, On, SharedSave, RepliesSwitch string
	RepliesInside, EditFwd, EditReplies   string
	Saved                                 string
}

var seedEN = seedWords{english, fwdEN, permEN, sharedEN,
	"Mail forwarded to this address will bounce", "Blocked by policy", "View the automatic forwarding policy",
	"Forward all emails sent to this mailbox", "On", "Save", "Turn on automatic replies",
	"Reply to senders inside your organization", "Edit Email forwarding", "Edit Automatic replies", "saved"}

var seedNL = seedWords{dutch, fwdNL, permNL, sharedNL,
	"E-mail die naar dit adres wordt doorgestuurd, wordt geweigerd", "Geblokkeerd door beleid", "Het beleid voor automatisch doorsturen bekijken",
	"Alle e-mailberichten doorsturen die naar dit postvak zijn verzonden", "Aan", "Opslaan", "Automatische antwoorden inschakelen",
	"Antwoord aan afzenders binnen uw organisatie", "E-mail doorsturen bewerken", "Automatische antwoorden bewerken", "opgeslagen"}

// The seed flows of issue 14 in English and Dutch, with no console error and no CSP
// violation anywhere: seed 000 (forwarding, inside and outside), seed 001 (Send as),
// seed 004 (add a shared mailbox, members, forwarding and automatic replies with the
// switch set to On).
func TestSeedFlowsWithoutConsoleErrors(t *testing.T) {
	srv := startServer(t)
	for _, c := range []struct {
		locale, tag string
		w           seedWords
		person      string
		shared      string
	}{{"en-US", "en", seedEN, "Megan Bowen", "Support Desk"}, {"nl-NL", "nl", seedNL, "Isaiah Langer", "Klantenservice"}} {
		t.Run(c.tag, func(t *testing.T) {
			b := newBrowser(t, srv, c.locale)
			b.signInAdmin(c.w.l)

			// Seed 000: forward to an outside address; the warning shows as it is
			// typed, Save changes saves, the Mail tab says Blocked by policy.
			b.openActiveUsers(c.w.l)
			b.openMailTab(c.w.l, c.person)
			b.must(b.role("link", c.w.f.Manage).Click())
			b.paneReady()
			b.must(b.label(c.w.f.ForwardAll).Check())
			b.must(b.label(c.w.f.Address).Fill("alex@fabrikam.com"))
			b.must(expect.Locator(b.page.Locator("#fwd-bounce")).ToContainText(c.w.Warning))
			b.checkA11y("forwarding with the bounce warning " + c.tag)
			b.shot("fwd-warning-" + c.tag)
			b.must(b.role("button", c.w.f.Save).Click())
			b.must(expect.Locator(b.page.Locator("#toasts")).ToContainText("alex@fabrikam.com"))
			b.must(b.role("button", c.w.f.Back).Click())
			blocked := b.page.Locator("[data-testid=fwd-blocked]")
			b.must(expect.Locator(blocked).ToContainText(c.w.Blocked))
			b.must(expect.Locator(blocked.GetByRole("link", playwright.LocatorGetByRoleOptions{Name: c.w.PolicyLink})).ToHaveAttribute("href", "/settings/forwarding"))
			b.checkA11y("Mail tab, blocked by policy " + c.tag)
			b.shot("mail-blocked-" + c.tag)

			// Seed 001: Send as.
			b.grant(c.w.p, c.w.l.SendAs, "Diego Siciliani")

			// Seed 004: add a shared mailbox, members, forwarding and automatic
			// replies with the switch On.
			b.must(b.page.Keyboard().Press("Escape"))
			b.createShared(c.w.s, c.shared, "")
			b.must(expect.Page(b.page).ToHaveURL(urlPattern(`/shared-mailboxes/new\?created=\d+$`)))
			b.checkA11y("Add a shared mailbox, next steps " + c.tag)
			b.shot("shared-added-" + c.tag)
			b.addMembers(c.w.s, "Alex Wilber")
			b.must(b.role("button", c.w.s.Close).Last().Click())
			b.must(b.page.GetByRole("table").GetByRole("link", playwright.LocatorGetByRoleOptions{Name: c.shared, Exact: playwright.Bool(true)}).Click())
			b.paneReady()
			b.must(b.role("button", c.w.EditFwd).Click())
			b.paneReady()
			sw := b.page.GetByRole("switch", playwright.PageGetByRoleOptions{Name: c.w.Switch, Exact: playwright.Bool(true)})
			b.must(sw.Check())
			b.must(expect.Locator(sw).ToBeChecked())
			b.must(b.label(c.w.f.Address).Fill("adelev@contoso.com"))
			b.must(expect.Locator(b.page.Locator("[data-testid=fwd-target]")).ToBeVisible())
			b.checkA11y("shared forwarding with the switch " + c.tag)
			b.shot("shared-fwd-switch-" + c.tag)
			b.must(b.role("button", c.w.SharedSave).Click())
			b.must(expect.Locator(b.page.Locator("#toasts")).ToContainText("adelev@contoso.com"))
			b.must(b.role("button", c.w.f.Back).Click())
			b.paneReady()
			b.must(b.role("button", c.w.EditReplies).Click())
			b.paneReady()
			replies := b.page.GetByRole("switch", playwright.PageGetByRoleOptions{Name: c.w.RepliesSwitch, Exact: playwright.Bool(true)})
			b.must(replies.Check())
			b.must(b.label(c.w.RepliesInside).Fill("Back on Monday."))
			b.must(b.role("button", c.w.SharedSave).Click())
			b.must(expect.Locator(b.page.Locator("#toasts")).ToContainText(c.w.Saved))
		})
	}
}
