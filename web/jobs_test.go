package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// waitJobPage polls a job's page, as its progress part does, until the job ends.
func (a *app) waitJobPage(path string) response {
	a.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		r := a.get(path, "HX-Request", "true")
		if r.status != http.StatusOK {
			a.t.Fatalf("%s: %d", path, r.status)
		}
		if _, polling := r.doc.Find("#job-progress").Attr("hx-trigger"); !polling {
			return r
		}
		time.Sleep(10 * time.Millisecond)
	}
	a.t.Fatalf("%s did not finish", path)
	return response{}
}

func TestBulkJobs(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.signInAdmin()
	tok := a.csrf("/users")

	t.Run("everyone who matches, not only the page", func(t *testing.T) {
		a := a.on(t)
		if r := a.get("/users?q=jo"); r.doc.Find(`form[action="/users/bulk-all"] select[name=action]`).Length() != 1 {
			t.Fatal("no bulk-all form on Active users")
		}
		r := a.post("/users/bulk-all", url.Values{"_csrf": {tok}, "action": {"block"}, "q": {"jo"}, "filter": {"all"}})
		if r.status != http.StatusOK || !strings.Contains(r.body, "all 2 people who match") {
			t.Fatalf("confirm: %d %s", r.status, text(r, "main"))
		}
		r = a.post("/users/bulk-all", url.Values{"_csrf": {tok}, "action": {"block"}, "q": {"jo"}, "filter": {"all"}, "confirm": {"on"}})
		loc := r.header.Get("Location")
		if r.status != http.StatusSeeOther || !strings.HasPrefix(loc, "/jobs/") {
			t.Fatalf("start: %d %s", r.status, loc)
		}
		r = a.waitJobPage(loc)
		if v, _ := r.doc.Find("progress").Attr("value"); v != "100" || !strings.Contains(text(r, "[role=status]"), "2 people changed.") {
			t.Fatalf("result: %s", text(r, "#job-progress"))
		}
		if full := a.get(loc); text(full, "h1") != "Block sign-in: everyone who matches" {
			t.Errorf("page: %q", text(full, "h1"))
		}
		if list := a.get("/jobs"); list.doc.Find(`a[href="`+loc+`"]`).Length() != 1 {
			t.Error("the job is not in the list")
		}
		if r := a.get(a.userPath("jonis@contoso.com")); !strings.Contains(r.body, "Sign-in blocked") {
			t.Error("Joni is not blocked")
		}
	})
	t.Run("a grant to everyone in the Mailbox access report", func(t *testing.T) {
		a := a.on(t)
		form := url.Values{"_csrf": {tok}, "f_mailbox": {"info"}, "right": {"SendOnBehalf"}, "mailbox": {"meganb@contoso.com"}}
		r := a.post("/reports/mailbox-access/grant", form)
		loc := r.header.Get("Location")
		if r.status != http.StatusSeeOther || !strings.HasPrefix(loc, "/jobs/") {
			t.Fatalf("start: %d %s", r.status, text(r, "main"))
		}
		r = a.waitJobPage(loc)
		if !strings.Contains(text(r, "[role=status]"), "1 person changed.") {
			t.Fatalf("result: %s", text(r, "#job-progress"))
		}
		got := a.holders("meganb@contoso.com", "SendOnBehalf")
		if len(got) != 1 || got[0] != "adelev@contoso.com" {
			t.Errorf("holders %q", got)
		}
		form.Set("mailbox", "nobody@contoso.com")
		r = a.post("/reports/mailbox-access/grant", form)
		if r.status != http.StatusUnprocessableEntity || r.doc.Find("#grant-mailbox[aria-invalid=true]").Length() != 1 {
			t.Fatalf("bad mailbox: %d", r.status)
		}
		if v, _ := r.doc.Find("#report-mailbox").Attr("value"); v != "info" {
			t.Errorf("the filter is lost: %q", v)
		}
	})
	t.Run("someone else's job is not found", func(t *testing.T) {
		a := a.on(t)
		other := a.on(t)
		other.client = newClient()
		if r := other.signIn("pattif@contoso.com", testPassword); r.status != http.StatusSeeOther {
			t.Fatal("sign-in")
		}
		if r := other.get("/jobs/1"); r.status != http.StatusNotFound {
			t.Errorf("status %d", r.status)
		}
	})
}
