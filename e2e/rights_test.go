//go:build e2e

package e2e

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/playwright-community/playwright-go"
)

// rightsWords are the words of the rights tests, per language.
type rightsWords struct {
	labels
	locale, addresses, username, save, saved, primary, refused, reset, block, delete string
}

var rightsLanguages = []rightsWords{
	{labels: english, locale: "en-US", addresses: "Manage username and email", username: "Username", save: "Save username",
		saved: "Username changed to patti.fernandez@contoso.nl", primary: "Primary email address",
		refused: "Patti Fernandez holds an admin role that your role, Helpdesk administrator, can't act on",
		reset:   "Reset password", block: "Block sign-in", delete: "Delete user"},
	{labels: dutch, locale: "nl-NL", addresses: "Gebruikersnaam en e-mail beheren", username: "Gebruikersnaam", save: "Gebruikersnaam opslaan",
		saved: "Gebruikersnaam gewijzigd in patti.fernandez@contoso.nl", primary: "Primair e-mailadres",
		refused: "Patti Fernandez heeft een beheerdersrol waarop uw rol, Helpdeskbeheerder, niet mag handelen",
		reset:   "Wachtwoord opnieuw instellen", block: "Aanmelden blokkeren", delete: "Gebruiker verwijderen"},
}

// TestChangeAUsername: Manage username and email changes the username apart from
// the email addresses; Active users shows it, and the person signs in with it.
func TestChangeAUsername(t *testing.T) {
	for _, w := range rightsLanguages {
		t.Run(w.locale, func(t *testing.T) {
			srv := startServer(t)
			b := newBrowser(t, srv, w.locale)
			b.signInAdmin(w.labels)
			b.openActiveUsers(w.labels)
			dialog := b.openUser("Patti Fernandez")
			b.must(dialog.GetByRole("link", playwright.LocatorGetByRoleOptions{Name: w.addresses, Exact: playwright.Bool(true)}).Click())
			b.must(expect.Locator(b.role("heading", w.addresses)).ToBeVisible())
			b.paneReady()
			b.must(expect.Locator(b.role("textbox", w.username)).ToHaveValue("pattif"))
			b.must(expect.Locator(b.page.GetByRole("dialog")).ToContainText(w.primary))
			b.checkA11y(w.addresses)
			b.screenshots("username-panel-" + w.locale)
			b.must(b.role("textbox", w.username).Fill("patti.fernandez"))
			_, err := b.page.Locator("#upn-domain").SelectOption(playwright.SelectOptionValues{Values: &[]string{"contoso.nl"}})
			b.must(err)
			b.must(b.role("button", w.save).Click())
			b.must(expect.Locator(b.page.Locator("#toasts")).ToContainText(w.saved))
			// The addresses stayed as they were.
			b.must(expect.Locator(b.page.GetByRole("dialog")).ToContainText("pattif@contoso.com"))
			b.must(b.role("button", w.Close).Click())
			b.must(b.page.GetByRole("searchbox", playwright.PageGetByRoleOptions{Name: w.Search}).Fill("patti"))
			b.must(expect.Locator(b.page.GetByRole("table")).ToContainText("patti.fernandez@contoso.nl"))

			// Patti signs in with her new username.
			other := newBrowser(t, srv, w.locale)
			other.signIn(w.labels, "patti.fernandez@contoso.nl", adminPassword)
			other.must(expect.Page(other.page).ToHaveURL("/"))
		})
	}
}

// TestHelpdeskCannotActOnAnExchangeAdmin: a Helpdesk administrator sees Patti, an
// Exchange administrator, with her account's actions disabled and why.
func TestHelpdeskCannotActOnAnExchangeAdmin(t *testing.T) {
	for _, w := range rightsLanguages {
		t.Run(w.locale, func(t *testing.T) {
			srv := startServer(t)
			b := newBrowser(t, srv, w.locale)
			b.signIn(w.labels, "leeg@contoso.com", adminPassword)
			b.must(expect.Page(b.page).ToHaveURL("/"))
			b.openActiveUsers(w.labels)
			dialog := b.openUser("Patti Fernandez")
			for _, action := range []string{w.reset, w.block, w.delete} {
				b.must(expect.Locator(dialog.GetByRole("button", playwright.LocatorGetByRoleOptions{Name: action, Exact: playwright.Bool(true)})).ToBeDisabled())
			}
			b.must(expect.Locator(b.page.Locator("#pane-denied")).ToContainText(w.refused))
			b.checkA11y("refused actions")
			b.screenshots("refused-" + w.locale)
			// A person without admin roles is within her reach.
			b.must(b.role("button", w.Close).Click())
			dialog = b.openUser("Alex Wilber")
			b.must(expect.Locator(dialog.GetByRole("button", playwright.LocatorGetByRoleOptions{Name: w.reset, Exact: playwright.Bool(true)})).ToBeEnabled())
		})
	}
}

// screenshots writes the page at a desktop's and a phone's size, for a person to
// look at (E2E_SHOTS; e2e/artifacts/shots). The caret is left as it is: hiding it
// would inject a style the page's Content-Security-Policy refuses.
func (b *browserSession) screenshots(name string) {
	b.t.Helper()
	if os.Getenv("E2E_SHOTS") == "" {
		return
	}
	dir := filepath.Join(repo, "e2e", "artifacts", "shots")
	b.must(os.MkdirAll(dir, 0o755))
	for _, size := range []struct {
		name          string
		width, height int
	}{{"1440x900", 1440, 900}, {"390x844", 390, 844}} {
		b.must(b.page.SetViewportSize(size.width, size.height))
		_, err := b.page.Screenshot(playwright.PageScreenshotOptions{Path: playwright.String(filepath.Join(dir, name+"-"+size.name+".png")),
			Caret: playwright.ScreenshotCaretInitial})
		b.must(err)
	}
	b.must(b.page.SetViewportSize(1440, 900))
}
