package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestForwardingPanel(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.signInAdmin()
	base := a.userPath("meganb@contoso.com")

	r := a.get(base + "/forwarding")
	for _, label := range []string{"Forward all emails sent to this mailbox", "Forwarding email address", "Keep a copy of forwarded emails"} {
		if r.doc.Find("label:contains('"+label+"')").Length() != 1 {
			t.Errorf("no field labelled %q", label)
		}
	}
	if !strings.Contains(text(r, "[role=dialog]"), "Only new messages are forwarded") {
		t.Error("no note that only new messages are forwarded")
	}
	part := a.get(base+"/forwarding", "HX-Request", "true", "HX-Target", "pane")
	if strings.Contains(part.body, "<html") || part.doc.Find("[role=dialog]").Length() != 1 {
		t.Fatal("htmx must get the panel alone")
	}

	tok := a.csrf(base)
	v := a.forwardingVersion(base)
	r = a.post(base+"/forwarding", url.Values{"_csrf": {tok}, "version": {v}, "forward": {"on"}, "address": {"alexw@contoso.com"}, "keep_copy": {"on"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("save: %d", r.status)
	}
	r = a.get(base + "?tab=mail")
	if got := text(r, "#sec-forwarding ~ div"); !strings.Contains(got, "Applied: forwarding to alexw@contoso.com, keeping a copy") {
		t.Fatalf("mail tab state = %q", got)
	}

	// Bad input: 422, the field marked and described, nothing saved.
	v = a.forwardingVersion(base)
	for addr, msg := range map[string]string{
		"a@fabrikam.com; b@fabrikam.com": "create a distribution list",
		"not-an-address":                 "Enter a valid email address",
		"meganb@contoso.com":             "can't forward to its own address",
		"ghost@contoso.com":              "No one in your organization has the address ghost@contoso.com",
	} {
		r = a.post(base+"/forwarding", url.Values{"_csrf": {tok}, "version": {v}, "forward": {"on"}, "address": {addr}})
		if r.status != http.StatusUnprocessableEntity || r.doc.Find("#fwd-address[aria-invalid=true]").Length() != 1 ||
			!strings.Contains(text(r, "#fwd-address-error"), msg) {
			t.Errorf("%q: %d %q", addr, r.status, text(r, "#fwd-address-error"))
		}
		if got, _ := r.doc.Find("#fwd-address").Attr("value"); got != addr {
			t.Errorf("%q: the typed address was lost (%q)", addr, got)
		}
	}
	if a.forwardingVersion(base) != v {
		t.Fatal("a refused change was saved")
	}

	// A loop names the chain.
	alex := a.userPath("alexw@contoso.com")
	r = a.forward(alex, tok, "meganb@contoso.com")
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(text(r, "#fwd-address-error"), "Alex Wilber → Megan Bowen → Alex Wilber") {
		t.Fatalf("loop: %d %q", r.status, text(r, "#fwd-address-error"))
	}

	// A stale form is refused with a message to reload, never applied.
	r = a.post(base+"/forwarding", url.Values{"_csrf": {tok}, "version": {"1"}, "forward": {"on"}, "address": {"diegos@contoso.com"}})
	if r.status != http.StatusConflict || !strings.Contains(text(r, "[role=alert]"), "Reload") {
		t.Fatalf("stale: %d %q", r.status, text(r, "[role=alert]"))
	}
	r = a.get(base + "?tab=mail")
	if !strings.Contains(text(r, "#sec-forwarding ~ div"), "alexw@contoso.com") {
		t.Fatal("the stale form overwrote forwarding")
	}

	// Unticking turns forwarding off.
	r = a.post(base+"/forwarding", url.Values{"_csrf": {tok}, "version": {a.forwardingVersion(base)}, "address": {"alexw@contoso.com"}}, "HX-Request", "true")
	if r.status != http.StatusOK || !strings.Contains(r.header.Get("HX-Trigger"), "Forwarding turned off") {
		t.Fatalf("off: %d %q", r.status, r.header.Get("HX-Trigger"))
	}
}

func TestForwardingNeedsALicenseAndTheRightRole(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.signInAdmin()
	lynne := a.userPath("lynner@contoso.com")
	r := a.get(lynne + "/forwarding")
	if r.doc.Find("#fwd-enabled[disabled]").Length() != 1 || !strings.Contains(text(r, "#fwd-license"), "no license that includes a mailbox") {
		t.Fatalf("unlicensed: the checkbox must be disabled with the reason")
	}
	if href, _ := r.doc.Find("#fwd-license a").Attr("href"); href != lynne+"#sec-licenses" {
		t.Fatalf("license link = %q", href)
	}
	tok := a.csrf(lynne)
	r = a.forward(lynne, tok, "alexw@contoso.com")
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("unlicensed save: %d", r.status)
	}

	a.client = newClient()
	a.signIn("miriamg@contoso.com", testPassword)
	megan := a.userPath("meganb@contoso.com")
	r = a.get(megan + "/forwarding")
	if r.doc.Find("#fwd-enabled[disabled]").Length() != 1 || !strings.Contains(text(r, "#fwd-denied"), "Global reader, can't change email forwarding") {
		t.Fatal("reader: disabled with the reason")
	}
	tok = a.csrf(megan)
	r = a.forward(megan, tok, "alexw@contoso.com")
	if r.status != http.StatusForbidden {
		t.Fatalf("reader save: %d", r.status)
	}
	if r := a.post("/settings/forwarding", url.Values{"_csrf": {tok}, "policy": {"on"}}); r.status != http.StatusForbidden {
		t.Fatalf("reader policy: %d", r.status)
	}
}

func TestExternalForwardingWarningAndPolicy(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.signInAdmin()
	base := a.userPath("meganb@contoso.com")
	tok := a.csrf(base)
	v := a.forwardingVersion(base)
	// The warning comes before saving, next to the address as it is typed.
	r := a.get(base+"/forwarding/targets?address=megan@fabrikam.com", "HX-Request", "true")
	if got := text(r, "#fwd-bounce"); !strings.Contains(got, "5.7.520 Access denied, Your organization does not allow external forwarding") {
		t.Fatalf("warning as typed: %d %q", r.status, got)
	}
	if href, _ := r.doc.Find("#fwd-bounce a").Attr("href"); href != "/settings/forwarding" {
		t.Fatalf("policy link %q", href)
	}
	// Seed 000 step 4 followed literally: Save changes saves it.
	r = a.post(base+"/forwarding", url.Values{"_csrf": {tok}, "version": {v}, "forward": {"on"}, "address": {"megan@fabrikam.com"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("save changes: %d", r.status)
	}
	if href, _ := a.get(base + "?tab=mail").doc.Find("[data-testid=fwd-blocked] a").Attr("href"); href != "/settings/forwarding" {
		t.Fatalf("blocked by policy links the policy: %q", href)
	}
	r = a.get(base + "?tab=mail")
	if !strings.Contains(text(r, "#sec-forwarding ~ div"), "Blocked by policy") {
		t.Fatalf("state: %q", text(r, "#sec-forwarding ~ div"))
	}
	r = a.get(base + "/delivery-check?address=meganb@contoso.com")
	if got := text(r, "[role=status]"); !strings.Contains(got, "550 5.7.520") {
		t.Fatalf("delivery: %q", got)
	}

	r = a.get("/settings/forwarding")
	if v, _ := r.doc.Find("input[name=policy][checked]").Attr("value"); v != "automatic" {
		t.Fatalf("policy = %q", v)
	}
	if r := a.post("/settings/forwarding", url.Values{"_csrf": {tok}, "policy": {"sideways"}}); r.status != http.StatusUnprocessableEntity {
		t.Fatalf("bad policy: %d", r.status)
	}
	if r := a.post("/settings/forwarding", url.Values{"_csrf": {tok}, "policy": {"on"}}); r.status != http.StatusSeeOther {
		t.Fatalf("policy on: %d", r.status)
	}
	r = a.get(base + "?tab=mail")
	if strings.Contains(text(r, "#sec-forwarding ~ div"), "Blocked by policy") {
		t.Fatal("still blocked with the policy On")
	}
	r = a.get(base + "/delivery-check?address=meganb@contoso.com")
	if got := text(r, "[role=status]"); !strings.Contains(got, "Sent outside the organization to megan@fabrikam.com") {
		t.Fatalf("delivery with policy On: %q", got)
	}
	r = a.get(base + "/delivery-check?address=" + url.QueryEscape("a@b.com, c@d.com"))
	if r.status != http.StatusUnprocessableEntity || r.doc.Find("#delivery-address[aria-invalid=true]").Length() != 1 {
		t.Fatalf("delivery bad input: %d", r.status)
	}
}
