package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// My settings keeps the classic properties pane per admin; with it on, a person's
// pane is the summary and the Mail settings disclosure whose Edit buttons open the
// Mail tab's own panels, and the forwarding panel has the switch and Save.
func TestClassicPanePreference(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.signInAdmin()
	megan := a.userPath("meganb@contoso.com")
	if r := a.get(megan); r.doc.Find("[role=tablist]").Length() != 1 || r.doc.Find("[data-classic-pane]").Length() != 0 {
		t.Fatal("the tabs are not the default pane")
	}
	r := a.get("/settings/personal")
	if r.status != http.StatusOK || r.doc.Find("input#pref-classic[role=switch]").Length() != 1 {
		t.Fatalf("My settings: %d", r.status)
	}
	tok := a.csrf("/settings/personal")
	// Without the CSRF token nothing changes.
	if r := a.post("/settings/personal", url.Values{"classic_pane": {"on"}}); r.status != http.StatusForbidden {
		t.Fatalf("without a token: %d", r.status)
	}
	if r := a.post("/settings/personal", url.Values{"_csrf": {tok}, "classic_pane": {"on"}}); r.status != http.StatusSeeOther ||
		r.header.Get("Location") != "/settings/personal" {
		t.Fatalf("save: %d %s", r.status, r.header.Get("Location"))
	}
	if _, ok := a.get("/settings/personal").doc.Find("input#pref-classic").Attr("checked"); !ok {
		t.Fatal("the choice is not shown as kept")
	}

	r = a.get(megan)
	if r.doc.Find("[role=tablist]").Length() != 0 || r.doc.Find("[data-classic-pane]").Length() != 1 {
		t.Fatal("the classic pane is not shown")
	}
	btn := r.doc.Find("button[aria-controls=classic-mail]")
	if btn.Length() != 1 || strings.TrimSpace(btn.Text()) != "Mail settings" {
		t.Fatalf("disclosure %q", btn.Text())
	}
	if e, _ := btn.Attr("aria-expanded"); e != "false" {
		t.Fatalf("aria-expanded %q", e)
	}
	if _, hidden := r.doc.Find("#classic-mail").Attr("hidden"); !hidden {
		t.Fatal("Mail settings start expanded")
	}
	for _, c := range []struct{ label, action string }{
		{"Edit Mailbox permissions", megan + "/mailbox-permissions"},
		{"Edit Email forwarding", megan + "/forwarding"},
		{"Edit Automatic replies", megan + "/auto-replies"},
		{"Edit Mailbox type", megan + "/convert"},
	} {
		b := r.doc.Find(`#classic-mail button[aria-label="` + c.label + `"]`)
		if b.Length() != 1 || strings.TrimSpace(b.Text()) != "Edit" {
			t.Fatalf("%s: %d", c.label, b.Length())
		}
		if act, _ := b.Closest("form").Attr("action"); act != c.action {
			t.Fatalf("%s opens %q", c.label, act)
		}
	}
	// The panels' Back leads to the Mail tab, where the section is open.
	if e, _ := a.get(megan + "?tab=mail").doc.Find("button[aria-controls=classic-mail]").Attr("aria-expanded"); e != "true" {
		t.Fatal("Back from a panel closes Mail settings")
	}
	// The forwarding panel has the switch and Save; in Dutch Opslaan.
	fwd := a.get(megan + "/forwarding")
	if fwd.doc.Find("input#fwd-enabled[role=switch]").Length() != 1 || text(fwd, `form[action$="/forwarding"] button[type=submit]`) != "Save" {
		t.Fatalf("forwarding panel: switch %d, button %q", fwd.doc.Find("input#fwd-enabled[role=switch]").Length(), text(fwd, `form[action$="/forwarding"] button[type=submit]`))
	}
	nl := a.get(megan+"?tab=mail", "Accept-Language", "nl")
	if text(nl, "button[aria-controls=classic-mail]") != "E-mailinstellingen" || nl.doc.Find(`button[aria-label="Postvakmachtigingen bewerken"]`).Length() != 1 {
		t.Fatalf("Dutch: %q", text(nl, "button[aria-controls=classic-mail]"))
	}
	if text(a.get(megan+"/forwarding", "Accept-Language", "nl"), `form[action$="/forwarding"] button[type=submit]`) != "Opslaan" {
		t.Fatal("Dutch forwarding Save")
	}

	// Another admin still has the tabs and the checkbox with Save changes.
	b := newApp(t)
	b.store, b.srv, b.echo = a.store, a.srv, a.echo
	b.client = newClient()
	if r := b.signIn("pattif@contoso.com", testPassword); r.status != http.StatusSeeOther {
		t.Fatalf("sign-in: %d", r.status)
	}
	if r := b.get(megan); r.doc.Find("[role=tablist]").Length() != 1 {
		t.Fatal("one admin's choice reached another")
	}
	if fwd := b.get(megan + "/forwarding"); fwd.doc.Find("input#fwd-enabled[role=switch]").Length() != 0 || text(fwd, `form[action$="/forwarding"] button[type=submit]`) != "Save changes" {
		t.Fatalf("modern forwarding panel: %q", text(fwd, `form[action$="/forwarding"] button[type=submit]`))
	}

	// Turning it off brings the tabs back; signed out, the page and the post refuse.
	tok = a.csrf("/settings/personal")
	a.post("/settings/personal", url.Values{"_csrf": {tok}})
	if r := a.get(megan); r.doc.Find("[role=tablist]").Length() != 1 {
		t.Fatal("turning it off did not bring the tabs back")
	}
	c := newApp(t)
	c.store, c.srv, c.echo = a.store, a.srv, a.echo
	c.client = newClient()
	anon := c.csrf("/signin")
	if r := c.post("/settings/personal", url.Values{"_csrf": {anon}, "classic_pane": {"on"}}); r.status != http.StatusUnauthorized {
		t.Fatalf("signed out: %d", r.status)
	}
}
