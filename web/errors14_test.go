package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// Add in the permissions picker with nothing ticked says so, in the picker, in
// English and Dutch; before, it quietly went back to the right's panel.
func TestPickerAddWithNothingSelectedSaysSo(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.signInAdmin()
	base := a.userPath("meganb@contoso.com")
	for _, c := range []struct{ lang, want string }{
		{"en", "Choose at least one person or group."},
		{"nl", "Kies ten minste één persoon of groep."},
	} {
		r := a.get(base+"/mailbox-permissions/sendas?picked=1&q=", "Accept-Language", c.lang)
		if r.status != http.StatusUnprocessableEntity || text(r, "#picker-error") != c.want {
			t.Fatalf("%s: %d %q", c.lang, r.status, text(r, "#picker-error"))
		}
		if d, _ := r.doc.Find("#picker-search").Attr("aria-describedby"); d != "picker-error" {
			t.Fatalf("%s: search describedby %q", c.lang, d)
		}
	}
	// The same Add with a person ticked stages them as before.
	r := a.get(base + "/mailbox-permissions/sendas?picked=1&trustee=" + a.recipient("alexw@contoso.com"))
	if r.status != http.StatusOK || !strings.Contains(text(r, "[data-staged]"), "Alex Wilber") {
		t.Fatalf("staged: %d %q", r.status, text(r, "[data-staged]"))
	}
}

// A stale save comes back as its panel with the reload message and the current
// value, at 409, which htmx swaps in (the layout's responseHandling), and never
// names the Global administrator's role.
func TestStaleForwardingSaveIsThePanel(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.signInAdmin()
	base := a.userPath("meganb@contoso.com")
	tok := a.csrf(base)
	v := a.forwardingVersion(base)
	if r := a.post(base+"/forwarding", url.Values{"_csrf": {tok}, "version": {v}, "forward": {"on"}, "address": {"alexw@contoso.com"}}); r.status != http.StatusSeeOther {
		t.Fatalf("first save: %d", r.status)
	}
	r := a.post(base+"/forwarding", url.Values{"_csrf": {tok}, "version": {v}, "forward": {"on"}, "address": {"diegos@contoso.com"}}, "HX-Request", "true")
	if r.status != http.StatusConflict || !strings.Contains(text(r, "[role=alert]"), "Someone else changed forwarding") {
		t.Fatalf("stale: %d %q", r.status, text(r, "[role=alert]"))
	}
	if !strings.Contains(text(r, "[role=dialog]"), "alexw@contoso.com") || r.doc.Find("[role=alert] button:contains('Reload')").Length() != 1 {
		t.Fatalf("no current value or Reload: %q", text(r, "[role=dialog]"))
	}
	if strings.Contains(r.body, "Your role") {
		t.Fatal("a stale save names the Global administrator's role")
	}
	layout := a.get(base).body
	if !strings.Contains(layout, `{&#34;code&#34;:&#34;409&#34;,&#34;swap&#34;:true}`) && !strings.Contains(layout, `{"code":"409","swap":true}`) {
		t.Fatal("htmx does not swap a 409 panel")
	}
}

// htmx must not settle the style attribute: under the CSP (no inline styles) that
// write is a violation, which the seed-flow browser test caught after saves.
func TestHtmxDoesNotSettleStyle(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.signInAdmin()
	body := a.get("/users").body
	if !strings.Contains(body, `&#34;attributesToSettle&#34;:[&#34;class&#34;,&#34;width&#34;,&#34;height&#34;]`) &&
		!strings.Contains(body, `"attributesToSettle":["class","width","height"]`) {
		t.Fatal("htmx settles the style attribute")
	}
}
