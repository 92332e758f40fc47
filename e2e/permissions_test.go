//go:build e2e

package e2e

import (
	"testing"

	"github.com/playwright-community/playwright-go"
)

// permLabels are the permission flow's words per language.
type permLabels struct {
	Manage, AddPermissions, Add, Save, Back, Search string
	EditFmt, RemoveFmt                              func(string) string
	Toast                                           string
}

var permEN = permLabels{
	Manage: "Manage mailbox permissions", AddPermissions: "Add permissions", Add: "Add", Save: "Save", Back: "Back",
	Search:  "Search by name or email address",
	EditFmt: func(r string) string { return "Edit " + r }, RemoveFmt: func(n string) string { return "Remove " + n },
	Toast: "permission given to",
}

var permNL = permLabels{
	Manage: "Postvakmachtigingen beheren", AddPermissions: "Machtigingen toevoegen", Add: "Toevoegen", Save: "Opslaan", Back: "Terug",
	Search:  "Zoeken op naam of e-mailadres",
	EditFmt: func(r string) string { return r + " bewerken" }, RemoveFmt: func(n string) string { return n + " verwijderen" },
	Toast: "gegeven aan",
}

// openMailTab opens a person's properties pane on the Mail tab.
func (b *browserSession) openMailTab(l labels, name string) playwright.Locator {
	b.t.Helper()
	dialog := b.openUser(name)
	b.must(dialog.GetByRole("tab", playwright.LocatorGetByRoleOptions{Name: l.MailTab, Exact: playwright.Bool(true)}).Click())
	b.must(expect.Locator(b.page.GetByRole("tab", playwright.PageGetByRoleOptions{Name: l.MailTab})).ToHaveAttribute("aria-selected", "true"))
	return b.page.GetByRole("tabpanel")
}

// grant follows the seed: Manage mailbox permissions, Edit next to the right, Add
// permissions, choose the people, Add, Save.
func (b *browserSession) grant(p permLabels, right string, people ...string) {
	b.t.Helper()
	b.must(b.role("link", p.Manage).Click())
	b.grantInPanel(p, right, people...)
}

// grantInPanel follows the seed from the Manage mailbox permissions panel on (the
// Mail tab's link and the classic pane's Edit both open it): Edit next to the
// right, Add permissions, choose the people, Add, Save.
func (b *browserSession) grantInPanel(p permLabels, right string, people ...string) {
	b.t.Helper()
	b.must(expect.Locator(b.role("heading", p.Manage)).ToBeVisible())
	b.must(b.role("button", p.EditFmt(right)).Click())
	b.must(expect.Locator(b.role("heading", right)).ToBeVisible())
	b.must(b.role("button", p.AddPermissions).Click())
	b.must(expect.Locator(b.label(p.Search)).ToBeVisible())
	b.paneReady()
	for _, person := range people {
		// The search's results replace the list: wait for them, so the box ticked
		// is not swapped out for an unticked one.
		_, err := b.page.ExpectResponse(urlPattern(`/add\?`), func() error { return b.label(p.Search).Fill(person) })
		b.must(err)
		b.must(expect.Locator(b.label(p.Search)).Not().ToHaveClass(urlPattern(`htmx-request`)))
		box := b.page.GetByRole("checkbox", playwright.PageGetByRoleOptions{Name: person, Exact: playwright.Bool(true)})
		b.must(expect.Locator(box).ToBeVisible())
		b.must(box.Check())
		b.must(expect.Locator(box).ToBeChecked())
	}
	b.must(b.role("button", p.Add).Click())
	b.must(b.role("button", p.Save).Click())
	b.must(expect.Locator(b.page.Locator("#toasts")).ToContainText(p.Toast))
	b.must(expect.Locator(b.role("heading", p.Manage)).ToBeVisible())
}

// section is the region of the permissions panel labelled by a right's heading.
func (b *browserSession) section(right string) playwright.Locator {
	return b.page.GetByRole("region", playwright.PageGetByRoleOptions{Name: right, Exact: playwright.Bool(true)})
}

func TestSendAsFollowingTheSeedSteps(t *testing.T) {
	srv := startServer(t)
	b := newBrowser(t, srv, "en-US")
	b.signInAdmin(english)
	b.openActiveUsers(english)
	b.openMailTab(english, "Megan Bowen")
	b.grant(permEN, "Send as", "Alex Wilber", "Diego Siciliani")
	b.must(expect.Locator(b.section("Send as")).ToContainText("Alex Wilber"))
	b.must(expect.Locator(b.section("Send as")).ToContainText("Diego Siciliani"))
	b.must(expect.Locator(b.section("Read and manage")).ToContainText("No one has this permission"))
	b.must(expect.Locator(b.page.GetByRole("dialog")).ToContainText("Full Access permission does not grant Send as or Send on behalf"))
	b.must(expect.Locator(b.page.GetByRole("dialog")).ToContainText("Changes can take up to 60 minutes to take effect"))
	b.checkA11y("Manage mailbox permissions")
	b.screenshot("permissions-overview")

	// Remove one holder from the Send as panel; the other stays.
	b.must(b.role("button", "Edit Send as").Click())
	b.checkA11y("Send as panel")
	b.must(b.role("button", "Remove Alex Wilber").Click())
	b.must(expect.Locator(b.page.Locator("#toasts")).ToContainText("Alex Wilber no longer has Send as permission"))
	b.must(expect.Locator(b.role("button", "Remove Alex Wilber")).ToHaveCount(0))
	b.must(expect.Locator(b.role("button", "Remove Diego Siciliani")).ToBeVisible())

	// Back and Close lose nothing that was saved.
	b.must(b.role("button", "Back").Click())
	b.must(expect.Locator(b.section("Send as")).ToContainText("Diego Siciliani"))
	b.must(b.role("button", "Back").Click())
	b.must(expect.Locator(b.page.GetByRole("tabpanel")).ToContainText("Send as"))
	b.must(b.page.Keyboard().Press("Escape"))
	b.openMailTab(english, "Megan Bowen")
	b.must(expect.Locator(b.page.GetByRole("region", playwright.PageGetByRoleOptions{Name: "Mailbox permissions"})).ToContainText("1 person"))
}

func TestReadAndManageWithAGroupAndAutomapping(t *testing.T) {
	srv := startServer(t)
	b := newBrowser(t, srv, "en-US")
	b.signInAdmin(english)
	b.openActiveUsers(english)
	b.openMailTab(english, "Johanna Lorenz")
	b.must(b.role("link", "Manage mailbox permissions").Click())
	b.must(b.role("button", "Edit Read and manage").Click())
	b.must(b.role("button", "Add permissions").Click())
	automap := b.label("Automatically add this mailbox to the user's Outlook")
	b.must(expect.Locator(automap).ToBeChecked())
	b.paneReady()
	b.checkA11y("people picker")
	b.must(b.label("Search by name or email address").Fill("marketing"))
	b.must(b.page.GetByRole("checkbox", playwright.PageGetByRoleOptions{Name: "MarketingSG", Exact: playwright.Bool(true)}).Check())
	b.must(b.label("Search by name or email address").Fill("lidia"))
	b.must(b.page.GetByRole("checkbox", playwright.PageGetByRoleOptions{Name: "Lidia Holloway", Exact: playwright.Bool(true)}).Check())
	// The group stays checked after a new search.
	b.must(expect.Locator(b.page.GetByRole("checkbox", playwright.PageGetByRoleOptions{Name: "MarketingSG", Exact: playwright.Bool(true)})).ToBeChecked())
	b.must(automap.Uncheck())
	b.must(b.role("button", "Add").Click())
	b.must(expect.Locator(b.page.GetByRole("dialog")).ToContainText("won't be added to their Outlook automatically"))
	b.must(b.role("button", "Save").Click())
	sec := b.section("Read and manage")
	b.must(expect.Locator(sec).ToContainText("MarketingSG"))
	b.must(expect.Locator(sec).ToContainText("Members who get it through MarketingSG: Alex Wilber, Megan Bowen"))
	b.must(expect.Locator(sec).ToContainText("Exchange doesn't add a mailbox to Outlook automatically for people who get access through a group"))
	b.must(expect.Locator(sec).ToContainText("Not added to Outlook automatically"))

	// Automapping can be changed later.
	b.must(b.role("button", "Edit Read and manage").Click())
	b.must(b.role("button", "Add this mailbox to the Outlook of Lidia Holloway automatically").Click())
	b.must(expect.Locator(b.page.GetByRole("dialog")).ToContainText("Added to Outlook automatically"))

	// The reverse view: Alex reaches Johanna's mailbox through MarketingSG.
	b.must(b.page.Keyboard().Press("Escape"))
	panel := b.openMailTab(english, "Alex Wilber")
	access := panel.GetByRole("region", playwright.LocatorGetByRoleOptions{Name: "Mailboxes this user can access"})
	b.must(expect.Locator(access).ToContainText("Johanna Lorenz"))
	b.must(expect.Locator(access).ToContainText("Through group MarketingSG"))
}

func TestSendOnBehalfInDutchAndOutsideAddressRefused(t *testing.T) {
	srv := startServer(t)
	b := newBrowser(t, srv, "nl-NL")
	b.allowConsole(`status of 422`) // the outside address is refused on purpose
	b.signInAdmin(dutch)
	b.openActiveUsers(dutch)
	b.openMailTab(dutch, "Nestor Wilke")
	b.grant(permNL, "Verzenden namens", "Sales Team")
	b.must(expect.Locator(b.section("Verzenden namens")).ToContainText("Sales Team"))
	b.must(expect.Locator(b.section("Verzenden namens")).ToContainText("Distributielijst"))
	b.checkA11y("Postvakmachtigingen beheren")

	// An address outside the organization cannot be given a permission.
	b.must(b.role("button", "Verzenden als bewerken").Click())
	b.must(b.role("button", "Machtigingen toevoegen").Click())
	b.must(expect.Locator(b.label(permNL.Search)).ToBeVisible())
	b.paneReady()
	b.must(b.label(permNL.Search).Fill("iemand@gmail.com"))
	b.must(expect.Locator(b.page.GetByRole("alert")).ToContainText("Postvakmachtigingen kunnen alleen worden gegeven aan personen in uw organisatie"))
	b.must(b.role("button", "Toevoegen").Click())
	b.must(expect.Locator(b.label(permNL.Search)).ToHaveAttribute("aria-invalid", "true"))
	b.must(expect.Locator(b.page.GetByRole("alert")).ToContainText("alleen worden gegeven aan personen in uw organisatie"))
	b.checkA11y("personenkiezer met fout")
}

func TestCheckSending(t *testing.T) {
	srv := startServer(t)
	b := newBrowser(t, srv, "en-US")
	b.allowConsole(`status of 422`) // an outside sender is refused on purpose
	b.signInAdmin(english)
	b.openActiveUsers(english)
	b.openMailTab(english, "Megan Bowen")
	b.grant(permEN, "Send on behalf", "Alex Wilber")
	b.must(b.role("button", "Back").Click())
	b.must(b.role("link", "Check sending").Click())
	b.must(expect.Locator(b.label("From mailbox")).ToHaveValue("meganb@contoso.com"))
	b.must(b.label("Sender").Fill("alexw@contoso.com"))
	b.must(b.role("button", "Check").Click())
	result := b.page.GetByRole("region", playwright.PageGetByRoleOptions{Name: "Result"})
	b.must(expect.Locator(result).ToContainText(`Sent as "Alex Wilber on behalf of Megan Bowen"`))
	b.checkA11y("Check sending")

	b.must(b.label("Sender").Fill("lynner@contoso.com"))
	b.must(b.role("button", "Check").Click())
	b.must(expect.Locator(result).ToContainText("This message could not be sent. You do not have the permission to send the message on behalf of the specified user."))

	b.must(b.label("Sender").Fill("someone@gmail.com"))
	b.must(b.role("button", "Check").Click())
	b.must(expect.Locator(b.label("Sender")).ToHaveAttribute("aria-invalid", "true"))
	b.must(expect.Locator(b.page.GetByRole("dialog")).ToContainText("someone@gmail.com isn't a person in your organization"))
}

func TestReaderSeesPermissionsButCannotChangeThem(t *testing.T) {
	srv := startServer(t)
	b := newBrowser(t, srv, "en-US")
	b.signIn(english, "miriamg@contoso.com", adminPassword)
	b.openActiveUsers(english)
	b.openMailTab(english, "Megan Bowen")
	b.must(b.role("link", "Manage mailbox permissions").Click())
	edit := b.role("button", "Edit Send as")
	b.must(expect.Locator(edit).ToBeDisabled())
	b.must(expect.Locator(b.page.GetByRole("dialog")).ToContainText("Your role, Global reader, can't change mailbox permissions"))
	b.checkA11y("permissions, read-only")
}
