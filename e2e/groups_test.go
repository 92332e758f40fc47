//go:build e2e

package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/playwright-community/playwright-go"
)

// groupLabels are the groups and contacts flows' words per language.
type groupLabels struct {
	Nav, Heading, AddGroup, Distribution, M365, Next, Back, Create, Name, Search, SearchButton, Alias           string
	StepType, StepBasics, StepOwners, StepSettings, StepReview, MembersTab, AddMembers, Add, Created, Open      string
	TypeRequired, NameRequired, OwnerRequired, Taken                                                            string
	Contacts, AddContact, DisplayName, Email, Company, Submit, Edit, Save, Delete, DeleteConfirm, First, Last   string
	FwdAddress, CheckDelivery, RecipientAddress, Check, ContactBounced, Delivered, UseFmt, MemberOf, DeleteLink string
	ResultFmt                                                                                                   string
}

var groupsEN = groupLabels{
	Nav: "Active teams & groups", Heading: "Active teams & groups", AddGroup: "Add a group", Distribution: "Distribution list",
	M365: "Microsoft 365 group", Next: "Next", Back: "Back", Create: "Create group", Name: "Name", Search: "Search for people by name or email address",
	SearchButton: "Search", Alias: "Email alias",
	StepType: "Choose a group type", StepBasics: "Set up the basics", StepOwners: "Assign owners", StepSettings: "Edit settings", StepReview: "Review and finish",
	MembersTab: "Members", AddMembers: "Add members", Add: "Add", Created: "was created.", Open: "Open ",
	TypeRequired: "Choose a group type.", NameRequired: "Enter a name for the group.", OwnerRequired: "Assign at least one owner.",
	Taken:    `is already being used by the proxy addresses or LegacyExchangeDN of`,
	Contacts: "Contacts", AddContact: "Add a contact", DisplayName: "Display name", Email: "Email", Company: "Company", Submit: "Add",
	Edit: "Edit contact information", Save: "Save changes", Delete: "Delete contact", DeleteConfirm: "Remove these links and delete the contact",
	First: "First name", Last: "Last name",
	FwdAddress: "Forwarding email address", CheckDelivery: "Check delivery", RecipientAddress: "Recipient address", Check: "Check",
	ContactBounced: "Not delivered to mail contact", Delivered: "Delivered to the mailbox of", UseFmt: "Use %s (%s)", MemberOf: "Member of",
	DeleteLink: "Membership of", ResultFmt: "Where mail to %s goes",
}

var groupsNL = groupLabels{
	Nav: "Actieve teams en groepen", Heading: "Actieve teams en groepen", AddGroup: "Een groep toevoegen", Distribution: "Distributielijst",
	M365: "Microsoft 365-groep", Next: "Volgende", Back: "Terug", Create: "Groep maken", Name: "Naam", Search: "Zoek personen op naam of e-mailadres",
	SearchButton: "Zoeken", Alias: "E-mailalias",
	StepType: "Een groepstype kiezen", StepBasics: "De basisinstellingen instellen", StepOwners: "Eigenaren toewijzen", StepSettings: "Instellingen bewerken",
	StepReview: "Controleren en voltooien", MembersTab: "Leden", AddMembers: "Leden toevoegen", Add: "Toevoegen", Created: "is gemaakt.", Open: "",
	TypeRequired: "Kies een groepstype.", NameRequired: "Voer een naam in voor de groep.", OwnerRequired: "Wijs ten minste één eigenaar toe.",
	Taken:    `wordt al gebruikt door de proxyadressen of LegacyExchangeDN van`,
	Contacts: "Contactpersonen", AddContact: "Een contactpersoon toevoegen", DisplayName: "Weergavenaam", Email: "E-mail", Company: "Bedrijf", Submit: "Toevoegen",
	Edit: "Contactgegevens bewerken", Save: "Wijzigingen opslaan", Delete: "Contactpersoon verwijderen", DeleteConfirm: "Deze koppelingen verwijderen en de contactpersoon verwijderen",
	First: "Voornaam", Last: "Achternaam",
	FwdAddress: "Doorstuuradres", CheckDelivery: "Bezorging controleren", RecipientAddress: "Adres van de ontvanger", Check: "Controleren",
	ContactBounced: "Niet bezorgd bij e-mailcontactpersoon", Delivered: "Bezorgd in het postvak van", UseFmt: "%s (%s) gebruiken", MemberOf: "Lid van",
	DeleteLink: "Lidmaatschap van", ResultFmt: "Waar e-mail aan %s terechtkomt",
}

// openGroups follows Teams & groups > Active teams & groups in the navigation.
func (b *browserSession) openGroups(l groupLabels) {
	b.t.Helper()
	b.must(b.page.GetByRole("navigation").GetByRole("link", playwright.LocatorGetByRoleOptions{Name: l.Nav, Exact: playwright.Bool(true)}).Click())
	b.must(expect.Locator(b.role("heading", l.Heading)).ToBeVisible())
}

// wizardAt waits for a step of Add a group.
func (b *browserSession) wizardAt(step string) {
	b.t.Helper()
	b.must(expect.Locator(b.page.Locator("#wizard-heading")).ToHaveText(step))
}

// createGroup follows Add a group: type, name, one owner found by search, the
// suggested address, Review and finish, Create group.
func (b *browserSession) createGroup(l groupLabels, typ, name, owner string) {
	b.t.Helper()
	b.must(b.role("link", l.AddGroup).Click())
	b.wizardAt(l.StepType)
	b.must(b.label(typ).Check())
	b.must(b.role("button", l.Next).Click())
	b.wizardAt(l.StepBasics)
	b.must(b.label(l.Name).Fill(name))
	b.must(b.role("button", l.Next).Click())
	b.wizardAt(l.StepOwners)
	b.must(b.label(l.Search).Fill(owner))
	b.must(b.role("button", l.SearchButton).Click())
	b.must(b.page.GetByRole("checkbox", playwright.PageGetByRoleOptions{Name: owner, Exact: playwright.Bool(true)}).Check())
	b.must(b.role("button", l.Next).Click())
	b.wizardAt(l.StepSettings)
	b.must(b.role("button", l.Next).Click())
	b.wizardAt(l.StepReview)
	b.must(b.role("button", l.Create).Click())
	b.must(expect.Locator(b.page.GetByRole("status").Filter(playwright.LocatorFilterOptions{HasText: l.Created})).ToBeVisible())
}

// shots writes screenshots at 1440x900 and at 390x844 (a phone) when E2E_SHOTS is set.
func (b *browserSession) shots(name string) {
	b.t.Helper()
	if os.Getenv("E2E_SHOTS") == "" {
		return
	}
	dir := filepath.Join(repo, "e2e", "artifacts", "shots")
	_ = os.MkdirAll(dir, 0o755)
	for _, size := range []struct {
		suffix string
		w, h   int
	}{{"1440", 1440, 900}, {"390", 390, 844}} {
		b.must(b.page.SetViewportSize(size.w, size.h))
		// The caret stays as it is: hiding it injects a style the page's policy refuses.
		_, err := b.page.Screenshot(playwright.PageScreenshotOptions{Path: playwright.String(filepath.Join(dir, name+"-"+size.suffix+".png")),
			Caret: playwright.ScreenshotCaretInitial})
		b.must(err)
	}
	b.must(b.page.SetViewportSize(1440, 900))
}

// forwardToList follows seed 000 step 4: create a distribution list, add the
// addresses (one person, two outside contacts), and point forwarding at it; Check
// delivery then shows each member, and the outside ones the policy stops.
func forwardToList(t *testing.T, locale string, l labels, g groupLabels, f fwdLabels, shot string) {
	srv := startServer(t)
	b := newBrowser(t, srv, locale)
	b.signInAdmin(l)
	b.openGroups(g)
	b.checkA11y("Active teams & groups")
	b.shots(shot + "-groups")
	b.createGroup(g, g.Distribution, "Alex Forwarding", "Megan Bowen")
	b.checkA11y("Add a group, done")
	b.must(b.page.GetByRole("link", playwright.PageGetByRoleOptions{Name: g.AddMembers}).Click())
	b.must(expect.Locator(b.page.GetByRole("dialog")).ToBeVisible())
	for _, who := range []string{"Megan Bowen", "Ben Smith", "Yara Haddad"} {
		b.must(b.page.GetByRole("checkbox", playwright.PageGetByRoleOptions{Name: who, Exact: playwright.Bool(true)}).Check())
	}
	b.checkA11y("Add members")
	b.shots(shot + "-add-members")
	b.must(b.role("button", g.Add).Click())
	members := b.page.GetByRole("tabpanel")
	for _, who := range []string{"Megan Bowen", "Ben Smith", "Yara Haddad"} {
		b.must(expect.Locator(members).ToContainText(who))
	}
	b.checkA11y("group pane, Members")
	b.shots(shot + "-group-members")

	// Forward Alex Wilber's mail to the list, picking it by name.
	b.must(b.page.Keyboard().Press("Escape"))
	b.openActiveUsers(l)
	b.openMailTab(l, "Alex Wilber")
	b.must(b.role("link", f.Manage).Click())
	b.must(expect.Locator(b.role("heading", f.Manage)).ToBeVisible())
	b.paneReady()
	b.must(b.label(f.ForwardAll).Check())
	b.must(b.label(f.Address).PressSequentially("Alex Forw"))
	pick := b.page.GetByRole("button", playwright.PageGetByRoleOptions{Name: fmt.Sprintf(g.UseFmt, "Alex Forwarding", "alexforwarding@contoso.com")})
	b.must(pick.Click())
	b.must(expect.Locator(b.label(f.Address)).ToHaveValue("alexforwarding@contoso.com"))
	target := b.page.GetByTestId("fwd-target")
	b.must(expect.Locator(target).ToContainText("Megan Bowen"))
	b.must(expect.Locator(target).ToContainText("Ben Smith (ben.smith@fabrikam.com), Yara Haddad (yara@tailspintoys.com)"))
	b.checkA11y("forwarding to a list")
	b.shots(shot + "-forwarding")
	b.must(b.role("button", f.Save).Click())
	b.must(expect.Locator(b.page.Locator("#toasts")).ToContainText("alexforwarding@contoso.com"))

	// Check delivery: each member, and the outside contacts the policy stops.
	b.must(b.role("button", f.Back).Click())
	b.must(b.role("link", g.CheckDelivery).Click())
	b.must(expect.Locator(b.label(g.RecipientAddress)).ToHaveValue("alexw@contoso.com"))
	b.must(b.role("button", g.Check).Click())
	result := b.page.GetByRole("region", playwright.PageGetByRoleOptions{Name: fmt.Sprintf(g.ResultFmt, "alexw@contoso.com")})
	b.must(expect.Locator(result).ToContainText(g.Delivered + " Megan Bowen"))
	b.must(expect.Locator(result).ToContainText(g.ContactBounced + " Ben Smith (ben.smith@fabrikam.com)"))
	b.must(expect.Locator(result).ToContainText(g.ContactBounced + " Yara Haddad (yara@tailspintoys.com)"))
	b.must(expect.Locator(result).ToContainText("5.7.520 Access denied"))
	b.checkA11y("Check delivery through a list")
	b.shots(shot + "-delivery")

	// The Mail tab names the groups Alex is in, each linking to its pane.
	b.must(b.role("button", f.Back).Click())
	groups := b.page.GetByRole("region").Filter(playwright.LocatorFilterOptions{Has: b.page.GetByRole("link", playwright.PageGetByRoleOptions{Name: "MarketingSG"})})
	b.must(expect.Locator(groups).ToHaveCount(1))
	b.checkA11y("Mail tab with groups")
	b.shots(shot + "-mail-tab")
	b.must(groups.GetByRole("link", playwright.LocatorGetByRoleOptions{Name: "MarketingSG"}).Click())
	b.must(expect.Locator(b.page.GetByRole("dialog", playwright.PageGetByRoleOptions{Name: "MarketingSG"})).ToBeVisible())
	b.checkA11y("group pane, General")
	b.shots(shot + "-group-general")
}

func TestForwardToADistributionListFollowingSeed000(t *testing.T) {
	forwardToList(t, "en-US", english, groupsEN, fwdEN, "en")
}

func TestForwardToADistributionListInDutch(t *testing.T) {
	forwardToList(t, "nl-NL", dutch, groupsNL, fwdNL, "nl")
}

// wizardValidation walks Add a group's rules: each step refuses Next with the
// reason on its field, Back keeps what was typed, and a taken address gets the
// proxy-address message.
func wizardValidation(t *testing.T, locale string, l labels, g groupLabels, shot string) {
	srv := startServer(t)
	b := newBrowser(t, srv, locale)
	// Expected: each refused step comes back with 422, which the browser logs.
	b.allowConsole(`status of 422`)
	b.signInAdmin(l)
	b.openGroups(g)
	b.must(b.role("link", g.AddGroup).Click())
	b.wizardAt(g.StepType)
	b.must(b.role("button", g.Next).Click())
	b.must(expect.Locator(b.page.Locator("#gwiz-type-error")).ToHaveText(g.TypeRequired))
	b.checkA11y("Add a group, no type")
	b.shots(shot + "-wizard-type")
	b.must(b.label(g.M365).Check())
	b.must(b.role("button", g.Next).Click())
	b.wizardAt(g.StepBasics)
	b.must(b.role("button", g.Next).Click())
	b.must(expect.Locator(b.label(g.Name)).ToHaveAttribute("aria-invalid", "true"))
	b.must(expect.Locator(b.page.Locator("#group-wizard")).ToContainText(g.NameRequired))
	b.checkA11y("Add a group, no name")
	// Names are unique as in Exchange: the list Sales Team has this one.
	b.must(b.label(g.Name).Fill("Sales Team"))
	b.must(b.role("button", g.Next).Click())
	b.must(expect.Locator(b.label(g.Name)).ToHaveAttribute("aria-invalid", "true"))
	b.must(expect.Locator(b.page.Locator("#gwiz-name-error")).ToContainText(`"Sales Team"`))
	b.checkA11y("Add a group, name in use")
	b.must(b.label(g.Name).Fill("Sales Team 2"))
	b.must(b.role("button", g.Next).Click())
	b.wizardAt(g.StepOwners)
	b.must(b.role("button", g.Next).Click())
	b.must(expect.Locator(b.page.Locator("#gwiz-owners-error")).ToHaveText(g.OwnerRequired))
	b.checkA11y("Add a group, no owner")
	b.must(b.role("button", g.Back).Click())
	b.wizardAt(g.StepBasics)
	b.must(expect.Locator(b.label(g.Name)).ToHaveValue("Sales Team 2"))
	b.must(b.role("button", g.Next).Click())
	b.must(b.label(g.Search).Fill("Lidia"))
	b.must(b.label(g.Search).Press("Enter"))
	b.must(b.page.GetByRole("checkbox", playwright.PageGetByRoleOptions{Name: "Lidia Holloway", Exact: playwright.Bool(true)}).Check())
	b.checkA11y("Add a group, owners found")
	b.shots(shot + "-wizard-owners")
	b.must(b.role("button", g.Next).Click())
	b.wizardAt(g.StepSettings)
	// The name suggests salesteam, which the list Sales Team has: the live check says so.
	b.must(expect.Locator(b.label(g.Alias)).ToHaveValue("salesteam2"))
	b.paneReadyWizard()
	b.must(b.label(g.Alias).Fill("salesteam"))
	b.must(expect.Locator(b.page.Locator("#gwiz-alias-check")).ToContainText(g.Taken))
	b.must(b.role("button", g.Next).Click())
	b.must(expect.Locator(b.label(g.Alias)).ToHaveAttribute("aria-invalid", "true"))
	b.checkA11y("Add a group, address taken")
	b.shots(shot + "-wizard-settings")
	b.must(b.label(g.Alias).Fill("salesteam-m365"))
	b.must(b.role("button", g.Next).Click())
	b.wizardAt(g.StepReview)
	b.checkA11y("Add a group, review")
	b.shots(shot + "-wizard-review")
	b.must(b.role("button", g.Create).Click())
	b.must(expect.Locator(b.page.GetByRole("status").Filter(playwright.LocatorFilterOptions{HasText: "salesteam-m365@contoso.com"})).ToBeVisible())
	b.shots(shot + "-wizard-done")
}

// paneReadyWizard waits until htmx has processed the wizard, so typing triggers
// its live address check.
func (b *browserSession) paneReadyWizard() {
	b.t.Helper()
	b.must(expect.Locator(b.page.Locator("#gwiz-alias[hx-get]")).ToHaveCount(1))
	b.must(b.page.WaitForLoadState(playwright.PageWaitForLoadStateOptions{State: playwright.LoadStateNetworkidle}))
}

func TestAddAGroupWizardValidation(t *testing.T) {
	wizardValidation(t, "en-US", english, groupsEN, "en")
}

func TestAddAGroupWizardValidationInDutch(t *testing.T) {
	wizardValidation(t, "nl-NL", dutch, groupsNL, "nl")
}

// contactsFlow adds, edits and deletes a contact; deleting one that is a member of
// a list names the list first.
func contactsFlow(t *testing.T, locale string, l labels, g groupLabels, shot string) {
	srv := startServer(t)
	b := newBrowser(t, srv, locale)
	// Expected: the refused contact comes back with 422, which the browser logs.
	b.allowConsole(`status of 422`)
	b.signInAdmin(l)
	b.must(b.page.GetByRole("navigation").GetByRole("link", playwright.LocatorGetByRoleOptions{Name: g.Contacts, Exact: playwright.Bool(true)}).Click())
	b.must(expect.Locator(b.role("heading", g.Contacts)).ToBeVisible())
	b.checkA11y("Contacts")
	b.shots(shot + "-contacts")
	b.must(b.role("link", g.AddContact).Click())
	b.must(b.label(g.First).Fill("Olga"))
	b.must(b.label(g.Last).Fill("Petrova"))
	b.must(b.label(g.Email).Fill("olga@contoso.com"))
	b.must(b.role("button", g.Submit).Click())
	b.must(expect.Locator(b.label(g.Email)).ToHaveAttribute("aria-invalid", "true"))
	b.checkA11y("Add a contact, with an error")
	b.shots(shot + "-add-contact")
	b.must(b.label(g.Email).Fill("olga@northwind.example"))
	b.must(b.label(g.Company).Fill("Northwind"))
	b.must(b.role("button", g.Submit).Click())
	dialog := b.page.GetByRole("dialog", playwright.PageGetByRoleOptions{Name: "Olga Petrova"})
	b.must(expect.Locator(dialog).ToBeVisible())
	b.must(expect.Locator(dialog).ToContainText("Northwind"))
	b.checkA11y("contact pane")
	b.shots(shot + "-contact-pane")
	b.must(b.role("button", g.Edit).Click())
	b.must(b.label(g.Company).Fill("Northwind Traders"))
	b.checkA11y("Edit contact information")
	b.must(b.role("button", g.Save).Click())
	b.must(expect.Locator(b.page.GetByRole("dialog")).ToContainText("Northwind Traders"))
	b.must(b.role("button", g.Delete).Click())
	b.checkA11y("Delete contact")
	b.must(b.page.GetByRole("dialog").GetByRole("button", playwright.LocatorGetByRoleOptions{Name: g.Delete, Exact: playwright.Bool(true)}).Click())
	b.must(expect.Locator(b.page.GetByRole("table")).Not().ToContainText("Olga Petrova"))

	// Ben Smith joins Sales Team, so deleting him says so first.
	b.openGroups(g)
	b.must(b.page.GetByRole("link", playwright.PageGetByRoleOptions{Name: g.Distribution}).First().Click())
	b.must(b.page.GetByRole("table").GetByRole("link", playwright.LocatorGetByRoleOptions{Name: "Sales Team"}).Click())
	b.must(b.role("tab", g.MembersTab).Click())
	b.must(b.role("button", g.AddMembers).Click())
	b.must(b.page.GetByRole("checkbox", playwright.PageGetByRoleOptions{Name: "Ben Smith", Exact: playwright.Bool(true)}).Check())
	b.must(b.role("button", g.Add).Click())
	b.must(expect.Locator(b.page.GetByRole("tabpanel")).ToContainText("Ben Smith"))
	b.must(b.page.Keyboard().Press("Escape"))
	b.must(b.page.GetByRole("navigation").GetByRole("link", playwright.LocatorGetByRoleOptions{Name: g.Contacts, Exact: playwright.Bool(true)}).Click())
	b.must(b.page.GetByRole("table").GetByRole("link", playwright.LocatorGetByRoleOptions{Name: "Ben Smith"}).Click())
	b.must(expect.Locator(b.page.GetByRole("dialog")).ToContainText("Sales Team"))
	b.must(b.role("button", g.Delete).Click())
	b.must(expect.Locator(b.page.Locator("#contact-delete-links")).ToContainText(g.DeleteLink + " Sales Team"))
	b.checkA11y("Delete contact in use")
	b.shots(shot + "-delete-contact")
	b.must(b.role("button", g.DeleteConfirm).Click())
	b.must(expect.Locator(b.page.GetByRole("table")).Not().ToContainText("Ben Smith"))
}

func TestContactsAddEditDelete(t *testing.T) {
	contactsFlow(t, "en-US", english, groupsEN, "en")
}

func TestContactsAddEditDeleteInDutch(t *testing.T) {
	contactsFlow(t, "nl-NL", dutch, groupsNL, "nl")
}

// groupPages opens every panel of a group's pane and the pages around it, checks
// each with axe-core, and nests one group in another on the way.
func groupPages(t *testing.T, locale string, l labels, g groupLabels, p paneLabels, shot string) {
	srv := startServer(t)
	b := newBrowser(t, srv, locale)
	b.signInAdmin(l)
	b.openGroups(g)
	b.must(b.page.GetByRole("link", playwright.PageGetByRoleOptions{Name: p.SecurityTab}).First().Click())
	b.must(expect.Locator(b.page.GetByRole("table")).ToContainText("All Staff Security"))
	b.checkA11y("Security groups tab")
	b.shots(shot + "-security-tab")

	// Sales Team gets MarketingSG as a nested member.
	b.must(b.page.GetByRole("link", playwright.PageGetByRoleOptions{Name: g.Distribution}).First().Click())
	b.must(b.page.GetByRole("table").GetByRole("link", playwright.LocatorGetByRoleOptions{Name: "Sales Team"}).Click())
	b.must(b.role("tab", g.MembersTab).Click())
	b.must(b.role("button", g.AddMembers).Click())
	b.must(b.page.GetByRole("checkbox", playwright.PageGetByRoleOptions{Name: "MarketingSG", Exact: playwright.Bool(true)}).Check())
	b.must(b.role("button", g.Add).Click())
	b.must(expect.Locator(b.page.GetByRole("tabpanel")).ToContainText("MarketingSG"))

	// MarketingSG's pane: every tab and panel.
	b.must(b.page.Keyboard().Press("Escape"))
	b.must(b.page.GetByRole("link", playwright.PageGetByRoleOptions{Name: p.MailSecurityTab}).First().Click())
	b.must(b.page.GetByRole("table").GetByRole("link", playwright.LocatorGetByRoleOptions{Name: "MarketingSG"}).Click())
	dialog := b.page.GetByRole("dialog", playwright.PageGetByRoleOptions{Name: "MarketingSG"})
	b.must(expect.Locator(dialog).ToContainText("Sales Team"))
	b.checkA11y("group pane, General")
	b.shots(shot + "-group-pane")
	b.must(b.role("link", p.EditBasics).Click())
	b.must(expect.Locator(b.role("heading", p.EditBasics)).ToBeVisible())
	b.checkA11y("Edit name and description")
	b.must(b.role("button", p.Back).Click())
	b.must(b.role("link", p.Addresses).Click())
	b.must(expect.Locator(b.role("heading", p.Addresses)).ToBeVisible())
	b.checkA11y("Manage email addresses")
	b.must(b.role("button", p.Back).Click())
	b.must(b.role("tab", g.MembersTab).Click())
	b.must(b.role("button", p.AddOwners).Click())
	b.checkA11y("Add owners")
	b.must(b.role("button", p.Back).Click())
	b.must(b.role("tab", p.SettingsTab).Click())
	b.must(b.label(p.AllowExternal).Check())
	b.must(b.role("button", g.Save).Click())
	b.must(expect.Locator(b.page.Locator("#toasts")).ToContainText("MarketingSG"))
	b.checkA11y("group pane, Settings")
	b.shots(shot + "-group-settings")
	// Deleting it names the list it is in, and removes that link with it.
	b.must(b.role("button", p.DeleteGroup).Click())
	b.must(expect.Locator(b.page.Locator("#group-delete-links")).ToContainText(g.DeleteLink + " Sales Team"))
	b.checkA11y("Delete group in use")
	b.shots(shot + "-delete-group")
	b.must(b.role("button", p.DeleteConfirm).Click())
	b.must(expect.Locator(b.page.Locator("#toasts")).ToContainText("MarketingSG"))
	b.must(expect.Locator(b.page.GetByRole("table")).Not().ToContainText("MarketingSG"))
}

// paneLabels are the group pane's words per language.
type paneLabels struct {
	SecurityTab, MailSecurityTab, EditBasics, Addresses, Back, AddOwners, SettingsTab, AllowExternal, DeleteGroup, DeleteConfirm string
}

var paneEN = paneLabels{"Security groups", "Mail-enabled security", "Edit name and description", "Manage email addresses", "Back", "Add owners",
	"Settings", "Allow people outside of my organization to send email to this group", "Delete group", "Remove these links and delete the group"}
var paneNL = paneLabels{"Beveiligingsgroepen", "Beveiliging met e-mail", "Naam en beschrijving bewerken", "E-mailadressen beheren", "Terug", "Eigenaren toevoegen",
	"Instellingen", "Toestaan dat personen buiten mijn organisatie e-mail naar deze groep verzenden", "Groep verwijderen", "Deze koppelingen verwijderen en de groep verwijderen"}

func TestGroupPaneAndPanels(t *testing.T) {
	groupPages(t, "en-US", english, groupsEN, paneEN, "en")
}

func TestGroupPaneAndPanelsInDutch(t *testing.T) {
	groupPages(t, "nl-NL", dutch, groupsNL, paneNL, "nl")
}
