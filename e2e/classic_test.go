//go:build e2e

package e2e

import (
	"strings"
	"testing"

	"github.com/playwright-community/playwright-go"
)

// classicWords are the words of the classic pane's seed steps (seeds 000-003,
// "o365-germany" and "o365-21vianet") per language.
type classicWords struct {
	w                                       seedWords
	MySettings, ClassicPane, Saved          string
	MailSettings, Edit, EditFwd, EditPerms  string
	FwdSwitch, Save                         string
	Modern, ClassicFwd, ClassicPerms, Other string
	Nobody                                  string
}

var classicEN = classicWords{seedEN, "My settings", "Classic properties pane", "Your settings are saved.",
	"Mail settings", "Edit", "Edit Email forwarding", "Edit Mailbox permissions",
	"Forward all emails sent to this mailbox", "Save",
	"Megan Bowen", "Alex Wilber", "Nestor Wilke", "Diego Siciliani", "Nobody"}

var classicNL = classicWords{seedNL, "Mijn instellingen", "Klassiek eigenschappenvenster", "Uw instellingen zijn opgeslagen.",
	"E-mailinstellingen", "Bewerken", "E-mail doorsturen bewerken", "Postvakmachtigingen bewerken",
	"Alle e-mailberichten doorsturen die naar dit postvak zijn verzonden", "Opslaan",
	"Isaiah Langer", "Joni Sherman", "Lidia Holloway", "Pradeep Gupta", "Niemand"}

// useClassicPane turns the classic properties pane on in My settings, from the
// top bar, as an admin would.
func (b *browserSession) useClassicPane(c classicWords) {
	b.t.Helper()
	b.must(b.role("link", c.MySettings).Click())
	b.must(expect.Locator(b.role("heading", c.MySettings)).ToBeVisible())
	b.checkA11y("My settings")
	sw := b.page.GetByRole("switch", playwright.PageGetByRoleOptions{Name: c.ClassicPane, Exact: playwright.Bool(true)})
	b.must(sw.Check())
	b.must(b.role("button", c.Save).Click())
	b.must(expect.Locator(b.page.Locator("#toasts")).ToContainText(c.Saved))
	b.must(expect.Locator(sw).ToBeChecked())
}

// expandMailSettings selects the person and expands Mail settings, as the seed says.
func (b *browserSession) expandMailSettings(c classicWords, name string) playwright.Locator {
	b.t.Helper()
	b.openUser(name)
	b.paneReady()
	btn := b.role("button", c.MailSettings)
	b.must(expect.Locator(btn).ToHaveAttribute("aria-expanded", "false"))
	b.must(expect.Locator(b.role("button", c.EditFwd)).ToBeHidden())
	b.must(btn.Click())
	b.must(expect.Locator(btn).ToHaveAttribute("aria-expanded", "true"))
	return btn
}

// TestClassicPaneFollowsTheSeedSteps follows seeds 000 (forwarding) and 001/002
// (Read and manage, Send as, Send on behalf) literally in both layouts, in English
// and Dutch: first on the Mail tab, then, with the classic pane chosen in My
// settings, through Mail settings and Edit. No console error or CSP violation
// anywhere; axe on the classic pane; nothing wider than a phone's screen.
func TestClassicPaneFollowsTheSeedSteps(t *testing.T) {
	srv := startServer(t)
	// Each language signs in as its own admin: the choice is kept per admin.
	for _, c := range []struct {
		locale, tag, admin string
		c                  classicWords
	}{{"en-US", "en", "admin@contoso.com", classicEN}, {"nl-NL", "nl", "pattif@contoso.com", classicNL}} {
		t.Run(c.tag, func(t *testing.T) {
			w := c.c.w
			b := newBrowser(t, srv, c.locale)
			b.signIn(w.l, c.admin, adminPassword)
			b.must(expect.Page(b.page).ToHaveURL("/"))

			// The modern layout: Mail tab, Manage email forwarding, tick, Save changes.
			b.openActiveUsers(w.l)
			b.openMailTab(w.l, c.c.Modern)
			b.forward(w.f, "adelev@contoso.com", true)
			b.must(expect.Locator(b.page.Locator("#toasts")).ToContainText("adelev@contoso.com"))
			b.must(b.role("button", w.f.Back).Click())
			b.paneReady()
			// Mail tab, Manage mailbox permissions, Edit next to each right.
			for _, right := range []string{w.l.ReadManage, w.l.SendAs, w.l.OnBeh} {
				if right == w.l.ReadManage {
					b.grant(w.p, right, c.c.Other)
				} else {
					b.grantInPanel(w.p, right, c.c.Other)
				}
			}
			b.must(b.page.Keyboard().Press("Escape"))

			// The classic layout, chosen in My settings.
			b.useClassicPane(c.c)
			b.openActiveUsers(w.l)
			mail := b.expandMailSettings(c.c, c.c.ClassicFwd)
			b.must(expect.Locator(b.page.GetByRole("tablist")).ToHaveCount(0))
			b.checkA11y("classic pane, Mail settings expanded " + c.tag)
			b.shot("classic-pane-" + c.tag)
			// Keyboard: the disclosure closes and opens with Enter and Space.
			b.must(mail.Focus())
			b.must(b.page.Keyboard().Press("Enter"))
			b.must(expect.Locator(mail).ToHaveAttribute("aria-expanded", "false"))
			b.must(expect.Locator(b.page.Locator("#classic-mail")).ToBeHidden())
			b.must(b.page.Keyboard().Press("Space"))
			b.must(expect.Locator(mail).ToHaveAttribute("aria-expanded", "true"))

			// Seed 000, classic: Edit in the Email forwarding section, the switch On,
			// the address, keep a copy, Save.
			edit := b.role("button", c.c.EditFwd)
			b.must(expect.Locator(edit).ToHaveText(c.c.Edit))
			b.must(edit.Click())
			b.must(expect.Locator(b.role("heading", w.f.Manage)).ToBeVisible())
			b.paneReady()
			sw := b.page.GetByRole("switch", playwright.PageGetByRoleOptions{Name: c.c.FwdSwitch, Exact: playwright.Bool(true)})
			b.must(sw.Check())
			b.must(expect.Locator(sw).ToBeChecked())
			b.must(b.label(w.f.Address).Fill("diegos@contoso.com"))
			b.must(b.label(w.f.KeepCopy).Check())
			b.checkA11y("classic forwarding panel " + c.tag)
			b.shot("classic-fwd-" + c.tag)
			b.must(b.role("button", c.c.Save).Click())
			b.must(expect.Locator(b.page.Locator("#toasts")).ToContainText("diegos@contoso.com"))
			b.must(b.role("button", w.f.Back).Click())
			b.paneReady()
			// Back leads to the pane with Mail settings open, showing the forward.
			b.must(expect.Locator(b.role("button", c.c.MailSettings)).ToHaveAttribute("aria-expanded", "true"))
			b.must(expect.Locator(b.page.Locator("[data-classic-row=classic-forwarding]")).ToContainText("diegos@contoso.com"))

			// Seeds 001/002, classic: Edit next to Mailbox permissions, then Edit
			// next to each right, Add permissions, choose, Add, Save.
			b.must(b.page.Keyboard().Press("Escape"))
			b.expandMailSettings(c.c, c.c.ClassicPerms)
			perms := b.role("button", c.c.EditPerms)
			b.must(expect.Locator(perms).ToHaveText(c.c.Edit))
			b.must(perms.Click())
			for _, right := range []string{w.l.ReadManage, w.l.SendAs, w.l.OnBeh} {
				b.grantInPanel(w.p, right, c.c.Other)
			}
			b.must(b.role("button", w.p.Back).Click())
			b.paneReady()
			row := b.page.Locator("[data-classic-row=classic-permissions]")
			for _, right := range []string{w.l.ReadManage, w.l.SendAs, w.l.OnBeh} {
				b.must(expect.Locator(row).ToContainText(right))
			}
			// Each right has a holder now.
			b.must(expect.Locator(row).Not().ToContainText(c.c.Nobody))

			// A phone: the classic pane and My settings fit the screen.
			b.must(b.page.SetViewportSize(phone.Width, phone.Height))
			if wide := b.wideElements(); len(wide) > 0 {
				t.Errorf("classic pane at 390 px:\n  %s", strings.Join(wide, "\n  "))
			}
			b.screenshot("phone-classic-pane-" + c.tag)
			b.goto_("/settings/personal")
			if wide := b.wideElements(); len(wide) > 0 {
				t.Errorf("My settings at 390 px:\n  %s", strings.Join(wide, "\n  "))
			}
			b.screenshot("phone-my-settings-" + c.tag)
		})
	}
}
