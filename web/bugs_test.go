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

func TestResetPasswordTypedEmptyOrBlankChangesNothing(t *testing.T) {
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

func TestBulkIsAllOrNothing(t *testing.T) {
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
}

func TestExportWithNothingSelectedExportsTheWholeList(t *testing.T) {
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

func TestMembersPickerOffersPeopleWhateverTheGroups(t *testing.T) {
	a := newApp(t)
	db, err := a.store.SQLDB()
	if err != nil {
		t.Fatal(err)
	}
	// 60 mail-enabled security groups whose names sort before every person.
	for i := 0; i < 60; i++ {
		name := fmt.Sprintf("Aaa group %02d", i)
		if _, err := db.Exec(fmt.Sprintf(`INSERT INTO recipients (kind, display_name, sort_name, created_at) VALUES ('group', '%s', '%s', CURRENT_TIMESTAMP)`,
			name, strings.ToLower(name))); err != nil {
			t.Fatal(err)
		}
	}
	for _, stmt := range []string{
		`INSERT INTO groups (recipient_id, type) SELECT id, 'mail_security' FROM recipients WHERE display_name LIKE 'Aaa group%'`,
		`INSERT INTO email_addresses (recipient_id, address, normalized, is_primary)
			SELECT id, 'aaagroup' || id || '@contoso.com', 'aaagroup' || id || '@contoso.com', true FROM recipients WHERE display_name LIKE 'Aaa group%'`,
	} {
		if _, err := db.Exec(stmt); err != nil {
			t.Fatal(err)
		}
	}
	a.signInAdmin()
	info := a.sharedPath("info@contoso.com")
	r := a.get(info + "/members/add")
	// Everyone but Adele, who is a member already: 17 people.
	if n := r.doc.Find("input[name=trustee]").Length(); n != 17 || !strings.Contains(text(r, "label"), "Alex Wilber") {
		t.Fatalf("the members picker offers %d people", n)
	}
}

func TestAddressesPanelWithoutDomains(t *testing.T) {
	a := newApp(t)
	a.signInAdmin()
	adele := a.userPath("adelev@contoso.com")
	tok := a.csrf(adele)
	db, err := a.store.SQLDB()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`DELETE FROM domains`); err != nil {
		t.Fatal(err)
	}
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
