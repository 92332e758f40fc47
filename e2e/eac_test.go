//go:build e2e

package e2e

import (
	"fmt"
	"testing"

	"github.com/playwright-community/playwright-go"
)

// eacLabels are the Exchange admin center's words per language, as seed 004 writes
// them in Dutch.
type eacLabels struct {
	AdminCenters, Exchange, Recipients, Mailboxes, Groups, Contacts, Shared string
	Add, DisplayName, Email, Domain, Grant, AddSelected, Save, Created      string
	EditFmt, Delegation, FullAccess, SendAs, SendOnBehalf, Remove, Saved    string
	AddRightFmt, SelectFmt, BulkButton, BulkHeading, BulkAdd, BulkSaved     string
	People, SetMailbox, M365Shared, GroupEditFmt, GroupDelegation, Readonly string
	MailSecurity                                                            string
}

var eacEN = eacLabels{
	AdminCenters: "Admin centers", Exchange: "Exchange", Recipients: "Recipients", Mailboxes: "Mailboxes", Groups: "Groups",
	Contacts: "Contacts", Shared: "Shared",
	Add: "Add a shared mailbox", DisplayName: "Display name", Email: "Email address", Domain: "Domain",
	Grant: "Grant this permission to: Send As and Full Access", AddSelected: "Add", Save: "Save", Created: "was created.",
	EditFmt: "Edit %s", Delegation: "Mailbox delegation", FullAccess: "Full Access", SendAs: "Send As", SendOnBehalf: "Send on Behalf",
	Remove: "Remove", Saved: "Mailbox delegation for Sales Department saved.",
	AddRightFmt: "Add %s", SelectFmt: "Select %s", BulkButton: "Mailbox delegation", BulkHeading: "Mailbox delegation for 3 mailboxes",
	BulkAdd: "Bulk Add Delegation", BulkSaved: "Mailbox delegation changed on 3 mailboxes.", People: "People",
	SetMailbox: "GrantSendOnBehalfTo", M365Shared: "Shared mailboxes", GroupEditFmt: "Edit %s", GroupDelegation: "Group delegation",
	Readonly: "can view recipients but can't change them", MailSecurity: "Mail-enabled security group",
}

var eacNL = eacLabels{
	AdminCenters: "Beheercentra", Exchange: "Exchange", Recipients: "Geadresseerden", Mailboxes: "Postvakken", Groups: "Groepen",
	Contacts: "Contactpersonen", Shared: "Gedeeld",
	Add: "Toevoegen", DisplayName: "Weergavenaam", Email: "E-mailadres", Domain: "Domein",
	Grant: "Deze machtiging verlenen aan: Verzenden als en Volledige toegang", AddSelected: "Toevoegen", Save: "Opslaan", Created: "is gemaakt.",
	EditFmt: "%s bewerken", Delegation: "Postvakdelegering", FullAccess: "Volledige toegang", SendAs: "Verzenden als", SendOnBehalf: "Verzenden namens",
	Remove: "Verwijderen", Saved: "Postvakdelegering voor Sales Department is opgeslagen.",
	AddRightFmt: "%s toevoegen", SelectFmt: "%s selecteren", BulkButton: "Postvakdelegering", BulkHeading: "Postvakdelegering voor 3 postvakken",
	BulkAdd: "Delegering bulksgewijs toevoegen", BulkSaved: "Postvakdelegering gewijzigd voor 3 postvakken.", People: "Personen",
	SetMailbox: "GrantSendOnBehalfTo", M365Shared: "Gedeelde postvakken", GroupEditFmt: "%s bewerken", GroupDelegation: "Groepsdelegering",
	Readonly: "kunt u geadresseerden bekijken maar niet wijzigen", MailSecurity: "Beveiligingsgroep met e-mail",
}

// eacGo follows the Exchange admin center's navigation: Recipients > section.
func (b *browserSession) eacGo(section string) {
	b.t.Helper()
	b.must(b.page.GetByRole("navigation").GetByRole("link", playwright.LocatorGetByRoleOptions{Name: section, Exact: playwright.Bool(true)}).Click())
	b.must(expect.Locator(b.role("heading", section)).ToBeVisible())
}

// holderList is the fieldset of one delegation list, by its legend.
func (b *browserSession) holderList(name string) playwright.Locator {
	return b.page.GetByRole("group", playwright.PageGetByRoleOptions{Name: name, Exact: playwright.Bool(true)})
}

// pickPeople follows "click Add and select the users": Add on the list, tick each
// person in the picker, Add.
func (b *browserSession) pickPeople(l eacLabels, list, addName string, people ...string) {
	b.t.Helper()
	fs := b.holderList(list)
	b.must(fs.GetByRole("button", playwright.LocatorGetByRoleOptions{Name: addName, Exact: playwright.Bool(true)}).Click())
	picker := b.holderList(list).GetByRole("group", playwright.LocatorGetByRoleOptions{Name: addName, Exact: playwright.Bool(true)})
	b.must(expect.Locator(picker).ToBeVisible())
	for _, p := range people {
		b.must(picker.GetByRole("checkbox", playwright.LocatorGetByRoleOptions{Name: p}).Check())
	}
	b.must(picker.GetByRole("button", playwright.LocatorGetByRoleOptions{Name: l.AddSelected, Exact: playwright.Bool(true)}).Click())
	for _, p := range people {
		b.must(expect.Locator(b.holderList(list).GetByRole("grid").First()).ToContainText(p))
	}
}

// followSeed004 runs seed 004's Exchange admin center steps in one language.
func followSeed004(t *testing.T, locale string, base labels, l eacLabels, shot string) {
	srv := startServer(t)
	b := newBrowser(t, srv, locale)
	b.signInAdmin(base)
	// Admin centers > Exchange.
	b.must(b.page.GetByRole("navigation").GetByRole("link", playwright.LocatorGetByRoleOptions{Name: l.Exchange, Exact: playwright.Bool(true)}).Click())
	b.must(expect.Locator(b.role("heading", l.Mailboxes)).ToBeVisible())
	b.checkA11y("EAC Mailboxes")
	b.shots(shot + "-mailboxes")

	// 1. Geadresseerden > Gedeeld > Toevoegen.
	b.eacGo(l.Shared)
	b.checkA11y("EAC Shared")
	b.must(b.role("link", l.Add).Click())
	// 2. Weergavenaam, E-mailadres.
	b.must(b.label(l.DisplayName).Fill("Sales Department"))
	b.must(b.label(l.Email).Fill("sales"))
	// 3. Toevoegen, select the users (two people), for Volledige toegang and Verzenden als.
	addGrant := fmt.Sprintf(l.AddRightFmt, l.Grant)
	b.pickPeople(l, l.Grant, addGrant, "Megan Bowen", "Alex Wilber")
	b.checkA11y("EAC Add a shared mailbox")
	b.shots(shot + "-new-shared")
	// 4. Opslaan.
	b.must(b.role("button", l.Save).Click())
	b.must(expect.Locator(b.page.GetByRole("status").Filter(playwright.LocatorFilterOptions{HasText: l.Created})).ToBeVisible())
	b.must(expect.Locator(b.page.GetByRole("table")).ToContainText("sales@contoso.com"))

	// Geadresseerden > Gedeeld > Bewerken; Postvakdelegering.
	b.must(b.role("link", fmt.Sprintf(l.EditFmt, "Sales Department")).Click())
	b.checkA11y("EAC mailbox General")
	b.must(b.role("link", l.Delegation).Click())
	b.must(expect.Locator(b.holderList(l.FullAccess)).ToContainText("Alex Wilber"))
	b.must(expect.Locator(b.holderList(l.SendAs)).ToContainText("Megan Bowen"))
	b.must(expect.Locator(b.page.GetByRole("main")).ToContainText(l.SetMailbox))
	b.checkA11y("EAC Mailbox delegation")
	// Toevoegen (Full Access for Lidia) and Verwijderen (Send As from Alex), then Opslaan.
	b.pickPeople(l, l.FullAccess, fmt.Sprintf(l.AddRightFmt, l.FullAccess), "Lidia Holloway")
	sendAs := b.holderList(l.SendAs)
	b.must(sendAs.GetByRole("checkbox", playwright.LocatorGetByRoleOptions{Name: "Alex Wilber"}).Check())
	b.must(sendAs.GetByRole("button").Filter(playwright.LocatorFilterOptions{HasText: l.Remove}).Click())
	b.must(expect.Locator(b.holderList(l.SendAs)).Not().ToContainText("Alex Wilber"))
	b.shots(shot + "-delegation")
	b.must(b.role("button", l.Save).Click())
	b.must(expect.Locator(b.page.Locator("#toasts")).ToContainText(l.Saved))
	_, err := b.page.Reload()
	b.must(err)
	b.must(expect.Locator(b.holderList(l.FullAccess)).ToContainText("Lidia Holloway"))
	b.must(expect.Locator(b.holderList(l.SendAs)).Not().ToContainText("Alex Wilber"))

	// Bulk delegation over three mailboxes: Send As for Pradeep Gupta.
	b.eacGo(l.Mailboxes)
	for _, m := range []string{"Sales Department", "Nestor Wilke", "Johanna Lorenz"} {
		b.must(b.page.GetByRole("checkbox", playwright.PageGetByRoleOptions{Name: fmt.Sprintf(l.SelectFmt, m), Exact: playwright.Bool(true)}).Check())
	}
	b.must(b.role("button", l.BulkButton).Click())
	b.must(expect.Locator(b.role("heading", l.BulkHeading)).ToBeVisible())
	b.must(b.label(l.BulkAdd).Check())
	b.must(b.label(l.SendAs).Check())
	b.pickPeople(l, l.People, fmt.Sprintf(l.AddRightFmt, l.People), "Pradeep Gupta")
	b.checkA11y("EAC bulk delegation")
	b.shots(shot + "-bulk")
	b.must(b.role("button", l.Save).Click())
	b.must(expect.Locator(b.page.Locator("#toasts")).ToContainText(l.BulkSaved))
	b.must(b.role("link", fmt.Sprintf(l.EditFmt, "Nestor Wilke")).Click())
	b.must(b.role("link", l.Delegation).Click())
	b.must(expect.Locator(b.holderList(l.SendAs)).ToContainText("Pradeep Gupta"))
	b.must(expect.Locator(b.holderList(l.SendOnBehalf)).ToBeVisible())

	// Groups > Edit: MarketingSG with its Group delegation.
	b.eacGo(l.Groups)
	b.checkA11y("EAC Groups")
	b.must(b.role("link", l.MailSecurity).Click())
	b.must(b.role("link", fmt.Sprintf(l.GroupEditFmt, "MarketingSG")).Click())
	b.must(expect.Locator(b.role("heading", l.GroupDelegation)).ToBeVisible())
	b.must(expect.Locator(b.page.Locator("#eac-group-members")).ToContainText("Megan Bowen"))
	b.checkA11y("EAC group edit")
	b.shots(shot + "-group")
	b.eacGo(l.Contacts)
	b.must(expect.Locator(b.page.GetByRole("table")).ToContainText("ben.smith@fabrikam.com"))
	b.checkA11y("EAC Contacts")

	// The Microsoft 365 admin center's Shared mailboxes shows it with its members.
	b.goto_("/shared-mailboxes?q=sales")
	b.must(expect.Locator(b.page.GetByRole("table")).ToContainText("sales@contoso.com"))
	b.must(b.page.GetByRole("table").GetByRole("link", playwright.LocatorGetByRoleOptions{Name: "Sales Department"}).Click())
	b.must(expect.Locator(b.page.GetByRole("dialog")).ToContainText("Megan Bowen"))
}

func TestEACSeed004English(t *testing.T) { followSeed004(t, "en-US", english, eacEN, "eac-en") }

func TestEACSeed004Dutch(t *testing.T) { followSeed004(t, "nl-NL", dutch, eacNL, "eac-nl") }

func TestEACReadOnlyForAReader(t *testing.T) {
	srv := startServer(t)
	b := newBrowser(t, srv, "en-US")
	b.signIn(english, "miriamg@contoso.com", adminPassword)
	b.goto_("/exchange/shared")
	b.must(expect.Locator(b.page.Locator("#eac-readonly")).ToContainText(eacEN.Readonly))
	b.must(expect.Locator(b.role("button", eacEN.Add)).ToBeDisabled())
	b.checkA11y("EAC Shared, read-only")
	b.must(b.role("link", fmt.Sprintf(eacEN.EditFmt, "Info")).Click())
	b.must(b.role("link", eacEN.Delegation).Click())
	b.must(expect.Locator(b.role("button", eacEN.Save)).ToBeDisabled())
	b.checkA11y("EAC Mailbox delegation, read-only")
	b.shots("eac-en-readonly")
}
