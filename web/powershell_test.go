package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/contoso/admincenter/models"
)

// consoleChange is the change the role matrix runs through the console: it needs
// ActionManageSharedMailboxes.
const consoleChange = `Set-Mailbox info@contoso.com -HiddenFromAddressListsEnabled $true`

// checkConsoleRoles is the role matrix's row for the console's POST route: every
// admin may run cmdlets there, and a change their roles don't allow is answered
// with Exchange's access-denied error in the output while nothing changes;
// signed out, nothing runs. It returns how many (role) pairs it checked.
func checkConsoleRoles(t *testing.T, a *app, clients map[models.Role]*http.Client, tokens map[models.Role]string) int {
	t.Helper()
	ctx := context.Background()
	checked := 0
	for _, role := range append([]models.Role{""}, models.Roles...) {
		before, err := a.store.Fingerprint(ctx)
		if err != nil {
			t.Fatal(err)
		}
		client, tok := newClient(), ""
		if role != "" {
			client, tok = clients[role], tokens[role]
		} else {
			a.client = client
			tok = a.csrf("/signin")
		}
		form := url.Values{"_csrf": {tok}, "command": {consoleChange}}
		req, _ := http.NewRequest(http.MethodPost, a.srv.URL+"/powershell", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		res := a.do(client, req)
		after, err := a.store.Fingerprint(ctx)
		if err != nil {
			t.Fatal(err)
		}
		denied := strings.Contains(res.body, "aren&#39;t present in the role definition for the current user")
		switch {
		case role == "":
			if res.status != http.StatusUnauthorized || after != before {
				t.Errorf("/powershell signed out: %d, changed %v", res.status, after != before)
			}
		case role.Can(models.ActionManageSharedMailboxes):
			if res.status != http.StatusOK || denied || after == before {
				t.Errorf("/powershell as %s: %d, denied %v, changed %v", role, res.status, denied, after != before)
			}
			// Back as it was, for the next role.
			if err := a.store.SetShownInAddressList(ctx, adminOf(t, a), infoMailbox(t, a), true, true, currentVersion(t, a)); err != nil {
				t.Fatal(err)
			}
			continue
		default:
			if res.status != http.StatusOK || !denied || after != before {
				t.Errorf("/powershell as %s: %d, denied %v, changed %v", role, res.status, denied, after != before)
			}
		}
		checked++
	}
	return checked
}

func adminOf(t *testing.T, a *app) *models.Admin {
	admin, err := a.store.Authenticate(context.Background(), "admin@contoso.com", testPassword)
	if err != nil {
		t.Fatal(err)
	}
	return admin
}

func infoMailbox(t *testing.T, a *app) uint {
	ref := a.sharedPath("info@contoso.com")
	id, err := a.store.RecipientByAddress(context.Background(), "info@contoso.com")
	if err != nil || ref == "" {
		t.Fatal(err)
	}
	es, err := a.store.DirectoryByIDs(context.Background(), []uint{id})
	if err != nil {
		t.Fatal(err)
	}
	return es[id].Mailbox.ID
}

func currentVersion(t *testing.T, a *app) int {
	mb, err := a.store.Mailbox(context.Background(), infoMailbox(t, a))
	if err != nil {
		t.Fatal(err)
	}
	return mb.Version
}

// TestConsole drives the console page as its script does and as a plain form.
func TestConsole(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.signInAdmin()
	page := a.get("/powershell?command=" + url.QueryEscape("Get-Mailbox info"))
	if page.status != http.StatusOK || text(page, "h1") != "Exchange Online PowerShell" ||
		page.doc.Find("#ps-command").Text() != "Get-Mailbox info" || page.doc.Find(`#ps-output[role="log"][aria-live="polite"]`).Length() != 1 {
		t.Fatalf("page: %d %s", page.status, text(page, "main"))
	}
	if page.doc.Find(`nav a[href="/powershell"][aria-current="page"]`).Length() != 1 {
		t.Error("the navigation does not mark the console")
	}
	tok := a.csrf("/powershell")

	// The script's request gets the entry alone.
	r := a.post("/powershell", url.Values{"_csrf": {tok}, "command": {"Get-MailboxPermission info"}, "width": {"80"}}, "HX-Request", "true")
	if r.status != http.StatusOK || r.doc.Find("[data-ps-entry]").Length() != 1 || r.doc.Find("main").Length() != 0 ||
		!strings.Contains(r.body, `NT AUTHORITY\SELF`) || !strings.Contains(r.body, "adelev@contoso.com") {
		t.Fatalf("entry: %d\n%s", r.status, r.body)
	}
	// Errors come in red with PowerShell's category line.
	r = a.post("/powershell", url.Values{"_csrf": {tok}, "command": {"Get-Mailbox nobody"}}, "HX-Request", "true")
	errText := text(r, `[data-ps-stream="error"]`)
	if !strings.Contains(errText, "couldn't be found") || !strings.Contains(errText, "+ CategoryInfo : ObjectNotFound") ||
		r.doc.Find(`[data-ps-stream="error"].text-red-300`).Length() != 1 {
		t.Errorf("error: %s", r.body)
	}
	// A plain form post gets the page with the command's output.
	r = a.post("/powershell", url.Values{"_csrf": {tok}, "command": {"Set-Mailbox info -HiddenFromAddressListsEnabled $true\r\n"}})
	if r.status != http.StatusOK || r.doc.Find("h1").Length() != 1 || !strings.Contains(text(r, "#ps-output"), "Set-Mailbox info") {
		t.Errorf("plain post: %d", r.status)
	}
	events, _ := a.store.AuditEvents(context.Background(), models.AuditQuery{Size: 1})
	if e := events.Events[0]; e.Channel != models.ChannelPowerShell || e.Command != "Set-Mailbox info -HiddenFromAddressListsEnabled $true" {
		t.Errorf("audit: %+v", e)
	}
	if log := a.get("/audit"); !strings.Contains(text(log, "tbody"), "via PowerShell") || !strings.Contains(text(log, "tbody"), "Set-Mailbox info -HiddenFromAddressListsEnabled $true") {
		t.Error("the audit log does not show the command")
	}
	// Too long, and without a CSRF token.
	r = a.post("/powershell", url.Values{"_csrf": {tok}, "command": {strings.Repeat("x", 16385)}}, "HX-Request", "true")
	if !strings.Contains(text(r, `[data-ps-stream="error"]`), "longer than 16384 characters") {
		t.Errorf("too long: %s", r.body)
	}
	if r := a.post("/powershell", url.Values{"command": {consoleChange}}); r.status != http.StatusForbidden {
		t.Errorf("without a token: %d", r.status)
	}

	// Dutch chrome; PowerShell's own output stays English.
	a.post("/language", url.Values{"_csrf": {tok}, "lang": {"nl"}, "next": {"/powershell"}})
	nl := a.get("/powershell")
	if !strings.Contains(text(nl, "#ps-keys"), "Shift+Enter begint een nieuwe regel") || text(nl, `#ps-form button[type="submit"]`) != "Uitvoeren" {
		t.Errorf("Dutch: %s", text(nl, "main"))
	}
}

// TestReaderConsole: a Global reader is told what the console lets them do, runs
// Get-* cmdlets, and is refused changes with Exchange's wording.
func TestReaderConsole(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	if r := a.signIn("miriamg@contoso.com", testPassword); r.status != http.StatusSeeOther {
		t.Fatal(r.status)
	}
	page := a.get("/powershell")
	if !strings.Contains(text(page, "main"), "Your role, Global reader, can run the Get- cmdlets") {
		t.Errorf("reader note: %s", text(page, "main"))
	}
	tok := a.csrf("/powershell")
	before, _ := a.store.Fingerprint(context.Background())
	r := a.post("/powershell", url.Values{"_csrf": {tok}, "command": {"Get-Mailbox -RecipientTypeDetails SharedMailbox; " + consoleChange}}, "HX-Request", "true")
	if !strings.Contains(text(r, `[data-ps-stream="output"]`), "Info") ||
		!strings.Contains(text(r, `[data-ps-stream="error"]`), `Some of the parameters specified with the "Set-Mailbox" cmdlet aren't present in the role definition for the current user.`) {
		t.Errorf("reader: %s", r.body)
	}
	if after, _ := a.store.Fingerprint(context.Background()); after != before {
		t.Error("the reader's Set-Mailbox changed something")
	}
}

// TestPanelsShowTheirPowerShell: each panel that changes a mailbox offers the
// command for its change.
func TestPanelsShowTheirPowerShell(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.signInAdmin()
	shared := a.sharedPath("info@contoso.com")
	user := a.userPath("adelev@contoso.com")
	for path, want := range map[string]string{
		shared + "/mailbox-permissions/fullaccess":   "Remove-MailboxPermission -Identity info@contoso.com -User adelev@contoso.com -AccessRights FullAccess -InheritanceType All -Confirm:$false",
		shared + "/mailbox-permissions/sendas":       "Get-RecipientPermission -Identity info@contoso.com",
		shared + "/mailbox-permissions/sendonbehalf": "Get-Mailbox -Identity info@contoso.com | Format-List GrantSendOnBehalfTo",
		shared + "/forwarding":                       "Set-Mailbox -Identity info@contoso.com -ForwardingAddress $null -ForwardingSmtpAddress $null -DeliverToMailboxAndForward $false",
		shared + "/sent-items":                       "Set-Mailbox -Identity info@contoso.com -MessageCopyForSentAsEnabled $true -MessageCopyForSendOnBehalfEnabled $true",
		shared + "/address-list":                     "Set-Mailbox -Identity info@contoso.com -HiddenFromAddressListsEnabled $false",
		shared + "/auto-replies":                     "Set-MailboxAutoReplyConfiguration -Identity info@contoso.com -AutoReplyState Disabled",
		shared + "/name":                             "Set-Mailbox -Identity info@contoso.com -DisplayName Info",
		shared + "/addresses":                        `Set-Mailbox -Identity info@contoso.com -EmailAddresses @('SMTP:info@contoso.com')`,
		shared + "/members":                          "Remove-RecipientPermission -Identity info@contoso.com -Trustee adelev@contoso.com -AccessRights SendAs -Confirm:$false",
		user + "/convert":                            "Set-Mailbox -Identity adelev@contoso.com -Type Shared",
		user + "/forwarding":                         "Set-Mailbox -Identity adelev@contoso.com -ForwardingAddress $null",
		user + "/mailbox-permissions/fullaccess?trustee=" + a.recipient("meganb@contoso.com"): "Add-MailboxPermission -Identity adelev@contoso.com -User meganb@contoso.com -AccessRights FullAccess -InheritanceType All",
	} {
		r := a.get(path, "HX-Request", "true", "HX-Target", "pane")
		got := text(r, "[data-ps-for] pre")
		if r.status != http.StatusOK || !strings.Contains(got, want) {
			t.Errorf("%s: %d\n got %s\nwant %s", path, r.status, got, want)
		}
		if link, _ := r.doc.Find("[data-ps-for] a").First().Attr("href"); !strings.HasPrefix(link, "/powershell?command=") {
			t.Errorf("%s: link %q", path, link)
		}
	}
}

// TestConsoleEscapesAndChecksCSRF: text a person typed, and text a cmdlet read from
// the tenant, reach the page as text, never as markup; a post with another
// session's token, or none, runs nothing.
func TestConsoleEscapesAndChecksCSRF(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.signInAdmin()
	tok := a.csrf("/powershell")
	const evil = `<img src=x onerror=alert(1)>`

	// Echoed in the command and in Exchange's not-found error.
	r := a.post("/powershell", url.Values{"_csrf": {tok}, "command": {`Get-Mailbox "` + evil + `"`}}, "HX-Request", "true")
	if r.status != http.StatusOK || strings.Contains(r.body, evil) || r.doc.Find("img").Length() != 0 ||
		!strings.Contains(text(r, "[data-ps-entry] pre"), `Get-Mailbox "`+evil+`"`) ||
		!strings.Contains(text(r, `[data-ps-stream="error"]`), "'"+evil+"'") {
		t.Errorf("command echo: %d\n%s", r.status, r.body)
	}

	// A display name set through the console, read back in a table and a list, on
	// the script's entry and on the plain form's page.
	r = a.post("/powershell", url.Values{"_csrf": {tok}, "command": {`Set-Mailbox info -DisplayName '` + evil + `'`}}, "HX-Request", "true")
	if r.status != http.StatusOK || r.doc.Find(`[data-ps-stream="error"]`).Length() != 0 {
		t.Fatalf("Set-Mailbox -DisplayName: %d\n%s", r.status, r.body)
	}
	for _, cmd := range []string{"Get-Mailbox info", "Get-Mailbox info | Format-List DisplayName"} {
		for _, headers := range [][]string{{"HX-Request", "true"}, nil} {
			r = a.post("/powershell", url.Values{"_csrf": {tok}, "command": {cmd}, "width": {"200"}}, headers...)
			if r.status != http.StatusOK || strings.Contains(r.body, evil) || r.doc.Find("#ps-output img").Length() != 0 ||
				!strings.Contains(text(r, `[data-ps-stream="output"]`), "<img src=x") || !strings.Contains(r.body, "&lt;img src=x") {
				t.Errorf("%s (htmx %v): %d\n%s", cmd, headers != nil, r.status, r.body)
			}
		}
	}

	// Another session's token, and none: 403, nothing runs.
	other := newApp(t)
	other.signInAdmin()
	otherTok := other.csrf("/powershell")
	before, err := a.store.Fingerprint(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for name, form := range map[string]url.Values{
		"another session's token": {"_csrf": {otherTok}, "command": {consoleChange}},
		"no token":                {"command": {consoleChange}},
	} {
		if r := a.post("/powershell", form, "HX-Request", "true"); r.status != http.StatusForbidden || strings.Contains(r.body, "HiddenFromAddressListsEnabled") {
			t.Errorf("%s: %d\n%s", name, r.status, r.body)
		}
	}
	if r := a.post("/powershell", url.Values{"command": {consoleChange}}, "X-CSRF-Token", otherTok); r.status != http.StatusForbidden {
		t.Errorf("another session's token in the header: %d", r.status)
	}
	if after, _ := a.store.Fingerprint(context.Background()); after != before {
		t.Error("a post without this session's token changed the tenant")
	}
}
