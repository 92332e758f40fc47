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
}

var eac15EN = eac15Labels{
	General: "General", Addresses: "Email address", JobTitle: "Job title", GenSaved: "General settings of Megan Bowen saved.",
	Alias: "Alias", AddAddress: "Add", MakePrimaryFmt: "Set %s as the primary email address",
	AddrSaved: "Email addresses of Megan Bowen saved.", Taken: "alexw@contoso.com",
	Company: "Company", ContactSaved: "Changes to Ben Smith saved.",
}

var eac15NL = eac15Labels{
	General: "Algemeen", Addresses: "E-mailadres", JobTitle: "Functie", GenSaved: "De algemene instellingen van Megan Bowen zijn opgeslagen.",
	Alias: "Alias", AddAddress: "Toevoegen", MakePrimaryFmt: "%s instellen als primair e-mailadres",
	AddrSaved: "De e-mailadressen van Megan Bowen zijn opgeslagen.", Taken: "alexw@contoso.com",
	Company: "Bedrijf", ContactSaved: "Wijzigingen in Ben Smith opgeslagen.",
}

// followMailboxIdentity edits a person's mailbox in the EAC: General (job title)
// and Email address (an alias added and made primary; another person's address
// refused with the proxy-address message).
func followMailboxIdentity(t *testing.T, locale string, base labels, l eacLabels, m eac15Labels, shot string) {
	srv := startServer(t)
	b := newBrowser(t, srv, locale)
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
