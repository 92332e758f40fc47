package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// footerOrder is the tags of a footer's children, with Cancel marked: the one
// button rule wants "button cancel".
func footerOrder(r response) string {
	var out []string
	r.doc.Find("[data-panel-footer]").Children().Each(func(_ int, s *goquery.Selection) {
		if _, ok := s.Attr("data-cancel"); ok {
			out = append(out, "cancel")
			return
		}
		out = append(out, goquery.NodeName(s))
	})
	return strings.Join(out, " ")
}

// Manage username and email has one footer (Save username, which submits the
// username form from below the email addresses, then Cancel); a stale username
// save is the panel with the reload message and Reload, at 409, without a Save.
func TestAddressesPanelFooterAndStaleSave(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.signInAdmin()
	base := a.userPath("meganb@contoso.com")
	r := a.get(base + "/addresses")
	if got := footerOrder(r); got != "button cancel" {
		t.Fatalf("footer: %q", got)
	}
	if f, _ := r.doc.Find("[data-panel-footer] button").Attr("form"); f != "upn-form" || r.doc.Find("form#upn-form").Length() != 1 {
		t.Fatalf("the footer's Save submits %q", f)
	}
	tok, _ := r.doc.Find(`input[name="_csrf"]`).First().Attr("value")
	v, _ := r.doc.Find(`#upn-form input[name="version"]`).Attr("value")
	if r := a.post(base+"/username", url.Values{"_csrf": {tok}, "version": {v}, "upn_alias": {"megan"}, "upn_domain": {"contoso.com"}}); r.status != http.StatusSeeOther {
		t.Fatalf("first save: %d", r.status)
	}
	r = a.post(base+"/username", url.Values{"_csrf": {tok}, "version": {v}, "upn_alias": {"megan.b"}, "upn_domain": {"contoso.com"}}, "HX-Request", "true")
	if r.status != http.StatusConflict || !strings.Contains(text(r, "[role=dialog] [role=alert]"), "Someone else changed this person") {
		t.Fatalf("stale: %d %q", r.status, text(r, "[role=alert]"))
	}
	if r.doc.Find("[role=alert] button:contains('Reload')").Length() != 1 || r.doc.Find("[data-panel-footer]").Length() != 0 {
		t.Fatalf("stale panel: Reload %d, footers %d", r.doc.Find("[role=alert] button:contains('Reload')").Length(), r.doc.Find("[data-panel-footer]").Length())
	}
}

// With the classic properties pane chosen, the Licenses tab's address is the
// Manage licenses panel (no tabs, Back to the classic pane), its stale save the
// same panel with Reload at 409; the modern pane keeps the tab. Both have one
// footer: Save changes, then Cancel.
func TestClassicLicensesPanel(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.signInAdmin()
	base := a.userPath("meganb@contoso.com")
	modern := a.get(base + "?tab=licenses")
	if modern.doc.Find("[role=tablist]").Length() != 1 || footerOrder(modern) != "button cancel" {
		t.Fatalf("modern Licenses tab: tablist %d, footer %q", modern.doc.Find("[role=tablist]").Length(), footerOrder(modern))
	}
	tok := a.csrf("/settings/personal")
	if r := a.post("/settings/personal", url.Values{"_csrf": {tok}, "classic_pane": {"on"}}); r.status != http.StatusSeeOther {
		t.Fatalf("choosing the classic pane: %d", r.status)
	}
	r := a.get(base+"?tab=licenses", "HX-Request", "true")
	if r.doc.Find("[role=tablist]").Length() != 0 || text(r, "#pane-title") != "Manage licenses" || footerOrder(r) != "button cancel" {
		t.Fatalf("classic licences: tablist %d, title %q, footer %q", r.doc.Find("[role=tablist]").Length(), text(r, "#pane-title"), footerOrder(r))
	}
	if back, _ := r.doc.Find("[data-pane-header] form").First().Attr("action"); back != base {
		t.Fatalf("Back goes to %q", back)
	}
	v, _ := r.doc.Find(`input[name="version"]`).Attr("value")
	lic := r.doc.Find(`input[name="license"]`)
	var checked []string
	lic.Each(func(_ int, s *goquery.Selection) {
		if _, ok := s.Attr("checked"); ok {
			checked = append(checked, s.AttrOr("value", ""))
		}
	})
	form := url.Values{"_csrf": {tok}, "version": {v}, "license": checked}
	if r := a.post(base+"/licenses", form, "HX-Request", "true"); r.status != http.StatusOK || text(r, "#pane-title") != "Manage licenses" {
		t.Fatalf("save: %d %q", r.status, text(r, "#pane-title"))
	}
	r = a.post(base+"/licenses", form, "HX-Request", "true")
	if r.status != http.StatusConflict || text(r, "#pane-title") != "Manage licenses" ||
		r.doc.Find("[role=dialog] [role=alert] button:contains('Reload')").Length() != 1 {
		t.Fatalf("stale: %d %q", r.status, text(r, "[role=dialog]"))
	}
}
