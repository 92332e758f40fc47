package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// signedIn reports whether the app's client still has a working session.
func (a *app) signedIn() bool {
	a.t.Helper()
	return a.get("/users").status == http.StatusOK
}

// TestCSRFTokenIsBoundToTheSession: only the token the server keeps with the
// session passes, from the header or the form body; nothing a client (or a
// neighbouring subdomain setting cookies) can choose, and nothing from the query.
func TestCSRFTokenIsBoundToTheSession(t *testing.T) {
	a := newApp(t)
	preSession := a.csrf("/signin")
	a.signInAdmin()
	u, _ := url.Parse(a.srv.URL)

	// An attacker-chosen cookie and form pair (cookie tossing), with and without
	// the fetch metadata of a sibling subdomain.
	a.client.Jar.SetCookies(u, []*http.Cookie{{Name: "_csrf", Value: "attacker-chosen-token-0123456789abcdef"}, {Name: "admincenter_presession", Value: "attacker-chosen-token-0123456789abcdef"}})
	for _, h := range [][]string{nil, {"Sec-Fetch-Site", "same-site"}} {
		if r := a.post("/signout", url.Values{"_csrf": {"attacker-chosen-token-0123456789abcdef"}}, h...); r.status != http.StatusForbidden || !a.signedIn() {
			t.Fatalf("attacker-chosen token pair %v: %d", h, r.status)
		}
	}
	// The token from before sign-in is not the session's.
	if r := a.post("/signout", url.Values{"_csrf": {preSession}}); r.status != http.StatusForbidden || !a.signedIn() {
		t.Fatalf("pre-sign-in token after sign-in: %d", r.status)
	}
	// Another admin's valid token is not this session's.
	other := a.withClient(newClient())
	other.signInAdmin()
	otherTok := other.csrf("/")
	if r := a.post("/signout", url.Values{"_csrf": {otherTok}}); r.status != http.StatusForbidden || !a.signedIn() {
		t.Fatalf("another session's token: %d", r.status)
	}

	tok := a.csrf("/")
	page := a.get("/users")
	if h, _ := page.doc.Find("body").Attr("hx-headers"); !strings.Contains(h, tok) {
		t.Fatalf("htmx requests do not carry the session's token: %q", h)
	}
	// Never from the query string.
	if r := a.post("/signout?_csrf="+url.QueryEscape(tok), nil); r.status != http.StatusForbidden || !a.signedIn() {
		t.Fatalf("token in the query string: %d", r.status)
	}
	// A sibling subdomain's request is refused even with the right token.
	if r := a.post("/signout", url.Values{"_csrf": {tok}}, "Sec-Fetch-Site", "same-site"); r.status != http.StatusForbidden || !a.signedIn() {
		t.Fatalf("Sec-Fetch-Site: same-site: %d", r.status)
	}
	// The session's token works, in the body or the header.
	if r := a.post("/language", url.Values{"_csrf": {tok}, "lang": {"en"}, "next": {"/users"}}, "Sec-Fetch-Site", "same-origin"); r.status != http.StatusSeeOther {
		t.Fatalf("the session's token in the body: %d", r.status)
	}
	if r := a.post("/signout", nil, "X-CSRF-Token", tok); r.status != http.StatusSeeOther || a.signedIn() {
		t.Fatalf("the session's token in the header: %d", r.status)
	}
	// Signed out, the old token is worth nothing; the sign-in page has a new one.
	if fresh := a.csrf("/signin"); fresh == tok {
		t.Fatal("the ended session's token is still handed out")
	}
}

// withClient returns the same app speaking through another client.
func (a *app) withClient(c *http.Client) *app {
	b := *a
	b.client = c
	return &b
}

// TestSignInFormNeedsItsPreSessionToken: before there is a session, the token is
// bound to a pre-session cookie by the server's signature; a token with another
// cookie, or made up, is refused.
func TestSignInFormNeedsItsPreSessionToken(t *testing.T) {
	a := newApp(t)
	tok := a.csrf("/signin")
	other := a.withClient(newClient())
	otherTok := other.csrf("/signin")
	form := url.Values{"email": {"admin@contoso.com"}, "password": {testPassword}}
	// The made-up token differs from the real one in its first character
	// whatever that character is.
	first := "x"
	if tok[0] == 'x' {
		first = "y"
	}
	for name, sent := range map[string]string{"another visitor's token": otherTok, "made up": first + tok[1:]} {
		form.Set("_csrf", sent)
		if r := a.post("/signin", form); r.status != http.StatusForbidden {
			t.Errorf("%s: %d", name, r.status)
		}
	}
	form.Set("_csrf", tok)
	if r := a.post("/signin", form); r.status != http.StatusSeeOther {
		t.Fatalf("own token: %d", r.status)
	}
	if a.count(`SELECT COUNT(*) FROM sessions`) != 1 {
		t.Fatal("sign-in must create exactly one session")
	}
}

// TestPageOpenWhenTheSessionEndedGoesToSignIn: a form posted after the session
// ended is sent to sign in (htmx by its redirect header), not refused as forged,
// and does nothing.
func TestPageOpenWhenTheSessionEndedGoesToSignIn(t *testing.T) {
	a := newApp(t)
	a.signInAdmin()
	tok := a.csrf("/")
	id, _ := a.store.UserIDByAddress(t.Context(), "admin@contoso.com")
	if err := a.store.DeleteUserSessions(t.Context(), id); err != nil {
		t.Fatal(err)
	}
	r := a.post("/language", url.Values{"_csrf": {tok}, "lang": {"nl"}}, "HX-Request", "true")
	if r.status != http.StatusUnauthorized || !strings.HasPrefix(r.header.Get("HX-Redirect"), "/signin") {
		t.Fatalf("htmx post after the session ended: %d %q", r.status, r.header.Get("HX-Redirect"))
	}
	for _, c := range (&http.Response{Header: r.header}).Cookies() {
		if c.Name == "lang" {
			t.Fatal("the post was carried out")
		}
	}
}
