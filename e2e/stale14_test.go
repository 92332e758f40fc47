//go:build e2e

package e2e

import (
	"testing"

	"github.com/playwright-community/playwright-go"
)

// TestStaleSavesStayInEveryPanel: beyond forwarding and licences (their own tests),
// a stale save of a person's contact information, a shared mailbox's Sent items and
// a group's name shows the reload message inside its panel with Reload, never the
// generic toast; Reload shows the other admin's value. English and Dutch.
func TestStaleSavesStayInEveryPanel(t *testing.T) {
	for _, c := range []struct {
		locale, reload, generic string
		l                       labels
	}{{"en-US", "Reload", "Something went wrong", english}, {"nl-NL", "Opnieuw laden", "Er is iets misgegaan", dutch}} {
		t.Run(c.locale, func(t *testing.T) {
			srv := startServer(t)
			b := newBrowser(t, srv, c.locale)
			b.allowConsole(`status of 409`) // the stale saves are answered 409 on purpose
			b.signInAdmin(c.l)
			// hrefOf reads a list's link to an object, the panel's address is below it.
			hrefOf := func(list, name string) string {
				b.goto_(list)
				href, err := b.page.GetByRole("table").GetByRole("link", playwright.LocatorGetByRoleOptions{Name: name, Exact: playwright.Bool(true)}).GetAttribute("href")
				b.must(err)
				return href
			}
			person := map[string]string{"en-US": "Megan Bowen", "nl-NL": "Isaiah Langer"}[c.locale]
			panels := []struct {
				what, url string
				change    func(page playwright.Page, n int)
				// field shows the other admin's value after Reload ("" when a box).
				field, want string
			}{
				{"contact information", hrefOf("/users", person) + "/contact",
					func(page playwright.Page, n int) {
						b.must(page.Locator("#c-job").Fill([]string{"", "Other admin's title", "My title"}[n]))
					},
					"#c-job", "Other admin's title"},
				{"Sent items", hrefOf("/shared-mailboxes", "Info") + "/sent-items",
					func(page playwright.Page, n int) { b.must(page.Locator("#sent-as").Click()) },
					"", ""},
				{"group name", hrefOf("/groups?type=distribution", "Sales Team") + "/basics",
					func(page playwright.Page, n int) {
						b.must(page.Locator("#group-name").Fill([]string{"", "Sales Team A", "Sales Team B"}[n]))
					},
					"#group-name", "Sales Team A"},
			}
			for _, p := range panels {
				b.goto_(p.url)
				b.paneReady()
				save := func(page playwright.Page) {
					b.must(page.Locator("[data-pane] [data-panel-footer] button[type=submit]").First().Click())
				}
				// The other admin, in another tab, saves first.
				other, err := b.ctx.NewPage()
				b.must(err)
				b.watch(other)
				_, err = other.Goto(b.page.URL())
				b.must(err)
				b.must(expect.Locator(other.Locator("[data-pane]").First()).ToHaveAttribute("data-ready", "true"))
				p.change(other, 1)
				res, err := other.ExpectResponse(urlPattern(p.url+`$`), func() error { save(other); return nil })
				b.must(err)
				if res.Status() != 200 {
					t.Fatalf("%s: the other admin's save: %d", p.what, res.Status())
				}
				b.must(other.Close())

				p.change(b.page, 2)
				save(b.page)
				dialog := b.page.GetByRole("dialog")
				reload := dialog.GetByRole("alert").GetByRole("button", playwright.LocatorGetByRoleOptions{Name: c.reload, Exact: playwright.Bool(true)})
				b.must(expect.Locator(reload).ToBeVisible())
				b.must(expect.Locator(b.page.Locator("#toasts")).Not().ToContainText(c.generic))
				b.checkA11y("stale " + p.what + " (" + c.locale + ")")
				b.must(reload.Click())
				b.must(expect.Locator(dialog.GetByRole("alert")).ToHaveCount(0))
				if p.field != "" {
					b.must(expect.Locator(b.page.Locator(p.field)).ToHaveValue(p.want))
				}
			}
		})
	}
}
