//go:build e2e

package e2e

import (
	"fmt"
	"testing"

	"github.com/playwright-community/playwright-go"
)

// A list whose counts a pane changes is current once the pane closes (by Escape
// and by Close), and focus is back on the row link that opened the pane, after the
// list was read again (not lost on the page's body).
func TestListsAreCurrentAfterThePaneCloses(t *testing.T) {
	srv := startServer(t)
	b := newBrowser(t, srv, "en-US")
	b.signInAdmin(english)
	closeBtn := b.page.GetByRole("dialog").Locator("form[data-pane-close]").GetByRole("button", playwright.LocatorGetByRoleOptions{Name: "Close", Exact: playwright.Bool(true)}).First()
	// row and count find a row by its link's name, and its count in column col.
	row := func(name string) playwright.Locator {
		return b.page.GetByRole("table").Locator("tr").Filter(playwright.LocatorFilterOptions{
			Has: b.page.GetByRole("link", playwright.PageGetByRoleOptions{Name: name, Exact: playwright.Bool(true)})})
	}
	link := func(name string) playwright.Locator {
		return row(name).GetByRole("link", playwright.LocatorGetByRoleOptions{Name: name, Exact: playwright.Bool(true)})
	}
	count := func(name string, col int) int {
		t.Helper()
		s, err := row(name).Locator("td").Nth(col).TextContent()
		b.must(err)
		var n int
		_, err = fmt.Sscan(s, &n)
		b.must(err)
		return n
	}
	closedWith := func(name string, col, want int) {
		t.Helper()
		b.must(expect.Locator(b.page.GetByRole("dialog")).ToHaveCount(0))
		b.must(expect.Locator(row(name).Locator("td").Nth(col)).ToHaveText(fmt.Sprint(want)))
		b.must(expect.Locator(link(name)).ToBeFocused())
	}

	// Teams & groups: Sales Team's member count.
	b.openGroups(groupsEN)
	b.must(b.page.GetByRole("link", playwright.PageGetByRoleOptions{Name: groupsEN.Distribution}).First().Click())
	n := count("Sales Team", 2)
	b.must(link("Sales Team").Click())
	b.must(b.role("tab", groupsEN.MembersTab).Click())
	b.must(b.role("button", groupsEN.AddMembers).Click())
	b.must(b.page.GetByRole("checkbox", playwright.PageGetByRoleOptions{Name: "MarketingSG", Exact: playwright.Bool(true)}).Check())
	b.must(b.role("button", groupsEN.Add).Click())
	b.must(expect.Locator(b.page.GetByRole("tabpanel")).ToContainText("MarketingSG"))
	b.paneReady()
	b.must(b.page.Keyboard().Press("Escape"))
	closedWith("Sales Team", 2, n+1)
	b.checkA11y("groups list after the pane closed")

	b.must(link("Sales Team").Click())
	b.must(b.role("tab", groupsEN.MembersTab).Click())
	b.must(b.role("button", "Remove member MarketingSG").Click())
	b.must(expect.Locator(b.page.GetByRole("tabpanel")).Not().ToContainText("MarketingSG"))
	b.paneReady()
	b.must(closeBtn.Click())
	closedWith("Sales Team", 2, n)

	// Shared mailboxes: Info's member count.
	b.goto_("/shared-mailboxes")
	n = count("Info", 2)
	b.must(link("Info").Click())
	b.paneReady()
	b.must(b.role("button", "Edit Members").Click())
	b.must(b.role("button", sharedEN.AddMembers).Click())
	b.must(b.page.GetByRole("checkbox", playwright.PageGetByRoleOptions{Name: "Alex Wilber", Exact: playwright.Bool(true)}).Check())
	b.must(b.role("button", sharedEN.AddButton).Click())
	b.must(expect.Locator(b.page.GetByRole("dialog")).ToContainText("Alex Wilber"))
	b.paneReady()
	b.must(closeBtn.Click())
	closedWith("Info", 2, n+1)

	b.must(link("Info").Click())
	b.paneReady()
	b.must(b.role("button", "Edit Members").Click())
	b.must(b.role("button", "Remove Alex Wilber").Click())
	b.must(expect.Locator(b.page.Locator("#toasts")).ToContainText("Alex Wilber is no longer a member"))
	b.paneReady()
	b.must(b.page.Keyboard().Press("Escape"))
	closedWith("Info", 2, n)
}
