//go:build e2e

package e2e

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/playwright-community/playwright-go"
)

// footerProblems checks the open panel against the one button rule: one footer,
// the primary action first, Cancel right after it; and no info box says what
// another part of the panel already says.
const footerProblems = `() => {
	const d = document.querySelector('[role=dialog]');
	if (!d) return ['no dialog'];
	const out = [];
	const footers = d.querySelectorAll('[data-panel-footer]');
	if (footers.length !== 1) out.push('footers: ' + footers.length);
	footers.forEach(f => {
		const kids = Array.from(f.children).filter(e => e.tagName !== 'P');
		if (!kids.length || kids[0].tagName !== 'BUTTON') out.push('first in the footer: ' + (kids.length ? kids[0].outerHTML.slice(0, 80) : 'nothing'));
		const cancel = f.querySelector('[data-cancel]');
		if (!cancel) out.push('no Cancel in the footer');
		else if (kids.indexOf(cancel) !== 1) out.push('Cancel is not beside the primary action: ' + kids.indexOf(cancel));
	});
	const text = d.innerText.replace(/\s+/g, ' ');
	d.querySelectorAll('[data-info-box]').forEach(b => {
		const t = b.innerText.replace(/\s+/g, ' ').trim();
		if (t && text.split(t).length - 1 > 1) out.push('said twice: ' + t);
		if (!b.querySelector('svg')) out.push('info box without an icon: ' + t);
	});
	return out;
}`

// TestPanelsFollowOneButtonRule opens each panel of a shared mailbox's pane, a
// person's pane and a group's pane, in English and Dutch, and checks the footer
// order and that no info box repeats itself (issue 14).
func TestPanelsFollowOneButtonRule(t *testing.T) {
	srv := startServer(t)
	for _, lang := range []struct {
		locale, cancel string
		l              labels
	}{{"en-US", "Cancel", english}, {"nl-NL", "Annuleren", dutch}} {
		t.Run(lang.locale, func(t *testing.T) {
			b := newBrowser(t, srv, lang.locale)
			b.signInAdmin(lang.l)
			idOf := func(list, name string) string {
				b.goto_(list)
				b.must(b.page.GetByRole("table").GetByRole("link", playwright.LocatorGetByRoleOptions{Name: name, Exact: playwright.Bool(true)}).First().Click())
				b.must(expect.Locator(b.page.GetByRole("dialog")).ToBeVisible())
				m := regexp.MustCompile(`/(?:shared-mailboxes|users|contacts)/(\d+)`).FindStringSubmatch(b.page.URL())
				if m == nil {
					t.Fatalf("no id in %s", b.page.URL())
				}
				return m[1]
			}
			shared := "/shared-mailboxes/" + idOf("/shared-mailboxes", "Info")
			user := "/users/" + idOf("/users", "Megan Bowen")
			contact := "/contacts/" + idOf("/contacts", "Ben Smith")
			paths := []string{
				shared + "/name", shared + "/auto-replies", shared + "/sent-items", shared + "/address-list", shared + "/delete",
				shared + "/license", shared + "/forwarding", shared + "/members/add", shared + "/mailbox-permissions/sendas/add",
				user + "/forwarding", user + "/block", user + "/delete", user + "/reset-password", user + "/roles", user + "/contact",
				user + "/mailbox-permissions/fullaccess/add", user + "/auto-replies",
				user + "/addresses", user + "?tab=licenses",
				contact + "/edit", contact + "/delete",
			}
			for _, p := range paths {
				b.goto_(p)
				b.must(expect.Locator(b.page.GetByRole("dialog")).ToBeVisible())
				res, err := b.page.Evaluate(footerProblems)
				b.must(err)
				var problems []string
				for _, x := range res.([]any) {
					problems = append(problems, fmt.Sprint(x))
				}
				if len(problems) > 0 {
					t.Errorf("%s: %s", p, strings.Join(problems, "; "))
				}
				b.must(expect.Locator(b.page.Locator("[data-panel-footer] [data-cancel]")).ToHaveText(lang.cancel))
				if strings.HasSuffix(p, "/addresses") || strings.HasSuffix(p, "?tab=licenses") {
					b.checkA11y(p)
					shots(b, "footer"+strings.NewReplacer("/", "-", "?", "-", "=", "-").Replace(strings.TrimPrefix(p, user))+"-"+lang.locale)
					b.must(b.page.SetViewportSize(1440, 900))
				}
			}
			// The same panels on a phone: nothing wider than the screen, and axe.
			b.must(b.page.SetViewportSize(phone.Width, phone.Height))
			for _, p := range paths {
				b.goto_(p)
				b.must(expect.Locator(b.page.GetByRole("dialog")).ToBeVisible())
				if wide := b.wideElements(); len(wide) > 0 {
					t.Errorf("%s at 390 px: %s", p, strings.Join(wide, "; "))
				}
				b.checkA11y(p + " at 390 px (" + lang.locale + ")")
			}
			b.must(b.page.SetViewportSize(1440, 900))
			b.goto_(shared + "/forwarding")
			shots(b, "footer-forwarding-"+lang.locale)
			b.must(b.page.SetViewportSize(1440, 900))
			// Cancel goes back to the pane.
			b.must(b.page.Locator("[data-panel-footer] [data-cancel]").Click())
			b.must(expect.Page(b.page).ToHaveURL(regexp.MustCompile(regexp.QuoteMeta(shared) + `$`)))
		})
	}
}
