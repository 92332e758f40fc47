package web

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/contoso/admincenter/models"
)

// TestReports reads the three reports as a Global reader (reports only read, so
// every role sees them), in English and Dutch, with filters, links and CSV.
func TestReports(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	ctx := context.Background()
	global, err := a.store.Authenticate(ctx, "admin@contoso.com", testPassword)
	if err != nil {
		t.Fatal(err)
	}
	// A shared mailbox whose name a spreadsheet would read as a formula, held by a
	// mail-enabled security group (two people) and a blocked person.
	formula, err := a.store.CreateSharedMailbox(ctx, global, "=HYPERLINK(\"http://x\")", "formula", "contoso.com")
	if err != nil {
		t.Fatal(err)
	}
	mg, _ := a.store.RecipientByAddress(ctx, "marketingsg@contoso.com")
	nestor, _ := a.store.RecipientByAddress(ctx, "nestorw@contoso.com")
	if _, err := a.store.GrantPermissions(ctx, global, models.GrantRequest{MailboxID: formula, Right: models.RightFullAccess, TrusteeIDs: []uint{mg, nestor}}); err != nil {
		t.Fatal(err)
	}
	// Another mailbox with enough grants for a second page of ten.
	paging, err := a.store.CreateSharedMailbox(ctx, global, "Paging", "paging", "contoso.com")
	if err != nil {
		t.Fatal(err)
	}
	var many []uint
	for _, addr := range []string{"adelev@contoso.com", "alexw@contoso.com", "diegos@contoso.com", "isaiahl@contoso.com", "johannal@contoso.com", "jonis@contoso.com", "lidiah@contoso.com"} {
		id, _ := a.store.RecipientByAddress(ctx, addr)
		many = append(many, id)
	}
	if _, err := a.store.GrantPermissions(ctx, global, models.GrantRequest{MailboxID: paging, Right: models.RightSendAs, TrusteeIDs: many}); err != nil {
		t.Fatal(err)
	}
	nestorUser, _ := a.store.UserIDByAddress(ctx, "nestorw@contoso.com")
	if err := a.store.SetSignInBlocked(ctx, global, nestorUser, true, true); err != nil {
		t.Fatal(err)
	}
	if r := a.signIn("miriamg@contoso.com", testPassword); r.status != http.StatusSeeOther {
		t.Fatalf("sign-in: %d", r.status)
	}

	t.Run("Reports is in the navigation and opens Mailbox access", func(t *testing.T) {
		a := a.on(t)
		r := a.get("/")
		if href, _ := r.doc.Find(`nav a:contains("Mailbox access")`).Attr("href"); href != "/reports/mailbox-access" {
			t.Fatalf("nav link %q", href)
		}
		if r := a.get("/reports"); r.status != http.StatusSeeOther || r.header.Get("Location") != "/reports/mailbox-access" {
			t.Fatalf("/reports: %d %s", r.status, r.header.Get("Location"))
		}
	})
	t.Run("Mailbox access with every filter", func(t *testing.T) {
		a := a.on(t)
		r := a.get("/reports/mailbox-access?mailbox=formula")
		if r.status != http.StatusOK {
			t.Fatalf("status %d", r.status)
		}
		if n := r.doc.Find("tbody tr").Length(); n != 4 {
			t.Fatalf("%d rows: %s", n, text(r, "tbody"))
		}
		body := text(r, "tbody")
		for _, want := range []string{"Through group MarketingSG", "Megan Bowen", "Alex Wilber", "Sign-in blocked", "Directly"} {
			if !strings.Contains(body, want) {
				t.Errorf("missing %q in %s", want, body)
			}
		}
		if got := text(r, "[role=status]"); got != "4 permissions" {
			t.Errorf("count %q", got)
		}
		var link string
		r.doc.Find("tbody a").Each(func(_ int, s *goquery.Selection) {
			if l, _ := s.Attr("aria-label"); l == `Change Read and manage on =HYPERLINK("http://x") for Nestor Wilke` {
				link, _ = s.Attr("href")
			}
		})
		if link != "/shared-mailboxes/"+itoa(formula)+"/mailbox-permissions/fullaccess" {
			t.Errorf("row link %q", link)
		}
		for q, want := range map[string]int{
			"mailbox=formula&held=group": 2, "mailbox=formula&held=direct": 2, "mailbox=formula&stale=1": 1,
			"mailbox=formula&holder=megan": 1, "mailbox=formula&right=SendAs": 0, "mailbox=formula&type=user": 0,
			"mailbox=formula&type=shared&sort=holder": 4, "mailbox=formula&right=bogus&held=bogus&type=bogus&sort=bogus": 4,
		} {
			r := a.get("/reports/mailbox-access?" + q)
			got := r.doc.Find("tbody tr td:nth-child(2)").Length()
			if r.status != http.StatusOK || got != want {
				t.Errorf("%s: %d rows (%d)", q, got, r.status)
			}
		}
		// The filters stay filled in.
		r = a.get("/reports/mailbox-access?mailbox=formula&held=group&stale=1&right=FullAccess")
		if v, _ := r.doc.Find("#report-held option[selected]").Attr("value"); v != "group" {
			t.Errorf("held kept: %q", v)
		}
		if _, ok := r.doc.Find("#report-stale").Attr("checked"); !ok {
			t.Error("stale kept")
		}
	})
	t.Run("Mailbox access pages by keyset", func(t *testing.T) {
		a := a.on(t)
		r := a.get("/reports/mailbox-access?size=10")
		next, ok := r.doc.Find(`nav[aria-label=Pagination] a:contains("Next page")`).Attr("href")
		if !ok {
			t.Fatalf("no next page: %s", text(r, "[role=status]"))
		}
		// The rows are not counted: a full page that more follow says "more than".
		if got := text(r, "[role=status]"); got != "1-10 of more than 10 permissions" {
			t.Errorf("first page count %q", got)
		}
		first := text(r, "tbody tr:first-child")
		r = a.get(next)
		if r.status != http.StatusOK || text(r, "tbody tr:first-child") == first || r.doc.Find(`a:contains("First page")`).Length() != 1 {
			t.Fatalf("second page: %d", r.status)
		}
		if got := text(r, "[role=status]"); !strings.HasPrefix(got, "11-") || !strings.HasSuffix(got, " permissions") {
			t.Errorf("second page count %q", got)
		}
		// Walk to the last page: it knows the total, which is every row shown.
		rows := 10
		for range 50 {
			rows += r.doc.Find("tbody tr").Length()
			next, ok = r.doc.Find(`nav[aria-label=Pagination] a:contains("Next page")`).Attr("href")
			if !ok {
				break
			}
			r = a.get(next)
		}
		if got, want := text(r, "[role=status]"), fmt.Sprintf("%d-%d of %d permissions", rows-r.doc.Find("tbody tr").Length()+1, rows, rows); got != want {
			t.Errorf("last page count %q, want %q", got, want)
		}
	})
	t.Run("the CSV is the whole filtered report, safe from formulas", func(t *testing.T) {
		a := a.on(t)
		r := a.get("/reports/mailbox-access/export?mailbox=formula")
		if r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), "text/csv") {
			t.Fatalf("export: %d %s", r.status, r.header.Get("Content-Type"))
		}
		rows, err := csv.NewReader(strings.NewReader(r.body)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 5 || rows[0][0] != "Mailbox" {
			t.Fatalf("%d rows: %q", len(rows), rows)
		}
		for _, row := range rows[1:] {
			if row[0] != `'=HYPERLINK("http://x")` {
				t.Errorf("formula not neutralized: %q", row[0])
			}
		}
		if !strings.Contains(r.body, "Through a group,MarketingSG") || !strings.Contains(r.body, "Nestor Wilke,nestorw@contoso.com,Person,Directly,,No,,,Yes,No") {
			t.Errorf("export rows:\n%s", r.body)
		}
	})
	t.Run("Forwarding", func(t *testing.T) {
		a := a.on(t)
		megan, _ := a.store.UserIDByAddress(ctx, "meganb@contoso.com")
		mb, _ := a.store.MailboxOfUser(ctx, megan)
		f, _ := a.store.Forwarding(ctx, mb.ID)
		if err := a.store.SetForwarding(ctx, global, mb.ID, models.ForwardingRequest{Enabled: true, Address: "=megan@fabrikam.com", KeepCopy: true, Version: f.Version}); err != nil {
			t.Fatal(err)
		}
		r := a.get("/reports/forwarding")
		if r.status != http.StatusOK || !strings.Contains(text(r, "tbody"), "Bounces: the policy blocks external forwarding (5.7.520)") {
			t.Fatalf("forwarding: %d %s", r.status, text(r, "tbody"))
		}
		if href, _ := r.doc.Find(`a[aria-label="Change forwarding of Megan Bowen"]`).Attr("href"); href != "/users/"+itoa(megan)+"/forwarding" {
			t.Errorf("link %q", href)
		}
		if n := a.get("/reports/forwarding?scope=internal").doc.Find(`a[aria-label="Change forwarding of Megan Bowen"]`).Length(); n != 0 {
			t.Error("outside forward listed as inside")
		}
		r = a.get("/reports/forwarding/export?state=blocked")
		if !strings.Contains(r.body, "Megan Bowen,meganb@contoso.com,User mailbox,'=megan@fabrikam.com,,Yes,Yes,Bounces") {
			t.Errorf("export:\n%s", r.body)
		}
	})
	t.Run("Access history", func(t *testing.T) {
		a := a.on(t)
		today := a.store.Now().Format("2006-01-02")
		r := a.get("/reports/access-history?mailbox=formula@contoso.com&day=" + today)
		if r.status != http.StatusOK || !strings.Contains(text(r, "tbody"), "nestorw@contoso.com") || !strings.Contains(text(r, "tbody"), "marketingsg@contoso.com") {
			t.Fatalf("history: %d %s", r.status, text(r, "tbody"))
		}
		r = a.get("/reports/access-history?mailbox=nobody@contoso.com&day=soon")
		if r.status != http.StatusUnprocessableEntity || r.doc.Find("#history-mailbox[aria-invalid=true]").Length() != 1 ||
			r.doc.Find("#history-day[aria-invalid=true]").Length() != 1 || !strings.Contains(r.body, "No mailbox has the address nobody@contoso.com.") {
			t.Fatalf("bad input: %d", r.status)
		}
	})
	t.Run("in Dutch", func(t *testing.T) {
		a := a.on(t)
		tok := a.csrf("/reports/mailbox-access")
		a.post("/language", url.Values{"_csrf": {tok}, "lang": {"nl"}, "next": {"/reports/mailbox-access"}})
		r := a.get("/reports/mailbox-access?mailbox=formula")
		if text(r, "h1") != "Postvaktoegang" || !strings.Contains(text(r, "tbody"), "Via groep MarketingSG") || text(r, "[role=status]") != "4 machtigingen" {
			t.Fatalf("Dutch: %s / %s", text(r, "h1"), text(r, "tbody"))
		}
		if got := text(a.get("/reports/mailbox-access?size=10"), "[role=status]"); got != "1-10 van meer dan 10 machtigingen" {
			t.Errorf("Dutch page count %q", got)
		}
		if r := a.get("/reports/access-history?mailbox=&day=x"); !strings.Contains(r.body, "Voer een dag in als datum.") {
			t.Error("Dutch error")
		}
		if r := a.get("/reports/mailbox-access/export?mailbox=formula"); !strings.HasPrefix(r.body, "Postvak,") {
			t.Errorf("Dutch CSV: %s", r.body)
		}
	})
}

// TestExportOutlivesWriteTimeout streams a CSV export through a server whose
// WriteTimeout passed before the export began: an export of a large tenant
// streams for longer than the timeout meant for ordinary pages, and must not be
// cut off while rows keep coming.
func TestExportOutlivesWriteTimeout(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.srv.Close()
	srv := httptest.NewUnstartedServer(a.echo)
	srv.Config.WriteTimeout = time.Nanosecond
	srv.Start()
	t.Cleanup(srv.Close)
	a.srv = srv
	// Sign-in pages are written after their deadline too: sign in on the store's
	// session instead, through a server without the timeout.
	plain := httptest.NewServer(a.echo)
	t.Cleanup(plain.Close)
	b := *a
	b.srv = plain
	b.signInAdmin()
	for path, least := range map[string]int{"/reports/mailbox-access/export": 2, "/reports/forwarding/export": 1} {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
		u, _ := url.Parse(plain.URL)
		for _, ck := range a.client.Jar.Cookies(u) {
			req.AddCookie(ck)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		rows, err := csv.NewReader(res.Body).ReadAll()
		res.Body.Close()
		if err != nil || res.StatusCode != http.StatusOK || len(rows) < least {
			t.Fatalf("%s: %d, %d rows, %v", path, res.StatusCode, len(rows), err)
		}
	}
}
