package web

import (
	"net/http"
	"net/url"
	"testing"
)

// The group members/owners picker and the shared members picker: Add (or Save)
// with nothing ticked says so in the picker, in English and Dutch, and the picker
// form carries the markers that make Close, Back and Escape ask before a ticked
// selection is thrown away.
func TestGroupAndSharedPickersSayNothingSelectedAndAsk(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.signInAdmin()
	sales := "/groups/" + itoa(groupID(t, a, "salesteam@contoso.com"))
	info := a.sharedPath("info@contoso.com")
	tok := a.csrf(sales)
	for _, c := range []struct {
		name, picker, post, field, lang, want string
	}{
		{"group members en", sales + "/members/add", sales + "/members", "member", "en", "Choose at least one."},
		{"group members nl", sales + "/members/add", sales + "/members", "member", "nl", "Kies er ten minste één."},
		{"group owners en", sales + "/owners/add", sales + "/owners", "owner", "en", "Choose at least one."},
		{"group owners nl", sales + "/owners/add", sales + "/owners", "owner", "nl", "Kies er ten minste één."},
		{"shared members en", info + "/members/add", info + "/members", "trustee", "en", "Choose at least one person."},
		{"shared members nl", info + "/members/add", info + "/members", "trustee", "nl", "Kies ten minste één persoon."},
	} {
		t.Run(c.name, func(t *testing.T) {
			a := a.on(t)
			r := a.get(c.picker, "Accept-Language", c.lang)
			form := r.doc.Find("form[data-picker]")
			if r.status != http.StatusOK || form.Length() != 1 || form.Find("input[type=checkbox][name="+c.field+"]").Length() == 0 {
				t.Fatalf("picker: %d, %d data-picker forms", r.status, form.Length())
			}
			if q, _ := form.Attr("data-discard-message"); q == "" {
				t.Fatal("the picker has no discard question")
			}
			r = a.post(c.post, url.Values{"_csrf": {tok}}, "HX-Request", "true", "Accept-Language", c.lang)
			if r.status != http.StatusUnprocessableEntity || text(r, "form[data-picker] [role=alert]") != c.want {
				t.Fatalf("nothing ticked: %d %q", r.status, text(r, "[role=alert]"))
			}
		})
	}
}
