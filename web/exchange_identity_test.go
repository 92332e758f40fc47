package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestExchangeMailboxGeneral(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.signInAdmin()
	alex := "/exchange/mailboxes/" + a.mailboxID("alexw@contoso.com")
	r := a.get(alex)
	if r.status != http.StatusOK || r.doc.Find(`#eac-gen-first[value="Alex"]`).Length() != 1 || r.doc.Find(`#eac-general button[type=submit]`).Length() != 1 {
		t.Fatalf("general: %d", r.status)
	}
	tok := a.csrf(alex)
	ver, _ := r.doc.Find(`#eac-general input[name=version]`).Attr("value")
	form := func(display string) url.Values {
		return url.Values{"_csrf": {tok}, "version": {ver}, "display_name": {display}, "first_name": {"Alex"}, "last_name": {"Wilber"},
			"job_title": {"Lead"}, "department": {"Marketing"}}
	}
	// An empty display name: the message at the field, nothing written.
	before, _ := a.store.Fingerprint(context.Background())
	r = a.post(alex+"/general", form(""))
	if r.status != http.StatusUnprocessableEntity || r.doc.Find(`#eac-gen-display[aria-invalid=true]`).Length() != 1 {
		t.Fatalf("empty name: %d", r.status)
	}
	if after, _ := a.store.Fingerprint(context.Background()); after != before {
		t.Fatal("a refused save wrote to the database")
	}
	r = a.post(alex+"/general", form("Alex W."))
	if r.status != http.StatusSeeOther || r.header.Get("Location") != alex {
		t.Fatalf("save: %d %s", r.status, r.header.Get("Location"))
	}
	// The person is renamed in the Microsoft 365 admin center too, with the same audit entry.
	if r := a.get(a.userPath("alexw@contoso.com")); !strings.Contains(r.body, "Alex W.") || !strings.Contains(r.body, "Lead") {
		t.Fatal("the person's pane doesn't show the new details")
	}
	// The same form again is stale.
	if r := a.post(alex+"/general", form("Alex Again")); r.status != http.StatusConflict || !strings.Contains(text(r, "[role=alert]"), "Someone else changed") {
		t.Fatalf("stale: %d", r.status)
	}

	t.Run("a shared mailbox has only its display name", func(t *testing.T) {
		a := a.on(t)
		info := "/exchange/mailboxes/" + a.mailboxID("info@contoso.com")
		r := a.get(info)
		if r.doc.Find(`#eac-gen-first`).Length() != 0 || r.doc.Find(`#eac-gen-display[value="Info"]`).Length() != 1 {
			t.Fatal("shared general")
		}
		v, _ := r.doc.Find(`#eac-general input[name=version]`).Attr("value")
		if r := a.post(info+"/general", url.Values{"_csrf": {tok}, "version": {v}, "display_name": {"Info desk"}}); r.status != http.StatusSeeOther {
			t.Fatalf("rename: %d", r.status)
		}
		if r := a.get(info); text(r, "h1") != "Edit Info desk" {
			t.Fatalf("heading %q", text(r, "h1"))
		}
	})
	t.Run("an Exchange admin sees a person's General read-only and can't post it", func(t *testing.T) {
		a := a.on(t)
		a.client = newClient()
		a.signIn("pattif@contoso.com", testPassword)
		r := a.get(alex)
		if r.doc.Find(`#eac-gen-display[disabled]`).Length() != 1 || !strings.Contains(text(r, "#eac-identity-readonly"), "Exchange administrator") {
			t.Fatalf("read-only: %q", text(r, "#eac-identity-readonly"))
		}
		tok := a.csrf(alex)
		if r := a.post(alex+"/general", url.Values{"_csrf": {tok}, "version": {ver}, "display_name": {"X"}}); r.status != http.StatusForbidden {
			t.Fatalf("exchange admin: %d", r.status)
		}
	})
}

func TestExchangeMailboxAddresses(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.signInAdmin()
	megan := "/exchange/mailboxes/" + a.mailboxID("meganb@contoso.com")
	page := megan + "?section=addresses"
	r := a.get(page)
	if r.status != http.StatusOK || r.doc.Find(`#eac-addresses input[name=addr][value="meganb@contoso.com"]`).Length() != 1 {
		t.Fatalf("addresses: %d", r.status)
	}
	tok := a.csrf(page)
	post := func(f url.Values) response {
		f.Set("_csrf", tok)
		return a.post(megan+"/addresses", f, "HX-Request", "true")
	}
	before, _ := a.store.Fingerprint(context.Background())
	// Add stages the address; another recipient's address is the proxy-address conflict.
	r = post(url.Values{"addr": {"meganb@contoso.com"}, "primary": {"meganb@contoso.com"}, "op": {"add"}, "alias": {"megan"}, "domain": {"contoso.com"}})
	if r.status != http.StatusOK || r.doc.Find(`input[name=addr][value="megan@contoso.com"]`).Length() != 1 || r.doc.Find(`[data-staged]`).Length() != 1 {
		t.Fatalf("add: %d", r.status)
	}
	r = post(url.Values{"addr": {"meganb@contoso.com", "megan@contoso.com"}, "primary": {"meganb@contoso.com"}, "op": {"add"}, "alias": {"alexw"}, "domain": {"contoso.com"}})
	if r.status != http.StatusUnprocessableEntity || r.doc.Find(`#eac-addr-alias[aria-invalid=true]`).Length() != 1 ||
		!strings.Contains(text(r, "#eac-addresses"), "alexw@contoso.com") || r.doc.Find(`input[name=addr]`).Length() != 2 {
		t.Fatalf("conflict: %d %q", r.status, text(r, "#eac-addr-alias-error"))
	}
	// The primary can't be removed; Set as primary moves it.
	r = post(url.Values{"addr": {"meganb@contoso.com", "megan@contoso.com"}, "primary": {"meganb@contoso.com"}, "op": {"remove:meganb@contoso.com"}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(text(r, "[role=alert]"), "primary email address can't be removed") {
		t.Fatalf("remove primary: %d", r.status)
	}
	r = post(url.Values{"addr": {"meganb@contoso.com", "megan@contoso.com"}, "primary": {"meganb@contoso.com"}, "op": {"primary:megan@contoso.com"}})
	if v, _ := r.doc.Find(`input[name=primary]`).Attr("value"); v != "megan@contoso.com" {
		t.Fatalf("primary = %q", v)
	}
	if after, _ := a.store.Fingerprint(context.Background()); after != before {
		t.Fatal("staging wrote to the database")
	}
	r = post(url.Values{"addr": {"meganb@contoso.com", "megan@contoso.com"}, "primary": {"megan@contoso.com"}, "op": {"save"}})
	if r.status != http.StatusOK || !strings.Contains(r.header.Get("HX-Trigger"), "Email addresses of Megan Bowen saved") {
		t.Fatalf("save: %d %s", r.status, r.header.Get("HX-Trigger"))
	}
	d, err := a.store.MailboxAddressesOf(context.Background(), parseID(a.mailboxID("megan@contoso.com")))
	if err != nil || d.Primary != "megan@contoso.com" || len(d.Addresses) != 2 {
		t.Fatalf("saved = %+v %v", d, err)
	}
	// Saving a list with someone else's address is refused with the same message.
	r = post(url.Values{"addr": {"megan@contoso.com", "meganb@contoso.com", "adelev@contoso.com"}, "primary": {"megan@contoso.com"}, "op": {"save"}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(text(r, "[role=alert]"), "adelev@contoso.com") {
		t.Fatalf("save conflict: %d %q", r.status, text(r, "[role=alert]"))
	}

	t.Run("a reader can't post the addresses", func(t *testing.T) {
		a := a.on(t)
		a.client = newClient()
		a.signIn("miriamg@contoso.com", testPassword)
		r := a.get(page)
		if r.doc.Find(`#eac-addresses button[name=op]`).Length() != 0 {
			t.Fatal("reader: the addresses are editable")
		}
		tok := a.csrf(page)
		if r := a.post(megan+"/addresses", url.Values{"_csrf": {tok}, "op": {"save"}, "addr": {"megan@contoso.com", "x@contoso.com"}, "primary": {"megan@contoso.com"}}); r.status != http.StatusForbidden {
			t.Fatalf("reader: %d", r.status)
		}
	})
}

func TestExchangeContactEdit(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.signInAdmin()
	ben := "/exchange/contacts/" + itoa(contactID(t, a, "ben.smith@fabrikam.com"))
	if r := a.get("/exchange/contacts"); r.doc.Find(`a[href="`+ben+`"]`).Length() != 1 {
		t.Fatal("Contacts doesn't link to the EAC's edit page")
	}
	r := a.get(ben)
	if r.status != http.StatusOK || text(r, "h1") != "Edit Ben Smith" || r.doc.Find(`#eac-contact-email[value="ben.smith@fabrikam.com"]`).Length() != 1 {
		t.Fatalf("contact: %d %q", r.status, text(r, "h1"))
	}
	tok := a.csrf(ben)
	ver, _ := r.doc.Find(`#eac-contact input[name=version]`).Attr("value")
	form := func(addr string) url.Values {
		return url.Values{"_csrf": {tok}, "version": {ver}, "display_name": {"Ben Smith (Fabrikam)"}, "first_name": {"Ben"},
			"last_name": {"Smith"}, "company": {"Fabrikam"}, "address": {addr}}
	}
	// Another recipient's address, or one of the organization's: the message at the field.
	before, _ := a.store.Fingerprint(context.Background())
	for addr, want := range map[string]string{"yara@tailspintoys.com": "Yara Haddad", "ben@contoso.com": "contoso.com"} {
		r := a.post(ben, form(addr))
		if r.status != http.StatusUnprocessableEntity || r.doc.Find(`#eac-contact-email[aria-invalid=true]`).Length() != 1 ||
			!strings.Contains(text(r, "#eac-contact"), want) {
			t.Fatalf("%s: %d %q", addr, r.status, text(r, "#eac-contact-email-error"))
		}
	}
	if after, _ := a.store.Fingerprint(context.Background()); after != before {
		t.Fatal("a refused save wrote to the database")
	}
	if r := a.post(ben, form("ben@fabrikam.com")); r.status != http.StatusSeeOther || r.header.Get("Location") != ben {
		t.Fatalf("save: %d %s", r.status, r.header.Get("Location"))
	}
	// The Microsoft 365 admin center's Contacts shows the change.
	if r := a.get("/contacts?q=ben"); !strings.Contains(text(r, "tbody"), "ben@fabrikam.com") || !strings.Contains(text(r, "tbody"), "Ben Smith (Fabrikam)") {
		t.Fatalf("M365 contacts: %q", text(r, "tbody"))
	}
	if r := a.post(ben, form("ben2@fabrikam.com")); r.status != http.StatusConflict {
		t.Fatalf("stale: %d", r.status)
	}

	t.Run("a reader sees it read-only and can't post", func(t *testing.T) {
		a := a.on(t)
		a.client = newClient()
		a.signIn("miriamg@contoso.com", testPassword)
		r := a.get(ben)
		if r.doc.Find(`#eac-contact fieldset[disabled]`).Length() != 1 || r.doc.Find(`#eac-contact button[type=submit]`).Length() != 0 {
			t.Fatal("reader: the contact is editable")
		}
		tok := a.csrf(ben)
		if r := a.post(ben, url.Values{"_csrf": {tok}, "version": {ver}, "display_name": {"X"}, "address": {"x@fabrikam.com"}}); r.status != http.StatusForbidden {
			t.Fatalf("reader: %d", r.status)
		}
	})
}
