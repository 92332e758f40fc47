//go:build e2e

package e2e

import (
	"strings"
	"sync"
	"testing"

	"github.com/playwright-community/playwright-go"
)

// staleLabels are the words of a stale forwarding save per language.
type staleLabels struct {
	Stale, Reload, Role, Generic string
}

var staleEN = staleLabels{"Someone else changed forwarding for this mailbox since you opened it", "Reload", "Your role", "Something went wrong"}
var staleNL = staleLabels{"Iemand anders heeft het doorsturen voor dit postvak gewijzigd nadat u het opende", "Opnieuw laden", "Uw rol", "Er is iets misgegaan"}

// Another admin saves forwarding first; this admin's save shows the reload message
// inside the panel, with the current value and Reload, not a toast, and no word
// about a role (the admin is a Global administrator).
func TestStaleSaveShowsTheReloadMessageInThePanel(t *testing.T) {
	srv := startServer(t)
	for _, c := range []struct {
		locale string
		l      labels
		f      fwdLabels
		s      staleLabels
	}{{"en-US", english, fwdEN, staleEN}, {"nl-NL", dutch, fwdNL, staleNL}} {
		t.Run(c.locale, func(t *testing.T) {
			b := newBrowser(t, srv, c.locale)
			// Expected: the stale save is answered 409 with the reload message, which the browser logs.
			b.allowConsole(`status of 409`)
			b.signInAdmin(c.l)
			b.openActiveUsers(c.l)
			person := "Megan Bowen"
			if c.locale == "nl-NL" {
				person = "Isaiah Langer"
			}
			b.openMailTab(c.l, person)
			b.must(b.role("link", c.f.Manage).Click())
			b.must(expect.Locator(b.role("heading", c.f.Manage)).ToBeVisible())
			b.paneReady()

			// The other admin, in another tab, saves first.
			other, err := b.ctx.NewPage()
			b.must(err)
			b.watch(other)
			_, err = other.Goto(b.page.URL())
			b.must(err)
			b.must(other.GetByLabel(c.f.ForwardAll, playwright.PageGetByLabelOptions{Exact: playwright.Bool(true)}).Check())
			b.must(other.GetByLabel(c.f.Address, playwright.PageGetByLabelOptions{Exact: playwright.Bool(true)}).Fill("alexw@contoso.com"))
			b.must(other.GetByRole("button", playwright.PageGetByRoleOptions{Name: c.f.Save, Exact: playwright.Bool(true)}).Click())
			b.must(expect.Locator(other.Locator("#toasts")).ToContainText("alexw@contoso.com"))
			b.must(other.Close())

			b.must(b.label(c.f.ForwardAll).Check())
			b.must(b.label(c.f.Address).Fill("diegos@contoso.com"))
			b.must(b.role("button", c.f.Save).Click())
			dialog := b.page.GetByRole("dialog")
			alert := dialog.GetByRole("alert").Filter(playwright.LocatorFilterOptions{HasText: c.s.Stale})
			b.must(expect.Locator(alert).ToBeVisible())
			b.must(expect.Locator(dialog).ToContainText("alexw@contoso.com"))
			b.must(expect.Locator(dialog).Not().ToContainText(c.s.Role))
			b.must(expect.Locator(b.page.Locator("#toasts")).Not().ToContainText(c.s.Generic))
			b.checkA11y("stale forwarding save " + c.locale)
			b.must(alert.GetByRole("button", playwright.LocatorGetByRoleOptions{Name: c.s.Reload, Exact: playwright.Bool(true)}).Click())
			b.must(expect.Locator(b.label(c.f.Address)).ToHaveValue("alexw@contoso.com"))
			b.must(expect.Locator(dialog.GetByRole("alert")).ToHaveCount(0))
		})
	}
}

// A refused htmx request (here a 400 for a member id that was tampered with) is
// said in the open panel, in the server's words, as well as in a toast.
func TestRefusedRequestIsShownInThePanel(t *testing.T) {
	srv := startServer(t)
	for _, c := range []struct {
		locale, edit, message string
		l                     labels
	}{
		{"en-US", "Edit Members", "Something in the request wasn't valid", english},
		{"nl-NL", "Leden bewerken", "Iets in de aanvraag was niet geldig", dutch},
	} {
		t.Run(c.locale, func(t *testing.T) {
			b := newBrowser(t, srv, c.locale)
			// Expected: the refused request is answered 400, which the browser and htmx log.
			b.allowConsole(`status of 400|Response Status Error Code 400`)
			b.signInAdmin(c.l)
			b.goto_("/shared-mailboxes")
			b.must(b.page.GetByRole("table").GetByRole("link", playwright.LocatorGetByRoleOptions{Name: "Info", Exact: playwright.Bool(true)}).Click())
			b.paneReady()
			b.must(b.role("button", c.edit).Click())
			b.paneReady()
			b.must(expect.Locator(b.page.Locator("form[hx-post$='/members/remove'] input[name=member]").First()).ToHaveCount(1))
			_, err := b.page.Evaluate(`document.querySelector("form[hx-post$='/members/remove'] input[name=member]").value = "not-a-number"`)
			b.must(err)
			b.must(b.page.GetByRole("dialog").Locator("form[hx-post$='/members/remove'] button").First().Click())
			box := b.page.GetByRole("dialog").Locator("[data-request-error]")
			b.must(expect.Locator(box).ToContainText(c.message))
			b.must(expect.Locator(box).ToHaveAttribute("role", "alert"))
			b.must(expect.Locator(b.page.Locator("#toasts")).ToContainText(c.message))
			b.checkA11y("refused request in the members panel (" + c.locale + ")")
		})
	}
}

// A staged picker selection is not thrown away by Escape, Back or Close without
// asking; Add with nothing ticked says so.
func TestPickerSelectionIsNotThrownAway(t *testing.T) {
	srv := startServer(t)
	b := newBrowser(t, srv, "en-US")
	// Expected: Add with nothing selected is answered 422, which the browser logs.
	b.allowConsole(`status of 422`)
	var mu sync.Mutex
	var asked []string
	b.page.OnDialog(func(d playwright.Dialog) {
		mu.Lock()
		asked = append(asked, d.Message())
		mu.Unlock()
		_ = d.Dismiss()
	})
	questions := func() string {
		mu.Lock()
		defer mu.Unlock()
		return strings.Join(asked, " | ")
	}
	b.signInAdmin(english)
	b.openActiveUsers(english)
	b.openMailTab(english, "Megan Bowen")
	b.must(b.role("link", permEN.Manage).Click())
	b.must(b.role("button", permEN.EditFmt("Send as")).Click())
	b.must(b.role("button", permEN.AddPermissions).Click())
	b.paneReady()

	// Add with nothing ticked.
	b.must(b.role("button", permEN.Add).Click())
	b.must(expect.Locator(b.page.Locator("#picker-error")).ToHaveText("Choose at least one person or group."))
	b.paneReady()

	b.must(b.label(permEN.Search).Fill("Alex Wilber"))
	// The search swaps the results: tick Alex once only Alex is offered.
	b.must(expect.Locator(b.page.Locator("#picker-results input[type=checkbox]")).ToHaveCount(1))
	box := b.page.GetByRole("checkbox", playwright.PageGetByRoleOptions{Name: "Alex Wilber", Exact: playwright.Bool(true)})
	b.must(box.Check())
	b.must(b.page.Keyboard().Press("Escape"))
	b.must(expect.Locator(box).ToBeChecked())
	if q := questions(); !strings.Contains(q, "haven't been added") {
		t.Fatalf("Escape did not ask: %q", q)
	}
	b.must(b.page.GetByRole("dialog").GetByRole("button", playwright.LocatorGetByRoleOptions{Name: "Close", Exact: playwright.Bool(true)}).Click())
	b.must(expect.Locator(box).ToBeChecked())

	// Added to the list, not yet saved: Back asks too.
	b.must(b.role("button", permEN.Add).Click())
	staged := b.page.Locator("[data-staged]")
	b.must(expect.Locator(staged).ToContainText("Alex Wilber"))
	b.paneReady()
	n := len(strings.Split(questions(), " | "))
	b.must(b.page.Locator("[data-pane-header]").GetByRole("button", playwright.LocatorGetByRoleOptions{Name: "Back", Exact: playwright.Bool(true)}).Click())
	b.must(expect.Locator(staged).ToContainText("Alex Wilber"))
	if got := len(strings.Split(questions(), " | ")); got != n+1 || !strings.Contains(questions(), "Leave without saving") {
		t.Fatalf("Back did not ask: %q", questions())
	}
	b.must(b.role("button", permEN.Save).Click())
	b.must(expect.Locator(b.page.Locator("#toasts")).ToContainText(permEN.Toast))
}
