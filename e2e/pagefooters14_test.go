//go:build e2e

package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/playwright-community/playwright-go"
)

// pageFooterProblems checks a page's forms against the one button rule: each
// page footer has the primary action first and Cancel beside it (a wizard's Back
// may sit between them), and no POST form of the page has a primary button
// outside its footer.
const pageFooterProblems = `() => {
	const main = document.querySelector('main') || document.body;
	const out = [];
	const footers = main.querySelectorAll('[data-page-footer]');
	if (!footers.length) out.push('no page footer');
	footers.forEach(f => {
		const kids = Array.from(f.children).filter(e => e.tagName !== 'P');
		if (!kids.length || kids[0].tagName !== 'BUTTON') out.push('first in the footer: ' + (kids.length ? kids[0].outerHTML.slice(0, 80) : 'nothing'));
		const cancel = f.querySelector('[data-cancel]');
		if (!cancel) out.push('no Cancel in the footer');
		else {
			const at = kids.indexOf(cancel);
			if (at !== 1 && !(at === 2 && kids[1].hasAttribute('data-back'))) out.push('Cancel is not beside the primary action: ' + at);
		}
	});
	main.querySelectorAll('form[method=post] button[type=submit]').forEach(btn => {
		if (btn.closest('[data-page-footer]') || btn.closest('[role=dialog]') || btn.closest('[data-picker]') || btn.classList.contains('sr-only')) return;
		if (btn.className.includes('bg-sky-800') || btn.className.includes('bg-red-800')) out.push('primary button outside the footer: ' + btn.textContent.trim());
	});
	return out;
}`

// TestPageFormsFollowOneButtonRule walks every page-level form (Add a user, New
// app, Revoke, the bulk confirmations, the group wizard, the Mailbox access
// report's grant job, the forwarding policy, My settings, and the EAC's mailbox,
// shared mailbox, group, contact and bulk delegation pages) in English and Dutch:
// primary first, Cancel beside it, in one footer; axe on each; nothing wider than
// a phone's screen.
func TestPageFormsFollowOneButtonRule(t *testing.T) {
	srv := startServer(t)
	for _, lang := range []struct {
		locale, tag, cancel string
		l                   labels
	}{{"en-US", "en", "Cancel", english}, {"nl-NL", "nl", "Annuleren", dutch}} {
		t.Run(lang.tag, func(t *testing.T) {
			b := newBrowser(t, srv, lang.locale)
			b.signInAdmin(lang.l)
			idIn := func(list, pattern string) string {
				b.goto_(list)
				href, err := b.page.Locator("main table a[href*='" + pattern + "']").First().GetAttribute("href")
				b.must(err)
				m := regexp.MustCompile(regexp.QuoteMeta(pattern) + `(\d+)`).FindStringSubmatch(href)
				if m == nil {
					t.Fatalf("no id in %q on %s", href, list)
				}
				return m[1]
			}
			mailbox := idIn("/exchange/mailboxes", "/exchange/mailboxes/")
			group := idIn("/exchange/groups", "/exchange/groups/")
			contact := idIn("/exchange/contacts", "/exchange/contacts/")
			check := func(what string) {
				t.Helper()
				res, err := b.page.Evaluate(pageFooterProblems)
				b.must(err)
				var problems []string
				for _, x := range res.([]any) {
					problems = append(problems, fmt.Sprint(x))
				}
				if len(problems) > 0 {
					t.Errorf("%s: %s", what, strings.Join(problems, "; "))
				}
				b.must(expect.Locator(b.page.Locator("[data-page-footer] [data-cancel]").First()).ToHaveText(lang.cancel))
				b.checkA11y(what + " " + lang.tag)
				b.must(b.page.SetViewportSize(phone.Width, phone.Height))
				if wide := b.wideElements(); len(wide) > 0 {
					t.Errorf("%s at 390 px:\n  %s", what, strings.Join(wide, "\n  "))
				}
				b.must(b.page.SetViewportSize(1440, 900))
				b.fullShots("page-footer-" + strings.NewReplacer("/", "-", "?", "-", "=", "-").Replace(strings.TrimPrefix(what, "/")) + "-" + lang.tag)
			}
			for _, p := range []string{
				"/users/new", "/settings/apps/new", "/groups/new", "/reports/mailbox-access", "/settings/forwarding", "/settings/personal",
				"/exchange/mailboxes/" + mailbox, "/exchange/mailboxes/" + mailbox + "?section=addresses",
				"/exchange/mailboxes/" + mailbox + "?section=delegation", "/exchange/shared/new",
				"/exchange/mailboxes/bulk-delegation?id=" + mailbox, "/exchange/groups/" + group, "/exchange/contacts/" + contact,
			} {
				b.goto_(p)
				check(p)
			}
			// The bulk confirmations come from the Active users page's forms.
			b.goto_("/users")
			b.must(b.page.Locator("main tbody input[type=checkbox]").First().Check())
			b.must(b.page.Locator("[role=group] button[name=action]").First().Click())
			b.must(expect.Page(b.page).ToHaveURL(regexp.MustCompile(`/users/bulk$`)))
			check("users-bulk")
			b.goto_("/users")
			b.must(b.page.Locator("form[action='/users/bulk-all'] button[type=submit]").Click())
			b.must(expect.Page(b.page).ToHaveURL(regexp.MustCompile(`/users/bulk-all$`)))
			check("users-bulk-all")
			// The group wizard's later steps keep Next first, then Back, then Cancel.
			b.goto_("/groups/new")
			b.must(b.page.Locator("#group-wizard input[type=radio]").First().Check())
			b.must(b.page.Locator("[data-page-footer] button[name=nav][value=next]").Click())
			b.must(expect.Locator(b.page.Locator("[data-page-footer] [data-back]")).ToBeVisible())
			check("groups-new-step-2")

			// Cancel leaves the page; with changes staged in the form, it asks first.
			b.goto_("/exchange/mailboxes/" + mailbox + "?section=addresses")
			b.must(b.page.Locator("#eac-addr-alias").Fill(fmt.Sprintf("pf14-%s", lang.tag)))
			b.must(b.page.Locator("button[name=op][value=add]:not(.sr-only)").Click())
			b.must(expect.Locator(b.page.Locator("#eac-addresses [data-staged]")).ToHaveCount(1))
			var mu sync.Mutex
			var asked []string
			accept := false
			b.page.OnDialog(func(d playwright.Dialog) {
				mu.Lock()
				asked = append(asked, d.Message())
				yes := accept
				mu.Unlock()
				if yes {
					_ = d.Accept()
				} else {
					_ = d.Dismiss()
				}
			})
			b.must(b.page.Locator("[data-page-footer] [data-cancel]").Click())
			b.must(expect.Locator(b.page.Locator("#eac-addresses [data-staged]")).ToHaveCount(1))
			b.must(expect.Page(b.page).ToHaveURL(regexp.MustCompile(`section=addresses`)))
			mu.Lock()
			accept = true
			mu.Unlock()
			b.must(b.page.Locator("[data-page-footer] [data-cancel]").Click())
			b.must(expect.Page(b.page).ToHaveURL(regexp.MustCompile(`/exchange/(mailboxes|shared)$`)))
			mu.Lock()
			if len(asked) != 2 {
				t.Errorf("Cancel with staged changes asked %d times for two clicks: %q", len(asked), asked)
			}
			mu.Unlock()
			b.goto_("/settings/apps/new")
			b.must(b.page.Locator("[data-page-footer] [data-cancel]").Click())
			b.must(expect.Page(b.page).ToHaveURL(regexp.MustCompile(`/settings/apps$`)))
		})
	}
}

// fullShots writes full-page PNGs at 1440x900 and 390x844 (with E2E_SHOTS set),
// so a page's footer is in the picture however long the form is.
func (b *browserSession) fullShots(name string) {
	b.t.Helper()
	if os.Getenv("E2E_SHOTS") == "" {
		return
	}
	dir := filepath.Join(repo, "e2e", "artifacts", "shots")
	_ = os.MkdirAll(dir, 0o755)
	for _, size := range []playwright.Size{{Width: 1440, Height: 900}, phone} {
		b.must(b.page.SetViewportSize(size.Width, size.Height))
		_, err := b.page.Screenshot(playwright.PageScreenshotOptions{FullPage: playwright.Bool(true),
			Path: playwright.String(filepath.Join(dir, fmt.Sprintf("%s-%dx%d.png", name, size.Width, size.Height)))})
		b.must(err)
	}
	b.must(b.page.SetViewportSize(1440, 900))
}
