package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

var (
	twoDescribedBy = regexp.MustCompile(`<[^>]*\saria-describedby=[^>]*\saria-describedby=[^>]*>`)
	elseAttribute  = regexp.MustCompile(`<[a-z][^>]*\selse(=|\s|/?>)`)
)

// checkDescribedBy fails when an element names aria-describedby twice, or names an
// element the page doesn't have (the bulk buttons named a missing #bulk-why).
func checkDescribedBy(t *testing.T, page string, r response) {
	t.Helper()
	if m := twoDescribedBy.FindString(r.body); m != "" {
		t.Errorf("%s: two aria-describedby on one element: %s", page, m)
	}
	r.doc.Find("[aria-describedby]").Each(func(_ int, s *goquery.Selection) {
		ids, _ := s.Attr("aria-describedby")
		for _, id := range strings.Fields(ids) {
			if r.doc.Find("#"+id).Length() == 0 {
				h, _ := goquery.OuterHtml(s)
				t.Errorf("%s: aria-describedby names #%s, which isn't there: %.200s", page, id, h)
			}
		}
	})
	if m := elseAttribute.FindString(r.body); m != "" {
		t.Errorf("%s: an attribute named else: %.200s", page, m)
	}
}

func TestEveryDescribedByPointsAtAnElement(t *testing.T) {
	t.Parallel()
	for _, who := range []string{"admin@contoso.com", "miriamg@contoso.com", "leeg@contoso.com"} {
		t.Run(who, func(t *testing.T) {
			t.Parallel()
			a := newApp(t)
			if r := a.signIn(who, testPassword); r.status != http.StatusSeeOther {
				t.Fatalf("sign-in: %d", r.status)
			}
			megan := a.userPath("meganb@contoso.com")
			info := a.sharedPath("info@contoso.com")
			for _, p := range []string{"/users", "/users?q=megan", megan, megan + "?tab=mail", megan + "/forwarding",
				megan + "/forwarding/targets?address=megan@fabrikam.com", megan + "/permissions",
				"/shared-mailboxes", "/shared-mailboxes/new", info, info + "/forwarding", info + "/auto-replies", info + "/members",
				"/settings/forwarding", "/groups", "/audit"} {
				r := a.get(p)
				if r.status >= 500 {
					t.Fatalf("%s: %d", p, r.status)
				}
				checkDescribedBy(t, p, r)
			}
		})
	}
}

func TestSignInErrorsDescribeTheFields(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	tok := a.csrf("/signin")
	r := a.post("/signin", url.Values{"_csrf": {tok}, "email": {"admin@contoso.com"}, "password": {"wrong"}})
	checkDescribedBy(t, "sign-in refused", r)
	if d, _ := r.doc.Find("#password").Attr("aria-describedby"); d != "signin-error" {
		t.Fatalf("password describedby %q", d)
	}
}
