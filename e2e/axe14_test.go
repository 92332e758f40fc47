//go:build e2e

package e2e

import (
	"fmt"
	"testing"

	"github.com/playwright-community/playwright-go"
)

// TestEveryPagePassesAxeInBothLanguages runs axe on every page of the navigation,
// the add pages, My settings, a person's pane on each tab and the first pane of each
// list, in English and Dutch, at 1440x900 and at 390x844 (the Exchange admin
// center's pages at 390 px are in TestNoPageScrollsSidewaysOnAPhone).
func TestEveryPagePassesAxeInBothLanguages(t *testing.T) {
	srv := startServer(t)
	for _, c := range []struct {
		locale string
		l      labels
	}{{"en-US", english}, {"nl-NL", dutch}} {
		t.Run(c.locale, func(t *testing.T) {
			b := newBrowser(t, srv, c.locale)
			b.signInAdmin(c.l)
			paths := append(b.navPaths(c.l), "/users/new", "/shared-mailboxes/new", "/groups/new", "/contacts/new",
				"/users/1?tab=account", "/users/1?tab=licenses", "/users/1?tab=mail", "/settings/apps/new", "/settings/personal")
			for _, list := range []string{"/shared-mailboxes", "/groups", "/contacts"} {
				b.goto_(list)
				href, err := b.page.Locator("tbody a").First().GetAttribute("href")
				b.must(err)
				paths = append(paths, href)
			}
			for _, size := range []playwright.Size{{Width: 1440, Height: 900}, phone} {
				b.must(b.page.SetViewportSize(size.Width, size.Height))
				for _, p := range paths {
					b.goto_(p)
					b.checkA11y(fmt.Sprintf("%s at %d px (%s)", p, size.Width, c.locale))
				}
			}
		})
	}
}
