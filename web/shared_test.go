package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestSharedMailboxesList(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.signInAdmin()
	r := a.get("/shared-mailboxes")
	r.doc.Find("[data-phone-only]").Remove() // the phone's copy of the hidden columns
	if r.status != http.StatusOK || text(r, "tbody tr:first-child td") != "Info info@contoso.com 1 3.19 GB used of 50 GB" {
		t.Fatalf("shared: %d %q", r.status, text(r, "tbody tr:first-child td"))
	}
}

func TestAddSharedMailbox(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.signInAdmin()
	tok := a.csrf("/shared-mailboxes/new")
	r := a.post("/shared-mailboxes", url.Values{"_csrf": {tok}, "name": {"Info"}, "alias": {"info"}, "domain": {"contoso.com"}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(text(r, "#shared-alias-check"),
		`The proxy address "SMTP:info@contoso.com" is already being used by the proxy addresses or LegacyExchangeDN of "Info". Please choose another proxy address.`) {
		t.Fatalf("taken: %d %q", r.status, text(r, "#shared-alias-check"))
	}
	// The name is in use: seed 004's proxy-address message with its way out.
	r = a.post("/shared-mailboxes", url.Values{"_csrf": {tok}, "name": {"Info"}, "alias": {"info"}, "domain": {"contoso.nl"}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(text(r, "#shared-name-error"), `LegacyExchangeDN of "Info"`) ||
		!strings.Contains(text(r, "#shared-name-error"), "give this mailbox another name, such as Info 2, and then enter the email address you want") {
		t.Fatalf("name in use: %d %q", r.status, text(r, "#shared-name-error"))
	}
	// Post/Redirect/Get: Add redirects to the Next steps, which a reload only reads.
	r = a.post("/shared-mailboxes", url.Values{"_csrf": {tok}, "name": {"Info NL"}, "alias": {"info"}, "domain": {"contoso.nl"}})
	loc := r.header.Get("Location")
	if r.status != http.StatusSeeOther || !strings.HasPrefix(loc, "/shared-mailboxes/new?created=") {
		t.Fatalf("add: %d %q", r.status, loc)
	}
	r = a.get(loc)
	if r.status != http.StatusOK || !strings.Contains(text(r, "[role=status]"), "Add members to this mailbox") ||
		!strings.Contains(text(r, "[role=status]"), "info@contoso.nl") {
		t.Fatalf("next steps: %d %q", r.status, text(r, "[role=status]"))
	}
	// No alias typed: it comes from the name.
	r = a.post("/shared-mailboxes", url.Values{"_csrf": {tok}, "name": {"Klantenservice België"}, "domain": {"contoso.nl"}})
	if r = a.get(r.header.Get("Location")); !strings.Contains(text(r, "[role=status]"), "klantenservicebelgie@contoso.nl") {
		t.Fatalf("alias from name: %d %q", r.status, text(r, "[role=status]"))
	}
	if r := a.get("/shared-mailboxes/new?created=999999"); r.status != http.StatusNotFound {
		t.Fatalf("next steps of nothing: %d", r.status)
	}
	r = a.post("/shared-mailboxes", url.Values{"_csrf": {tok}, "name": {""}, "domain": {"contoso.nl"}})
	if r.status != http.StatusUnprocessableEntity || r.doc.Find("#shared-name[aria-invalid=true]").Length() != 1 {
		t.Fatalf("no name: %d", r.status)
	}
	// Markup in a name is shown as text.
	r = a.post("/shared-mailboxes", url.Values{"_csrf": {tok}, "name": {`<img src=x onerror=alert(1)>`}, "alias": {"markup"}, "domain": {"contoso.com"}})
	if r = a.get(r.header.Get("Location")); r.status != http.StatusOK || strings.Contains(r.body, "<img src=x") {
		t.Fatalf("markup: %d", r.status)
	}
	r = a.get("/shared-mailboxes")
	if strings.Contains(r.body, "<img src=x") || !strings.Contains(text(r, "tbody"), "<img src=x onerror=alert(1)>") {
		t.Fatal("list does not escape the name")
	}
}

func TestSharedPaneAndPanels(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.signInAdmin()
	info := a.sharedPath("info@contoso.com")
	r := a.get(info)
	if r.status != http.StatusOK || text(r, "#pane-title") != "Info" {
		t.Fatalf("pane: %d", r.status)
	}
	for _, sec := range []string{"Basic information", "Email addresses", "Members", "Mailbox permissions", "Email forwarding", "Automatic replies", "Sent items", "Show in global address list"} {
		if r.doc.Find(`button[aria-label="Edit `+sec+`"]`).Length() != 1 {
			t.Errorf("no Edit %s", sec)
		}
	}
	tok := a.csrf(info)

	t.Run("members are people with both rights", func(t *testing.T) {
		a := a.on(t)
		// Members: people only; both rights; removal removes both.
		r := a.get(info + "/members/add?q=marketing")
		if r.doc.Find("input[name=trustee]").Length() != 0 {
			t.Fatal("the members picker offers a group")
		}
		r = a.post(info+"/members", url.Values{"_csrf": {tok}, "trustee": {a.recipient("alexw@contoso.com")}}, "HX-Request", "true")
		if r.status != http.StatusOK || r.doc.Find(`button[aria-label="Remove Alex Wilber"]`).Length() != 1 {
			t.Fatalf("add member: %d", r.status)
		}
		r = a.post(info+"/members", url.Values{"_csrf": {tok}, "trustee": {a.recipient("marketingsg@contoso.com")}})
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(text(r, "[role=alert]"), "is a group") {
			t.Fatalf("group member: %d", r.status)
		}
		if r := a.post(info+"/members/remove", url.Values{"_csrf": {tok}, "member": {a.recipient("alexw@contoso.com")}}); r.status != http.StatusSeeOther {
			t.Fatalf("remove member: %d", r.status)
		}
	})
	t.Run("the permission and forwarding panels work without a license", func(t *testing.T) {
		a := a.on(t)
		// The reused permission and forwarding panels work on the shared mailbox, no license needed.
		if r := a.get(info + "/mailbox-permissions"); r.status != http.StatusOK || r.doc.Find(`button[aria-label="Edit Send on behalf"]`).Length() != 1 {
			t.Fatalf("permissions panel: %d", r.status)
		}
		r := a.get(info + "/forwarding")
		v, _ := r.doc.Find("input[name=version]").Attr("value")
		if r.doc.Find("#fwd-enabled[disabled]").Length() != 0 {
			t.Fatal("a shared mailbox needs no license to forward")
		}
		if r := a.post(info+"/forwarding", url.Values{"_csrf": {tok}, "version": {v}, "forward": {"on"}, "address": {"adelev@contoso.com"}}); r.status != http.StatusSeeOther {
			t.Fatalf("shared forwarding: %d", r.status)
		}
	})
	t.Run("automatic replies keep their rules, markup and version", func(t *testing.T) {
		a := a.on(t)
		// Automatic replies: an outside-only reply is refused; markup stays text.
		r := a.get(info + "/auto-replies")
		v, _ := r.doc.Find("input[name=version]").Attr("value")
		r = a.post(info+"/auto-replies", url.Values{"_csrf": {tok}, "version": {v}, "enabled": {"on"}, "outside": {"on"}, "external": {"We're closed"}})
		if r.status != http.StatusUnprocessableEntity || r.doc.Find("#reply-internal[aria-invalid=true]").Length() != 1 {
			t.Fatalf("outside only: %d", r.status)
		}
		r = a.post(info+"/auto-replies", url.Values{"_csrf": {tok}, "version": {v}, "enabled": {"on"}, "internal": {"<script>x</script>Back soon"}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("save reply: %d", r.status)
		}
		r = a.get(info + "/auto-replies")
		if strings.Contains(r.body, "<script>x</script>") || !strings.Contains(text(r, "#reply-internal"), "<script>x</script>Back soon") {
			t.Fatal("the reply text is not escaped")
		}
		// A stale form is refused.
		r = a.post(info+"/auto-replies", url.Values{"_csrf": {tok}, "version": {v}})
		if r.status != http.StatusConflict {
			t.Fatalf("stale reply: %d", r.status)
		}
		// ... with its way out: Reload opens the panel again.
		if got, _ := r.doc.Find("[role=alert] button[hx-get]").Attr("hx-get"); got != info+"/auto-replies" {
			t.Fatalf("stale reply without Reload: %q", got)
		}
	})
	t.Run("hiding from the address list asks first", func(t *testing.T) {
		a := a.on(t)
		// Hiding from the address list with Send as holders asks first.
		r := a.get(info + "/address-list")
		v, _ := r.doc.Find("input[name=version]").Attr("value")
		r = a.post(info+"/address-list", url.Values{"_csrf": {tok}, "version": {v}})
		if r.status != http.StatusOK || !strings.Contains(text(r, "[role=alert]"), "Outlook can't use those permissions") {
			t.Fatalf("hide warning: %d %q", r.status, text(r, "[role=alert]"))
		}
		r = a.post(info+"/address-list", url.Values{"_csrf": {tok}, "version": {v}, "confirm": {"on"}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("hide confirmed: %d", r.status)
		}
	})
	t.Run("a reader sees the pane and is refused every change", func(t *testing.T) {
		a := a.on(t)
		// A reader sees the pane and is refused every change.
		a.client = newClient()
		a.signIn("miriamg@contoso.com", testPassword)
		tok = a.csrf(info)
		if r := a.get(info); r.status != http.StatusOK || r.doc.Find(`button[aria-label="Edit Members"][disabled]`).Length() != 1 {
			t.Fatalf("reader pane: %d", r.status)
		}
		for _, p := range []string{"/name", "/members", "/sent-items", "/address-list", "/auto-replies", "/delete"} {
			if r := a.post(info+p, url.Values{"_csrf": {tok}, "name": {"X"}, "trustee": {a.recipient("alexw@contoso.com")}, "version": {"1"}}); r.status != http.StatusForbidden {
				t.Errorf("reader POST %s = %d", p, r.status)
			}
		}
		if r := a.post("/shared-mailboxes", url.Values{"_csrf": {tok}, "name": {"Y"}, "alias": {"y"}, "domain": {"contoso.com"}}); r.status != http.StatusForbidden {
			t.Fatalf("reader create: %d", r.status)
		}
	})
}

func TestMembersPickerOffersPeopleWhateverTheGroups(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	// 60 mail-enabled security groups whose names sort before every person.
	var stmts []string
	for i := 0; i < 60; i++ {
		name := fmt.Sprintf("Aaa group %02d", i)
		stmts = append(stmts, fmt.Sprintf(`INSERT INTO recipients (kind, display_name, sort_name, created_at) VALUES ('group', '%s', '%s', CURRENT_TIMESTAMP)`,
			name, strings.ToLower(name)))
	}
	a.exec(append(stmts,
		`INSERT INTO groups (recipient_id, type) SELECT id, 'mail_security' FROM recipients WHERE display_name LIKE 'Aaa group%'`,
		`INSERT INTO email_addresses (recipient_id, address, normalized, is_primary)
			SELECT id, 'aaagroup' || id || '@contoso.com', 'aaagroup' || id || '@contoso.com', true FROM recipients WHERE display_name LIKE 'Aaa group%'`)...)
	a.signInAdmin()
	info := a.sharedPath("info@contoso.com")
	r := a.get(info + "/members/add")
	// Everyone but Adele, who is a member already: 17 people.
	if n := r.doc.Find("input[name=trustee]").Length(); n != 17 || !strings.Contains(text(r, "label"), "Alex Wilber") {
		t.Fatalf("the members picker offers %d people", n)
	}
}

func TestConvertAndDelete(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.signInAdmin()
	tok := a.csrf("/")
	t.Run("an unlicensed mailbox says why it cannot be converted", func(t *testing.T) {
		a := a.on(t)
		lynne := a.userPath("lynner@contoso.com")
		r := a.get(lynne + "?tab=mail")
		if r.doc.Find("#convert-why").Length() != 1 {
			t.Fatal("an unlicensed mailbox must show why it can't be converted")
		}
	})
	t.Run("a person converts to shared and back with a license", func(t *testing.T) {
		a := a.on(t)
		johanna := a.userPath("johannal@contoso.com")
		if r := a.get(johanna + "/convert"); !strings.Contains(text(r, "[role=dialog]"), "Don't delete the account") {
			t.Fatal("the conversion does not say what happens")
		}
		r := a.post(johanna+"/convert", url.Values{"_csrf": {tok}, "block": {"on"}, "remove_license": {"on"}})
		if r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/shared-mailboxes/") {
			t.Fatalf("convert: %d %s", r.status, r.header.Get("Location"))
		}
		shared := r.header.Get("Location")
		r = a.get(shared)
		if text(r, "#pane-title") != "Johanna Lorenz" || r.doc.Find(`button:contains("Convert to regular mailbox")`).Length() != 1 {
			t.Fatalf("converted pane: %q", text(r, "#pane-title"))
		}
		r = a.get(shared + "/convert")
		if r.doc.Find("#convert-why").Length() != 1 {
			t.Fatal("converting back without a license must say why")
		}
		a.post(johanna+"/licenses", url.Values{"_csrf": {tok}, "license": {a.licenseID("O365_BUSINESS_PREMIUM")}, "confirm": {"on"}, "version": {a.licensesVersion(johanna)}})
		if r := a.post(shared+"/convert", url.Values{"_csrf": {tok}}); r.status != http.StatusSeeOther {
			t.Fatalf("convert back: %d", r.status)
		}
	})
	t.Run("deleting a shared mailbox frees its address", func(t *testing.T) {
		a := a.on(t)
		// Delete a shared mailbox; its address is free again.
		info := a.sharedPath("info@contoso.com")
		if r := a.get(info + "/delete"); !strings.Contains(text(r, "[role=dialog]"), "Delete Info (info@contoso.com)?") {
			t.Fatalf("delete confirmation: %q", text(r, "[role=dialog]"))
		}
		if r := a.post(info+"/delete", url.Values{"_csrf": {tok}}); r.status != http.StatusSeeOther {
			t.Fatalf("delete: %d", r.status)
		}
		r := a.get("/users/address-check?alias=info&domain=contoso.com", "HX-Request", "true")
		if !strings.Contains(r.body, "is available") {
			t.Fatalf("address not freed: %s", r.body)
		}
	})
}

func TestSharedMailboxAddresses(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.signInAdmin()
	info := a.sharedPath("info@contoso.com")
	tok := a.csrf(info)
	r := a.get(info + "/addresses")
	if !strings.Contains(text(r, "[role=dialog]"), "more than one address") || r.doc.Find(`button[aria-label^="Set "]`).Length() != 0 {
		t.Fatal("with one address there is nothing to make primary")
	}
	r = a.post(info+"/addresses", url.Values{"_csrf": {tok}, "alias": {"adelev"}, "domain": {"contoso.com"}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(text(r, "#alias-check"), `"Adele Vance"`) {
		t.Fatalf("taken alias: %d %q", r.status, text(r, "#alias-check"))
	}
	if r := a.post(info+"/addresses", url.Values{"_csrf": {tok}, "alias": {"info"}, "domain": {"contoso.nl"}}); r.status != http.StatusSeeOther {
		t.Fatalf("add: %d", r.status)
	}
	if r := a.post(info+"/addresses/primary", url.Values{"_csrf": {tok}, "address": {"info@contoso.nl"}}); r.status != http.StatusSeeOther {
		t.Fatalf("primary: %d", r.status)
	}
	r = a.get(info + "/addresses")
	if !strings.Contains(text(r, "[role=dialog]"), "Primary: info@contoso.nl") || r.doc.Find(`button[aria-label="Remove info@contoso.com"]`).Length() != 1 {
		t.Fatalf("after primary change: %q", text(r, "[role=dialog]"))
	}
	if r := a.post(info+"/addresses/remove", url.Values{"_csrf": {tok}, "address": {"info@contoso.com"}}); r.status != http.StatusSeeOther {
		t.Fatalf("remove: %d", r.status)
	}
	if r := a.get("/shared-mailboxes?q=info"); !strings.Contains(text(r, "tbody"), "info@contoso.nl") {
		t.Fatal("search by the new address")
	}
}
