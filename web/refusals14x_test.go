package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/labstack/echo/v4"

	"github.com/contoso/admincenter/models"
)

// Automapping asked for a group (a tampered or stale form) is refused in the Read
// and manage panel, with the reason, in English and Dutch; before, a bare 422 put
// the generic error page in the pane and the panel and the message were lost.
func TestAutomappingRefusalIsThePanelWithTheReason(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.signInAdmin()
	base := a.userPath("meganb@contoso.com")
	tok := a.csrf(base)
	group := a.recipient("marketingsg@contoso.com")
	if r := a.post(base+"/mailbox-permissions/fullaccess", url.Values{"_csrf": {tok}, "trustee": {group}}); r.status != http.StatusSeeOther {
		t.Fatalf("grant to the group: %d %q", r.status, text(r, "[role=alert]"))
	}
	for _, c := range []struct{ lang, title, want string }{
		{"en", "Read and manage", "Automapping applies to people, not groups."},
		{"nl", "Lezen en beheren", "Automatisch toewijzen geldt voor personen, niet voor groepen."},
	} {
		r := a.post(base+"/mailbox-permissions/fullaccess/automapping", url.Values{"_csrf": {tok}, "trustee": {group}, "on": {"false"}},
			"HX-Request", "true", "HX-Target", "pane", "Accept-Language", c.lang)
		if r.status != http.StatusUnprocessableEntity || text(r, "#save-error") != c.want {
			t.Fatalf("%s: %d %q", c.lang, r.status, text(r, "#save-error"))
		}
		if r.doc.Find("#save-error[data-info-box] svg").Length() != 1 {
			t.Fatalf("%s: the reason is not an info box with its icon", c.lang)
		}
		if r.header.Get("X-Error-Page") != "" || !strings.HasPrefix(text(r, "#pane-title"), c.title) || r.doc.Find("[role=dialog]").Length() != 1 {
			t.Fatalf("%s: not the panel: %q", c.lang, text(r, "#pane-title"))
		}
	}
}

// Any error page (a handler that answers a refusal without its panel) is marked so
// htmx never swaps it into a pane or a list, also at 409 and 422, and a rule the
// models refused still says its message instead of a general failure.
func TestErrorPagesAreMarkedAndKeepTheMessage(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.signInAdmin()
	a.echo.GET("/test-only/refused", func(c echo.Context) error {
		return models.Invalid("name", "group.error.none_selected", nil)
	})
	a.echo.GET("/test-only/bare", func(c echo.Context) error {
		return echo.NewHTTPError(http.StatusUnprocessableEntity)
	})
	for _, c := range []struct{ path, lang, want string }{
		{"/test-only/refused", "en", "Choose at least one."},
		{"/test-only/refused", "nl", "Kies er ten minste één."},
		{"/test-only/bare", "en", ""},
	} {
		r := a.get(c.path, "HX-Request", "true", "Accept-Language", c.lang)
		if r.status != http.StatusUnprocessableEntity || r.header.Get("X-Error-Page") != "true" {
			t.Fatalf("%s %s: %d, X-Error-Page %q", c.path, c.lang, r.status, r.header.Get("X-Error-Page"))
		}
		if got := text(r, "[data-error-message]"); got == "" || (c.want != "" && got != c.want) {
			t.Fatalf("%s %s: message %q", c.path, c.lang, got)
		}
	}
	if r := a.get("/test-only/missing"); r.status != http.StatusNotFound || r.header.Get("X-Error-Page") != "true" {
		t.Fatalf("404: %d %q", r.status, r.header.Get("X-Error-Page"))
	}
}

// Every list whose rows a pane changes (counts, licences, names, blocked badge) is
// read again when the pane closes (static/js/app.js closePane).
func TestListsRefreshWhenThePaneCloses(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.signInAdmin()
	for path, id := range map[string]string{"/users": "users-results", "/groups": "groups-results", "/contacts": "contacts-results", "/shared-mailboxes": "shared-results"} {
		r := a.get(path)
		if r.status != http.StatusOK || r.doc.Find("#"+id+"[data-refresh-on-close]").Length() != 1 {
			t.Errorf("%s: #%s is not refreshed when the pane closes (%d)", path, id, r.status)
		}
	}
}

// Warnings and errors the audit found hand-coloured are info boxes with an icon.
func TestWarningsAreInfoBoxesWithAnIcon(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.signInAdmin()
	base := a.userPath("meganb@contoso.com")
	for _, c := range []struct{ path, sel string }{
		{"/reports/forwarding", "main [data-info-box] svg"},
		{base + "/mailbox-permissions/sendas/add?q=nobody@fabrikam.com", "[role=alert][data-info-box] svg"},
	} {
		if r := a.get(c.path); r.doc.Find(c.sel).Length() == 0 {
			t.Errorf("%s: no %s (%d)", c.path, c.sel, r.status)
		}
	}
}

// A group's long address (pane header) and a member's long address are not cut
// off: they wrap, with the full text in title too.
func TestGroupPaneLongAddressesWrap(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.signInAdmin()
	sales := "/groups/" + itoa(groupID(t, a, "salesteam@contoso.com"))
	for _, p := range []string{sales, sales + "?tab=members"} {
		r := a.get(p)
		r.doc.Find("[role=dialog] .truncate").Each(func(_ int, s *goquery.Selection) {
			if _, ok := s.Attr("title"); !ok {
				t.Errorf("%s: truncated without the full text: %q", p, s.Text())
			}
		})
		if title, _ := r.doc.Find("[role=dialog] [data-full-text]").First().Attr("title"); title != "salesteam@contoso.com" {
			t.Errorf("%s: header address title %q", p, title)
		}
	}
}
