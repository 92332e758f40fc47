package web

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/contoso/admincenter/models"
)

// mailboxID is the id of the mailbox with the address.
func (a *app) mailboxID(addr string) string {
	a.t.Helper()
	list, err := a.store.RecipientMailboxes(context.Background(), models.MailboxListQuery{Search: addr, Page: models.Page{Size: 10}})
	if err != nil || len(list.Rows) == 0 {
		a.t.Fatalf("no mailbox %s (%v)", addr, err)
	}
	return itoa(list.Rows[0].ID)
}

// directNames lists who holds a right on the mailbox with the address themselves.
func (a *app) directNames(addr string, r models.Right) []string {
	a.t.Helper()
	acc, err := a.store.MailboxAccess(context.Background(), parseID(a.mailboxID(addr)))
	if err != nil {
		a.t.Fatal(err)
	}
	var out []string
	for _, h := range acc.Direct(r) {
		out = append(out, h.DisplayName)
	}
	return out
}

func TestExchangeAdminCenterPages(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.signInAdmin()
	if r := a.get("/"); r.doc.Find(`nav a[href="/exchange"]:contains("Exchange")`).Length() != 1 {
		t.Fatal("no Admin centers > Exchange in the admin center's navigation")
	}
	if r := a.get("/exchange"); r.status != http.StatusSeeOther || r.header.Get("Location") != "/exchange/mailboxes" {
		t.Fatalf("home: %d %s", r.status, r.header.Get("Location"))
	}
	r := a.get("/exchange/mailboxes")
	if r.status != http.StatusOK || text(r, "h1") != "Mailboxes" || r.doc.Find(`input[type=checkbox][name=id]`).Length() < 10 {
		t.Fatalf("mailboxes: %d %q", r.status, text(r, "h1"))
	}
	r.doc.Find("[data-phone-only]").Remove() // the phone's copy of the hidden columns
	if got := text(r, "tbody tr:first-child td:nth-child(2)"); got != "Adele Vance" {
		t.Fatalf("first mailbox %q", got)
	}
	// Sorting the other way, and search (an htmx request gets the results only).
	r = a.get("/exchange/mailboxes?sort=desc")
	if got := text(r, "tbody tr:first-child td:nth-child(2)"); got == "Adele Vance" || r.doc.Find(`th[aria-sort=descending]`).Length() != 1 {
		t.Fatalf("descending starts with %q", got)
	}
	r = a.get("/exchange/mailboxes?q=info", "HX-Request", "true")
	if strings.Contains(r.body, "<html") || text(r, "tbody td:nth-child(4)") != "SharedMailbox" {
		t.Fatalf("search: %q", text(r, "tbody"))
	}
	for path, heading := range map[string]string{"/exchange/shared": "Shared", "/exchange/groups": "Groups",
		"/exchange/groups?type=distribution": "Groups", "/exchange/contacts": "Contacts", "/exchange/shared/new": "Add a shared mailbox"} {
		if r := a.get(path); r.status != http.StatusOK || text(r, "h1") != heading {
			t.Fatalf("%s: %d %q", path, r.status, text(r, "h1"))
		}
	}
	if r := a.get("/exchange/contacts"); !strings.Contains(text(r, "tbody"), "ben.smith@fabrikam.com") {
		t.Fatal("contacts list")
	}
	info := a.mailboxID("info@contoso.com")
	r = a.get("/exchange/mailboxes/" + info + "?section=delegation")
	if r.status != http.StatusOK || text(r, "#eac-section-heading") != "Mailbox delegation" {
		t.Fatalf("delegation: %d", r.status)
	}
	if got := text(r, "legend"); !strings.Contains(got, "Full Access") || !strings.Contains(got, "Send As") || strings.Contains(got, "Send on Behalf") {
		t.Fatalf("a shared mailbox's rights: %q", got)
	}
	if !strings.Contains(text(r, "form"), "Set-Mailbox") {
		t.Fatal("no Set-Mailbox note on a shared mailbox")
	}
	r = a.get("/exchange/mailboxes/" + a.mailboxID("nestorw@contoso.com") + "?section=delegation")
	if !strings.Contains(text(r, "legend"), "Send on Behalf") {
		t.Fatal("a person's mailbox offers Send on Behalf")
	}
	if r := a.get("/exchange/groups/" + itoa(groupID(t, a, "salesteam@contoso.com"))); r.status != http.StatusOK ||
		!strings.Contains(text(r, "h2"), "Group delegation") || !strings.Contains(text(r, "#eac-group-members"), "Diego Siciliani") {
		t.Fatalf("group edit: %d", r.status)
	}
	if r := a.get("/exchange/mailboxes/999999"); r.status != http.StatusNotFound {
		t.Fatalf("missing mailbox: %d", r.status)
	}

	t.Run("a reader sees it read-only with the reason", func(t *testing.T) {
		a := a.on(t)
		a.client = newClient()
		a.signIn("miriamg@contoso.com", testPassword)
		r := a.get("/exchange/shared")
		if r.status != http.StatusOK || !strings.Contains(text(r, "#eac-readonly"), "Global reader") ||
			r.doc.Find(`button[disabled]:contains("Add a shared mailbox")`).Length() != 1 {
			t.Fatalf("reader: %d %q", r.status, text(r, "#eac-readonly"))
		}
		r = a.get("/exchange/mailboxes/" + info + "?section=delegation")
		if r.doc.Find(`button[name=op]`).Length() != 0 || r.doc.Find(`button[disabled]:contains("Save")`).Length() != 1 {
			t.Fatal("reader: delegation is editable")
		}
		for _, p := range []string{"/exchange/shared/new", "/exchange/mailboxes/bulk-delegation?id=" + info} {
			if r := a.get(p); r.status != http.StatusForbidden {
				t.Fatalf("reader opened %s: %d", p, r.status)
			}
		}
	})
}

func TestExchangeCreateSharedWithDelegates(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.signInAdmin()
	tok := a.csrf("/exchange/shared/new")
	alex, megan := a.recipient("alexw@contoso.com"), a.recipient("meganb@contoso.com")
	post := func(f url.Values) response {
		f.Set("_csrf", tok)
		return a.post("/exchange/shared/new", f)
	}
	// Add opens the picker; ticking two people and Add stages them; nothing is written.
	before, _ := a.store.Fingerprint(context.Background())
	r := post(url.Values{"name": {"Sales Department"}, "alias": {"sales"}, "domain": {"contoso.com"}, "op": {"pick.grant"}, "q.grant": {"a"}})
	if r.status != http.StatusOK || r.doc.Find(`input[name="cand.grant"][value="`+alex+`"]`).Length() != 1 {
		t.Fatalf("picker: %d", r.status)
	}
	r = post(url.Values{"name": {"Sales Department"}, "alias": {"sales"}, "domain": {"contoso.com"}, "op": {"add.grant"}, "cand.grant": {alex, megan}})
	if got := r.doc.Find(`input[name="add.grant"]`).Length(); got != 2 || r.doc.Find(`input[name="name"][value="Sales Department"]`).Length() != 1 {
		t.Fatalf("staged %d", got)
	}
	// Remove un-stages a ticked person.
	r = post(url.Values{"name": {"Sales Department"}, "op": {"remove.grant"}, "add.grant": {alex, megan}, "sel.grant": {megan}})
	if got, _ := r.doc.Find(`input[name="add.grant"]`).Attr("value"); got != alex || r.doc.Find(`input[name="add.grant"]`).Length() != 1 {
		t.Fatalf("after remove: %q", got)
	}
	if after, _ := a.store.Fingerprint(context.Background()); after != before {
		t.Fatal("staging wrote to the database")
	}
	// Validation: both fields required, with messages at the fields.
	r = post(url.Values{"name": {""}, "alias": {""}, "op": {"save"}, "add.grant": {alex}})
	if r.status != http.StatusUnprocessableEntity || r.doc.Find(`#eac-name[aria-invalid=true]`).Length() != 1 {
		t.Fatalf("no name: %d", r.status)
	}
	// A contact can't be given the rights: the message is at the list, nothing is created.
	r = post(url.Values{"name": {"Sales Department"}, "alias": {"sales"}, "domain": {"contoso.com"}, "op": {"save"},
		"add.grant": {alex, a.recipient("ben.smith@fabrikam.com")}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(text(r, "[role=alert]"), "Ben Smith") {
		t.Fatalf("contact: %d %q", r.status, text(r, "[role=alert]"))
	}
	if after, _ := a.store.Fingerprint(context.Background()); after != before {
		t.Fatal("a refused create wrote to the database")
	}
	// Without the CSRF token: refused.
	if r := a.post("/exchange/shared/new", url.Values{"name": {"X"}, "alias": {"x"}, "op": {"save"}}); r.status != http.StatusForbidden {
		t.Fatalf("no CSRF token: %d", r.status)
	}
	r = post(url.Values{"name": {"Sales Department"}, "alias": {"sales"}, "domain": {"contoso.com"}, "op": {"save"}, "add.grant": {alex, megan}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/exchange/shared" {
		t.Fatalf("save: %d %s", r.status, r.header.Get("Location"))
	}
	if got := a.directNames("sales@contoso.com", models.RightSendAs); !slices.Equal(got, []string{"Alex Wilber", "Megan Bowen"}) {
		t.Fatalf("send as = %v", got)
	}
	// The Microsoft 365 admin center's Shared mailboxes page shows it with its members.
	r = a.get("/shared-mailboxes?q=sales")
	if !strings.Contains(text(r, "tbody"), "sales@contoso.com") || !strings.Contains(text(r, "tbody tr:first-child td:nth-child(3)"), "2") {
		t.Fatalf("M365 list: %q", text(r, "tbody"))
	}
}

func TestExchangeMailboxDelegationAndBulk(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.signInAdmin()
	info := a.mailboxID("info@contoso.com")
	path := "/exchange/mailboxes/" + info + "/delegation"
	tok := a.csrf("/exchange/mailboxes/" + info + "?section=delegation")
	adele, alex := a.recipient("adelev@contoso.com"), a.recipient("alexw@contoso.com")
	// Nothing staged: the message is shown and nothing is written.
	r := a.post(path, url.Values{"_csrf": {tok}, "op": {"save"}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(text(r, "[role=alert]"), "Add or remove someone") {
		t.Fatalf("empty save: %d %q", r.status, text(r, "[role=alert]"))
	}
	r = a.post(path, url.Values{"_csrf": {tok}, "op": {"save"}, "add.FullAccess": {alex}, "add.SendAs": {alex}, "del.SendAs": {adele}},
		"HX-Request", "true")
	if r.status != http.StatusOK || !strings.Contains(r.header.Get("HX-Trigger"), "Mailbox delegation for Info saved") {
		t.Fatalf("save: %d %s", r.status, r.header.Get("HX-Trigger"))
	}
	if got := a.directNames("info@contoso.com", models.RightSendAs); !slices.Equal(got, []string{"Alex Wilber"}) {
		t.Fatalf("send as = %v", got)
	}

	// Bulk: three mailboxes, one save.
	ids := []string{info, a.mailboxID("nestorw@contoso.com"), a.mailboxID("johannal@contoso.com")}
	r = a.get("/exchange/mailboxes/bulk-delegation?id=" + strings.Join(ids, "&id="))
	if r.status != http.StatusOK || text(r, "h1") != "Mailbox delegation for 3 mailboxes" {
		t.Fatalf("bulk: %d %q", r.status, text(r, "h1"))
	}
	if r := a.get("/exchange/mailboxes/bulk-delegation"); r.status != http.StatusUnprocessableEntity || !strings.Contains(text(r, "[role=alert]"), "Select one or more mailboxes") {
		t.Fatalf("bulk without mailboxes: %d", r.status)
	}
	megan := a.recipient("meganb@contoso.com")
	r = a.post("/exchange/mailboxes/bulk-delegation", url.Values{"_csrf": {tok}, "id": ids, "action": {"add"}, "right": {"SendAs"},
		"op": {"save"}, "add.people": {megan}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("bulk save: %d %s", r.status, r.body)
	}
	for _, m := range []string{"info@contoso.com", "nestorw@contoso.com", "johannal@contoso.com"} {
		if !slices.Contains(a.directNames(m, models.RightSendAs), "Megan Bowen") {
			t.Fatalf("%s: no Send As for Megan", m)
		}
	}
	// Refused on one (Nestor can't be given his own mailbox): nothing changes anywhere.
	before, _ := a.store.Fingerprint(context.Background())
	r = a.post("/exchange/mailboxes/bulk-delegation", url.Values{"_csrf": {tok}, "id": ids, "action": {"add"}, "right": {"FullAccess"},
		"op": {"save"}, "add.people": {a.recipient("nestorw@contoso.com")}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(text(r, "[role=alert]"), "Nothing was changed") {
		t.Fatalf("bulk refused: %d %q", r.status, text(r, "[role=alert]"))
	}
	if after, _ := a.store.Fingerprint(context.Background()); after != before {
		t.Fatal("a refused bulk change wrote to the database")
	}
}

func TestExchangeGroupEdit(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.signInAdmin()
	g := "/exchange/groups/" + itoa(groupID(t, a, "salesteam@contoso.com"))
	tok := a.csrf(g)
	ben, yara, alex := a.recipient("ben.smith@fabrikam.com"), a.recipient("yara@tailspintoys.com"), a.recipient("alexw@contoso.com")
	diego := a.recipient("diegos@contoso.com")
	post := func(f url.Values) response {
		f.Set("_csrf", tok)
		return a.post(g+"/changes", f, "HX-Request", "true")
	}
	// Add opens the members picker, which offers the contact; Add stages, nothing is written.
	before, _ := a.store.Fingerprint(context.Background())
	r := post(url.Values{"op": {"pick.members"}, "q.members": {"ben"}})
	if r.status != http.StatusOK || r.doc.Find(`input[name="cand.members"][value="`+ben+`"]`).Length() != 1 {
		t.Fatalf("the members picker doesn't offer the contact: %d", r.status)
	}
	r = post(url.Values{"op": {"add.members"}, "cand.members": {ben}, "add.SendAs": {alex}})
	if r.doc.Find(`input[name="add.members"][value="`+ben+`"]`).Length() != 1 || r.doc.Find(`input[name="add.SendAs"][value="`+alex+`"]`).Length() != 1 ||
		r.doc.Find(`[data-staged]`).Length() == 0 {
		t.Fatal("the staged changes aren't kept in the form")
	}
	r = post(url.Values{"op": {"remove.members"}, "sel.members": {diego}, "add.members": {ben}})
	if r.doc.Find(`input[name="del.members"][value="`+diego+`"]`).Length() != 1 || strings.Contains(text(r, "#eac-group-members [role=grid]"), "Diego Siciliani") {
		t.Fatal("remove isn't staged")
	}
	if after, _ := a.store.Fingerprint(context.Background()); after != before {
		t.Fatal("staging wrote to the database")
	}
	// A contact can't get Send As: the message is at its list and nothing of the save is written.
	r = post(url.Values{"op": {"save"}, "add.members": {ben}, "del.members": {diego}, "add.SendAs": {alex, yara}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(text(r, "#eac-group-delegation [role=alert]"), "Yara Haddad") {
		t.Fatalf("contact send as: %d %q", r.status, text(r, "[role=alert]"))
	}
	if after, _ := a.store.Fingerprint(context.Background()); after != before {
		t.Fatal("a refused save wrote to the database")
	}
	r = post(url.Values{"op": {"save"}, "add.members": {ben}, "del.members": {diego}, "add.SendAs": {alex}})
	if r.status != http.StatusOK || !strings.Contains(r.header.Get("HX-Trigger"), "Sales Team saved") {
		t.Fatalf("save: %d %s", r.status, r.header.Get("HX-Trigger"))
	}
	r = a.get(g)
	if !strings.Contains(text(r, "#eac-group-members"), "Ben Smith") || strings.Contains(text(r, "#eac-group-members"), "Diego Siciliani") ||
		!strings.Contains(text(r, "#eac-group-delegation"), "Alex Wilber") {
		t.Fatal("the page doesn't show the changes")
	}
	// Nothing staged: the message, nothing written.
	if r := a.post(g+"/changes", url.Values{"_csrf": {tok}, "op": {"save"}}); r.status != http.StatusUnprocessableEntity ||
		!strings.Contains(text(r, "[role=alert]"), "Add or remove someone") {
		t.Fatalf("empty save: %d", r.status)
	}
	ver, _ := r.doc.Find(`#eac-group-delivery input[name=version]`).Attr("value")
	if r := a.post(g+"/delivery", url.Values{"_csrf": {tok}, "outside": {"on"}, "version": {ver}}); r.status != http.StatusSeeOther {
		t.Fatalf("delivery: %d", r.status)
	}
	if r := a.post(g+"/delivery", url.Values{"_csrf": {tok}, "outside": {"off"}, "version": {ver}}); r.status != http.StatusUnprocessableEntity {
		t.Fatalf("stale delivery: %d", r.status)
	}
	// Full Access isn't a group's right: such fields are not read.
	if r := a.post(g+"/changes", url.Values{"_csrf": {tok}, "op": {"save"}, "add.FullAccess": {alex}}); r.status != http.StatusUnprocessableEntity {
		t.Fatalf("full access on a group: %d", r.status)
	}
}
