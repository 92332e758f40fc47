package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// TestOneTimeSecretBelongsToItsObjectAndSession: a new person's password is shown
// only on that person's result page, in the session that created them, and once:
// its id on another person's page, or in another session, shows nothing (and the
// wrong page uses it up), and an htmx post gets HX-Redirect to the result page.
func TestOneTimeSecretBelongsToItsObjectAndSession(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.signInAdmin()
	tok := a.csrf("/users/new")
	create := func(alias string, headers ...string) (string, string) {
		t.Helper()
		r := a.post("/users", url.Values{"_csrf": {tok}, "first_name": {alias}, "last_name": {"Once"}, "alias": {alias},
			"domain": {"contoso.com"}, "password_mode": {"auto"}}, headers...)
		to := r.header.Get("Location")
		if h := r.header.Get("HX-Redirect"); h != "" {
			to = h
		}
		m := regexp.MustCompile(`created=(\d+)&once=([A-Za-z0-9_-]+)$`).FindStringSubmatch(to)
		if m == nil {
			t.Fatalf("create %s: %d to %q", alias, r.status, to)
		}
		return m[1], m[2]
	}
	idA, onceA := create("oncea")
	idB, onceB := create("onceb", "HX-Request", "true")

	// A's id on B's page: no password, and A's is used up.
	r := a.get("/users/new?created=" + idB + "&once=" + onceA)
	if r.status != http.StatusOK || r.doc.Find("[data-testid=new-password]").Length() != 0 {
		t.Fatalf("someone else's secret on B's page: %d", r.status)
	}
	if r := a.get("/users/new?created=" + idA + "&once=" + onceA); r.doc.Find("[data-testid=new-password]").Length() != 0 {
		t.Fatal("a secret asked for on the wrong page was still shown afterwards")
	}
	// Another session (another admin's browser) gets nothing either.
	mine := a.client
	a.client = newClient()
	a.signInAdmin()
	if r := a.get("/users/new?created=" + idB + "&once=" + onceB); r.doc.Find("[data-testid=new-password]").Length() != 0 {
		t.Fatal("another session saw the password")
	}
	// The creating session still can, once.
	a.client = mine
	r = a.get("/users/new?created=" + idB + "&once=" + onceB)
	if pw := text(r, "[data-testid=new-password]"); len(pw) < 8 || strings.Contains(r.body, "shown only once") {
		t.Fatalf("B's own page: %q", pw)
	}
	if r := a.get("/users/new?created=" + idB + "&once=" + onceB); r.doc.Find("[data-testid=new-password]").Length() != 0 {
		t.Fatal("shown twice")
	}
}
