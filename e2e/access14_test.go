//go:build e2e

package e2e

import (
	"strings"
	"testing"

	"github.com/playwright-community/playwright-go"
)

// TestMailboxesThisUserCanAccessIsGroupedPerMailbox: a person's Mail tab lists each
// mailbox they can use once, with the rights held on it and how, and the mailbox's
// name opens its pane. English and Dutch, at 1440 and 390 px.
func TestMailboxesThisUserCanAccessIsGroupedPerMailbox(t *testing.T) {
	for _, c := range []struct {
		locale, title, rights string
		l                     labels
	}{
		{"en-US", "Mailboxes this user can access", "Read and manage Directly Send as Directly", english},
		{"nl-NL", "Postvakken waartoe deze gebruiker toegang heeft", "Lezen en beheren Rechtstreeks Verzenden als Rechtstreeks", dutch},
	} {
		t.Run(c.locale, func(t *testing.T) {
			srv := startServer(t)
			b := newBrowser(t, srv, c.locale)
			b.signInAdmin(c.l)
			for _, size := range []playwright.Size{{Width: 1440, Height: 900}, phone} {
				b.must(b.page.SetViewportSize(size.Width, size.Height))
				b.goto_("/users?q=adele")
				tab := b.openMailTab(c.l, "Adele Vance")
				list := tab.GetByRole("list", playwright.LocatorGetByRoleOptions{Name: c.title, Exact: playwright.Bool(true)})
				boxes := list.Locator("[data-access-mailbox]")
				b.must(expect.Locator(boxes).ToHaveCount(1))
				text, err := boxes.Locator("ul li").AllInnerTexts()
				b.must(err)
				if got := strings.Join(strings.Fields(strings.Join(text, " ")), " "); got != c.rights {
					t.Errorf("rights on Info at %d px: %q, want %q", size.Width, got, c.rights)
				}
				b.paneReady()
				b.checkA11y("Mailboxes this user can access (" + c.locale + ")")
				if wide := b.wideElements(); len(wide) > 0 {
					t.Errorf("the Mail tab at %d px: %v", size.Width, wide)
				}
				b.must(boxes.GetByRole("link", playwright.LocatorGetByRoleOptions{Name: "Info", Exact: playwright.Bool(true)}).Click())
				b.must(expect.Page(b.page).ToHaveURL(urlPattern(`/shared-mailboxes/\d+$`)))
				b.must(expect.Locator(b.role("dialog", "Info")).ToBeVisible())
			}
		})
	}
}
