//go:build e2e

package e2e

import (
	"strconv"
	"strings"
	"testing"

	"github.com/playwright-community/playwright-go"
)

// TestLongTextWithoutSpacesFits: a display name of 256 characters without a space
// (the longest the admin center takes) is shown in Active users, in the person's
// pane and its Mail tab, and in the audit log's raw data, at 1440x900 and at
// 390x844: nothing is wider than the screen, the pane's header keeps its name
// clear of the Close button, and the whole name is there to read.
func TestLongTextWithoutSpacesFits(t *testing.T) {
	long := strings.Repeat("Meganbowen", 25) + "Megan!"
	if len(long) != 256 {
		t.Fatalf("the name is %d characters", len(long))
	}
	srv := startServer(t)
	b := newBrowser(t, srv, "en-US")
	b.signInAdmin(english)
	b.openActiveUsers(english)
	b.openUser("Megan Bowen")
	id, err := b.page.Locator("[data-pane]").GetAttribute("data-user-id")
	b.must(err)
	b.goto_("/users/" + id + "/contact")
	b.paneReady()
	b.must(b.page.Locator("#c-display").Fill(long))
	save := b.page.Locator("[data-pane] [data-panel-footer]").GetByRole("button", playwright.LocatorGetByRoleOptions{Name: "Save changes", Exact: playwright.Bool(true)})
	res, err := b.page.ExpectResponse(urlPattern(`/users/`+id+`/contact$`), func() error { return save.Click() })
	b.must(err)
	if res.Status() != 200 {
		t.Fatalf("saving the long name: %d", res.Status())
	}

	for _, size := range []playwright.Size{{Width: 1440, Height: 900}, phone} {
		b.must(b.page.SetViewportSize(size.Width, size.Height))
		where := func(what string) string { return what + " at " + strconv.Itoa(size.Width) + " px" }

		b.goto_("/users?q=meganbowen")
		link := b.page.GetByRole("table").GetByRole("link", playwright.LocatorGetByRoleOptions{Name: long, Exact: playwright.Bool(true)})
		b.must(expect.Locator(link).ToBeVisible())
		if wide := b.wideElements(); len(wide) > 0 {
			t.Errorf("%s: %v", where("Active users"), wide)
		}

		b.must(link.Click())
		pane := b.role("dialog", long)
		b.must(expect.Locator(pane).ToBeVisible())
		b.paneReady()
		if wide := b.wideElements(); len(wide) > 0 {
			t.Errorf("%s: %v", where("the pane"), wide)
		}
		b.noOverlap(where("the pane's header"), b.page.Locator("#pane-title"), pane.GetByRole("button", playwright.LocatorGetByRoleOptions{Name: "Close", Exact: playwright.Bool(true)}))
		b.checkA11y(where("the pane of a person with a 256-character name"))

		b.must(pane.GetByRole("tab", playwright.LocatorGetByRoleOptions{Name: "Mail", Exact: playwright.Bool(true)}).Click())
		b.must(expect.Locator(pane.GetByRole("tabpanel")).ToBeVisible())
		b.paneReady()
		if wide := b.wideElements(); len(wide) > 0 {
			t.Errorf("%s: %v", where("the Mail tab"), wide)
		}
		b.screenshot("longtext-pane-" + strconv.Itoa(size.Width))

		// The audit log names the change; its raw data (JSON with the long name) wraps.
		b.goto_("/audit")
		details := b.page.Locator("details").First()
		b.must(details.Locator("summary").Click())
		b.must(expect.Locator(details.Locator("dl")).ToContainText(long[:60]))
		if wide := b.wideElements(); len(wide) > 0 {
			t.Errorf("%s: %v", where("the audit log with raw data open"), wide)
		}
		b.screenshot("longtext-audit-" + strconv.Itoa(size.Width))
	}
}

// noOverlap fails when two elements' boxes overlap (a long title running under a
// button).
func (b *browserSession) noOverlap(what string, one, other playwright.Locator) {
	b.t.Helper()
	r1, err := one.BoundingBox()
	b.must(err)
	r2, err := other.BoundingBox()
	b.must(err)
	if r1 == nil || r2 == nil {
		b.t.Errorf("%s: an element is not on screen", what)
		return
	}
	if r1.X < r2.X+r2.Width && r2.X < r1.X+r1.Width && r1.Y < r2.Y+r2.Height && r2.Y < r1.Y+r1.Height {
		b.t.Errorf("%s: %+v overlaps %+v", what, *r1, *r2)
	}
}
