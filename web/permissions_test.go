package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/contoso/admincenter/models"
)

func TestPermissionsPanel(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.signInAdmin()
	base := a.userPath("meganb@contoso.com")

	full := a.get(base + "/mailbox-permissions")
	if full.status != http.StatusOK || full.doc.Find("table#users-results, #users-results table").Length() == 0 {
		t.Fatalf("full page: %d", full.status)
	}
	part := a.get(base+"/mailbox-permissions", "HX-Request", "true", "HX-Target", "pane")
	if strings.Contains(part.body, "<html") || part.doc.Find("[role=dialog]").Length() != 1 {
		t.Fatal("htmx must get the panel alone")
	}
	for _, sec := range []string{"Read and manage", "Send as", "Send on behalf"} {
		id := part.doc.Find("section h3:contains('"+sec+"')").AttrOr("id", "")
		if id == "" || part.doc.Find("section[aria-labelledby="+id+"]").Length() != 1 {
			t.Errorf("no region labelled %q", sec)
		}
		if part.doc.Find(`button[aria-label="Edit `+sec+`"]`).Length() != 1 {
			t.Errorf("no Edit %s button", sec)
		}
	}
	body := text(part, "[role=dialog]")
	for _, note := range []string{"Full Access permission does not grant Send as or Send on behalf", "Changes can take up to 60 minutes to take effect"} {
		if !strings.Contains(body, note) {
			t.Errorf("missing note %q", note)
		}
	}
}

func TestPickerOffersOnlyWhoMayHoldTheRight(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.signInAdmin()
	base := a.userPath("meganb@contoso.com")
	r := a.get(base + "/mailbox-permissions/sendas/add")
	labels := text(r, "#picker-results label")
	if strings.Contains(labels, "Megan Bowen") || strings.Contains(labels, "Sales Team") || strings.Contains(labels, "Info") {
		t.Fatalf("Send as picker offers the owner, a distribution list or a shared mailbox: %s", labels)
	}
	if !strings.Contains(labels, "MarketingSG") || !strings.Contains(labels, "Alex Wilber") {
		t.Fatalf("Send as picker lacks people or mail-enabled groups: %s", labels)
	}
	r = a.get(base + "/mailbox-permissions/sendonbehalf/add?q=sales")
	if got := text(r, "#picker-results label"); got != "Sales Team" {
		t.Fatalf("Send on behalf picker for 'sales' = %q", got)
	}
	// Searching swaps only the results and keeps what was checked.
	r = a.get(base+"/mailbox-permissions/sendas/add?q=wil&trustee="+a.recipient("diegos@contoso.com"), "HX-Request", "true", "HX-Target", "picker-results")
	if strings.Contains(r.body, "role=\"dialog\"") || text(r, "label") != "Diego Siciliani Alex Wilber Nestor Wilke" {
		t.Fatalf("partial results = %q", text(r, "label"))
	}
	if _, checked := r.doc.Find("input[type=checkbox]").First().Attr("checked"); !checked {
		t.Fatal("the chosen person lost the check")
	}
	// An outside address is refused with the real product's words.
	r = a.get(base + "/mailbox-permissions/sendas/add?q=someone@gmail.com")
	if !strings.Contains(text(r, "[role=alert]"), "Mailbox permissions can only be given to people in your organization") {
		t.Fatalf("outside address: %q", text(r, "[role=alert]"))
	}
	r = a.get(base + "/mailbox-permissions/sendas?q=someone@gmail.com")
	if r.status != http.StatusUnprocessableEntity || r.doc.Find("#picker-search[aria-invalid=true]").Length() != 1 {
		t.Fatalf("outside address on Add: %d", r.status)
	}
}

func TestGrantFlow(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.signInAdmin()
	base := a.userPath("meganb@contoso.com")
	alex, market := a.recipient("alexw@contoso.com"), a.recipient("marketingsg@contoso.com")

	// Add stages the choice; nothing is saved until Save.
	r := a.get(base + "/mailbox-permissions/sendas?trustee=" + alex + "&trustee=" + market)
	if r.status != http.StatusOK || !strings.Contains(text(r, "form"), "Ready to add") {
		t.Fatalf("staging: %d", r.status)
	}
	if got := a.holders("meganb@contoso.com", models.RightSendAs); len(got) != 0 {
		t.Fatalf("staging saved: %v", got)
	}
	tok := a.csrf(base + "/mailbox-permissions")
	r = a.post(base+"/mailbox-permissions/sendas", url.Values{"_csrf": {tok}, "trustee": {alex, market}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != base+"/mailbox-permissions" {
		t.Fatalf("save: %d %s", r.status, r.header.Get("Location"))
	}
	if got := a.holders("meganb@contoso.com", models.RightSendAs); strings.Join(got, ",") != "alexw@contoso.com,marketingsg@contoso.com" {
		t.Fatalf("holders = %v", got)
	}
	r = a.get(base + "/mailbox-permissions")
	if !strings.Contains(text(r, "#toasts"), "Send as permission given to Alex Wilber, MarketingSG") {
		t.Fatalf("toast = %q", text(r, "#toasts"))
	}
	if !strings.Contains(text(r, "section"), "Members who get it through MarketingSG: Alex Wilber, Megan Bowen") {
		t.Fatalf("group members not shown: %s", text(r, "section"))
	}

	// htmx: the panel comes back with a toast and its address.
	r = a.post(base+"/mailbox-permissions/fullaccess", url.Values{"trustee": {a.recipient("jonis@contoso.com")}, "automapping": {"false", "true"}},
		"HX-Request", "true", "X-CSRF-Token", tok)
	if r.status != http.StatusOK || !strings.Contains(r.header.Get("HX-Trigger"), "Read and manage permission given to Joni Sherman") ||
		r.header.Get("HX-Push-Url") != base+"/mailbox-permissions" {
		t.Fatalf("htmx save: %d %q %q", r.status, r.header.Get("HX-Trigger"), r.header.Get("HX-Push-Url"))
	}

	// Rule violations come back as 422 with the message, and nothing is saved.
	r = a.post(base+"/mailbox-permissions/sendas", url.Values{"_csrf": {tok}, "trustee": {alex, a.recipient("meganb@contoso.com")}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(text(r, "[role=alert]"), "owns this mailbox") {
		t.Fatalf("owner: %d %q", r.status, text(r, "[role=alert]"))
	}
	r = a.post(base+"/mailbox-permissions/fullaccess", url.Values{"_csrf": {tok}, "trustee": {a.recipient("salesteam@contoso.com")}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(text(r, "[role=alert]"), "distribution list") {
		t.Fatalf("distribution list: %d %q", r.status, text(r, "[role=alert]"))
	}
	r = a.post(base+"/mailbox-permissions/sendas", url.Values{"_csrf": {tok}, "trustee": {"987654"}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(text(r, "[role=alert]"), "people in your organization") {
		t.Fatalf("outside: %d", r.status)
	}
	if got := a.holders("meganb@contoso.com", models.RightFullAccess); strings.Join(got, ",") != "jonis@contoso.com" {
		t.Fatalf("full access holders after refusals = %v", got)
	}

	// Remove, then the Remove button named after the holder is gone.
	r = a.post(base+"/mailbox-permissions/sendas/remove", url.Values{"trustee": {alex}}, "HX-Request", "true", "X-CSRF-Token", tok)
	if r.status != http.StatusOK || r.doc.Find(`button[aria-label="Remove Alex Wilber"]`).Length() != 0 ||
		r.doc.Find(`button[aria-label="Remove MarketingSG"]`).Length() != 1 {
		t.Fatalf("remove: %d", r.status)
	}
	if got := a.holders("meganb@contoso.com", models.RightSendAs); strings.Join(got, ",") != "marketingsg@contoso.com" {
		t.Fatalf("after removal: %v", got)
	}

	// Unknown rights and mailboxes are 404s.
	if r := a.get(base + "/mailbox-permissions/everything"); r.status != http.StatusNotFound {
		t.Fatalf("unknown right: %d", r.status)
	}
	if r := a.get("/users/99999/mailbox-permissions"); r.status != http.StatusNotFound {
		t.Fatalf("unknown user: %d", r.status)
	}
}

func TestPermissionChangesNeedTheRightRole(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	base := ""
	for _, who := range []string{"miriamg@contoso.com", "leeg@contoso.com"} {
		a.client = newClient()
		if r := a.signIn(who, testPassword); r.status != http.StatusSeeOther {
			t.Fatalf("%s sign-in: %d", who, r.status)
		}
		base = a.userPath("meganb@contoso.com")
		r := a.get(base + "/mailbox-permissions")
		if r.status != http.StatusOK || r.doc.Find(`button[aria-label="Edit Send as"][disabled]`).Length() != 1 {
			t.Fatalf("%s: the list must show with Edit disabled (%d)", who, r.status)
		}
		if !strings.Contains(text(r, "#perm-denied"), "can't change mailbox permissions") {
			t.Fatalf("%s: no reason given: %q", who, text(r, "#perm-denied"))
		}
		tok := a.csrf(base + "/mailbox-permissions")
		for _, path := range []string{"/mailbox-permissions/sendas", "/mailbox-permissions/sendas/remove", "/mailbox-permissions/fullaccess/automapping"} {
			r = a.post(base+path, url.Values{"_csrf": {tok}, "trustee": {a.recipient("alexw@contoso.com")}, "on": {"true"}})
			if r.status != http.StatusForbidden {
				t.Errorf("%s POST %s = %d", who, path, r.status)
			}
		}
		if r := a.get(base + "/mailbox-permissions/sendas/add"); r.status != http.StatusForbidden {
			t.Errorf("%s picker = %d", who, r.status)
		}
	}
	if got := a.holders("meganb@contoso.com", models.RightSendAs); len(got) != 0 {
		t.Fatalf("a refused change landed: %v", got)
	}
	// Without a CSRF token even an admin who may is refused.
	a.client = newClient()
	a.signInAdmin()
	if r := a.post(base+"/mailbox-permissions/sendas", url.Values{"trustee": {a.recipient("alexw@contoso.com")}}); r.status != http.StatusForbidden {
		t.Fatalf("no CSRF token: %d", r.status)
	}
	if got := a.holders("meganb@contoso.com", models.RightSendAs); len(got) != 0 {
		t.Fatalf("a forged change landed: %v", got)
	}
}

func TestSendCheckAndReverseView(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.signInAdmin()
	base := a.userPath("meganb@contoso.com")
	tok := a.csrf(base)
	a.post(base+"/mailbox-permissions/sendonbehalf", url.Values{"_csrf": {tok}, "trustee": {a.recipient("salesteam@contoso.com")}})

	r := a.get(base + "/send-check")
	if v, _ := r.doc.Find("#send-from").Attr("value"); v != "meganb@contoso.com" {
		t.Fatalf("From is not prefilled: %q", v)
	}
	r = a.get(base + "/send-check?sender=diegos@contoso.com&from=meganb@contoso.com")
	if got := text(r, "[role=status] p"); !strings.Contains(got, `Sent as "Diego Siciliani on behalf of Megan Bowen"`) || !strings.Contains(got, "through group Sales Team") {
		t.Fatalf("on behalf through a list: %q", got)
	}
	r = a.get(base + "/send-check?sender=lynner@contoso.com&from=meganb@contoso.com")
	if got := text(r, "[role=status]"); !strings.Contains(got, "This message could not be sent. You do not have the permission to send the message on behalf of the specified user.") {
		t.Fatalf("refused: %q", got)
	}
	r = a.get(base + "/send-check?sender=nobody@gmail.com&from=")
	if r.status != http.StatusUnprocessableEntity || r.doc.Find("#send-sender[aria-invalid=true]").Length() != 1 ||
		r.doc.Find("#send-from[aria-invalid=true]").Length() != 1 || !strings.Contains(text(r, "#send-sender-error"), "isn't a person in your organization") {
		t.Fatalf("bad input: %d %q", r.status, text(r, "#send-sender-error"))
	}

	// The reverse view on Diego's Mail tab names the group.
	r = a.get(a.userPath("diegos@contoso.com") + "?tab=mail")
	if got := text(r, "#sec-access ~ div [data-access-mailbox]"); !strings.Contains(got, "Megan Bowen meganb@contoso.com Send on behalf Through group Sales Team") {
		t.Fatalf("reverse view = %q", got)
	}
}

func TestPendingGrantsShowWhenTheyTakeEffect(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.store.SetPropagationDelay(time.Hour)
	a.signInAdmin()
	base := a.userPath("meganb@contoso.com")
	tok := a.csrf(base)
	a.post(base+"/mailbox-permissions/sendas", url.Values{"_csrf": {tok}, "trustee": {a.recipient("alexw@contoso.com")}})
	r := a.get(base + "/mailbox-permissions")
	if got := text(r, "[role=dialog]"); !strings.Contains(got, "Pending: takes effect at") || !strings.Contains(got, "apply changes after 60 minutes") {
		t.Fatalf("pending state: %q", got)
	}
	r = a.get(base + "/send-check?sender=alexw@contoso.com&from=meganb@contoso.com")
	if got := text(r, "[role=status]"); !strings.Contains(got, "could not be sent") || !strings.Contains(got, "is pending and takes effect at") {
		t.Fatalf("send check during propagation: %q", got)
	}
}
