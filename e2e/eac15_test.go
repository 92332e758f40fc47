//go:build e2e

package e2e

import (
	"fmt"
	"testing"

	"github.com/playwright-community/playwright-go"
)

// eac15Labels are the words of the EAC's mailbox General and Email address
// sections, contact edit and staged group edits, per language.
type eac15Labels struct {
	General, Addresses, JobTitle, GenSaved, Alias, AddAddress, MakePrimaryFmt, AddrSaved, Taken string
	Company, ContactSaved                                                                       string
	Members, Owners, RemoveFromFmt, GroupSaved, Cancel                                          string
}

var eac15EN = eac15Labels{
	General: "General", Addresses: "Email address", JobTitle: "Job title", GenSaved: "General settings of Megan Bowen saved.",
	Alias: "Alias", AddAddress: "Add", MakePrimaryFmt: "Set %s as the primary email address",
	AddrSaved: "Email addresses of Megan Bowen saved.", Taken: "alexw@contoso.com",
	Company: "Company", ContactSaved: "Changes to Ben Smith saved.",
	Members: "Members", Owners: "Owners", RemoveFromFmt: "Remove the selected people from %s", GroupSaved: "Sales Team saved.", Cancel: "Cancel",
}

var eac15NL = eac15Labels{
	General: "Algemeen", Addresses: "E-mailadres", JobTitle: "Functie", GenSaved: "De algemene instellingen van Megan Bowen zijn opgeslagen.",
	Alias: "Alias", AddAddress: "Toevoegen", MakePrimaryFmt: "%s instellen als primair e-mailadres",
	AddrSaved: "De e-mailadressen van Megan Bowen zijn opgeslagen.", Taken: "alexw@contoso.com",
	Company: "Bedrijf", ContactSaved: "Wijzigingen in Ben Smith opgeslagen.",
	Members: "Leden", Owners: "Eigenaren", RemoveFromFmt: "De geselecteerde personen verwijderen uit %s", GroupSaved: "Sales Team is opgeslagen.",
	Cancel: "Annuleren",
}

// followMailboxIdentity edits a person's mailbox in the EAC: General (job title)
// and Email address (an alias added and made primary; another person's address
// refused with the proxy-address message).
func followMailboxIdentity(t *testing.T, locale string, base labels, l eacLabels, m eac15Labels, shot string) {
	srv := startServer(t)
	b := newBrowser(t, srv, locale)
	// Expected: the refused name and address come back with 422, which the browser logs.
	b.allowConsole(`status of 422`)
	b.signInAdmin(base)
	b.goto_("/exchange/mailboxes?q=megan")
	b.must(b.role("link", fmt.Sprintf(l.EditFmt, "Megan Bowen")).Click())
	b.must(expect.Locator(b.role("heading", m.General)).ToBeVisible())
	b.must(b.label(m.JobTitle).Fill("Marketing lead"))
	b.checkA11y("EAC mailbox General, editable")
	b.shots(shot + "-general")
	b.must(b.page.Locator("#eac-general").GetByRole("button", playwright.LocatorGetByRoleOptions{Name: l.Save, Exact: playwright.Bool(true)}).Click())
	b.must(expect.Locator(b.page.Locator("#toasts")).ToContainText(m.GenSaved))
	b.must(expect.Locator(b.label(m.JobTitle)).ToHaveValue("Marketing lead"))

	b.must(b.page.GetByRole("navigation", playwright.PageGetByRoleOptions{Name: sectionsName(locale)}).
		GetByRole("link", playwright.LocatorGetByRoleOptions{Name: m.Addresses, Exact: playwright.Bool(true)}).Click())
	b.must(expect.Locator(b.page.Locator("#eac-addresses")).ToContainText("meganb@contoso.com"))
	// Another person's address: the proxy-address message at the field.
	b.must(b.label(m.Alias).Fill("alexw"))
	b.must(b.label(m.Alias).Press("Enter"))
	b.must(expect.Locator(b.page.Locator("#eac-addr-alias-error")).ToContainText(m.Taken))
	b.must(expect.Locator(b.label(m.Alias)).ToHaveAttribute("aria-invalid", "true"))
	b.checkA11y("EAC mailbox Email address, refused")
	b.must(b.label(m.Alias).Fill("megan.b"))
	b.must(b.page.Locator("#eac-addresses").GetByRole("button", playwright.LocatorGetByRoleOptions{Name: m.AddAddress, Exact: playwright.Bool(true)}).Click())
	b.must(expect.Locator(b.page.Locator("#eac-addresses")).ToContainText("megan.b@contoso.com"))
	b.must(b.role("button", fmt.Sprintf(m.MakePrimaryFmt, "megan.b@contoso.com")).Click())
	b.must(expect.Locator(b.role("button", fmt.Sprintf(m.MakePrimaryFmt, "meganb@contoso.com"))).ToBeVisible())
	b.checkA11y("EAC mailbox Email address, staged")
	b.shots(shot + "-addresses")
	b.must(b.page.Locator("#eac-addresses").GetByRole("button", playwright.LocatorGetByRoleOptions{Name: l.Save, Exact: playwright.Bool(true)}).Click())
	b.must(expect.Locator(b.page.Locator("#toasts")).ToContainText(m.AddrSaved))
	_, err := b.page.Reload()
	b.must(err)
	b.must(expect.Locator(b.page.Locator("p").Filter(playwright.LocatorFilterOptions{HasText: "megan.b@contoso.com ·"})).ToBeVisible())

	// Recipients > Contacts > Edit: the contact's company.
	b.eacGo(l.Contacts)
	b.must(b.role("link", fmt.Sprintf(l.EditFmt, "Ben Smith")).Click())
	b.must(b.label(m.Company).Fill("Fabrikam, Inc."))
	b.checkA11y("EAC contact edit")
	b.shots(shot + "-contact")
	b.must(b.page.Locator("#eac-contact").GetByRole("button", playwright.LocatorGetByRoleOptions{Name: l.Save, Exact: playwright.Bool(true)}).Click())
	b.must(expect.Locator(b.page.Locator("#toasts")).ToContainText(m.ContactSaved))
	b.must(expect.Locator(b.label(m.Company)).ToHaveValue("Fabrikam, Inc."))
}

func sectionsName(locale string) string {
	if locale == "nl-NL" {
		return "Secties"
	}
	return "Sections"
}

func TestEACMailboxIdentityEnglish(t *testing.T) {
	followMailboxIdentity(t, "en-US", english, eacEN, eac15EN, "eac15-en")
}

func TestEACMailboxIdentityDutch(t *testing.T) {
	followMailboxIdentity(t, "nl-NL", dutch, eacNL, eac15NL, "eac15-nl")
}

// followGroupStaged edits Sales Team in the EAC: people picked with the mouse's
// range selection and removed with the keyboard's, all staged; Cancel asks before
// dropping them; then members and owners added and saved together.
func followGroupStaged(t *testing.T, locale string, base labels, l eacLabels, m eac15Labels, shot string) {
	srv := startServer(t)
	b := newBrowser(t, srv, locale)
	b.signInAdmin(base)
	accept := false
	b.page.OnDialog(func(d playwright.Dialog) {
		if accept {
			_ = d.Accept()
		} else {
			_ = d.Dismiss()
		}
	})
	b.goto_("/exchange/groups?type=distribution")
	b.must(b.role("link", fmt.Sprintf(l.GroupEditFmt, "Sales Team")).Click())
	addMembers := fmt.Sprintf(l.AddRightFmt, m.Members)
	members := b.holderList(m.Members)
	b.must(members.GetByRole("button", playwright.LocatorGetByRoleOptions{Name: addMembers, Exact: playwright.Bool(true)}).Click())
	picker := b.holderList(m.Members).GetByRole("group", playwright.LocatorGetByRoleOptions{Name: addMembers, Exact: playwright.Bool(true)})
	b.must(expect.Locator(picker).ToBeVisible())
	b.must(expect.Locator(picker.GetByRole("grid")).ToHaveAttribute("aria-multiselectable", "true"))

	// The mouse: a click selects one, Shift+click the range, Ctrl+click toggles one.
	rows := picker.GetByRole("row")
	name := func(i int) string {
		s, err := rows.Nth(i).Locator("label .font-medium").TextContent()
		b.must(err)
		return s
	}
	first, second, third := name(0), name(1), name(2)
	b.must(rows.Nth(0).Locator("label").Click())
	b.must(rows.Nth(2).Locator("label").Click(playwright.LocatorClickOptions{Modifiers: []playwright.KeyboardModifier{*playwright.KeyboardModifierShift}}))
	for i := 0; i < 3; i++ {
		b.must(expect.Locator(rows.Nth(i)).ToHaveAttribute("aria-selected", "true"))
		b.must(expect.Locator(rows.Nth(i).GetByRole("checkbox")).ToBeChecked())
	}
	b.must(rows.Nth(1).Locator("label").Click(playwright.LocatorClickOptions{Modifiers: []playwright.KeyboardModifier{*playwright.KeyboardModifierControl}}))
	b.must(expect.Locator(rows.Nth(1).GetByRole("checkbox")).Not().ToBeChecked())
	b.must(expect.Locator(rows.Nth(1)).ToHaveAttribute("aria-selected", "false"))
	b.checkA11y("EAC group edit, picker with a range selected")
	b.shots(shot + "-group-picker")
	b.must(picker.GetByRole("button", playwright.LocatorGetByRoleOptions{Name: l.AddSelected, Exact: playwright.Bool(true)}).Click())
	grid := b.holderList(m.Members).GetByRole("grid").First()
	b.must(expect.Locator(grid).ToContainText(first))
	b.must(expect.Locator(grid).ToContainText(third))
	b.must(expect.Locator(grid).Not().ToContainText(second))

	// The keyboard: arrows move, Space toggles, Shift+arrow extends; then Remove.
	// Rows: Diego Siciliani, Johanna Lorenz, then the two staged people.
	boxes := grid.GetByRole("checkbox")
	b.must(boxes.First().Focus())
	b.must(b.page.Keyboard().Press("ArrowDown"))
	b.must(expect.Locator(boxes.Nth(1)).ToBeFocused())
	b.must(b.page.Keyboard().Press("Space"))
	b.must(expect.Locator(boxes.Nth(1)).ToBeChecked())
	b.must(b.page.Keyboard().Press("Shift+ArrowDown"))
	b.must(expect.Locator(boxes.Nth(2)).ToBeFocused())
	b.must(expect.Locator(boxes.Nth(2)).ToBeChecked())
	b.must(expect.Locator(boxes.Nth(0)).Not().ToBeChecked())
	b.must(b.role("button", fmt.Sprintf(m.RemoveFromFmt, m.Members)).Click())
	grid = b.holderList(m.Members).GetByRole("grid").First()
	b.must(expect.Locator(grid).Not().ToContainText("Johanna Lorenz"))
	b.must(expect.Locator(grid).Not().ToContainText(first))
	b.must(expect.Locator(grid).ToContainText(third))
	b.must(expect.Locator(grid).ToContainText("Diego Siciliani"))
	b.checkA11y("EAC group edit, staged")
	b.shots(shot + "-group-staged")

	// Cancel asks first: kept when the answer is no, dropped when it is yes.
	cancel := b.page.Locator("#eac-group-changes").GetByRole("link", playwright.LocatorGetByRoleOptions{Name: m.Cancel, Exact: playwright.Bool(true)})
	b.must(cancel.Click())
	b.must(expect.Locator(b.holderList(m.Members).GetByRole("grid").First()).ToContainText(third))
	accept = true
	b.must(cancel.Click())
	b.must(expect.Locator(b.holderList(m.Members).GetByRole("grid").First()).ToContainText("Johanna Lorenz"))
	b.must(expect.Locator(b.holderList(m.Members).GetByRole("grid").First()).Not().ToContainText(third))

	// Members and owners together, one Save.
	b.pickPeople(l, m.Members, addMembers, "Adele Vance")
	b.pickPeople(l, m.Owners, fmt.Sprintf(l.AddRightFmt, m.Owners), "Adele Vance")
	b.must(b.page.Locator("#eac-group-changes").GetByRole("button", playwright.LocatorGetByRoleOptions{Name: l.Save, Exact: playwright.Bool(true)}).Click())
	b.must(expect.Locator(b.page.Locator("#toasts")).ToContainText(m.GroupSaved))
	_, err := b.page.Reload()
	b.must(err)
	b.must(expect.Locator(b.page.Locator("#eac-group-members")).ToContainText("Adele Vance"))
	b.must(expect.Locator(b.page.Locator("#eac-group-owners")).ToContainText("Adele Vance"))
}

func TestEACGroupStagedEnglish(t *testing.T) {
	followGroupStaged(t, "en-US", english, eacEN, eac15EN, "eac15-en")
}

func TestEACGroupStagedDutch(t *testing.T) {
	followGroupStaged(t, "nl-NL", dutch, eacNL, eac15NL, "eac15-nl")
}
