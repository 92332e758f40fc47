//go:build e2e

package e2e

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
)

// describedByProblems lists every aria-describedby on the page that names an id
// that is not there.
const describedByProblems = `() => {
	const out = [];
	document.querySelectorAll('[aria-describedby]').forEach(e => {
		e.getAttribute('aria-describedby').split(/\s+/).filter(Boolean).forEach(id => {
			if (!document.getElementById(id)) out.push((e.id || e.tagName) + ' -> #' + id);
		});
	});
	return out;
}`

// The footer walk's duplicate check, with an outside address typed into a person's
// forwarding panel: no info box repeats itself and the policy is named once (the
// bounce warning, not also the policy line); and after typing an outside address
// and then an inside one, every aria-describedby still points at an element.
func TestForwardingWithAnOutsideAddressSaysThingsOnce(t *testing.T) {
	srv := startServer(t)
	for _, c := range []struct {
		locale, policy, bounce string
		l                      labels
		f                      fwdLabels
	}{
		{"en-US", "Automatic - System-controlled", "Mail forwarded to this address will bounce", english, fwdEN},
		{"nl-NL", "Automatisch - Door het systeem beheerd", "", dutch, fwdNL},
	} {
		t.Run(c.locale, func(t *testing.T) {
			b := newBrowser(t, srv, c.locale)
			b.signInAdmin(c.l)
			b.goto_("/users")
			b.openMailTab(c.l, "Megan Bowen")
			b.must(b.role("link", c.f.Manage).Click())
			b.must(expect.Locator(b.role("heading", c.f.Manage)).ToBeVisible())
			b.paneReady()
			check := func(what string) {
				t.Helper()
				var problems []string
				for _, js := range []string{footerProblems, describedByProblems} {
					res, err := b.page.Evaluate(js)
					b.must(err)
					for _, x := range res.([]any) {
						problems = append(problems, fmt.Sprint(x))
					}
				}
				if len(problems) > 0 {
					t.Errorf("%s: %s", what, strings.Join(problems, "; "))
				}
			}
			b.must(b.label(c.f.Address).Fill("someone@fabrikam.com"))
			bounce := b.page.Locator("#fwd-target #fwd-bounce")
			b.must(expect.Locator(bounce).ToBeVisible())
			if c.bounce != "" {
				b.must(expect.Locator(bounce).ToContainText(c.bounce))
			}
			check("outside address typed")
			said, err := b.page.GetByRole("dialog").InnerText()
			b.must(err)
			if n := strings.Count(said, c.policy); n != 1 {
				t.Errorf("the policy is named %d times with the bounce warning:\n%s", n, said)
			}
			b.checkA11y("forwarding with an outside address " + c.locale)
			b.must(b.label(c.f.Address).Fill("alexw@contoso.com"))
			b.must(expect.Locator(bounce).ToHaveCount(0))
			b.must(expect.Locator(b.page.GetByRole("dialog")).ToContainText(c.policy))
			check("then an inside address typed")
			b.must(expect.Locator(b.label(c.f.Address)).ToHaveAttribute("aria-describedby", regexp.MustCompile(`\bfwd-target\b`)))
		})
	}
}
