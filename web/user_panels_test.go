package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/contoso/admincenter/models"
)

func TestLicensesTabAndForwardingStop(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.signInAdmin()
	megan := a.userPath("meganb@contoso.com")
	tok := a.csrf(megan)
	a.forward(megan, tok, "alexw@contoso.com")

	t.Run("the tab counts the seats", func(t *testing.T) {
		a := a.on(t)
		r := a.get(megan + "?tab=licenses")
		if r.doc.Find("#tab-licenses[aria-selected=true]").Length() != 1 || !strings.Contains(text(r, "[role=tabpanel]"), "9 of 25 licenses available") {
			t.Fatalf("licenses tab: %q", text(r, "[role=tabpanel]"))
		}
	})
	t.Run("removing the last mailbox license asks first, then stops forwarding", func(t *testing.T) {
		a := a.on(t)
		// Unticking the last mailbox license asks first, saying what stops.
		r := a.post(megan+"/licenses", url.Values{"_csrf": {tok}, "version": {a.licensesVersion(megan)}})
		if r.status != http.StatusOK || !strings.Contains(text(r, "[role=alert]"), "Forwarding to alexw@contoso.com will stop") {
			t.Fatalf("confirmation: %d %q", r.status, text(r, "[role=alert]"))
		}
		if r := a.get(megan); !strings.Contains(text(r, "#sec-licenses ~ div"), "Microsoft 365 Business Standard") {
			t.Fatal("the license went before confirming")
		}
		r = a.post(megan+"/licenses", url.Values{"_csrf": {tok}, "confirm": {"on"}, "version": {a.licensesVersion(megan)}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("confirmed: %d", r.status)
		}
		r = a.get(megan + "?tab=mail")
		if got := text(r, "#sec-forwarding ~ div"); !strings.Contains(got, "Stopped: mail is no longer forwarded to alexw@contoso.com") || !strings.Contains(got, "license that includes a mailbox was removed") {
			t.Fatalf("stopped state: %q", got)
		}
	})
	t.Run("beyond the seats is refused", func(t *testing.T) {
		a := a.on(t)
		// Beyond the seats is refused.
		p1 := a.licenseID("EXCHANGESTANDARD")
		ctx := context.Background()
		admin, _ := a.store.Authenticate(ctx, "admin@contoso.com", testPassword)
		for i := 0; i < 5; i++ {
			if _, _, err := a.store.CreateUser(ctx, admin, models.NewUser{DisplayName: "P", Alias: "p" + itoa(uint(i)), Domain: "contoso.com", Password: models.TypedPassword("Good-Pass-1"), LicenseIDs: []uint{parseID(p1)}}); err != nil {
				t.Fatal(err)
			}
		}
		r := a.post(megan+"/licenses", url.Values{"_csrf": {tok}, "license": {p1}, "confirm": {"on"}, "version": {a.licensesVersion(megan)}})
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(text(r, "[role=alert]"), "There are no Exchange Online (Plan 1) licenses left") {
			t.Fatalf("no seats: %d %q", r.status, text(r, "[role=alert]"))
		}
	})
}

func TestBlockResetDeleteRestore(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.signInAdmin()
	diego := a.userPath("diegos@contoso.com")
	tok := a.csrf(diego)
	a.forward(diego, tok, "info@contoso.com")

	t.Run("blocking says forwarding stops, and unblocking lets them in", func(t *testing.T) {
		a := a.on(t)
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
	})
	t.Run("a reset password is shown once and signs in", func(t *testing.T) {
		a := a.on(t)
		// Reset password: shown once, and it signs in when the person is an admin.
		patti := a.userPath("pattif@contoso.com")
		// Post/Redirect/Get: the reset redirects to its panel, which shows the
		// password once; opened again, the panel says so and resets nothing.
		r := a.post(patti+"/reset-password", url.Values{"_csrf": {tok}, "password_mode": {"auto"}})
		shown := r.header.Get("Location")
		if r.status != http.StatusSeeOther || !strings.HasPrefix(shown, patti+"/reset-password?once=") || !strings.Contains(r.header.Get("Cache-Control"), "no-store") {
			t.Fatalf("reset: %d %q", r.status, shown)
		}
		r = a.get(shown)
		pw := text(r, "[data-testid=new-password]")
		if r.status != http.StatusOK || pw == "" {
			t.Fatalf("the reset's panel: %d", r.status)
		}
		if again := a.get(shown); again.doc.Find("[data-testid=new-password]").Length() != 0 || !strings.Contains(again.body, "was shown only once") {
			t.Fatal("the password was shown twice")
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
	})
	t.Run("delete lists what happens, then Deleted users restores", func(t *testing.T) {
		a := a.on(t)
		// Delete lists what happens, then Deleted users restores.
		adele := a.userPath("adelev@contoso.com")
		r := a.get(adele + "/delete")
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
		r.doc.Find("[data-phone-only]").Remove() // the phone's copy of the hidden columns
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
	})
	t.Run("you cannot delete yourself, the last Global administrator", func(t *testing.T) {
		a := a.on(t)
		// The last Global administrator can't be deleted (here: it's yourself too).
		admin := a.userPath("admin@contoso.com")
		r := a.post(admin+"/delete", url.Values{"_csrf": {tok}})
		if r.status != http.StatusUnprocessableEntity {
			t.Fatalf("delete self: %d", r.status)
		}
	})
}

func TestResetPasswordTypedEmptyOrBlankChangesNothing(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	// Patti is signed in elsewhere: a refused reset must not end her session.
	pattiClient := newClient()
	a.client = pattiClient
	a.signIn("pattif@contoso.com", testPassword)
	a.client = newClient()
	a.signInAdmin()
	patti := a.userPath("pattif@contoso.com")
	tok := a.csrf(patti)
	for _, typed := range []string{"", "        "} {
		r := a.post(patti+"/reset-password", url.Values{"_csrf": {tok}, "password_mode": {"manual"}, "password": {typed}})
		if r.status != http.StatusUnprocessableEntity || r.doc.Find("#pw-value[aria-invalid=true]").Length() != 1 ||
			r.doc.Find("[data-testid=new-password]").Length() != 0 {
			t.Errorf("typed %q: %d", typed, r.status)
		}
		if _, err := a.store.Authenticate(context.Background(), "pattif@contoso.com", testPassword); err != nil {
			t.Errorf("typed %q: the old password stopped working: %v", typed, err)
		}
		req, _ := http.NewRequest(http.MethodGet, a.srv.URL+"/users", nil)
		if r := a.do(pattiClient, req); r.status != http.StatusOK {
			t.Errorf("typed %q: Patti's session ended: %d", typed, r.status)
		}
	}
}

func TestContactAddressesRoles(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.signInAdmin()
	alex := a.userPath("alexw@contoso.com")
	tok := a.csrf(alex)
	t.Run("contact details: a name is required, a stale form refused, markup shown as text", func(t *testing.T) {
		a := a.on(t)
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
	})
	t.Run("an alias is checked, then becomes the username", func(t *testing.T) {
		a := a.on(t)
		r := a.post(alex+"/addresses", url.Values{"_csrf": {tok}, "alias": {"info"}, "domain": {"contoso.com"}})
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
	})
	t.Run("only a Global administrator changes roles, and the last one keeps the role", func(t *testing.T) {
		a := a.on(t)
		// Roles: only a Global administrator, and the last one keeps the role.
		admin := a.userPath("admin@contoso.com")
		r := a.post(admin+"/roles", url.Values{"_csrf": {tok}, "role": {"global_reader"}, "version": {a.rolesVersion(admin)}})
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(text(r, "[role=alert]"), "only Global administrator") {
			t.Fatalf("last global admin: %d %q", r.status, text(r, "[role=alert]"))
		}
		if r := a.post(alex+"/roles", url.Values{"_csrf": {tok}, "role": {"helpdesk_admin"}, "version": {a.rolesVersion(alex)}}); r.status != http.StatusSeeOther {
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
	})
}

func TestAddressesPanelWithoutDomains(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.signInAdmin()
	adele := a.userPath("adelev@contoso.com")
	tok := a.csrf(adele)
	a.exec(`DELETE FROM domains`)
	if r := a.get(adele + "/addresses"); r.status != http.StatusOK {
		t.Fatalf("addresses panel without domains: %d", r.status)
	}
	if r := a.post(adele+"/addresses/remove", url.Values{"_csrf": {tok}, "address": {"adele.vance@contoso.com"}}, "HX-Request", "true"); r.status != http.StatusOK {
		t.Fatalf("remove an alias without domains: %d", r.status)
	}
	if r := a.get("/users/new"); r.status != http.StatusOK {
		t.Fatalf("add a user without domains: %d", r.status)
	}
}
