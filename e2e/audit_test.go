//go:build e2e

package e2e

import (
	"testing"

	"github.com/playwright-community/playwright-go"
)

// TestAuditLogReadsInWords: after Send as is given, the audit log names the
// activity in words, shows the change field by field, links the mailbox and keeps
// the raw data behind "Raw data". English at 1440 px, Dutch at 390 px.
func TestAuditLogReadsInWords(t *testing.T) {
	for _, c := range []struct {
		locale                                              string
		l                                                   labels
		p                                                   permLabels
		activityLabel, filter, option, activity, given, raw string
		size                                                playwright.Size
	}{
		{"en-US", english, permEN, "Activity", "Apply filters", "Added mailbox permission", "Added Send as permission", "Given to: alexw@contoso.com", "Raw data",
			playwright.Size{Width: 1440, Height: 900}},
		{"nl-NL", dutch, permNL, "Activiteit", "Filters toepassen", "Toegevoegd: postvakmachtiging", "Toegevoegd: machtiging Verzenden als", "Gegeven aan: alexw@contoso.com", "Onbewerkte gegevens",
			phone},
	} {
		t.Run(c.locale, func(t *testing.T) {
			srv := startServer(t)
			b := newBrowser(t, srv, c.locale)
			b.signInAdmin(c.l)
			b.openActiveUsers(c.l)
			b.openMailTab(c.l, "Megan Bowen")
			b.grant(c.p, c.l.SendAs, "Alex Wilber")

			b.must(b.page.SetViewportSize(c.size.Width, c.size.Height))
			b.goto_("/audit")
			_, err := b.label(c.activityLabel).SelectOption(playwright.SelectOptionValues{Labels: &[]string{c.option}})
			b.must(err)
			b.must(b.role("button", c.filter).Click())
			entry := b.page.Locator("[data-audit-entry]")
			b.must(expect.Locator(entry).ToHaveCount(1))
			b.must(expect.Locator(entry.Locator("[data-activity]")).ToHaveText(c.activity))
			b.must(expect.Locator(entry.GetByRole("listitem").Filter(playwright.LocatorFilterOptions{HasText: "alexw@contoso.com"})).ToHaveText(c.given))
			raw := entry.Locator("details")
			b.must(expect.Locator(raw.Locator("summary")).ToHaveText(c.raw))
			b.must(raw.Locator("summary").Click())
			b.must(expect.Locator(raw).ToContainText(`"right":"SendAs"`))
			b.checkA11y("audit log (" + c.locale + ")")
			if wide := b.wideElements(); len(wide) > 0 {
				t.Errorf("the audit log at %v: %v", c.size, wide)
			}
			b.screenshot("audit-" + c.locale)
			// The target opens Megan's pane.
			b.must(entry.GetByRole("link", playwright.LocatorGetByRoleOptions{Name: "Megan Bowen", Exact: playwright.Bool(true)}).Click())
			b.must(expect.Locator(b.role("dialog", "Megan Bowen")).ToBeVisible())
		})
	}
}
