package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// describedByExists checks that every id an element's aria-describedby names is in
// the document.
func describedByExists(t *testing.T, r response, sel string) string {
	t.Helper()
	d, _ := r.doc.Find(sel).Attr("aria-describedby")
	for _, id := range strings.Fields(d) {
		if r.doc.Find("#"+id).Length() != 1 {
			t.Fatalf("%s: aria-describedby %q names a missing #%s", sel, d, id)
		}
	}
	return d
}

// The forwarding panel says the policy once (the bounce warning, or else the
// policy line, both in the swapped #fwd-target), the several-addresses rule once,
// and the address field is described by #fwd-target, which is always there, so
// its aria-describedby stays right after the region is swapped as it is typed.
func TestForwardingSaysThePolicyOnceAndDescribesTheAddress(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.signInAdmin()
	base := a.userPath("meganb@contoso.com")
	tok := a.csrf(base)
	policyLine := "Your organization doesn't allow automatic forwarding to outside addresses (Automatic forwarding"
	// Saved to an outside address: the panel opens with the warning, said once.
	if r := a.forward(base, tok, "megan@fabrikam.com"); r.status != http.StatusSeeOther {
		t.Fatalf("save: %d", r.status)
	}
	r := a.get(base + "/forwarding")
	if d := describedByExists(t, r, "#fwd-address"); !strings.Contains(d, "fwd-target") {
		t.Fatalf("address describedby %q", d)
	}
	if r.doc.Find("#fwd-target #fwd-bounce").Length() != 1 || strings.Contains(text(r, "form"), policyLine) {
		t.Fatalf("policy said twice or no warning: %q", text(r, "form"))
	}
	// Typed: an inside address swaps in the policy line and no warning; an outside
	// one the warning and no policy line.
	r = a.get(base+"/forwarding/targets?address=alexw@contoso.com", "HX-Request", "true")
	if r.doc.Find("#fwd-bounce").Length() != 0 || !strings.Contains(text(r, "p"), policyLine) {
		t.Fatalf("inside: %q", text(r, "p"))
	}
	r = a.get(base+"/forwarding/targets?address=someone@fabrikam.com", "HX-Request", "true")
	if r.doc.Find("#fwd-bounce").Length() != 1 || strings.Contains(text(r, "p"), policyLine) {
		t.Fatalf("outside: %q", text(r, "p"))
	}
	// Several addresses: the distribution list rule is in the error, not again in the help.
	r = a.post(base+"/forwarding", url.Values{"_csrf": {tok}, "version": {a.forwardingVersion(base)}, "forward": {"on"}, "address": {"a@contoso.com, b@contoso.com"}},
		"HX-Request", "true")
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("several: %d", r.status)
	}
	describedByExists(t, r, "#fwd-address")
	n := 0
	r.doc.Find("form p, form div").Each(func(_ int, s *goquery.Selection) {
		if s.Children().Length() == 0 && strings.Contains(strings.ToLower(s.Text()), "distribution list") {
			n++
		}
	})
	if n != 1 {
		t.Fatalf("the distribution list rule is said %d times: %q", n, text(r, "form"))
	}
	// The Mail tab's Blocked by policy is an info box with its icon.
	r = a.get(base + "?tab=mail")
	if r.doc.Find("[data-testid=fwd-blocked] [data-info-box] svg").Length() != 1 {
		t.Fatal("Blocked by policy has no info box icon")
	}
}
