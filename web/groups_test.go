package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/contoso/admincenter/models"
)

func TestActiveTeamsAndGroups(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.signInAdmin()
	r := a.get("/groups")
	if r.status != http.StatusOK || text(r, "h1") != "Active teams & groups" {
		t.Fatalf("list: %d %q", r.status, text(r, "h1"))
	}
	if r.doc.Find("tbody tr:first-child [data-phone-only]").Text() != "projectfalcon@contoso.com" {
		t.Fatal("a phone does not see the group's address under its name")
	}
	r.doc.Find("[data-phone-only]").Remove() // the phone's copy of the hidden columns
	if got := text(r, "tbody tr:first-child td"); got != "Project Falcon projectfalcon@contoso.com 3 1" {
		t.Fatalf("M365 tab: %q", got)
	}
	if r.doc.Find(`a[aria-current=page]:contains("Teams & Microsoft 365 groups")`).Length() != 1 {
		t.Fatal("the first tab isn't current")
	}
	r = a.get("/groups?type=security")
	r.doc.Find("[data-phone-only]").Remove()
	if got := text(r, "tbody tr:first-child td"); got != "All Staff Security No email address 4 1" {
		t.Fatalf("security tab: %q", got)
	}
	// Search swaps only the results for htmx.
	r = a.get("/groups?type=distribution&q=sales", "HX-Request", "true")
	if strings.Contains(r.body, "<html") || text(r, "tbody a") != "Sales Team" {
		t.Fatalf("search: %q", text(r, "tbody a"))
	}
	// A reader sees the list and a disabled Add a group with the reason.
	a.client = newClient()
	a.signIn("miriamg@contoso.com", testPassword)
	r = a.get("/groups")
	if r.doc.Find(`button[disabled]:contains("Add a group")`).Length() != 1 || !strings.Contains(text(r, "#groups-denied"), "Global reader") {
		t.Fatal("reader: no disabled Add a group with the reason")
	}
	if r := a.get("/groups/new"); r.status != http.StatusForbidden {
		t.Fatalf("reader opened Add a group: %d", r.status)
	}
}

// wizard posts one step of Add a group and returns the response.
func (a *app) wizard(tok string, form url.Values, headers ...string) response {
	a.t.Helper()
	form.Set("_csrf", tok)
	return a.post("/groups/new", form, headers...)
}

func TestAddAGroupWizardWithoutJavaScript(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.signInAdmin()
	r := a.get("/groups/new")
	if r.status != http.StatusOK || text(r, "#wizard-heading") != "Choose a group type" || r.doc.Find("input[name=type]").Length() != 4 {
		t.Fatalf("first step: %d %q", r.status, text(r, "#wizard-heading"))
	}
	tok := a.csrf("/groups/new")
	// Next without a type: the step comes back with the reason.
	r = a.wizard(tok, url.Values{"step": {"type"}, "nav": {"next"}})
	if r.status != http.StatusUnprocessableEntity || text(r, "#gwiz-type-error") != "Choose a group type." {
		t.Fatalf("no type: %d %q", r.status, text(r, "#gwiz-type-error"))
	}
	form := url.Values{"step": {"type"}, "nav": {"next"}, "type": {"distribution"}}
	r = a.wizard(tok, form)
	if r.status != http.StatusOK || text(r, "#wizard-heading") != "Set up the basics" || r.doc.Find(`[aria-current=step]`).Text() != "Set up the basics" {
		t.Fatalf("basics: %d %q", r.status, text(r, "#wizard-heading"))
	}
	// The type travels as a hidden field; an empty name is refused on its field.
	form = hiddenFields(r)
	form.Set("nav", "next")
	r = a.wizard(tok, form)
	if r.status != http.StatusUnprocessableEntity || r.doc.Find("#gwiz-name[aria-invalid=true]").Length() != 1 {
		t.Fatalf("no name: %d", r.status)
	}
	form.Set("name", "Falcon Partners")
	r = a.wizard(tok, form)
	if text(r, "#wizard-heading") != "Assign owners" {
		t.Fatalf("owners: %q", text(r, "#wizard-heading"))
	}
	// Back keeps what was typed.
	back := hiddenFields(r)
	back.Set("nav", "back")
	if r := a.wizard(tok, back); r.doc.Find(`#gwiz-name[value="Falcon Partners"]`).Length() != 1 {
		t.Fatal("Back lost the name")
	}
	// A distribution list needs an owner; search finds people to tick.
	form = hiddenFields(r)
	form.Set("nav", "next")
	r = a.wizard(tok, form)
	if r.status != http.StatusUnprocessableEntity || text(r, "#gwiz-owners-error") != "Assign at least one owner." {
		t.Fatalf("no owner: %d %q", r.status, text(r, "#gwiz-owners-error"))
	}
	form.Set("nav", "search")
	form.Set("q", "megan")
	r = a.wizard(tok, form)
	if r.doc.Find(`input[name=owner]`).Length() != 1 || !strings.Contains(text(r, "fieldset"), "Megan Bowen") {
		t.Fatalf("search: %q", text(r, "fieldset"))
	}
	form = hiddenFields(r)
	form.Set("owner", a.recipient("meganb@contoso.com"))
	form.Set("nav", "next")
	r = a.wizard(tok, form)
	if text(r, "#wizard-heading") != "Edit settings" || r.doc.Find(`#gwiz-alias[value=falconpartners]`).Length() != 1 {
		t.Fatalf("settings: %q, alias suggested from the name", text(r, "#wizard-heading"))
	}
	// The address is checked for the proxy-address conflict.
	form = hiddenFields(r)
	form.Set("alias", "salesteam")
	form.Set("domain", "contoso.com")
	form.Set("allow_external", "on")
	form.Set("nav", "next")
	r = a.wizard(tok, form)
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(text(r, "#gwiz-alias-check"), `is already being used by the proxy addresses or LegacyExchangeDN of "Sales Team"`) {
		t.Fatalf("taken: %d %q", r.status, text(r, "#gwiz-alias-check"))
	}
	form.Set("alias", "partners")
	r = a.wizard(tok, form)
	if text(r, "#wizard-heading") != "Review and finish" || !strings.Contains(text(r, "dl"), "partners@contoso.com") ||
		!strings.Contains(text(r, "dl"), "Megan Bowen") {
		t.Fatalf("review: %q", text(r, "dl"))
	}
	// Create group.
	form = hiddenFields(r)
	form.Set("_csrf", tok)
	r = a.post("/groups", form)
	created := r.header.Get("Location")
	if r.status != http.StatusSeeOther || !strings.HasPrefix(created, "/groups/new?created=") {
		t.Fatalf("create: %d to %q", r.status, created)
	}
	// The result page, opened twice (a reload), shows the group and creates nothing.
	before := fingerprint(t, a.store)
	for range 2 {
		r = a.get(created)
		if r.status != http.StatusOK || text(r, "[role=status] h2") != "Falcon Partners was created." ||
			!strings.Contains(text(r, "[role=status]"), "partners@contoso.com") {
			t.Fatalf("result page: %d %q", r.status, text(r, "[role=status]"))
		}
	}
	if fingerprint(t, a.store) != before {
		t.Error("the result page changed something")
	}
	d, err := a.store.GroupDetail(context.Background(), groupID(t, a, "partners@contoso.com"))
	if err != nil || d.Type != models.GroupDistribution || !d.AllowExternalSenders || len(d.Owners) != 1 {
		t.Fatalf("created %+v %v", d, err)
	}
	// The same name again: Create group shows the basics step with Exchange's reason
	// (names are unique); with another name, the settings step with the address's.
	r = a.post("/groups", form)
	if r.status != http.StatusUnprocessableEntity || text(r, "#wizard-heading") != "Set up the basics" ||
		!strings.Contains(text(r, "#gwiz-name-error"), `The name "Falcon Partners" is already being used. Please try another name.`) {
		t.Fatalf("again: %d %q %q", r.status, text(r, "#wizard-heading"), text(r, "#gwiz-name-error"))
	}
	form.Set("name", "Falcon Partners 2")
	r = a.post("/groups", form)
	if r.status != http.StatusUnprocessableEntity || text(r, "#wizard-heading") != "Edit settings" {
		t.Fatalf("the same address: %d %q", r.status, text(r, "#wizard-heading"))
	}
}

// hiddenFields reads the wizard's hidden fields (and checked boxes), as a browser
// would send them with the next step.
func hiddenFields(r response) url.Values {
	v := url.Values{}
	r.doc.Find(`#group-wizard input[type=hidden], #group-wizard input[type=checkbox][checked], #group-wizard input[type=radio][checked]`).Each(func(_ int, s *goquery.Selection) {
		name, _ := s.Attr("name")
		val, _ := s.Attr("value")
		if name != "_csrf" {
			v.Add(name, val)
		}
	})
	r.doc.Find(`#group-wizard input[type=text], #group-wizard textarea, #group-wizard select`).Each(func(_ int, s *goquery.Selection) {
		name, _ := s.Attr("name")
		val, ok := s.Attr("value")
		if s.Is("textarea") {
			val, ok = s.Text(), true
		}
		if s.Is("select") {
			val, ok = s.Find("option[selected]").Attr("value")
		}
		if ok && name != "" {
			v.Set(name, val)
		}
	})
	return v
}

func TestAddAGroupWizardWithHTMX(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.signInAdmin()
	tok := a.csrf("/groups/new")
	r := a.wizard(tok, url.Values{"step": {"type"}, "nav": {"next"}, "type": {"security"}}, "HX-Request", "true")
	if strings.Contains(r.body, "<html") || r.doc.Find("#group-wizard").Length() != 1 {
		t.Fatal("htmx got more than the wizard")
	}
	// A security group has no settings step, and needs no owner.
	if n := r.doc.Find("nav ol li").Length(); n != 4 {
		t.Fatalf("security group steps: %d", n)
	}
	form := hiddenFields(r)
	form.Set("name", "Lab access")
	form.Set("nav", "next")
	r = a.wizard(tok, form, "HX-Request", "true")
	form = hiddenFields(r)
	form.Set("nav", "next")
	r = a.wizard(tok, form, "HX-Request", "true")
	if text(r, "#wizard-heading") != "Review and finish" {
		t.Fatalf("after owners: %q", text(r, "#wizard-heading"))
	}
	form = hiddenFields(r)
	form.Set("_csrf", tok)
	r = a.post("/groups", form, "HX-Request", "true")
	if r.status != http.StatusNoContent || !strings.HasPrefix(r.header.Get("HX-Redirect"), "/groups/new?created=") {
		t.Fatalf("create with htmx: %d, HX-Redirect %q", r.status, r.header.Get("HX-Redirect"))
	}
	// A User administrator may create security groups but not distribution lists.
	a.client = newClient()
	ctx := context.Background()
	global, _ := a.store.Authenticate(ctx, "admin@contoso.com", testPassword)
	isaiah, _ := a.store.UserIDByAddress(ctx, "isaiahl@contoso.com")
	if err := a.store.SetRoles(ctx, global, isaiah, []models.Role{models.RoleUserAdmin}, models.AnyVersion); err != nil {
		t.Fatal(err)
	}
	if err := a.store.SetPassword(ctx, isaiah, testPassword); err != nil {
		t.Fatal(err)
	}
	a.signIn("isaiahl@contoso.com", testPassword)
	r = a.get("/groups/new")
	if r.doc.Find("input[name=type]").Length() != 2 || !strings.Contains(text(r, "form"), "Your role, User administrator, can create Microsoft 365 groups and security groups") {
		t.Fatalf("user admin types: %d", r.doc.Find("input[name=type]").Length())
	}
	tok = a.csrf("/groups/new")
	if r := a.wizard(tok, url.Values{"step": {"type"}, "nav": {"next"}, "type": {"distribution"}}); r.status != http.StatusForbidden {
		t.Fatalf("user admin, distribution list: %d", r.status)
	}
}

func TestGroupPaneAndPanels(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.signInAdmin()
	sales := "/groups/" + itoa(groupID(t, a, "salesteam@contoso.com"))
	r := a.get(sales)
	if r.status != http.StatusOK || text(r, "#pane-title") != "Sales Team" || r.doc.Find(`[role=tab]`).Length() != 3 {
		t.Fatalf("pane: %d", r.status)
	}
	if !strings.Contains(text(r, "#pane-tabpanel"), "The group type can't be changed.") {
		t.Fatal("no type note")
	}
	tok := a.csrf(sales)
	// Members: add two outside contacts to the list.
	r = a.get(sales + "/members/add?q=ben")
	if r.doc.Find("input[name=member]").Length() != 1 {
		t.Fatalf("picker: %q", text(r, "fieldset"))
	}
	r = a.post(sales+"/members", url.Values{"_csrf": {tok}, "member": {a.recipient("ben.smith@fabrikam.com"), a.recipient("yara@tailspintoys.com")}}, "HX-Request", "true")
	if r.status != http.StatusOK || r.doc.Find(`button[aria-label="Remove member Ben Smith"]`).Length() != 1 ||
		!strings.Contains(r.header.Get("HX-Trigger"), "2 members added to Sales Team") {
		t.Fatalf("add members: %d %s", r.status, r.header.Get("HX-Trigger"))
	}
	// A contact can't join a Microsoft 365 group: the picker says why.
	falcon := "/groups/" + itoa(groupID(t, a, "projectfalcon@contoso.com"))
	r = a.post(falcon+"/members", url.Values{"_csrf": {tok}, "member": {a.recipient("ben.smith@fabrikam.com")}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(text(r, "[role=alert]"), "Ben Smith is a mail contact") {
		t.Fatalf("contact in M365: %d %q", r.status, text(r, "[role=alert]"))
	}
	// The last owner stays.
	r = a.post(falcon+"/owners/remove", url.Values{"_csrf": {tok}, "owner": {a.recipient("lidiah@contoso.com")}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(text(r, "[role=alert]"), "must keep at least one owner") {
		t.Fatalf("last owner: %d %q", r.status, text(r, "[role=alert]"))
	}
	// Basics with a stale version.
	r = a.post(sales+"/basics", url.Values{"_csrf": {tok}, "name": {"Sales"}, "description": {"x"}, "version": {"99"}})
	if r.status != http.StatusConflict {
		t.Fatalf("stale: %d", r.status)
	}
	if got, _ := r.doc.Find("[role=alert] button[hx-get]").Attr("hx-get"); got != sales+"/basics" {
		t.Fatalf("stale basics without Reload: %q", got)
	}
	r = a.post(sales+"/basics", url.Values{"_csrf": {tok}, "name": {""}, "version": {"1"}})
	if r.status != http.StatusUnprocessableEntity || r.doc.Find("#group-name[aria-invalid=true]").Length() != 1 {
		t.Fatalf("empty name: %d", r.status)
	}
	// Settings.
	r = a.post(sales+"/settings", url.Values{"_csrf": {tok}, "allow_external": {"on"}, "version": {"1"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("settings: %d", r.status)
	}
	// Addresses: a taken alias gets the proxy-address message.
	r = a.post(sales+"/addresses", url.Values{"_csrf": {tok}, "alias": {"info"}, "domain": {"contoso.com"}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(text(r, "#alias-check"), `LegacyExchangeDN of "Info"`) {
		t.Fatalf("alias: %d %q", r.status, text(r, "#alias-check"))
	}
}

func TestDeletingAGroupInUse(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.signInAdmin()
	ctx := context.Background()
	global, _ := a.store.Authenticate(ctx, "admin@contoso.com", testPassword)
	mg := groupID(t, a, "marketingsg@contoso.com")
	mgRecipient, _ := a.store.RecipientByAddress(ctx, "marketingsg@contoso.com")
	list, _ := a.store.SharedMailboxes(ctx, sharedQuery("info@contoso.com"))
	if _, err := a.store.GrantPermissions(ctx, global, models.GrantRequest{MailboxID: list.Rows[0].ID, Right: models.RightFullAccess, TrusteeIDs: []uint{mgRecipient}}); err != nil {
		t.Fatal(err)
	}
	path := "/groups/" + itoa(mg)
	r := a.get(path + "/delete")
	if r.status != http.StatusOK || !strings.Contains(text(r, "#group-delete-links"), "Read and manage on Info (info@contoso.com)") {
		t.Fatalf("consequences: %d %q", r.status, text(r, "#group-delete-links"))
	}
	tok := a.csrf(path)
	before, _ := a.store.Fingerprint(ctx)
	// Without the confirmation the links are shown again and nothing changes.
	r = a.post(path+"/delete", url.Values{"_csrf": {tok}})
	if after, _ := a.store.Fingerprint(ctx); r.status != http.StatusConflict || after != before {
		t.Fatalf("unconfirmed: %d", r.status)
	}
	r = a.post(path+"/delete", url.Values{"_csrf": {tok}, "confirm": {"on"}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/groups?type=mail_security" {
		t.Fatalf("delete: %d %s", r.status, r.header.Get("Location"))
	}
	if _, err := a.store.GroupDetail(ctx, mg); err != models.ErrNotFound {
		t.Fatalf("still there: %v", err)
	}
}

func TestContactsPages(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.signInAdmin()
	r := a.get("/contacts")
	if r.status != http.StatusOK || text(r, "tbody a") != "Ben Smith Yara Haddad" {
		t.Fatalf("list: %d %q", r.status, text(r, "tbody a"))
	}
	tok := a.csrf("/contacts/new")
	r = a.post("/contacts", url.Values{"_csrf": {tok}, "display_name": {"Inside"}, "address": {"someone@contoso.com"}})
	if r.status != http.StatusUnprocessableEntity || r.doc.Find("#contact-email[aria-invalid=true]").Length() != 1 ||
		!strings.Contains(text(r, "#contact-email-error"), "contoso.com is one of your organization's domains") {
		t.Fatalf("internal: %d %q", r.status, text(r, "#contact-email-error"))
	}
	r = a.post("/contacts", url.Values{"_csrf": {tok}, "first_name": {"Olga"}, "last_name": {"Petrova"}, "address": {"olga@northwind.example"}, "company": {"Northwind"}})
	if r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/contacts/") {
		t.Fatalf("add: %d", r.status)
	}
	olga := r.header.Get("Location")
	r = a.get(olga)
	if text(r, "#pane-title") != "Olga Petrova" || !strings.Contains(text(r, "#toasts"), "Olga Petrova was added.") {
		t.Fatalf("pane: %q %q", text(r, "#pane-title"), text(r, "#toasts"))
	}
	r = a.get(olga + "/edit")
	version, _ := r.doc.Find("input[name=version]").Attr("value")
	r = a.post(olga+"/edit", url.Values{"_csrf": {tok}, "display_name": {"Olga P."}, "address": {"yara@tailspintoys.com"}, "version": {version}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(text(r, "#contact-edit-email-error"), `LegacyExchangeDN of "Yara Haddad"`) {
		t.Fatalf("taken: %d %q", r.status, text(r, "#contact-edit-email-error"))
	}
	r = a.post(olga+"/edit", url.Values{"_csrf": {tok}, "display_name": {"Olga P."}, "address": {"olga@northwind.example"}, "version": {version}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("edit: %d", r.status)
	}
	r = a.post(olga+"/edit", url.Values{"_csrf": {tok}, "display_name": {"Olga Q."}, "address": {"olga@northwind.example"}, "version": {version}})
	if r.status != http.StatusConflict {
		t.Fatalf("stale: %d", r.status)
	}
	r = a.post(olga+"/delete", url.Values{"_csrf": {tok}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/contacts" {
		t.Fatalf("delete: %d", r.status)
	}
	// A reader sees contacts but can't change them.
	a.client = newClient()
	a.signIn("miriamg@contoso.com", testPassword)
	ben := "/contacts/" + itoa(contactID(t, a, "ben.smith@fabrikam.com"))
	r = a.get(ben)
	if r.status != http.StatusOK || r.doc.Find(`button[disabled]:contains("Delete contact")`).Length() != 1 {
		t.Fatalf("reader pane: %d", r.status)
	}
	if r := a.get(ben + "/edit"); r.status != http.StatusForbidden {
		t.Fatalf("reader edit: %d", r.status)
	}
}

func TestForwardingPanelKnowsGroupsAndContacts(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.signInAdmin()
	alex := a.userPath("alexw@contoso.com")
	// Typing a name offers who it could be.
	r := a.get(alex+"/forwarding/targets?address=ben", "HX-Request", "true")
	if r.doc.Find(`button[data-fill-address="ben.smith@fabrikam.com"]`).Length() != 1 {
		t.Fatalf("suggestions: %q", text(r, "ul"))
	}
	// A distribution list lists its members.
	r = a.get(alex+"/forwarding/targets?address=salesteam@contoso.com", "HX-Request", "true")
	if !strings.Contains(text(r, "[data-testid=fwd-target]"), "Sales Team (Distribution list): forwarded mail goes to its members") ||
		!strings.Contains(text(r, "[data-testid=fwd-target]"), "Diego Siciliani (diegos@contoso.com)") {
		t.Fatalf("list: %q", text(r, "[data-testid=fwd-target]"))
	}
	// A contact is outside.
	r = a.get(alex+"/forwarding/targets?address=yara@tailspintoys.com", "HX-Request", "true")
	if !strings.Contains(text(r, "[data-testid=fwd-target]"), "a mail contact outside your organization") {
		t.Fatalf("contact: %q", text(r, "[data-testid=fwd-target]"))
	}
	// The Mail tab lists Alex's groups, linking to them.
	r = a.get(alex + "?tab=mail")
	if r.doc.Find(`section[aria-labelledby=sec-groups] a:contains("MarketingSG")`).Length() != 1 {
		t.Fatalf("groups on the Mail tab: %q", text(r, "section[aria-labelledby=sec-groups]"))
	}
}

func TestSharedMailboxPaneShowsGroupsWithAccess(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.signInAdmin()
	ctx := context.Background()
	info := a.sharedPath("info@contoso.com")
	r := a.get(info)
	if !strings.Contains(text(r, "section[aria-labelledby=shared-sec-groups]"), "No group holds a permission on this mailbox.") {
		t.Fatalf("no groups: %q", text(r, "section[aria-labelledby=shared-sec-groups]"))
	}
	global, _ := a.store.Authenticate(ctx, "admin@contoso.com", testPassword)
	mg, _ := a.store.RecipientByAddress(ctx, "marketingsg@contoso.com")
	list, _ := a.store.SharedMailboxes(ctx, sharedQuery("info@contoso.com"))
	for _, right := range []models.Right{models.RightFullAccess, models.RightSendAs} {
		if _, err := a.store.GrantPermissions(ctx, global, models.GrantRequest{MailboxID: list.Rows[0].ID, Right: right, TrusteeIDs: []uint{mg}}); err != nil {
			t.Fatal(err)
		}
	}
	r = a.get(info)
	sec := "section[aria-labelledby=shared-sec-groups]"
	link, _ := r.doc.Find(sec + " a").Attr("href")
	if link != "/groups/"+itoa(groupID(t, a, "marketingsg@contoso.com"))+"?tab=members" ||
		!strings.Contains(text(r, sec), "Mail-enabled security group, 2 members: Read and manage, Send as") {
		t.Fatalf("groups with access: %q %s", text(r, sec), link)
	}
}
