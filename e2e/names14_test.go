//go:build e2e

package e2e

import (
	"testing"

	"github.com/playwright-community/playwright-go"
)

// TestSharedMailboxNamesAreUniqueInDutch follows seed 004's troubleshooting in
// Dutch: "Info" takes info@contoso.com, which Info has (the proxy-address message in
// full); on contoso.nl the address is free but the name is Info's (the name
// message in full: the proxy address, then the way out); another name then works.
func TestSharedMailboxNamesAreUniqueInDutch(t *testing.T) {
	srv := startServer(t)
	b := newBrowser(t, srv, "nl-NL")
	// Add answers the refused name with 422 and the form, which the browser logs.
	b.allowConsole(`status of 422`)
	b.signInAdmin(dutch)
	b.createShared(sharedNL, "Info", "")
	b.must(expect.Locator(b.page.Locator("#shared-alias-check")).ToContainText(
		`Het proxyadres "SMTP:info@contoso.com" wordt al gebruikt door de proxyadressen of LegacyExchangeDN van "Info". Kies een ander proxyadres.`))
	_, err := b.label(sharedNL.Domain).SelectOption(playwright.SelectOptionValues{Values: &[]string{"contoso.nl"}})
	b.must(err)
	b.must(expect.Locator(b.page.Locator("#shared-alias-check")).ToContainText("info@contoso.nl"))
	b.must(b.role("button", sharedNL.Save).Click())
	b.must(expect.Locator(b.page.Locator("#shared-name-error")).ToContainText(
		`Het proxyadres "SMTP:info@contoso.com" wordt al gebruikt door de proxyadressen of LegacyExchangeDN van "Info". Kies een ander proxyadres. ` +
			`De naam Info is al in gebruik: geef dit postvak een andere naam, zoals Info 2, en voer daarna het gewenste e-mailadres in.`))
	b.must(expect.Locator(b.label(sharedNL.Name)).ToHaveAttribute("aria-invalid", "true"))
	b.checkA11y("Een gedeeld postvak toevoegen, met de naamfout")
	b.shot("shared-name-taken-nl")
	b.must(b.label(sharedNL.Name).Fill("Info NL"))
	b.must(b.label(sharedNL.Email).Fill("info"))
	b.must(b.role("button", sharedNL.Save).Click())
	b.must(expect.Page(b.page).ToHaveURL(urlPattern(`/shared-mailboxes/new\?created=\d+$`)))
}
