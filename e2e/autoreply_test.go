//go:build e2e

package e2e

import (
	"strings"
	"testing"

	"github.com/playwright-community/playwright-go"
)

// replyWords are the words of a person's automatic replies per language.
type replyWords struct {
	c                                   classicWords
	Manage, Switch, Scheduled, Internal string
	Outside, Known, External, On, Toast string
}

var replyEN = replyWords{classicEN, "Manage automatic replies", "Turn on automatic replies", "Send replies only during a time period",
	"Reply to senders inside your organization", "Send replies outside your organization", "Only to senders in my contact list",
	"Reply to senders outside your organization", "On", "Automatic replies for Adele Vance saved: On."}

var replyNL = replyWords{classicNL, "Automatische antwoorden beheren", "Automatische antwoorden inschakelen", "Alleen antwoorden verzenden tijdens een periode",
	"Antwoord aan afzenders binnen uw organisatie", "Antwoorden verzenden buiten uw organisatie", "Alleen naar afzenders in mijn lijst met contactpersonen",
	"Antwoord aan afzenders buiten uw organisatie", "Aan", "Automatische antwoorden voor Lynne Robbins opgeslagen: Aan."}

// TestPersonAutoReplies turns on a person's automatic replies from the Mail tab
// (Manage automatic replies: the switch On, the reply inside, replies outside only
// to senders in the contact list, Save), then, with the classic pane chosen, finds
// them under Mail settings > Automatic replies > Edit, in the same panel, as kept.
// English and Dutch; axe on the panel; no console error or CSP violation; nothing
// wider than a phone's screen.
func TestPersonAutoReplies(t *testing.T) {
	srv := startServer(t)
	for _, c := range []struct {
		locale, tag, admin, person string
		r                          replyWords
	}{{"en-US", "en", "admin@contoso.com", "Adele Vance", replyEN}, {"nl-NL", "nl", "pattif@contoso.com", "Lynne Robbins", replyNL}} {
		t.Run(c.tag, func(t *testing.T) {
			w, r := c.r.c.w, c.r
			b := newBrowser(t, srv, c.locale)
			b.signIn(w.l, c.admin, adminPassword)
			b.must(expect.Page(b.page).ToHaveURL("/"))

			// The Mail tab: Automatic replies, Manage automatic replies.
			b.openActiveUsers(w.l)
			tab := b.openMailTab(w.l, c.person)
			b.must(tab.GetByRole("link", playwright.LocatorGetByRoleOptions{Name: r.Manage, Exact: playwright.Bool(true)}).Click())
			b.must(expect.Locator(b.role("heading", r.Manage)).ToBeVisible())
			b.paneReady()
			sw := b.page.GetByRole("switch", playwright.PageGetByRoleOptions{Name: r.Switch, Exact: playwright.Bool(true)})
			b.must(sw.Check())
			b.must(b.label(r.Internal).Fill("I'm away until Monday."))
			b.must(b.label(r.Outside).Check())
			b.must(b.page.GetByRole("radio", playwright.PageGetByRoleOptions{Name: r.Known, Exact: playwright.Bool(true)}).Check())
			b.must(b.label(r.External).Fill("Thank you for your message; I'm away until Monday."))
			b.checkA11y("person's automatic replies " + c.tag)
			b.shot("person-replies-" + c.tag)
			b.must(b.role("button", r.c.Save).Click())
			b.must(expect.Locator(b.page.Locator("#toasts")).ToContainText(r.Toast))
			b.must(b.role("button", w.f.Back).Click())
			b.paneReady()
			b.must(expect.Locator(b.page.Locator("#mail-reply-state")).ToHaveText(r.On))

			// The classic pane: Mail settings, Edit next to Automatic replies opens
			// the same panel with what was saved.
			b.must(b.page.Keyboard().Press("Escape"))
			b.useClassicPane(r.c)
			b.openActiveUsers(w.l)
			b.expandMailSettings(r.c, c.person)
			row := b.page.Locator("[data-classic-row=classic-replies]")
			b.must(expect.Locator(row).ToContainText(r.On))
			edit := b.role("button", w.EditReplies)
			b.must(expect.Locator(edit).ToHaveText(r.c.Edit))
			b.must(edit.Click())
			b.must(expect.Locator(b.role("heading", r.Manage)).ToBeVisible())
			b.paneReady()
			b.must(expect.Locator(b.page.GetByRole("switch", playwright.PageGetByRoleOptions{Name: r.Switch, Exact: playwright.Bool(true)})).ToBeChecked())
			b.must(expect.Locator(b.page.GetByRole("radio", playwright.PageGetByRoleOptions{Name: r.Known, Exact: playwright.Bool(true)})).ToBeChecked())
			b.must(expect.Locator(b.label(r.Internal)).ToHaveValue("I'm away until Monday."))
			b.checkA11y("classic automatic replies " + c.tag)
			b.shot("classic-replies-" + c.tag)

			b.must(b.page.SetViewportSize(phone.Width, phone.Height))
			if wide := b.wideElements(); len(wide) > 0 {
				t.Errorf("automatic replies at 390 px:\n  %s", strings.Join(wide, "\n  "))
			}
		})
	}
}
