//go:build e2e

package e2e

import (
	"fmt"
	"testing"

	"github.com/playwright-community/playwright-go"
)

// seedLine is the shared-mailbox seed's PowerShell, with its en dash.
const seedLine = `New-Mailbox -Shared -Name "Sales Department" -DisplayName "Sales Department" -Alias Sales | Set-Mailbox -GrantSendOnBehalfTo MarketingSG | Add-MailboxPermission -User MarketingSG -AccessRights FullAccess –InheritanceType All`

// psLabels are the console's words per language.
type psLabels struct {
	AdminCenters, Command, Run, Output, Clear, SharedNav, Permissions string
	perm                                                              permLabels
	labels                                                            labels
}

var psEN = psLabels{"Admin centers", "Command", "Run", "Output", "Clear the console", "Shared mailboxes", "Mailbox permissions", permEN, english}
var psNL = psLabels{"Beheercentra", "Opdracht", "Uitvoeren", "Uitvoer", "Console wissen", "Gedeelde postvakken", "Postvakmachtigingen", permNL, dutch}

// openConsole follows Admin centers > Exchange Online PowerShell.
func (b *browserSession) openConsole() {
	b.t.Helper()
	b.must(b.page.GetByRole("navigation").GetByRole("link", playwright.LocatorGetByRoleOptions{Name: "Exchange Online PowerShell", Exact: playwright.Bool(true)}).Click())
	b.must(expect.Locator(b.role("heading", "Exchange Online PowerShell")).ToBeVisible())
}

// runCommand types a command at the prompt key by key and presses Enter, then
// waits for its entry in the output.
func (b *browserSession) runCommand(l psLabels, cmd string) playwright.Locator {
	b.t.Helper()
	entries := b.page.Locator("[data-ps-entry]")
	n, err := entries.Count()
	b.must(err)
	input := b.label(l.Command)
	b.must(input.Click())
	b.must(input.PressSequentially(cmd))
	b.must(expect.Locator(input).ToHaveValue(cmd))
	b.must(input.Press("Enter"))
	b.must(expect.Locator(entries).ToHaveCount(n + 1))
	b.must(expect.Locator(input).ToHaveValue(""))
	return entries.Nth(n)
}

// consoleShots takes the console's screenshots at desktop and phone sizes; at the
// phone's width the page must not scroll sideways (a wide table scrolls inside the
// output). The viewport goes back to the desktop size.
func (b *browserSession) consoleShots(name string) {
	b.t.Helper()
	for _, size := range []playwright.Size{{Width: 1440, Height: 900}, {Width: 390, Height: 844}} {
		b.must(b.page.SetViewportSize(size.Width, size.Height))
		b.noSidewaysScroll(fmt.Sprintf("%s at %d", name, size.Width))
		b.screenshot(fmt.Sprintf("%s-%dx%d", name, size.Width, size.Height))
	}
	b.must(b.page.SetViewportSize(1440, 900))
}

// noSidewaysScroll fails the test when the page is wider than the viewport.
func (b *browserSession) noSidewaysScroll(what string) {
	b.t.Helper()
	wider, err := b.page.Evaluate(`() => document.documentElement.scrollWidth > document.documentElement.clientWidth`)
	b.must(err)
	if wider == true {
		widths, _ := b.page.Evaluate(`() => document.documentElement.scrollWidth + " > " + document.documentElement.clientWidth`)
		b.t.Errorf("%s scrolls sideways: %v", what, widths)
	}
}

func TestPowerShellConsoleRunsTheSeedLine(t *testing.T) {
	for _, c := range []struct {
		locale string
		l      psLabels
	}{{"en-US", psEN}, {"nl-NL", psNL}} {
		t.Run(c.locale, func(t *testing.T) {
			srv := startServer(t)
			b := newBrowser(t, srv, c.locale)
			l := c.l
			b.signIn(l.labels, "admin@contoso.com", adminPassword)
			b.openConsole()
			b.must(expect.Locator(b.page.GetByRole("navigation").GetByText(l.AdminCenters)).ToBeVisible())
			out := b.runCommand(l, seedLine)
			b.must(expect.Locator(out).ToContainText("Sales Department     MarketingSG"))
			out = b.runCommand(l, `Get-MailboxPermission "Sales Department"`)
			b.must(expect.Locator(out).ToContainText(`NT AUTHORITY\SELF`))
			b.must(expect.Locator(out).ToContainText("MarketingSG"))
			out = b.runCommand(l, `Get-Mailbox "Sales Department" | Format-List GrantSendOnBehalfTo`)
			b.must(expect.Locator(out).ToContainText("GrantSendOnBehalfTo : {MarketingSG}"))
			b.checkA11y("Exchange Online PowerShell with output " + c.locale)

			// History: the up arrow brings back the commands, newest first, the seed
			// line with its en dash as typed.
			input := b.label(l.Command)
			for _, want := range []string{`Get-Mailbox "Sales Department" | Format-List GrantSendOnBehalfTo`, `Get-MailboxPermission "Sales Department"`, seedLine} {
				b.must(input.Press("ArrowUp"))
				b.must(expect.Locator(input).ToHaveValue(want))
			}
			for range 3 {
				b.must(input.Press("ArrowDown"))
			}
			b.must(expect.Locator(input).ToHaveValue(""))
			b.consoleShots("powershell-" + c.locale)

			// The admin center's panels show the same holders.
			b.must(b.page.GetByRole("navigation").GetByRole("link", playwright.LocatorGetByRoleOptions{Name: l.SharedNav, Exact: playwright.Bool(true)}).Click())
			b.must(b.page.GetByRole("table").GetByRole("link", playwright.LocatorGetByRoleOptions{Name: "Sales Department", Exact: playwright.Bool(true)}).Click())
			b.must(expect.Locator(b.page.GetByRole("dialog")).ToBeVisible())
			b.must(b.role("button", l.perm.EditFmt(l.Permissions)).Click())
			b.must(expect.Locator(b.role("heading", l.perm.Manage)).ToBeVisible())
			b.must(expect.Locator(b.section(l.labels.ReadManage)).ToContainText("MarketingSG"))
			b.must(expect.Locator(b.section(l.labels.OnBeh)).ToContainText("MarketingSG"))
			b.must(expect.Locator(b.section(l.labels.SendAs)).Not().ToContainText("MarketingSG"))
		})
	}
}

func TestPowerShellConsoleKeys(t *testing.T) {
	srv := startServer(t)
	b := newBrowser(t, srv, "en-US")
	l := psEN
	b.signInAdmin(english)
	b.openConsole()
	input := b.label(l.Command)

	// Errors in red, with PowerShell's category line.
	out := b.runCommand(l, "Get-Mailbox nobody")
	errRec := out.Locator(`[data-ps-stream="error"]`)
	b.must(expect.Locator(errRec).ToContainText("couldn't be found"))
	b.must(expect.Locator(errRec).ToContainText("+ CategoryInfo          : ObjectNotFound"))
	b.must(expect.Locator(errRec).ToHaveCSS("color", "rgb(252, 165, 165)"))

	// Multi-line input: Shift+Enter, and Enter after a pipe, start a new line.
	b.must(input.Click())
	b.must(input.PressSequentially("Get-Mailbox info |"))
	b.must(input.Press("Enter"))
	b.must(expect.Locator(input).ToHaveValue("Get-Mailbox info |\n"))
	b.must(input.PressSequentially("Format-List Name,"))
	b.must(input.Press("Shift+Enter"))
	b.must(input.PressSequentially("RecipientTypeDetails"))
	b.must(input.Press("Enter"))
	entries := b.page.Locator("[data-ps-entry]")
	b.must(expect.Locator(entries).ToHaveCount(2))
	b.must(expect.Locator(entries.Nth(1)).ToContainText("RecipientTypeDetails : SharedMailbox"))

	// History with the arrow keys.
	b.must(input.Press("ArrowUp"))
	b.must(expect.Locator(input).ToHaveValue("Get-Mailbox info |\nFormat-List Name,\nRecipientTypeDetails"))
	b.must(input.Press("ArrowUp")) // the caret is on the last line: Up moves within the text
	b.must(input.Press("Control+Home"))
	b.must(input.Press("ArrowUp"))
	b.must(expect.Locator(input).ToHaveValue("Get-Mailbox nobody"))
	b.must(input.Press("ArrowDown"))
	b.must(input.Press("Control+End"))
	b.must(input.Press("ArrowDown"))
	b.must(expect.Locator(input).ToHaveValue(""))

	// The Run button, and a wide table fitted to a narrow console.
	b.must(b.page.SetViewportSize(390, 844))
	b.must(input.Fill("Get-Mailbox -ResultSize 3"))
	b.must(b.role("button", l.Run).Click())
	b.must(expect.Locator(entries).ToHaveCount(3))
	b.must(expect.Locator(entries.Nth(2)).ToContainText("There are more results available"))
	b.checkA11y("Exchange Online PowerShell, narrow")
	b.noSidewaysScroll("Exchange Online PowerShell, narrow")
	b.screenshot("powershell-narrow")
	b.must(b.role("button", l.Clear).Click())
	b.must(expect.Locator(entries).ToHaveCount(0))
}

func TestPowerShellForThisChange(t *testing.T) {
	srv := startServer(t)
	b := newBrowser(t, srv, "en-US")
	b.must(b.ctx.GrantPermissions([]string{"clipboard-read", "clipboard-write"}))
	b.signInAdmin(english)
	b.goto_("/shared-mailboxes")
	b.must(b.page.GetByRole("table").GetByRole("link", playwright.LocatorGetByRoleOptions{Name: "Info", Exact: playwright.Bool(true)}).Click())
	dialog := b.page.GetByRole("dialog")
	b.must(expect.Locator(dialog).ToBeVisible())
	b.must(dialog.GetByRole("button", playwright.LocatorGetByRoleOptions{Name: "Edit Sent items", Exact: playwright.Bool(true)}).Click())
	b.must(b.page.GetByText("PowerShell for this change").Click())
	code := b.page.Locator("#ps-for-0")
	b.must(expect.Locator(code).ToHaveText("Set-Mailbox -Identity info@contoso.com -MessageCopyForSentAsEnabled $true -MessageCopyForSendOnBehalfEnabled $true"))
	copyButton := b.page.Locator(`[data-copy="ps-for-0"]`)
	name, err := copyButton.Evaluate(`el => el.textContent`, nil)
	b.must(err)
	if name != "Copy: To make these settings" {
		t.Errorf("copy button text = %q", name)
	}
	b.must(copyButton.Click())
	b.must(expect.Locator(b.page.Locator(`[data-copy-status="ps-for-0"]`)).ToHaveText("Copied"))
	clip, err := b.page.Evaluate(`() => navigator.clipboard.readText()`)
	b.must(err)
	if clip != "Set-Mailbox -Identity info@contoso.com -MessageCopyForSentAsEnabled $true -MessageCopyForSendOnBehalfEnabled $true" {
		t.Errorf("clipboard = %q", clip)
	}
	b.checkA11y("Sent items with its PowerShell")

	// Open in the console: the command waits at the prompt; Enter runs it.
	b.must(b.page.Locator("[data-ps-for] a").First().Click())
	b.must(expect.Locator(b.role("heading", "Exchange Online PowerShell")).ToBeVisible())
	input := b.label("Command")
	b.must(expect.Locator(input).ToHaveValue(fmt.Sprint("Set-Mailbox -Identity info@contoso.com -MessageCopyForSentAsEnabled $true -MessageCopyForSendOnBehalfEnabled $true")))
	b.must(input.Press("Enter"))
	b.must(expect.Locator(b.page.Locator("[data-ps-entry]")).ToContainText("no settings of 'Info' have been modified"))
}

// TestPowerShellReaderWithoutJavaScript: a Global reader's console works as a plain
// form, reads, and shows the refusal of a change.
func TestPowerShellReaderWithoutJavaScript(t *testing.T) {
	srv := startServer(t)
	ctx, err := browser.NewContext(playwright.BrowserNewContextOptions{BaseURL: playwright.String(srv.URL), JavaScriptEnabled: playwright.Bool(false)})
	if err != nil {
		t.Fatal(err)
	}
	defer ctx.Close()
	page, err := ctx.NewPage()
	if err != nil {
		t.Fatal(err)
	}
	b := &browserSession{t: t, srv: srv, ctx: ctx, page: page}
	b.signIn(english, "miriamg@contoso.com", adminPassword)
	b.goto_("/powershell")
	b.must(expect.Locator(b.page.GetByRole("main")).ToContainText("Your role, Global reader, can run the Get- cmdlets"))
	b.must(b.label("Command").Fill(`Set-Mailbox info -HiddenFromAddressListsEnabled $true`))
	b.must(b.role("button", "Run").Click())
	b.must(expect.Locator(b.page.Locator(`[data-ps-stream="error"]`)).ToContainText(`Some of the parameters specified with the "Set-Mailbox" cmdlet aren't present in the role definition for the current user.`))
	// The reader reads, and the mailbox is as it was. (axe needs JavaScript: the
	// same page is scanned in the tests above.)
	b.must(b.label("Command").Fill(`Get-Mailbox info | Format-List HiddenFromAddressListsEnabled`))
	b.must(b.role("button", "Run").Click())
	b.must(expect.Locator(b.page.Locator(`[data-ps-stream="output"]`)).ToContainText("HiddenFromAddressListsEnabled : False"))
}
