//go:build e2e

package e2e

import (
	"strings"
	"sync"
	"testing"

	"github.com/playwright-community/playwright-go"
)

// pickerWords are the words the pickers' test needs per language.
type pickerWords struct {
	Close, Back, EditMembers, GroupAdd, GroupNone, SharedNone, Asked string
	// Member and Person are ticked; each language picks its own, as both run on one server.
	Member, Person string
}

var pickerEN = pickerWords{"Close", "Back", "Edit Members", "Add", "Choose at least one.", "Choose at least one person.", "haven't been added",
	"MarketingSG", "Megan Bowen"}
var pickerNL = pickerWords{"Sluiten", "Terug", "Leden bewerken", "Toevoegen", "Kies er ten minste één.", "Kies ten minste één persoon.", "nog niet toegevoegd",
	"Ben Smith", "Alex Wilber"}

// The group members picker and the shared mailbox members picker: Add (Save) with
// nothing ticked says so in the picker; a ticked person is not thrown away by
// Escape, Close or Back without asking (the question is dismissed, so the picker
// stays with the person still ticked).
func TestGroupAndSharedPickersAskBeforeDroppingASelection(t *testing.T) {
	srv := startServer(t)
	for _, c := range []struct {
		locale string
		l      labels
		g      groupLabels
		s      sharedLabels
		w      pickerWords
	}{{"en-US", english, groupsEN, sharedEN, pickerEN}, {"nl-NL", dutch, groupsNL, sharedNL, pickerNL}} {
		t.Run(c.locale, func(t *testing.T) {
			b := newBrowser(t, srv, c.locale)
			b.allowConsole(`status of 422`) // Add with nothing selected, on purpose
			var mu sync.Mutex
			var asked []string
			b.page.OnDialog(func(d playwright.Dialog) {
				mu.Lock()
				asked = append(asked, d.Message())
				mu.Unlock()
				_ = d.Dismiss()
			})
			count := func() int {
				mu.Lock()
				defer mu.Unlock()
				for _, q := range asked {
					if !strings.Contains(q, c.w.Asked) {
						t.Fatalf("unexpected question %q", q)
					}
				}
				return len(asked)
			}
			dialog := b.page.GetByRole("dialog")
			// keeps presses each way out of the pane and checks it asked and stayed.
			keeps := func(box playwright.Locator, what string) {
				t.Helper()
				ways := []struct {
					name string
					do   func() error
				}{
					{"Escape", func() error { return b.page.Keyboard().Press("Escape") }},
					{"Close", func() error {
						return b.page.Locator("[data-pane-header]").GetByRole("button", playwright.LocatorGetByRoleOptions{Name: c.w.Close, Exact: playwright.Bool(true)}).Click()
					}},
					{"Back", func() error {
						return b.page.Locator("[data-pane-header]").GetByRole("button", playwright.LocatorGetByRoleOptions{Name: c.w.Back, Exact: playwright.Bool(true)}).Click()
					}},
				}
				for _, way := range ways {
					n := count()
					b.must(way.do())
					b.must(expect.Locator(box).ToBeChecked())
					if got := count(); got != n+1 {
						t.Fatalf("%s: %s did not ask (%d questions)", what, way.name, got-n)
					}
				}
			}

			b.signInAdmin(c.l)
			// The group members picker.
			b.openGroups(c.g)
			b.must(b.page.GetByRole("link", playwright.PageGetByRoleOptions{Name: c.g.Distribution}).First().Click())
			b.must(b.page.GetByRole("table").GetByRole("link", playwright.LocatorGetByRoleOptions{Name: "Sales Team"}).Click())
			b.must(b.role("tab", c.g.MembersTab).Click())
			b.must(b.role("button", c.g.AddMembers).Click())
			b.paneReady()
			b.must(b.role("button", c.w.GroupAdd).Click())
			b.must(expect.Locator(dialog.Locator("form[data-picker] [role=alert]")).ToHaveText(c.w.GroupNone))
			b.paneReady()
			b.checkA11y("group members picker, nothing chosen " + c.locale)
			box := b.page.GetByRole("checkbox", playwright.PageGetByRoleOptions{Name: c.w.Member, Exact: playwright.Bool(true)})
			b.must(box.Check())
			keeps(box, "group picker")
			b.must(b.role("button", c.w.GroupAdd).Click())
			b.must(expect.Locator(b.page.GetByRole("tabpanel")).ToContainText(c.w.Member))
			// Added: nothing is staged now, so Escape closes without asking.
			n := count()
			b.must(b.page.Keyboard().Press("Escape"))
			b.must(expect.Locator(dialog).ToHaveCount(0))
			if count() != n {
				t.Fatal("Escape asked with nothing staged")
			}

			// The shared mailbox members picker.
			b.goto_("/shared-mailboxes")
			b.must(b.page.GetByRole("table").GetByRole("link", playwright.LocatorGetByRoleOptions{Name: "Info", Exact: playwright.Bool(true)}).Click())
			b.paneReady()
			b.must(b.role("button", c.w.EditMembers).Click())
			b.must(b.role("button", c.s.AddMembers).Click())
			b.paneReady()
			b.must(b.role("button", c.s.AddButton).Click())
			b.must(expect.Locator(dialog.Locator("form[data-picker] [role=alert]")).ToHaveText(c.w.SharedNone))
			b.paneReady()
			b.checkA11y("shared members picker, nothing chosen " + c.locale)
			box = b.page.GetByRole("checkbox", playwright.PageGetByRoleOptions{Name: c.w.Person, Exact: playwright.Bool(true)})
			b.must(box.Check())
			keeps(box, "shared members picker")
			b.must(b.role("button", c.s.AddButton).Click())
			b.must(expect.Locator(dialog).ToContainText(c.w.Person))
		})
	}
}
