package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestSharedMailboxLicensePanel: the pane offers Assign a license; the panel says
// why, lists the products that give 100 GB, refuses a wrong one in the panel and
// assigns Plan 2, after which the pane says the mailbox is licensed.
func TestSharedMailboxLicensePanel(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.signInAdmin()
	info := a.sharedPath("info@contoso.com")
	r := a.get(info)
	if r.doc.Find(`form[action="`+info+`/license"] button`).Length() != 1 {
		t.Fatalf("no Assign a license in the pane: %q", text(r, "section[aria-labelledby=shared-sec-storage]"))
	}
	r = a.get(info + "/license")
	if r.status != http.StatusOK || !strings.Contains(text(r, "[role=dialog]"), "Over 50 GB it needs a license") ||
		r.doc.Find(`input[name=license]`).Length() != 1 || !strings.Contains(text(r, "label"), "Exchange Online (Plan 2)") {
		t.Fatalf("panel: %d %q", r.status, text(r, "[role=dialog]"))
	}
	buttons := r.doc.Find(`[role=dialog] form .border-t`).Children()
	if buttons.Length() != 2 || !strings.Contains(buttons.Eq(0).Text(), "Assign") || !strings.Contains(buttons.Eq(1).Text(), "Cancel") {
		t.Errorf("footer: primary first, Cancel next: %q", text(r, "[role=dialog] form .border-t"))
	}
	tok := a.csrf(info + "/license")
	before := fingerprint(t, a.store)
	r = a.post(info+"/license", url.Values{"_csrf": {tok}, "license": {a.licenseID("EXCHANGESTANDARD")}}, "HX-Request", "true")
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(text(r, "[role=alert]"), "doesn't give a shared mailbox more than 50 GB") {
		t.Fatalf("plan 1: %d %q", r.status, text(r, "[role=alert]"))
	}
	if fingerprint(t, a.store) != before {
		t.Error("a refused license wrote something")
	}
	r = a.post(info+"/license", url.Values{"_csrf": {tok}, "license": {a.licenseID("EXCHANGEENTERPRISE")}}, "HX-Request", "true")
	if r.status != http.StatusOK || !strings.Contains(text(r, "[data-testid=shared-license-state]"), "Licensed with Exchange Online (Plan 2)") {
		t.Fatalf("plan 2: %d %q", r.status, text(r, "section[aria-labelledby=shared-sec-storage]"))
	}
	if !strings.Contains(r.header.Get("HX-Trigger"), "holds 100 GB") {
		t.Errorf("toast %q", r.header.Get("HX-Trigger"))
	}
	if !strings.Contains(text(r, "section[aria-labelledby=shared-sec-storage]"), "100") {
		t.Errorf("quota not raised: %q", text(r, "section[aria-labelledby=shared-sec-storage]"))
	}
	// A Helpdesk administrator sees why they can't, and is refused.
	a.client = newClient()
	if r := a.signIn("leeg@contoso.com", testPassword); r.status != http.StatusSeeOther {
		t.Fatal("helpdesk sign-in")
	}
	tok = a.csrf("/")
	if r := a.post(info+"/license", url.Values{"_csrf": {tok}, "license": {a.licenseID("EXCHANGEENTERPRISE")}}); r.status != http.StatusForbidden {
		t.Errorf("helpdesk: %d", r.status)
	}
}
