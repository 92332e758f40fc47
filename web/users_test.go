package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/contoso/admincenter/models"
)

func TestActiveUsers(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.signInAdmin()
	t.Run("the list is a labelled, sorted table", func(t *testing.T) {
		a := a.on(t)
		r := a.get("/users")
		if r.status != http.StatusOK {
			t.Fatalf("users: %d", r.status)
		}
		if got := r.doc.Find("tbody tr").Length(); got != 18 {
			t.Fatalf("rows = %d", got)
		}
		if got := r.doc.Find(`input[type=search][aria-label="Search active users list"]`).Length(); got != 1 {
			t.Fatal("no search box named Search active users list")
		}
		if v, _ := r.doc.Find("th[aria-sort]").Attr("aria-sort"); v != "ascending" {
			t.Fatalf("aria-sort = %q", v)
		}
	})
	t.Run("search and filters work with and without htmx", func(t *testing.T) {
		a := a.on(t)
		// Search works without JavaScript (full page) and as an htmx partial.
		r := a.get("/users?q=wil")
		if got := text(r, "tbody td:nth-child(2) a"); got != "Alex Wilber Nestor Wilke" {
			t.Fatalf("search: %q", got)
		}
		r = a.get("/users?q=wil", "HX-Request", "true", "HX-Target", "users-results")
		if r.doc.Find("html body nav").Length() != 1 || strings.Contains(r.body, "<html") || r.doc.Find("tbody tr").Length() != 2 {
			t.Fatalf("partial search response:\n%s", r.body)
		}

		r = a.get("/users?filter=unlicensed")
		if got := text(r, "tbody td:nth-child(2) a"); got != "Grady Archie Lynne Robbins" {
			t.Fatalf("unlicensed filter: %q", got)
		}
		r = a.get("/users?filter=blocked")
		if r.doc.Find("tbody td:nth-child(2) a").Length() != 0 || !strings.Contains(text(r, "tbody"), "No users match") {
			t.Fatalf("blocked filter: %q", text(r, "tbody"))
		}
	})
	t.Run("paging by keyset links and sorting", func(t *testing.T) {
		a := a.on(t)
		// Paging by keyset links.
		r := a.get("/users?size=10")
		if got := text(r, "nav[aria-label=Pagination] p"); got != "1-10 of 18" {
			t.Fatalf("pager = %q", got)
		}
		next, ok := r.doc.Find(`nav[aria-label=Pagination] a:contains("Next page")`).Attr("href")
		if !ok {
			t.Fatal("no next link")
		}
		r = a.get(next)
		if got := text(r, "nav[aria-label=Pagination] p"); got != "11-18 of 18" || r.doc.Find("tbody tr").Length() != 8 {
			t.Fatalf("page 2 pager = %q", got)
		}
		r = a.get("/users?sort=desc&size=10")
		if first := text(r, "tbody tr:first-child td:nth-child(2) a"); first != "Pradeep Gupta" {
			t.Fatalf("descending first = %q", first)
		}
	})
	t.Run("markup in the search box comes back as text", func(t *testing.T) {
		a := a.on(t)
		// Markup in the search box comes back as text.
		r := a.get("/users?q=" + url.QueryEscape(`"><script>alert(1)</script>`))
		if r.status != http.StatusOK || strings.Contains(r.body, "<script>alert(1)") {
			t.Fatalf("search echo is not escaped: %d", r.status)
		}
	})
}

func TestPropertiesPane(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.signInAdmin()
	id, _ := a.store.UserIDByAddress(context.Background(), "adelev@contoso.com")
	path := "/users/" + itoa(id)

	t.Run("the full page opens the pane as a dialog on the Account tab", func(t *testing.T) {
		a := a.on(t)
		full := a.get(path)
		if full.status != http.StatusOK || full.doc.Find("table tbody tr").Length() == 0 {
			t.Fatalf("full page pane: %d", full.status)
		}
		dlg := full.doc.Find(`[role=dialog][aria-modal=true]`)
		if dlg.Length() != 1 || text(full, "#pane-title") != "Adele Vance" {
			t.Fatalf("dialog: %d %q", dlg.Length(), text(full, "#pane-title"))
		}
		if sel, _ := full.doc.Find("#tab-account").Attr("aria-selected"); sel != "true" {
			t.Fatal("Account is not the selected tab")
		}
		if got := text(full, "[role=tabpanel]"); !strings.Contains(got, "adele.vance@contoso.com") || !strings.Contains(got, "Microsoft 365 Business Standard") {
			t.Fatalf("account tab: %q", got)
		}
	})
	t.Run("htmx gets the Mail tab alone, with every section", func(t *testing.T) {
		a := a.on(t)
		mail := a.get(path+"?tab=mail", "HX-Request", "true", "HX-Target", "pane")
		if strings.Contains(mail.body, "users-results") || strings.Contains(mail.body, "<html") || mail.doc.Find("[role=dialog]").Length() != 1 {
			t.Fatal("htmx pane request must return the pane alone")
		}
		got := text(mail, "[role=tabpanel]")
		for _, want := range []string{"Read and manage", "Send as", "Send on behalf", "Email forwarding", "Off", "Automatic replies", "User mailbox", "12.57 GB used of 50 GB"} {
			if !strings.Contains(got, want) {
				t.Errorf("mail tab lacks %q: %s", want, got)
			}
		}
		// The group link is "Groups this person is a member of".
		if got := text(mail, "[role=tabpanel] a"); got != "Manage mailbox permissions Check sending Info All Staff Security Manage email forwarding Check delivery Manage automatic replies" {
			t.Errorf("mail tab links = %q", got)
		}
		if got := text(mail, "#sec-access ~ div [data-access-mailbox]"); !strings.Contains(got, "Info info@contoso.com Read and manage Directly") {
			t.Errorf("mailboxes Adele can access = %q", got)
		}
	})
	t.Run("a missing person is a 404 with the request id", func(t *testing.T) {
		a := a.on(t)
		for _, p := range []string{"/users/99999", "/users/abc", "/users/0", "/nope"} {
			r := a.get(p)
			if r.status != http.StatusNotFound || !strings.Contains(text(r, "main"), r.header.Get("X-Request-Id")) || r.header.Get("X-Request-Id") == "" {
				t.Errorf("%s: %d %q", p, r.status, text(r, "main"))
			}
		}
	})
}

func TestAddUser(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.signInAdmin()
	tok := a.csrf("/users/new")
	std := a.licenseID("O365_BUSINESS_PREMIUM")
	form := url.Values{"_csrf": {tok}, "first_name": {"Jan"}, "last_name": {"Jansen"}, "alias": {"info"}, "domain": {"contoso.com"},
		"password_mode": {"auto"}, "license": {std}, "job_title": {"Adviseur"}}

	t.Run("the live check gives the proxy-address message", func(t *testing.T) {
		a := a.on(t)
		// The live check gives the proxy-address message for a taken address.
		r := a.get("/users/address-check?id=add-alias&alias=INFO&domain=contoso.com", "HX-Request", "true")
		if !strings.Contains(r.body, `The proxy address &#34;SMTP:INFO@contoso.com&#34; is already being used by the proxy addresses or LegacyExchangeDN of &#34;Info&#34;. Please choose another proxy address.`) {
			t.Fatalf("live check: %s", r.body)
		}
		r = a.get("/users/address-check?id=add-alias&alias=info&domain=contoso.nl", "HX-Request", "true")
		if !strings.Contains(text(r, "p"), "info@contoso.nl is available") {
			t.Fatalf("other domain: %s", r.body)
		}
	})
	t.Run("a taken address keeps the form; a free one adds the person and shows the password once", func(t *testing.T) {
		a := a.on(t)
		r := a.post("/users", form)
		if r.status != http.StatusUnprocessableEntity || r.doc.Find("#add-alias[aria-invalid=true]").Length() != 1 ||
			!strings.Contains(text(r, "#add-alias-check"), "Please choose another proxy address") {
			t.Fatalf("taken: %d %q", r.status, text(r, "#add-alias-check"))
		}
		if v, _ := r.doc.Find("#add-first").Attr("value"); v != "Jan" {
			t.Fatal("the form lost what was typed")
		}
		form.Set("alias", "jan.jansen")
		r = a.post("/users", form)
		created := r.header.Get("Location")
		if r.status != http.StatusSeeOther || !strings.HasPrefix(created, "/users/new?created=") {
			t.Fatalf("create: %d to %q", r.status, created)
		}
		r = a.get(created)
		pw := text(r, "[data-testid=new-password]")
		if models.CheckPassword(pw) != nil || r.header.Get("Cache-Control") != "no-store" || strings.Contains(created, pw) {
			t.Fatalf("password shown = %q", pw)
		}
		// A reload shows the person, not the password again, and adds no one.
		before := fingerprint(t, a.store)
		r = a.get(created)
		if r.status != http.StatusOK || strings.Contains(r.body, pw) || r.doc.Find("[data-testid=new-password]").Length() != 0 ||
			!strings.Contains(text(r, "[data-testid=password-shown-once]"), "shown only once") ||
			!strings.Contains(text(r, "[role=status]"), "jan.jansen@contoso.com") {
			t.Fatalf("reloaded: %d %q", r.status, text(r, "main"))
		}
		if r.doc.Find(`[data-testid=password-shown-once] a[href$="/reset-password"]`).Length() != 1 {
			t.Error("no Reset password link after the password was shown")
		}
		if fingerprint(t, a.store) != before {
			t.Error("reloading the result page changed something")
		}
		r = a.get("/users?q=jan")
		if got := text(r, "tbody td:nth-child(2) a"); got != "Jan Jansen" {
			t.Fatalf("new user in the list: %q", got)
		}
	})
	t.Run("a typed weak password is refused next to the field", func(t *testing.T) {
		a := a.on(t)
		// A typed weak password is refused next to the field.
		form.Set("alias", "piet")
		form.Set("password_mode", "manual")
		form.Set("password", "weakweak")
		r := a.post("/users", form)
		if r.status != http.StatusUnprocessableEntity || r.doc.Find("#pw-value[aria-invalid=true]").Length() != 1 {
			t.Fatalf("weak password: %d", r.status)
		}
	})
}

func TestBulkActionsAndExport(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.signInAdmin()
	tok := a.csrf("/users")
	ids := []string{strings.TrimPrefix(a.userPath("gradya@contoso.com"), "/users/"), strings.TrimPrefix(a.userPath("lynner@contoso.com"), "/users/")}
	std := a.licenseID("O365_BUSINESS_PREMIUM")
	t.Run("a bulk license is confirmed, then lands on everyone", func(t *testing.T) {
		a := a.on(t)
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
	})
	t.Run("the selected people export as CSV", func(t *testing.T) {
		a := a.on(t)
		r := a.get("/users/export?id=" + ids[0] + "&id=" + ids[1])
		if r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), "text/csv") ||
			!strings.Contains(r.body, "Grady Archie,gradya@contoso.com,Microsoft 365 Business Standard,Sign-in allowed") {
			t.Fatalf("export: %d\n%s", r.status, r.body)
		}
	})
	t.Run("an unknown action is a bad request", func(t *testing.T) {
		a := a.on(t)
		if r := a.post("/users/bulk", url.Values{"_csrf": {tok}, "action": {"explode"}, "id": ids}); r.status != http.StatusBadRequest {
			t.Fatalf("unknown action: %d", r.status)
		}
	})
	t.Run("a reader is refused on the server", func(t *testing.T) {
		a := a.on(t)
		// A reader is refused on the server.
		a.client = newClient()
		a.signIn("miriamg@contoso.com", testPassword)
		tok = a.csrf("/users")
		if r := a.post("/users/bulk", url.Values{"_csrf": {tok}, "action": {"block"}, "id": ids, "confirm": {"on"}}); r.status != http.StatusForbidden {
			t.Fatalf("reader bulk: %d", r.status)
		}
	})
}

func TestBulkIsAllOrNothing(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.signInAdmin()
	tok := a.csrf("/users")
	alex := strings.TrimPrefix(a.userPath("alexw@contoso.com"), "/users/")
	admin := strings.TrimPrefix(a.userPath("admin@contoso.com"), "/users/")
	// Alex can be blocked, the only Global administrator can't: nobody is blocked.
	r := a.post("/users/bulk", url.Values{"_csrf": {tok}, "action": {"block"}, "id": {alex, admin}, "confirm": {"on"}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(text(r, "[role=alert]"), "You can't block the only Global administrator") {
		t.Fatalf("bulk block with the last Global administrator: %d %q", r.status, text(r, "[role=alert]"))
	}
	if r := a.get("/users?filter=blocked"); r.doc.Find("tbody td:nth-child(2) a").Length() != 0 {
		t.Fatalf("a refused bulk change blocked %q", text(r, "tbody td:nth-child(2) a"))
	}
	// A change that goes through says who changed and who needed none.
	grady := strings.TrimPrefix(a.userPath("gradya@contoso.com"), "/users/")
	r = a.post("/users/bulk", url.Values{"_csrf": {tok}, "action": {"assign"}, "license": {a.licenseID("O365_BUSINESS_PREMIUM")},
		"id": {alex, grady}, "confirm": {"on"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("bulk assign: %d", r.status)
	}
	if got := text(a.get("/users"), "#toasts"); got != "License assigned to 1 user. Alex Wilber needed no change." {
		t.Fatalf("toast = %q", got)
	}
}

func TestExportWithNothingSelectedExportsTheWholeList(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	ctx := context.Background()
	admin, _ := a.store.Authenticate(ctx, "admin@contoso.com", testPassword)
	for i := 0; i < 110; i++ {
		if _, _, err := a.store.CreateUser(ctx, admin, models.NewUser{DisplayName: fmt.Sprintf("Export %03d", i),
			Alias: fmt.Sprintf("export%03d", i), Domain: "contoso.com", Password: models.TypedPassword("Export-Pass-1")}); err != nil {
			t.Fatal(err)
		}
	}
	a.signInAdmin()
	r := a.get("/users/export")
	if lines := strings.Count(r.body, "\n"); r.status != http.StatusOK || lines != 1+18+110 {
		t.Fatalf("export of everyone: %d, %d lines", r.status, lines)
	}
	r = a.get("/users/export?q=export")
	if lines := strings.Count(r.body, "\n"); lines != 1+110 || !strings.Contains(r.body, "Export 109,export109@contoso.com") {
		t.Fatalf("export of a search: %d lines", lines)
	}
}

func TestRemovingARoleEndsThatAdminsSessions(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.signIn("pattif@contoso.com", testPassword)
	pattiClient := a.client
	if r := a.get("/users"); r.status != http.StatusOK {
		t.Fatalf("patti signed in: %d", r.status)
	}
	a.client = newClient()
	a.signInAdmin()
	tok := a.csrf("/")
	patti := a.userPath("pattif@contoso.com")
	if r := a.post(patti+"/roles", url.Values{"_csrf": {tok}, "version": {a.rolesVersion(patti)}}); r.status != http.StatusSeeOther {
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
	t.Parallel()
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

// A search's full page that more matches follow is shown without counting them, in
// English and Dutch; its last page is counted.
func TestSearchPagerUncounted(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.signInAdmin()
	// Twelve people named Pager: ten a page.
	admin := adminOf(t, a)
	for i := range 12 {
		if _, _, err := a.store.CreateUser(context.Background(), admin, models.NewUser{FirstName: "Pager", DisplayName: fmt.Sprintf("Pager %d", i),
			Alias: fmt.Sprintf("pager%d", i), Domain: "contoso.com", Password: models.TypedPassword("Pager-Pass-1234")}); err != nil {
			t.Fatal(err)
		}
	}
	r := a.get("/users?q=pager&size=10")
	if got := text(r, "nav[aria-label=Pagination] p"); got != "1-10 of more than 10" {
		t.Fatalf("pager = %q", got)
	}
	next, ok := r.doc.Find(`nav[aria-label=Pagination] a:contains("Next page")`).Attr("href")
	if !ok {
		t.Fatal("no next link")
	}
	// The last page is counted.
	r = a.get(next)
	if got := text(r, "nav[aria-label=Pagination] p"); got != "11-12 of 12" {
		t.Fatalf("page 2 pager = %q", got)
	}
	prev, ok := r.doc.Find(`nav[aria-label=Pagination] a:contains("Previous page")`).Attr("href")
	if !ok {
		t.Fatal("no previous link")
	}
	// In Dutch, back on the first page.
	tok := a.csrf("/users")
	a.post("/language", url.Values{"_csrf": {tok}, "lang": {"nl"}, "next": {"/users"}})
	r = a.get(prev)
	if got := text(r, "nav p"); !strings.Contains(got, "1-10 van meer dan 10") {
		t.Fatalf("Dutch pager = %q", got)
	}
}
