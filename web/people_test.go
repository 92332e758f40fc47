package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/contoso/admincenter/models"
)

func (a *app) licenseID(sku string) string {
	a.t.Helper()
	ls, err := a.store.Licenses(context.Background())
	if err != nil {
		a.t.Fatal(err)
	}
	for _, l := range ls {
		if l.SKU == sku {
			return itoa(l.ID)
		}
	}
	a.t.Fatalf("no license %s", sku)
	return ""
}

func TestAddUser(t *testing.T) {
	a := newApp(t)
	a.signInAdmin()
	tok := a.csrf("/users/new")
	std := a.licenseID("O365_BUSINESS_PREMIUM")

	// The live check gives the proxy-address message for a taken address.
	r := a.get("/users/address-check?id=add-alias&alias=INFO&domain=contoso.com", "HX-Request", "true")
	if !strings.Contains(r.body, `The proxy address &#34;SMTP:INFO@contoso.com&#34; is already being used by the proxy addresses or LegacyExchangeDN of &#34;Info&#34;. Please choose another proxy address.`) {
		t.Fatalf("live check: %s", r.body)
	}
	r = a.get("/users/address-check?id=add-alias&alias=info&domain=contoso.nl", "HX-Request", "true")
	if !strings.Contains(text(r, "p"), "info@contoso.nl is available") {
		t.Fatalf("other domain: %s", r.body)
	}

	form := url.Values{"_csrf": {tok}, "first_name": {"Jan"}, "last_name": {"Jansen"}, "alias": {"info"}, "domain": {"contoso.com"},
		"password_mode": {"auto"}, "license": {std}, "job_title": {"Adviseur"}}
	r = a.post("/users", form)
	if r.status != http.StatusUnprocessableEntity || r.doc.Find("#add-alias[aria-invalid=true]").Length() != 1 ||
		!strings.Contains(text(r, "#add-alias-check"), "Please choose another proxy address") {
		t.Fatalf("taken: %d %q", r.status, text(r, "#add-alias-check"))
	}
	if v, _ := r.doc.Find("#add-first").Attr("value"); v != "Jan" {
		t.Fatal("the form lost what was typed")
	}
	form.Set("alias", "jan.jansen")
	r = a.post("/users", form)
	if r.status != http.StatusCreated {
		t.Fatalf("create: %d", r.status)
	}
	pw := text(r, "[data-testid=new-password]")
	if models.CheckPassword(pw) != nil || r.header.Get("Cache-Control") != "no-store" {
		t.Fatalf("password shown = %q", pw)
	}
	r = a.get("/users?q=jan")
	if got := text(r, "tbody td:nth-child(2) a"); got != "Jan Jansen" {
		t.Fatalf("new user in the list: %q", got)
	}
	// A typed weak password is refused next to the field.
	form.Set("alias", "piet")
	form.Set("password_mode", "manual")
	form.Set("password", "weakweak")
	r = a.post("/users", form)
	if r.status != http.StatusUnprocessableEntity || r.doc.Find("#pw-value[aria-invalid=true]").Length() != 1 {
		t.Fatalf("weak password: %d", r.status)
	}
}

func TestLicensesTabAndForwardingStop(t *testing.T) {
	a := newApp(t)
	a.signInAdmin()
	megan := a.userPath("meganb@contoso.com")
	tok := a.csrf(megan)
	a.post(megan+"/forwarding", url.Values{"_csrf": {tok}, "version": {a.forwardingVersion(megan)}, "forward": {"on"}, "address": {"alexw@contoso.com"}})

	r := a.get(megan + "?tab=licenses")
	if r.doc.Find("#tab-licenses[aria-selected=true]").Length() != 1 || !strings.Contains(text(r, "[role=tabpanel]"), "9 of 25 licenses available") {
		t.Fatalf("licenses tab: %q", text(r, "[role=tabpanel]"))
	}
	// Unticking the last mailbox license asks first, saying what stops.
	r = a.post(megan+"/licenses", url.Values{"_csrf": {tok}})
	if r.status != http.StatusOK || !strings.Contains(text(r, "[role=alert]"), "Forwarding to alexw@contoso.com will stop") {
		t.Fatalf("confirmation: %d %q", r.status, text(r, "[role=alert]"))
	}
	if r := a.get(megan); !strings.Contains(text(r, "#sec-licenses ~ div"), "Microsoft 365 Business Standard") {
		t.Fatal("the license went before confirming")
	}
	r = a.post(megan+"/licenses", url.Values{"_csrf": {tok}, "confirm": {"on"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("confirmed: %d", r.status)
	}
	r = a.get(megan + "?tab=mail")
	if got := text(r, "#sec-forwarding ~ div"); !strings.Contains(got, "Stopped: mail is no longer forwarded to alexw@contoso.com") || !strings.Contains(got, "license that includes a mailbox was removed") {
		t.Fatalf("stopped state: %q", got)
	}
	// Beyond the seats is refused.
	p1 := a.licenseID("EXCHANGESTANDARD")
	ctx := context.Background()
	admin, _ := a.store.Authenticate(ctx, "admin@contoso.com", testPassword)
	for i := 0; i < 5; i++ {
		if _, _, err := a.store.CreateUser(ctx, admin, models.NewUser{DisplayName: "P", Alias: "p" + itoa(uint(i)), Domain: "contoso.com", Password: models.TypedPassword("Good-Pass-1"), LicenseIDs: []uint{parseID(p1)}}); err != nil {
			t.Fatal(err)
		}
	}
	r = a.post(megan+"/licenses", url.Values{"_csrf": {tok}, "license": {p1}, "confirm": {"on"}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(text(r, "[role=alert]"), "There are no Exchange Online (Plan 1) licenses left") {
		t.Fatalf("no seats: %d %q", r.status, text(r, "[role=alert]"))
	}
}

func parseID(s string) uint {
	var n uint
	for _, c := range s {
		n = n*10 + uint(c-'0')
	}
	return n
}

func TestBlockResetDeleteRestore(t *testing.T) {
	a := newApp(t)
	a.signInAdmin()
	diego := a.userPath("diegos@contoso.com")
	tok := a.csrf(diego)
	a.post(diego+"/forwarding", url.Values{"_csrf": {tok}, "version": {a.forwardingVersion(diego)}, "forward": {"on"}, "address": {"info@contoso.com"}})

	r := a.get(diego + "/block")
	if !strings.Contains(text(r, "[role=dialog]"), "Forwarding to info@contoso.com will stop") {
		t.Fatalf("block confirmation: %q", text(r, "[role=dialog]"))
	}
	if r := a.post(diego+"/block", url.Values{"_csrf": {tok}, "blocked": {"true"}, "confirm": {"on"}}); r.status != http.StatusSeeOther {
		t.Fatalf("block: %d", r.status)
	}
	r = a.get(diego + "?tab=mail")
	if !strings.Contains(text(r, "#sec-forwarding ~ div"), "Sign-in was blocked") || !strings.Contains(text(r, "#pane-title ~ p"), "Sign-in blocked") {
		t.Fatalf("blocked state: %q", text(r, "#sec-forwarding ~ div"))
	}
	if r := a.get("/users?filter=blocked"); text(r, "tbody td:nth-child(2) a") != "Diego Siciliani" {
		t.Fatal("blocked filter")
	}
	if r := a.post(diego+"/block", url.Values{"_csrf": {tok}, "blocked": {"false"}}); r.status != http.StatusSeeOther {
		t.Fatalf("unblock: %d", r.status)
	}

	// Reset password: shown once, and it signs in when the person is an admin.
	patti := a.userPath("pattif@contoso.com")
	r = a.post(patti+"/reset-password", url.Values{"_csrf": {tok}, "password_mode": {"auto"}})
	pw := text(r, "[data-testid=new-password]")
	if r.status != http.StatusOK || pw == "" {
		t.Fatalf("reset: %d", r.status)
	}
	other := newClient()
	old := a.client
	a.client = other
	if r := a.signIn("pattif@contoso.com", pw); r.status != http.StatusSeeOther {
		t.Fatalf("sign in with the new password: %d", r.status)
	}
	a.client = old
	r = a.post(patti+"/reset-password", url.Values{"_csrf": {tok}, "password_mode": {"manual"}, "password": {"short"}})
	if r.status != http.StatusUnprocessableEntity || r.doc.Find("#pw-value[aria-invalid=true]").Length() != 1 {
		t.Fatalf("weak reset: %d", r.status)
	}

	// Delete lists what happens, then Deleted users restores.
	adele := a.userPath("adelev@contoso.com")
	r = a.get(adele + "/delete")
	got := text(r, "[role=dialog]")
	if !strings.Contains(got, "The Read and manage permission they hold on Info stops working") || !strings.Contains(got, "within 30 days") {
		t.Fatalf("delete confirmation: %q", got)
	}
	if r := a.post(adele+"/delete", url.Values{"_csrf": {tok}}); r.status != http.StatusSeeOther || r.header.Get("Location") != "/users" {
		t.Fatalf("delete: %d", r.status)
	}
	if r := a.get(adele); r.status != http.StatusNotFound {
		t.Fatalf("deleted pane: %d", r.status)
	}
	r = a.get("/users/deleted")
	if got := text(r, "tbody td:first-child"); got != "Adele Vance" {
		t.Fatalf("deleted users: %q", got)
	}
	id := strings.TrimPrefix(adele, "/users/")
	if r := a.post("/users/deleted/"+id+"/restore", url.Values{"_csrf": {tok}}); r.status != http.StatusSeeOther {
		t.Fatalf("restore: %d", r.status)
	}
	if r := a.get(adele); r.status != http.StatusOK {
		t.Fatalf("restored pane: %d", r.status)
	}
	// The last Global administrator can't be deleted (here: it's yourself too).
	admin := a.userPath("admin@contoso.com")
	r = a.post(admin+"/delete", url.Values{"_csrf": {tok}})
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("delete self: %d", r.status)
	}
}

func TestContactAddressesRoles(t *testing.T) {
	a := newApp(t)
	a.signInAdmin()
	alex := a.userPath("alexw@contoso.com")
	tok := a.csrf(alex)
	r := a.get(alex + "/contact")
	v, _ := r.doc.Find("input[name=version]").Attr("value")
	r = a.post(alex+"/contact", url.Values{"_csrf": {tok}, "version": {v}, "first_name": {"Alex"}, "last_name": {"Wilber"}, "display_name": {""}})
	if r.status != http.StatusUnprocessableEntity || r.doc.Find("#c-display[aria-invalid=true]").Length() != 1 {
		t.Fatalf("empty name: %d", r.status)
	}
	r = a.post(alex+"/contact", url.Values{"_csrf": {tok}, "version": {v}, "first_name": {"Alex"}, "last_name": {"Wilber"}, "display_name": {"<b>Alex</b> Wilber"}, "job_title": {"Lead"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("save contact: %d", r.status)
	}
	r = a.post(alex+"/contact", url.Values{"_csrf": {tok}, "version": {v}, "display_name": {"Stale"}})
	if r.status != http.StatusConflict {
		t.Fatalf("stale contact: %d", r.status)
	}
	r = a.get("/users?q=alex")
	if strings.Contains(r.body, "<b>Alex</b>") || !strings.Contains(text(r, "tbody"), "<b>Alex</b> Wilber") {
		t.Fatal("markup in a name must show as text")
	}

	r = a.post(alex+"/addresses", url.Values{"_csrf": {tok}, "alias": {"info"}, "domain": {"contoso.com"}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(text(r, "#alias-check"), "already being used") {
		t.Fatalf("taken alias: %d %q", r.status, text(r, "#alias-check"))
	}
	if r := a.post(alex+"/addresses", url.Values{"_csrf": {tok}, "alias": {"alex"}, "domain": {"contoso.nl"}}); r.status != http.StatusSeeOther {
		t.Fatalf("add alias: %d", r.status)
	}
	if r := a.post(alex+"/addresses/primary", url.Values{"_csrf": {tok}, "address": {"alex@contoso.nl"}}); r.status != http.StatusSeeOther {
		t.Fatalf("set primary: %d", r.status)
	}
	r = a.get(alex)
	if !strings.Contains(text(r, "#sec-username ~ dl, #sec-username ~ div"), "alex@contoso.nl") {
		t.Fatalf("username after primary change: %q", text(r, "[role=tabpanel]"))
	}

	// Roles: only a Global administrator, and the last one keeps the role.
	admin := a.userPath("admin@contoso.com")
	r = a.post(admin+"/roles", url.Values{"_csrf": {tok}, "role": {"global_reader"}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(text(r, "[role=alert]"), "only Global administrator") {
		t.Fatalf("last global admin: %d %q", r.status, text(r, "[role=alert]"))
	}
	if r := a.post(alex+"/roles", url.Values{"_csrf": {tok}, "role": {"helpdesk_admin"}}); r.status != http.StatusSeeOther {
		t.Fatalf("assign role: %d", r.status)
	}
	a.client = newClient()
	a.signIn("pattif@contoso.com", testPassword)
	tok = a.csrf(alex)
	if r := a.post(alex+"/roles", url.Values{"_csrf": {tok}, "role": {"global_admin"}}); r.status != http.StatusForbidden {
		t.Fatalf("Exchange admin changes roles: %d", r.status)
	}
	if r := a.get(alex + "/roles"); r.status != http.StatusForbidden {
		t.Fatalf("Exchange admin opens roles: %d", r.status)
	}
}

func TestBulkActionsAndExport(t *testing.T) {
	a := newApp(t)
	a.signInAdmin()
	tok := a.csrf("/users")
	ids := []string{strings.TrimPrefix(a.userPath("gradya@contoso.com"), "/users/"), strings.TrimPrefix(a.userPath("lynner@contoso.com"), "/users/")}
	std := a.licenseID("O365_BUSINESS_PREMIUM")
	r := a.post("/users/bulk", url.Values{"_csrf": {tok}, "action": {"assign"}, "license": {std}, "id": ids})
	if r.status != http.StatusOK || !strings.Contains(text(r, "main"), "2 users selected") {
		t.Fatalf("bulk confirmation: %d %q", r.status, text(r, "main"))
	}
	r = a.post("/users/bulk", url.Values{"_csrf": {tok}, "action": {"assign"}, "license": {std}, "id": ids, "confirm": {"on"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("bulk assign: %d", r.status)
	}
	if r := a.get("/users?filter=unlicensed"); r.doc.Find("tbody td:nth-child(2) a").Length() != 0 {
		t.Fatal("bulk license did not land")
	}
	r = a.get("/users/export?id=" + ids[0] + "&id=" + ids[1])
	if r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), "text/csv") ||
		!strings.Contains(r.body, "Grady Archie,gradya@contoso.com,Microsoft 365 Business Standard,Sign-in allowed") {
		t.Fatalf("export: %d\n%s", r.status, r.body)
	}
	if r := a.post("/users/bulk", url.Values{"_csrf": {tok}, "action": {"explode"}, "id": ids}); r.status != http.StatusBadRequest {
		t.Fatalf("unknown action: %d", r.status)
	}
	// A reader is refused on the server.
	a.client = newClient()
	a.signIn("miriamg@contoso.com", testPassword)
	tok = a.csrf("/users")
	if r := a.post("/users/bulk", url.Values{"_csrf": {tok}, "action": {"block"}, "id": ids, "confirm": {"on"}}); r.status != http.StatusForbidden {
		t.Fatalf("reader bulk: %d", r.status)
	}
}

func TestRemovingARoleEndsThatAdminsSessions(t *testing.T) {
	a := newApp(t)
	a.signIn("pattif@contoso.com", testPassword)
	pattiClient := a.client
	if r := a.get("/users"); r.status != http.StatusOK {
		t.Fatalf("patti signed in: %d", r.status)
	}
	a.client = newClient()
	a.signInAdmin()
	tok := a.csrf("/")
	if r := a.post(a.userPath("pattif@contoso.com")+"/roles", url.Values{"_csrf": {tok}}); r.status != http.StatusSeeOther {
		t.Fatalf("remove roles: %d", r.status)
	}
	req, _ := http.NewRequest(http.MethodGet, a.srv.URL+"/users", nil)
	if r := a.do(pattiClient, req); r.status != http.StatusSeeOther {
		t.Fatalf("patti's session survived losing her role: %d", r.status)
	}
	// A reader sees the list actions disabled with the reason.
	a.client = newClient()
	a.signIn("miriamg@contoso.com", testPassword)
	r := a.get("/users")
	if r.doc.Find(`button[disabled][aria-describedby=users-denied]`).Length() != 1 || r.doc.Find(`button[name=action][value=block][disabled]`).Length() != 1 {
		t.Fatal("reader: Add a user and bulk actions must be disabled with the reason")
	}
	// And a bulk request is refused before any confirmation page.
	tok = a.csrf("/users")
	if r := a.post("/users/bulk", url.Values{"_csrf": {tok}, "action": {"delete"}, "id": {strings.TrimPrefix(a.userPath("alexw@contoso.com"), "/users/")}}); r.status != http.StatusForbidden {
		t.Fatalf("reader bulk confirmation: %d", r.status)
	}
}

func TestRequestBodiesAreBounded(t *testing.T) {
	a := newApp(t)
	a.signInAdmin()
	tok := a.csrf("/users/new")
	big := strings.Repeat("x", 2<<20)
	r := a.post("/users", url.Values{"_csrf": {tok}, "display_name": {big}})
	if r.status != http.StatusRequestEntityTooLarge {
		t.Fatalf("2 MB form: %d", r.status)
	}
	// Long and odd input within the limit gets a message, not an error page.
	r = a.post("/users", url.Values{"_csrf": {tok}, "display_name": {strings.Repeat("é", 300)}, "alias": {"\xff\xfe"}, "domain": {"contoso.com"}, "password_mode": {"auto"}})
	if r.status != http.StatusUnprocessableEntity || r.doc.Find("#add-display[aria-invalid=true]").Length() != 1 {
		t.Fatalf("long name: %d", r.status)
	}
	for _, q := range []string{"%27%20OR%201%3D1--", "%3Cscript%3E", "%FF%FE", strings.Repeat("a", 5000)} {
		if r := a.get("/users?q=" + q); r.status != http.StatusOK {
			t.Errorf("search %q: %d", q[:min(len(q), 20)], r.status)
		}
		if r := a.get("/audit?target=" + q + "&actor=" + q); r.status != http.StatusOK {
			t.Errorf("audit filter %q: %d", q[:min(len(q), 20)], r.status)
		}
	}
}
