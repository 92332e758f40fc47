//go:build e2e

package e2e

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/playwright-community/playwright-go"
)

// oneLine reports the visible children of el that sit on another line than the
// first one (their tops differ by more than half the first one's height).
func (b *browserSession) oneLine(el playwright.Locator) []string {
	b.t.Helper()
	res, err := el.Evaluate(`(el) => {
		const kids = Array.from(el.children).filter((k) => {
			const r = k.getBoundingClientRect();
			return r.width > 1 && r.height > 1;
		});
		if (!kids.length) return "[]";
		const first = kids[0].getBoundingClientRect();
		const out = [];
		for (const k of kids) {
			const r = k.getBoundingClientRect();
			if (Math.abs((r.top + r.height / 2) - (first.top + first.height / 2)) > first.height / 2) {
				out.push((k.textContent || k.tagName).trim().slice(0, 40) + " at y=" + Math.round(r.top) + " (first at y=" + Math.round(first.top) + ")");
			}
		}
		return JSON.stringify(out);
	}`, nil)
	b.must(err)
	var out []string
	b.must(json.Unmarshal([]byte(res.(string)), &out))
	return out
}

// TestDutchActiveUsersToolbarIsOneLine: at 1440x900 in Dutch the Active users
// search bar and the bulk-action bar each stay on one line, for an admin who may
// use the actions and for one who may not (the reason is under the bar); the
// less-used actions are behind More actions ("...", as in the real product),
// which a keyboard opens and Escape closes.
func TestDutchActiveUsersToolbarIsOneLine(t *testing.T) {
	srv := startServer(t)
	for _, admin := range []string{"admin@contoso.com", "pattif@contoso.com", "miriamg@contoso.com"} {
		t.Run(strings.Split(admin, "@")[0], func(t *testing.T) {
			b := newBrowser(t, srv, "nl-NL")
			b.must(b.page.SetViewportSize(1440, 900))
			b.signIn(dutch, admin, adminPassword)
			b.must(expect.Page(b.page).ToHaveURL("/"))
			b.openActiveUsers(dutch)
			bar := b.page.GetByRole("group", playwright.PageGetByRoleOptions{Name: "Acties voor geselecteerde gebruikers"})
			b.must(expect.Locator(bar).ToBeVisible())
			if off := b.oneLine(bar); len(off) > 0 {
				t.Errorf("the bulk bar wraps at 1440 px in Dutch:\n  %s", strings.Join(off, "\n  "))
			}
			if off := b.oneLine(b.page.Locator("#users-form, form[hx-target='#users-results']").First()); len(off) > 0 {
				t.Errorf("the search bar wraps at 1440 px in Dutch:\n  %s", strings.Join(off, "\n  "))
			}
			b.screenshot("toolbar-nl-1440-" + strings.Split(admin, "@")[0])
			more := b.role("button", "Meer acties")
			b.must(expect.Locator(more).ToHaveAttribute("aria-expanded", "false"))
			b.must(more.Focus())
			b.must(b.page.Keyboard().Press("Enter"))
			b.must(expect.Locator(more).ToHaveAttribute("aria-expanded", "true"))
			for _, name := range []string{"Aanmelden deblokkeren", "Licentie verwijderen", "Gebruikers verwijderen", "Gebruikers exporteren"} {
				b.must(expect.Locator(b.role("button", name)).ToBeVisible())
			}
			b.checkA11y("Active users with More actions open (nl)")
			b.screenshot("toolbar-nl-1440-more-" + strings.Split(admin, "@")[0])
			b.must(b.page.Keyboard().Press("Escape"))
			b.must(expect.Locator(more).ToHaveAttribute("aria-expanded", "false"))
			b.must(expect.Locator(b.role("button", "Gebruikers exporteren")).ToBeHidden())
			b.must(expect.Locator(more).ToBeFocused())
		})
	}
}

// TestDutchToolbarsFitAt1440: at 1440x900 in Dutch the search bars of every list
// (Shared mailboxes, Teams & groups, Contacts, the Exchange admin center's
// Mailboxes) and the person's pane action row stay on one line.
func TestDutchToolbarsFitAt1440(t *testing.T) {
	srv := startServer(t)
	b := newBrowser(t, srv, "nl-NL")
	b.signInAdmin(dutch)
	for _, path := range []string{"/shared-mailboxes", "/groups", "/contacts", "/exchange/mailboxes", "/exchange/groups", "/exchange/contacts"} {
		b.goto_(path)
		bar := b.page.GetByRole("search").First()
		b.must(expect.Locator(bar).ToBeVisible())
		if off := b.oneLine(bar); len(off) > 0 {
			t.Errorf("the search bar of %s wraps at 1440 px in Dutch:\n  %s", path, strings.Join(off, "\n  "))
		}
	}
	b.goto_("/users")
	b.openUser("Megan Bowen")
	row := b.page.Locator("[data-pane] div.flex-wrap").Filter(playwright.LocatorFilterOptions{Has: b.role("button", "Aanmelden blokkeren")}).Last()
	b.must(expect.Locator(row).ToBeVisible())
	if off := b.oneLine(row); len(off) > 0 {
		t.Errorf("the pane's actions wrap at 1440 px in Dutch:\n  %s", strings.Join(off, "\n  "))
	}
	b.screenshot("toolbar-nl-1440-pane")
}
