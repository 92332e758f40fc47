//go:build e2e

package e2e

import (
	"fmt"
	"strings"
	"testing"

	"github.com/playwright-community/playwright-go"
)

// licPanelWords are the words of the licence panel per language.
type licPanelWords struct {
	c                            classicWords
	Manage, SaveChanges, Saved   string
	Stale, Reload, Back, Summary string
}

var licPanelEN = licPanelWords{classicEN, "Manage licenses", "Save changes", "Licenses for Megan Bowen saved.",
	"Someone else changed this person since you opened the form.", "Reload", "Back", "Summary"}

var licPanelNL = licPanelWords{classicNL, "Licenties beheren", "Wijzigingen opslaan", "Licenties van Isaiah Langer opgeslagen.",
	"Iemand anders heeft deze persoon gewijzigd nadat u het formulier opende.", "Opnieuw laden", "Terug", "Overzicht"}

// footerOK checks the open dialog against the one button rule (footerProblems).
func (b *browserSession) footerOK(what string) {
	b.t.Helper()
	res, err := b.page.Evaluate(footerProblems)
	b.must(err)
	var problems []string
	for _, x := range res.([]any) {
		problems = append(problems, fmt.Sprint(x))
	}
	if len(problems) > 0 {
		b.t.Errorf("%s: %s", what, strings.Join(problems, "; "))
	}
}

// TestClassicManageLicensesOpensThePanel: with the classic properties pane chosen,
// Manage licenses opens the licence panel in the classic layout (no tabs), whose
// Save changes saves there, whose stale save says so inside the panel with Reload,
// and whose Back leads to the classic pane; en + nl, axe, both screen sizes (the
// harness fails the test on any CSP violation or script error).
func TestClassicManageLicensesOpensThePanel(t *testing.T) {
	srv := startServer(t)
	for _, c := range []struct {
		locale, tag, person string
		w                   licPanelWords
	}{{"en-US", "en", "Megan Bowen", licPanelEN}, {"nl-NL", "nl", "Isaiah Langer", licPanelNL}} {
		t.Run(c.tag, func(t *testing.T) {
			w := c.w
			b := newBrowser(t, srv, c.locale)
			b.allowConsole(`status of 409`) // the stale save from a second tab, on purpose
			b.signInAdmin(w.c.w.l)
			b.useClassicPane(w.c)
			b.openActiveUsers(w.c.w.l)
			b.openUser(c.person)
			b.paneReady()
			b.must(b.role("link", w.Manage).Click())
			b.must(expect.Locator(b.role("heading", w.Manage)).ToBeVisible())
			b.paneReady()
			b.must(expect.Locator(b.page.GetByRole("tablist")).ToHaveCount(0))
			b.must(expect.Locator(b.page.GetByRole("dialog")).ToContainText(c.person))
			b.footerOK("classic licence panel " + c.tag)
			b.checkA11y("classic licence panel " + c.tag)
			b.shot("classic-licenses-" + c.tag)
			b.must(b.page.SetViewportSize(phone.Width, phone.Height))
			if wide := b.wideElements(); len(wide) > 0 {
				t.Errorf("licence panel at 390 px:\n  %s", strings.Join(wide, "\n  "))
			}
			b.must(b.page.SetViewportSize(1440, 900))

			// Another admin saves first: the stale save says so in the panel, with Reload.
			powerBI := "Microsoft Power BI (free)"
			other, err := b.ctx.NewPage()
			b.must(err)
			_, err = other.Goto(b.page.URL())
			b.must(err)
			b.must(other.GetByLabel(powerBI, playwright.PageGetByLabelOptions{Exact: playwright.Bool(true)}).Check())
			b.must(other.GetByRole("button", playwright.PageGetByRoleOptions{Name: w.SaveChanges, Exact: playwright.Bool(true)}).Click())
			b.must(expect.Locator(other.Locator("#toasts")).ToContainText(w.Saved))
			b.must(other.Close())

			b.must(b.label(powerBI).Check())
			b.must(b.role("button", w.SaveChanges).Click())
			dialog := b.page.GetByRole("dialog")
			alert := dialog.GetByRole("alert").Filter(playwright.LocatorFilterOptions{HasText: w.Stale})
			b.must(expect.Locator(alert).ToBeVisible())
			b.must(expect.Locator(b.role("heading", w.Manage)).ToBeVisible())
			b.must(expect.Locator(b.page.GetByRole("tablist")).ToHaveCount(0))
			b.checkA11y("stale licence save " + c.tag)
			b.must(alert.GetByRole("button", playwright.LocatorGetByRoleOptions{Name: w.Reload, Exact: playwright.Bool(true)}).Click())
			b.must(expect.Locator(dialog.GetByRole("alert")).ToHaveCount(0))
			b.must(expect.Locator(b.label(powerBI)).ToBeChecked())

			// Save changes saves in the panel, which stays open in the classic layout.
			b.must(b.label(powerBI).Uncheck())
			b.must(b.role("button", w.SaveChanges).Click())
			b.must(expect.Locator(b.page.Locator("#toasts")).ToContainText(w.Saved))
			b.must(expect.Locator(b.role("heading", w.Manage)).ToBeVisible())
			b.must(expect.Locator(b.page.GetByRole("tablist")).ToHaveCount(0))
			b.must(expect.Locator(b.label(powerBI)).Not().ToBeChecked())

			// Back leads to the classic pane.
			b.must(b.role("button", w.Back).Click())
			b.paneReady()
			b.must(expect.Locator(b.role("heading", w.Summary)).ToBeVisible())
			b.must(expect.Locator(b.role("button", w.c.MailSettings)).ToBeVisible())
			b.must(expect.Locator(b.page.GetByRole("dialog")).Not().ToContainText(powerBI))
		})
	}
}
