package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestExchangeAdminCannotTakeOverTheGlobalAdmin replays the review's attack: an
// Exchange administrator converts the Global administrator's mailbox removing its
// license (or blocking them), then uses the shared mailbox's address routes to take
// admin@contoso.com away. Every account step is refused with nothing saved; the
// conversion alone (a mailbox setting) is allowed; the converted mailbox's
// addresses stay out of reach; and the Global administrator still signs in, also
// after their own addresses change, because the username is not an address.
func TestExchangeAdminCannotTakeOverTheGlobalAdmin(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	ctx := context.Background()
	admin := a.userPath("admin@contoso.com")
	a.signIn("pattif@contoso.com", testPassword)
	tok := a.csrf("/")
	fp := func() string {
		s, err := a.store.Fingerprint(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	for _, form := range []url.Values{{"remove_license": {"on"}}, {"block": {"on"}}, {"block": {"on"}, "remove_license": {"on"}}} {
		before := fp()
		form.Set("_csrf", tok)
		if r := a.post(admin+"/convert", form); r.status != http.StatusForbidden {
			t.Fatalf("convert with %v: %d", form, r.status)
		}
		if fp() != before {
			t.Fatalf("a refused conversion (%v) left changes behind", form)
		}
	}
	r := a.post(admin+"/convert", url.Values{"_csrf": {tok}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("converting the mailbox alone: %d", r.status)
	}
	shared := r.header.Get("Location")
	before := fp()
	for _, step := range []struct {
		path string
		form url.Values
	}{
		{shared + "/addresses", url.Values{"alias": {"takeover"}, "domain": {"contoso.com"}}},
		{shared + "/addresses/primary", url.Values{"address": {"admin@contoso.com"}}},
		{shared + "/addresses/remove", url.Values{"address": {"admin@contoso.com"}}},
		{shared + "/name", url.Values{"name": {"Not the admin"}, "version": {"2"}}},
	} {
		step.form.Set("_csrf", tok)
		if r := a.post(step.path, step.form); r.status != http.StatusForbidden {
			t.Fatalf("%s on the Global administrator's converted mailbox: %d", step.path, r.status)
		}
	}
	if fp() != before {
		t.Fatal("refused address changes left changes behind")
	}
	if r := a.get(shared); !strings.Contains(text(r, "#pane-denied"), "can't change their details") {
		t.Fatalf("the converted pane doesn't say why its addresses are out of reach: %q", text(r, "#pane-denied"))
	}
	// The Global administrator changes their own addresses: the sign-in stays.
	a.client = newClient()
	a.signInAdmin()
	tok = a.csrf("/")
	if r := a.post(shared+"/addresses", url.Values{"_csrf": {tok}, "alias": {"mod"}, "domain": {"contoso.nl"}}); r.status != http.StatusSeeOther {
		t.Fatalf("add an address: %d", r.status)
	}
	if r := a.post(shared+"/addresses/primary", url.Values{"_csrf": {tok}, "address": {"mod@contoso.nl"}}); r.status != http.StatusSeeOther {
		t.Fatalf("make it primary: %d", r.status)
	}
	if r := a.post(shared+"/addresses/remove", url.Values{"_csrf": {tok}, "address": {"admin@contoso.com"}}); r.status != http.StatusSeeOther {
		t.Fatalf("remove the old one: %d", r.status)
	}
	a.client = newClient()
	if r := a.signIn("admin@contoso.com", testPassword); r.status != http.StatusSeeOther {
		t.Fatalf("the Global administrator can't sign in after their addresses changed: %d", r.status)
	}
	a.client = newClient()
	if r := a.signIn("mod@contoso.nl", testPassword); r.status != http.StatusUnauthorized {
		t.Fatalf("an email address signed in: %d", r.status)
	}
}

// TestUsernameIsTheSignInName: Manage username and email changes the username,
// which is what people sign in with and what Active users shows; the email
// addresses go their own way.
func TestUsernameIsTheSignInName(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.signInAdmin()
	patti := a.userPath("pattif@contoso.com")
	tok := a.csrf(patti)
	r := a.get(patti + "/addresses")
	if v, _ := r.doc.Find("#upn-alias").Attr("value"); v != "pattif" {
		t.Fatalf("the username field holds %q", v)
	}
	version, _ := r.doc.Find(`form[action="` + patti + `/username"] input[name=version]`).Attr("value")
	// Taken: someone else's username, someone else's address.
	for _, taken := range []struct{ alias, want string }{{"admin", "is already the username of MOD Administrator"}, {"info", "is an email address of Info"}} {
		r := a.post(patti+"/username", url.Values{"_csrf": {tok}, "upn_alias": {taken.alias}, "upn_domain": {"contoso.com"}, "version": {version}})
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(text(r, "#upn-error"), taken.want) {
			t.Fatalf("username %s: %d %q", taken.alias, r.status, text(r, "#upn-error"))
		}
	}
	if r := a.post(patti+"/username", url.Values{"_csrf": {tok}, "upn_alias": {"patti.fernandez"}, "upn_domain": {"contoso.nl"}, "version": {version}}); r.status != http.StatusSeeOther {
		t.Fatalf("change username: %d", r.status)
	}
	// A form based on the old version is stale.
	if r := a.post(patti+"/username", url.Values{"_csrf": {tok}, "upn_alias": {"pf"}, "upn_domain": {"contoso.nl"}, "version": {version}}); r.status != http.StatusConflict {
		t.Fatalf("stale username form: %d", r.status)
	}
	r = a.get(patti)
	if got := text(r, "#sec-username ~ div"); !strings.Contains(got, "patti.fernandez@contoso.nl") || !strings.Contains(got, "pattif@contoso.com") {
		t.Fatalf("account tab: %q", got)
	}
	if got := text(a.get("/users?q=patti"), "tbody"); !strings.Contains(got, "patti.fernandez@contoso.nl") {
		t.Fatalf("Active users shows another username: %q", got)
	}
	// Her primary address changes; her username doesn't.
	a.post(patti+"/addresses", url.Values{"_csrf": {tok}, "alias": {"patti"}, "domain": {"contoso.com"}})
	if r := a.post(patti+"/addresses/primary", url.Values{"_csrf": {tok}, "address": {"patti@contoso.com"}}); r.status != http.StatusSeeOther {
		t.Fatalf("set primary: %d", r.status)
	}
	if got := text(a.get("/users?q=patti"), "tbody"); !strings.Contains(got, "patti.fernandez@contoso.nl") {
		t.Fatalf("a new primary address changed the username: %q", got)
	}
	a.client = newClient()
	if r := a.signIn("pattif@contoso.com", testPassword); r.status != http.StatusUnauthorized {
		t.Fatalf("the old username signs in: %d", r.status)
	}
	a.client = newClient()
	if r := a.signIn("Patti.Fernandez@contoso.nl", testPassword); r.status != http.StatusSeeOther {
		t.Fatalf("the new username doesn't sign in: %d", r.status)
	}
	// Another person can't take her old username as an address while it's hers:
	// it isn't any more, so it is free again.
	a.client = newClient()
	a.signInAdmin()
	tok = a.csrf("/")
	if r := a.post(a.userPath("alexw@contoso.com")+"/addresses", url.Values{"_csrf": {tok}, "alias": {"patti.fernandez"}, "domain": {"contoso.nl"}}); r.status != http.StatusUnprocessableEntity {
		t.Fatalf("someone else's username as an address: %d", r.status)
	}
}

// TestRolesAndLicensesFormsAreVersioned: a form opened before someone else's change
// is refused with the reload message, and changes nothing.
func TestRolesAndLicensesFormsAreVersioned(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.signInAdmin()
	ctx := context.Background()
	alex := a.userPath("alexw@contoso.com")
	tok := a.csrf(alex)
	roles, lics := a.rolesVersion(alex), a.licensesVersion(alex)
	if r := a.post(alex+"/roles", url.Values{"_csrf": {tok}, "role": {"helpdesk_admin"}, "version": {roles}}); r.status != http.StatusSeeOther {
		t.Fatalf("grant a role: %d", r.status)
	}
	if r := a.post(alex+"/licenses", url.Values{"_csrf": {tok}, "version": {lics}, "confirm": {"on"}}); r.status != http.StatusSeeOther {
		t.Fatalf("remove the licenses: %d", r.status)
	}
	before, _ := a.store.Fingerprint(ctx)
	// The other admin's forms, opened before: a role re-granted, a license back.
	r := a.post(alex+"/roles", url.Values{"_csrf": {tok}, "role": {"global_reader"}, "version": {roles}})
	if r.status != http.StatusConflict || !strings.Contains(text(r, "[role=alert]"), "Someone else changed this person") {
		t.Fatalf("stale roles form: %d %q", r.status, text(r, "[role=alert]"))
	}
	r = a.post(alex+"/licenses", url.Values{"_csrf": {tok}, "license": {a.licenseID("O365_BUSINESS_PREMIUM")}, "version": {lics}})
	if r.status != http.StatusConflict || !strings.Contains(text(r, "[role=alert]"), "Someone else changed this person") {
		t.Fatalf("stale licenses form: %d %q", r.status, text(r, "[role=alert]"))
	}
	if after, _ := a.store.Fingerprint(ctx); after != before {
		t.Fatal("a stale form changed something")
	}
	// A form without a version is stale too.
	if r := a.post(alex+"/roles", url.Values{"_csrf": {tok}}); r.status != http.StatusConflict {
		t.Fatalf("roles form without a version: %d", r.status)
	}
}

// TestTextFieldsRefuseControlAndDirectionCharacters: NUL and other control
// characters, invalid UTF-8 and bidirectional overrides and isolates are refused on
// the field with a message, wherever a name or text is typed.
func TestTextFieldsRefuseControlAndDirectionCharacters(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.signInAdmin()
	alex := a.userPath("alexw@contoso.com")
	info := a.sharedPath("info@contoso.com")
	tok := a.csrf(alex)
	bad := map[string]string{
		"NUL":        "Alex\x00Wilber",
		"invalid":    "Alex \xff Wilber",
		"override":   "Alex \u202eWilber",
		"isolate":    "Alex \u2066Wilber\u2069",
		"line break": "Alex\nWilber",
		"tab":        "Alex\tWilber",
	}
	messages := []string{"Remove the control characters", "characters that aren't valid", "change the direction of text", "Use a single line"}
	said := func(got string) bool {
		for _, m := range messages {
			if strings.Contains(got, m) {
				return true
			}
		}
		return false
	}
	for what, value := range bad {
		for _, c := range []struct {
			path, field, errID string
			form               url.Values
		}{
			{alex + "/contact", "display_name", "#c-display-error", url.Values{"version": {"1"}, "display_name": {"Alex"}}},
			{alex + "/contact", "job_title", "#c-job-error", url.Values{"version": {"1"}, "display_name": {"Alex"}}},
			{alex + "/contact", "department", "#c-dept-error", url.Values{"version": {"1"}, "display_name": {"Alex"}}},
			{"/users", "first_name", "#add-first-error", url.Values{"alias": {"newperson"}, "domain": {"contoso.com"}, "display_name": {"New"}, "password_mode": {"auto"}}},
			{"/users", "display_name", "#add-display-error", url.Values{"alias": {"newperson"}, "domain": {"contoso.com"}, "password_mode": {"auto"}}},
			{"/shared-mailboxes", "name", "#shared-name-error", url.Values{"alias": {"newbox"}, "domain": {"contoso.com"}}},
			{info + "/name", "name", "#shared-name-error", url.Values{"version": {"1"}}},
		} {
			c.form.Set(c.field, value)
			c.form.Set("_csrf", tok)
			r := a.post(c.path, c.form)
			if r.status != http.StatusUnprocessableEntity || !said(text(r, c.errID)) {
				t.Errorf("%s in %s of %s: %d %q", what, c.field, c.path, r.status, text(r, c.errID))
			}
		}
	}
	// Automatic replies are several lines, but not NUL or direction characters.
	for _, reply := range []string{"Away\x00", "Away \u202etxt.exe"} {
		r := a.post(info+"/auto-replies", url.Values{"_csrf": {tok}, "enabled": {"on"}, "internal": {reply}, "version": {"1"}})
		if r.status != http.StatusUnprocessableEntity || !said(text(r, "#reply-internal-error")) {
			t.Errorf("reply %q: %d %q", reply, r.status, text(r, "#reply-internal-error"))
		}
	}
	if r := a.post(info+"/auto-replies", url.Values{"_csrf": {tok}, "enabled": {"on"}, "internal": {"Away\r\n\tBack on Monday"}, "version": {"1"}}); r.status != http.StatusSeeOther {
		t.Fatalf("a reply of several lines: %d", r.status)
	}
	// A search drops them and finds what the rest says.
	if got := text(a.get("/users?q="+url.QueryEscape("ale\u202ex\x00")), "tbody"); !strings.Contains(got, "Alex Wilber") {
		t.Fatalf("search with control characters: %q", got)
	}
}

// TestDeletedPeopleAreGivenNothing: permissions, memberships and forwarding to a
// deleted person, by id or address, are refused like an unknown one.
func TestDeletedPeopleAreGivenNothing(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.signInAdmin()
	ctx := context.Background()
	grady := a.recipient("gradya@contoso.com")
	gone := a.userPath("gradya@contoso.com")
	tok := a.csrf("/")
	if r := a.post(gone+"/delete", url.Values{"_csrf": {tok}}); r.status != http.StatusSeeOther {
		t.Fatalf("delete: %d", r.status)
	}
	megan := a.userPath("meganb@contoso.com")
	info := a.sharedPath("info@contoso.com")
	a.get("/") // shows (and so clears) the deletion's toast
	before, _ := a.store.Fingerprint(ctx)
	for _, right := range []string{"fullaccess", "sendas", "sendonbehalf"} {
		r := a.post(megan+"/mailbox-permissions/"+right, url.Values{"_csrf": {tok}, "trustee": {grady}})
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "only be given to people in your organization") {
			t.Errorf("%s for a deleted person: %d", right, r.status)
		}
	}
	if r := a.post(info+"/members", url.Values{"_csrf": {tok}, "trustee": {grady}}); r.status != http.StatusUnprocessableEntity {
		t.Errorf("a deleted person as a member: %d", r.status)
	}
	r := a.forward(megan, tok, "gradya@contoso.com")
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(text(r, "#fwd-address-error"), "gradya@contoso.com") {
		t.Errorf("forwarding to a deleted person: %d %q", r.status, text(r, "#fwd-address-error"))
	}
	if after, _ := a.store.Fingerprint(ctx); after != before {
		t.Fatal("something was given to a deleted person")
	}
}

// TestDeletedUsersOffersRestoreWithinReach: Deleted users offers a User
// administrator Restore for people they may restore, and says why not for a deleted
// Global administrator; restoring one anyway is refused.
func TestDeletedUsersOffersRestoreWithinReach(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	ctx := context.Background()
	isaiah, _ := a.store.UserIDByAddress(ctx, "isaiahl@contoso.com")
	nestor, _ := a.store.UserIDByAddress(ctx, "nestorw@contoso.com")
	a.exec(`INSERT INTO role_assignments (user_id, role, assigned_at) VALUES (`+itoa(isaiah)+`, 'user_admin', CURRENT_TIMESTAMP)`,
		`INSERT INTO role_assignments (user_id, role, assigned_at) VALUES (`+itoa(nestor)+`, 'global_admin', CURRENT_TIMESTAMP)`)
	if err := a.store.SetPassword(ctx, isaiah, testPassword); err != nil {
		t.Fatal(err)
	}
	a.signInAdmin()
	tok := a.csrf("/")
	for _, addr := range []string{"nestorw@contoso.com", "alexw@contoso.com"} {
		if r := a.post(a.userPath(addr)+"/delete", url.Values{"_csrf": {tok}}); r.status != http.StatusSeeOther {
			t.Fatalf("delete %s: %d", addr, r.status)
		}
	}
	a.client = newClient()
	a.signIn("isaiahl@contoso.com", testPassword)
	r := a.get("/users/deleted")
	if got := text(r, "#deleted-protected-"+itoa(nestor)); !strings.Contains(got, "Nestor Wilke held an admin role that your role, User administrator, can't act on") {
		t.Fatalf("why not: %q", got)
	}
	if r.doc.Find(`button[disabled][aria-describedby="deleted-protected-`+itoa(nestor)+`"]`).Length() != 1 {
		t.Fatal("Restore of a deleted Global administrator is offered to a User administrator")
	}
	if r.doc.Find(`form[action$="/restore"] button:not([disabled])`).Length() != 1 {
		t.Fatal("Restore of a deleted person without admin roles is not offered")
	}
	tok = a.csrf("/users/deleted")
	if r := a.post("/users/deleted/"+itoa(nestor)+"/restore", url.Values{"_csrf": {tok}}); r.status != http.StatusForbidden {
		t.Fatalf("a User administrator restores a Global administrator: %d", r.status)
	}
}
