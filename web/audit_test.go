package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestAuditLog(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.signInAdmin()
	megan := a.userPath("meganb@contoso.com")
	tok := a.csrf(megan)
	a.post(megan+"/mailbox-permissions/sendas", url.Values{"_csrf": {tok}, "trustee": {a.recipient("alexw@contoso.com")}})
	a.forward(megan, tok, "alexw@contoso.com")

	t.Run("newest first, with before and after", func(t *testing.T) {
		a := a.on(t)
		r := a.get("/audit")
		if got := text(r, "tbody tr:first-child [data-activity]"); got != "Changed email forwarding" {
			t.Fatalf("newest first: %q", got)
		}
		if !strings.Contains(text(r, "tbody"), `"forwarding_address":"alexw@contoso.com"`) {
			t.Fatal("the entry does not show before and after")
		}
	})
	t.Run("filters by action, target, actor and dates", func(t *testing.T) {
		a := a.on(t)
		r := a.get("/audit?action=mailbox_permission.add&target=megan")
		if n := r.doc.Find("tbody tr").Length(); n != 1 || !strings.Contains(text(r, "tbody"), "SendAs") {
			t.Fatalf("filtered: %d rows", n)
		}
		r = a.get("/audit?actor=admin@&action=signin.success")
		if n := r.doc.Find("tbody tr").Length(); n != 1 {
			t.Fatalf("sign-ins by admin: %d", n)
		}
		if r := a.get("/audit?from=yesterday"); r.status != http.StatusUnprocessableEntity || r.doc.Find("#audit-from[aria-invalid=true]").Length() != 1 {
			t.Fatalf("bad date: %d", r.status)
		}
		if r := a.get("/audit?from=2000-01-01&to=2000-01-02"); !strings.Contains(text(r, "tbody"), "No entries match") {
			t.Fatal("date range")
		}
	})
	t.Run("the export follows the filter", func(t *testing.T) {
		a := a.on(t)
		r := a.get("/audit/export?action=forwarding.set")
		if r.status != http.StatusOK || !strings.Contains(r.body, "forwarding.set") || strings.Count(r.body, "\n") != 2 {
			t.Fatalf("export: %d\n%s", r.status, r.body)
		}
	})
	t.Run("the log has no way to change it", func(t *testing.T) {
		a := a.on(t)
		// The log has no way to change it.
		for _, m := range []string{http.MethodPost, http.MethodPut, http.MethodDelete} {
			req, _ := http.NewRequest(m, a.srv.URL+"/audit", strings.NewReader("_csrf="+tok))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if r := a.do(a.client, req); r.status != http.StatusMethodNotAllowed && r.status != http.StatusNotFound && r.status != http.StatusForbidden {
				t.Errorf("%s /audit = %d", m, r.status)
			}
		}
	})
}
