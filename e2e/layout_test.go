//go:build e2e

package e2e

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/playwright-community/playwright-go"
)

// phone is the viewport of the phone the layout is checked at.
var phone = playwright.Size{Width: 390, Height: 844}

// wideElements lists what is wider than the viewport, or sticks out of it so the
// page scrolls sideways; empty when the page fits.
func (b *browserSession) wideElements() []string {
	b.t.Helper()
	res, err := b.page.Evaluate(`() => {
		const vw = document.documentElement.clientWidth;
		const out = [];
		if (document.documentElement.scrollWidth > vw) out.push("the page scrolls sideways: " + document.documentElement.scrollWidth + " > " + vw);
		for (const el of document.body.querySelectorAll("*")) {
			const r = el.getBoundingClientRect();
			if (r.width <= 1 || r.height <= 1) continue;
			if (r.width > vw + 0.5) {
				const name = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (el.className && el.className.baseVal === undefined ? "." + String(el.className).trim().split(/\s+/).slice(0, 4).join(".") : "");
				out.push(name + " is " + Math.round(r.width) + "px wide: " + (el.textContent || "").trim().slice(0, 60));
			}
			if (out.length > 8) break;
		}
		return JSON.stringify(out);
	}`)
	b.must(err)
	var out []string
	b.must(json.Unmarshal([]byte(res.(string)), &out))
	return out
}

// navPaths reads the addresses of the left navigation, so a page added there is
// checked too.
func (b *browserSession) navPaths(l labels) []string {
	b.t.Helper()
	links := b.page.Locator("#side-nav a")
	n, err := links.Count()
	b.must(err)
	var out []string
	for i := 0; i < n; i++ {
		href, err := links.Nth(i).GetAttribute("href")
		b.must(err)
		out = append(out, href)
	}
	if len(out) < 8 {
		b.t.Fatalf("the navigation has only %v", out)
	}
	return out
}

// TestNoPageScrollsSidewaysOnAPhone walks every page of the navigation (and the
// panes opened from them) at 390x844 in English and Dutch: nothing is wider than
// the screen, and no table scrolls inside its box (every table has its phone
// columns, the rest under the first column).
func TestNoPageScrollsSidewaysOnAPhone(t *testing.T) {
	srv := startServer(t)
	for _, c := range []struct {
		locale string
		l      labels
	}{{"en-US", english}, {"nl-NL", dutch}} {
		t.Run(c.locale, func(t *testing.T) {
			b := newBrowser(t, srv, c.locale)
			b.must(b.page.SetViewportSize(phone.Width, phone.Height))
			b.goto_("/signin")
			if wide := b.wideElements(); len(wide) > 0 {
				t.Errorf("sign-in at 390 px:\n  %s", strings.Join(wide, "\n  "))
			}
			b.signInAdmin(c.l)
			paths := append(b.navPaths(c.l), "/users/new", "/shared-mailboxes/new", "/groups/new", "/users/1?tab=mail", "/users/1?tab=account",
				"/settings/apps/new", "/settings/personal")
			// The first row's pane of each list.
			for _, list := range []string{"/shared-mailboxes", "/groups", "/contacts"} {
				b.goto_(list)
				href, err := b.page.Locator("tbody a").First().GetAttribute("href")
				b.must(err)
				paths = append(paths, href)
			}
			for _, p := range paths {
				b.goto_(p)
				if wide := b.wideElements(); len(wide) > 0 {
					t.Errorf("%s at 390 px:\n  %s", p, strings.Join(wide, "\n  "))
				}
				b.screenshot(fmt.Sprintf("phone-%s%s", c.locale, strings.NewReplacer("/", "-", "?", "-", "=", "-").Replace(p)))
			}

			// The Exchange admin center: its lists, Add a shared mailbox, the first row's
			// edit page of each list, and bulk delegation, with axe on each.
			eac := []string{"/exchange/mailboxes", "/exchange/groups", "/exchange/contacts", "/exchange/shared", "/exchange/shared/new"}
			for _, list := range []string{"/exchange/mailboxes", "/exchange/groups", "/exchange/contacts", "/exchange/shared"} {
				b.goto_(list)
				href, err := b.page.Locator("tbody a").First().GetAttribute("href")
				b.must(err)
				eac = append(eac, href)
			}
			b.goto_("/exchange/mailboxes")
			ids, err := b.page.Locator(`tbody input[name="id"]`).EvaluateAll(`els => els.slice(0, 2).map(e => "id=" + e.value).join("&")`)
			b.must(err)
			eac = append(eac, "/exchange/mailboxes/bulk-delegation?"+ids.(string))
			for _, p := range eac {
				b.goto_(p)
				if wide := b.wideElements(); len(wide) > 0 {
					t.Errorf("%s at 390 px:\n  %s", p, strings.Join(wide, "\n  "))
				}
				// The navigation is behind the menu button; the way back is in sight.
				b.must(expect.Locator(b.page.Locator("[data-nav-toggle]")).ToBeVisible())
				b.must(expect.Locator(b.page.Locator("[data-m365-link]")).ToBeVisible())
				b.checkA11y(p + " at 390 px (" + c.locale + ")")
				b.screenshot(fmt.Sprintf("phone-%s%s", c.locale, strings.NewReplacer("/", "-", "?", "-", "=", "-", "&", "-").Replace(p)))
			}
		})
	}
}

// TestEACNavigationOnAPhone: below 1024 px the Exchange admin center's navigation
// folds behind the same menu button as the Microsoft 365 admin center's (keyboard
// and screen reader usable), and the way back to that stays in sight.
func TestEACNavigationOnAPhone(t *testing.T) {
	srv := startServer(t)
	for _, c := range []struct {
		locale, menu, contacts string
		l                      labels
	}{{"en-US", "Navigation menu", "Contacts", english}, {"nl-NL", "Navigatiemenu", "Contactpersonen", dutch}} {
		t.Run(c.locale, func(t *testing.T) {
			b := newBrowser(t, srv, c.locale)
			b.must(b.page.SetViewportSize(phone.Width, phone.Height))
			b.signInAdmin(c.l)
			b.goto_("/exchange/mailboxes")
			menu := b.role("button", c.menu)
			nav := b.page.Locator("#side-nav")
			b.must(expect.Locator(nav).ToBeHidden())
			b.must(expect.Locator(menu).ToHaveAttribute("aria-controls", "side-nav"))
			b.must(menu.Focus())
			b.must(b.page.Keyboard().Press("Enter"))
			b.must(expect.Locator(menu).ToHaveAttribute("aria-expanded", "true"))
			b.must(expect.Locator(nav).ToBeVisible())
			b.must(expect.Locator(nav.GetByRole("link").First()).ToBeFocused())
			b.checkA11y("EAC navigation open on a phone (" + c.locale + ")")
			b.screenshot("phone-eac-nav-open-" + c.locale)
			b.must(b.page.Keyboard().Press("Escape"))
			b.must(expect.Locator(nav).ToBeHidden())
			b.must(expect.Locator(menu).ToBeFocused())
			b.must(menu.Click())
			b.must(nav.GetByRole("link", playwright.LocatorGetByRoleOptions{Name: c.contacts, Exact: playwright.Bool(true)}).Click())
			b.must(expect.Page(b.page).ToHaveURL(urlPattern(`/exchange/contacts$`)))
			// The way back to the Microsoft 365 admin center.
			b.must(b.page.Locator("[data-m365-link]").Click())
			b.must(expect.Page(b.page).ToHaveURL(urlPattern(`/$`)))
			// At 1440 px the navigation is always there and the button is not.
			b.goto_("/exchange/mailboxes")
			b.must(b.page.SetViewportSize(1440, 900))
			b.must(expect.Locator(nav).ToBeVisible())
			b.must(expect.Locator(menu).ToBeHidden())
		})
	}
}

// TestPhoneNavigationMenu: below 1024 px the navigation is behind a menu button
// that a keyboard and a screen reader can use.
func TestPhoneNavigationMenu(t *testing.T) {
	srv := startServer(t)
	for _, c := range []struct {
		locale, menu, nav string
		l                 labels
	}{{"en-US", "Navigation menu", "Main", english}, {"nl-NL", "Navigatiemenu", "Hoofdmenu", dutch}} {
		t.Run(c.locale, func(t *testing.T) {
			b := newBrowser(t, srv, c.locale)
			b.must(b.page.SetViewportSize(phone.Width, phone.Height))
			b.signInAdmin(c.l)
			menu := b.role("button", c.menu)
			nav := b.page.GetByRole("navigation", playwright.PageGetByRoleOptions{Name: c.nav})
			b.must(expect.Locator(nav).ToBeHidden())
			b.must(expect.Locator(menu).ToHaveAttribute("aria-expanded", "false"))
			b.must(expect.Locator(menu).ToHaveAttribute("aria-controls", "side-nav"))
			// Keyboard: focus the button, open with Enter, the first link has focus.
			b.must(menu.Focus())
			b.must(b.page.Keyboard().Press("Enter"))
			b.must(expect.Locator(menu).ToHaveAttribute("aria-expanded", "true"))
			b.must(expect.Locator(nav).ToBeVisible())
			b.must(expect.Locator(nav.GetByRole("link").First()).ToBeFocused())
			b.checkA11y("navigation open on a phone (" + c.locale + ")")
			b.screenshot("phone-nav-open-" + c.locale)
			// Escape closes it and gives focus back to the button.
			b.must(b.page.Keyboard().Press("Escape"))
			b.must(expect.Locator(nav).ToBeHidden())
			b.must(expect.Locator(menu).ToBeFocused())
			b.must(expect.Locator(menu).ToHaveAttribute("aria-expanded", "false"))
			// A link in it goes to its page.
			b.must(menu.Click())
			b.must(nav.GetByRole("link", playwright.LocatorGetByRoleOptions{Name: c.l.ActiveUsers, Exact: playwright.Bool(true)}).Click())
			b.must(expect.Locator(b.role("heading", c.l.ActiveUsers)).ToBeVisible())
			b.must(expect.Locator(nav).ToBeHidden())
			// At 1440 px the navigation is always there and the button is not.
			b.must(b.page.SetViewportSize(1440, 900))
			b.must(expect.Locator(nav).ToBeVisible())
			b.must(expect.Locator(menu).ToBeHidden())
		})
	}
}
