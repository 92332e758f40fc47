package web

import (
	"context"
	"encoding/csv"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/contoso/admincenter/models"
)

// TestAuditLogForPeople: activities in words in both languages, field changes, a
// link to the target and the raw data kept.
func TestAuditLogForPeople(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.signInAdmin()
	megan := a.userPath("meganb@contoso.com")
	tok := a.csrf(megan)
	a.post(megan+"/mailbox-permissions/sendas", url.Values{"_csrf": {tok}, "trustee": {a.recipient("alexw@contoso.com")}})
	a.forward(megan, tok, "alexw@contoso.com")

	r := a.get("/audit?action=mailbox_permission.add")
	row := r.doc.Find("tbody tr[data-audit-entry]").First()
	if got := strings.TrimSpace(row.Find("[data-activity]").Text()); got != "Added Send as permission" {
		t.Errorf("activity: %q", got)
	}
	if href, _ := row.Find("a").First().Attr("href"); href != megan {
		t.Errorf("the target links to %q, want %q", href, megan)
	}
	r.doc.Find(".sr-only").Remove()
	if got := changes(row); !strings.Contains(got, "Permission: Send as | Given to: alexw@contoso.com") {
		t.Errorf("changes: %q", got)
	}
	if !strings.Contains(row.Find("details").Text(), `"right":"SendAs"`) {
		t.Error("the raw data is not kept")
	}
	if got := text(r, `#audit-action option[value="forwarding.set"]`); got != "Changed email forwarding" {
		t.Errorf("filter option: %q", got)
	}

	r = a.get("/audit?action=forwarding.set")
	r.doc.Find(".sr-only").Remove()
	if got := changes(r.doc.Find("tbody")); got != "Forwarding address: (none) -> alexw@contoso.com" {
		t.Errorf("forwarding change: %q", got)
	}

	nl := a.on(t)
	nl.post("/language", url.Values{"_csrf": {tok}, "lang": {"nl"}, "next": {"/audit"}})
	r = nl.get("/audit?action=mailbox_permission.add")
	if got := strings.TrimSpace(r.doc.Find("[data-activity]").First().Text()); got != "Toegevoegd: machtiging Verzenden als" {
		t.Errorf("Dutch activity: %q", got)
	}
	r = nl.get("/audit?action=forwarding.set")
	r.doc.Find(".sr-only").Remove()
	if got := changes(r.doc.Find("tbody")); got != "Doorstuuradres: (geen) -> alexw@contoso.com" {
		t.Errorf("Dutch changes: %q", got)
	}
	r = nl.get("/audit/export?action=mailbox_permission.add")
	if r.status != http.StatusOK || !strings.Contains(r.body, "Toegevoegd: machtiging Verzenden als,mailbox_permission.add,") {
		t.Errorf("export: %d\n%s", r.status, r.body)
	}
	// The CSV carries the raw before and after data, each in its own column (the
	// session is in Dutch now).
	r = a.get("/audit/export?action=forwarding.set")
	rows, err := csv.NewReader(strings.NewReader(r.body)).ReadAll()
	if err != nil || len(rows) != 2 || len(rows[0]) != 9 || rows[0][5] != "Voor" || rows[0][6] != "Na" {
		t.Fatalf("forwarding export: %v %q", err, rows)
	}
	if !strings.Contains(rows[1][6], `"forwarding_address":"alexw@contoso.com"`) || strings.Contains(rows[1][5], "alexw@contoso.com") {
		t.Errorf("raw before %q, after %q", rows[1][5], rows[1][6])
	}
}

// changes is the field changes shown in sel, one "Field: before -> after" each.
func changes(sel *goquery.Selection) string {
	return strings.Join(sel.Find("li").Map(func(_ int, li *goquery.Selection) string {
		return strings.Join(strings.Fields(li.Text()), " ")
	}), " | ")
}

// TestAuditLogReaders: the Global administrator, the Exchange administrator and the
// Global reader read the audit log; the Helpdesk, User and Exchange recipient
// administrators are refused on the server, page and export alike, and don't see it
// in the navigation.
func TestAuditLogReaders(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.signInAdmin()
	// A User administrator and an Exchange recipient administrator to refuse too.
	ctx := context.Background()
	global, _ := a.store.Authenticate(ctx, "admin@contoso.com", testPassword)
	for addr, role := range map[string]models.Role{"nestorw@contoso.com": models.RoleExchangeRecipientAdmin, "isaiahl@contoso.com": models.RoleUserAdmin} {
		id, _ := a.store.UserIDByAddress(ctx, addr)
		if err := a.store.SetRoles(ctx, global, id, []models.Role{role}, models.AnyVersion); err != nil {
			t.Fatal(err)
		}
		if err := a.store.SetPassword(ctx, id, testPassword); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		who string
		may bool
	}{{"admin@contoso.com", true}, {"pattif@contoso.com", true}, {"miriamg@contoso.com", true}, {"leeg@contoso.com", false},
		{"nestorw@contoso.com", false}, {"isaiahl@contoso.com", false}} {
		b := a.on(t)
		b.client = newClient()
		if r := b.signIn(c.who, testPassword); r.status != http.StatusSeeOther {
			t.Fatalf("%s signs in: %d", c.who, r.status)
		}
		want := http.StatusForbidden
		if c.may {
			want = http.StatusOK
		}
		for _, p := range []string{"/audit", "/audit/export", "/audit?action=signin.success"} {
			if r := b.get(p); r.status != want {
				t.Errorf("%s GET %s = %d, want %d", c.who, p, r.status, want)
			} else if !c.may && (strings.Contains(r.body, "data-audit-entry") || strings.Contains(r.body, "admin@contoso.com")) {
				t.Errorf("%s sees entries on %s", c.who, p)
			}
		}
		nav := b.get("/").doc.Find(`nav a[href="/audit"]`).Length()
		if (nav == 1) != c.may {
			t.Errorf("%s: audit log in the navigation: %d", c.who, nav)
		}
	}
}
