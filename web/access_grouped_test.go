package web

import (
	"strings"
	"testing"
)

// TestMailboxesThisUserCanAccessGroupsRights: each mailbox is listed once with
// every right the person holds on it, and links to the mailbox's pane.
func TestMailboxesThisUserCanAccessGroupsRights(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.signInAdmin()
	r := a.get(a.userPath("adelev@contoso.com") + "?tab=mail")
	boxes := r.doc.Find("#sec-access ~ div [data-access-mailbox]")
	if boxes.Length() != 1 {
		t.Fatalf("%d mailboxes listed: %q", boxes.Length(), text(r, "#sec-access ~ div"))
	}
	if got := strings.Join(strings.Fields(boxes.Find("ul li").Text()), " "); got != "Read and manage Directly Send as Directly" {
		t.Errorf("rights on Info: %q", got)
	}
	href, _ := boxes.Find("a").First().Attr("href")
	if !strings.HasPrefix(href, "/shared-mailboxes/") || a.get(href).status != 200 {
		t.Errorf("Info links to %q", href)
	}
}
