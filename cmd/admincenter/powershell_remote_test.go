package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/contoso/admincenter/handlers/adminapi/exoclient"
	"github.com/contoso/admincenter/models"
	"github.com/contoso/admincenter/models/powershell"
	"github.com/contoso/admincenter/models/powershell/exchange"
	"github.com/contoso/admincenter/web"
)

// remoteServer is the web server over a demo database with an app of the roles; it
// returns the server's address and the app's Exchange token.
func remoteServer(t *testing.T, roles ...models.Role) (string, string, *models.Store) {
	t.Helper()
	_, store := demoDB(t)
	ctx := context.Background()
	srv := httptest.NewServer(web.New(web.DefaultConfig(), store, slog.New(slog.NewTextHandler(io.Discard, nil))))
	t.Cleanup(srv.Close)
	admin, err := store.Authenticate(ctx, "admin@contoso.com", "Cli-Pass-2026")
	if err != nil {
		t.Fatal(err)
	}
	app, err := store.CreateApp(ctx, admin, models.NewApp{Name: "Scripts " + string(roles[0]), Roles: roles, LifetimeDays: 90})
	if err != nil {
		t.Fatal(err)
	}
	_, tok, err := store.IssueToken(ctx, app.ClientID, app.Secret, models.AudienceExchange)
	if err != nil {
		t.Fatal(err)
	}
	return srv.URL, tok.Raw, store
}

// TestPowerShellAgainstTheRESTEndpoint runs the seed line through the command line
// with --url and --token: the Exchange cmdlets run on the server, the pipeline here.
func TestPowerShellAgainstTheRESTEndpoint(t *testing.T) {
	url, token, store := remoteServer(t, models.RoleExchangeAdmin)
	out, errOut, err := ps(t, "", "--url", url, "--token", token, seedLine)
	if err != nil || errOut != "" || !strings.Contains(out, "Sales Department") || !strings.Contains(out, "MarketingSG") {
		t.Fatalf("seed line: %v\n%s\n%s", err, out, errOut)
	}
	out, _, err = ps(t, "", "--url", url, "--token", token, `Get-MailboxPermission "Sales Department"`)
	if err != nil || !strings.Contains(out, `NT AUTHORITY\SELF`) || !strings.Contains(out, "MarketingSG") {
		t.Errorf("Get-MailboxPermission: %v\n%s", err, out)
	}
	out, _, err = ps(t, "", "--url", url, "--token", token, "Get-Mailbox", `"Sales Department"`, "|", "Format-List", "GrantSendOnBehalfTo")
	if err != nil || strings.TrimSpace(out) != "GrantSendOnBehalfTo : {MarketingSG}" {
		t.Errorf("Format-List: %v\n%q", err, out)
	}
	events, _ := store.AuditEvents(context.Background(), models.AuditQuery{Action: "shared.create", Size: 1})
	if len(events.Events) != 1 || events.Events[0].Channel != models.ChannelExchangeREST {
		t.Errorf("audit: %+v", events.Events)
	}

	// A script from stdin: the pipeline, Where-Object, Measure-Object and
	// Select-Object run here over objects paged from the server.
	out, errOut, err = ps(t, "Get-Mailbox -ResultSize Unlimited | Where-Object {$_.RecipientTypeDetails -eq 'SharedMailbox'} | Measure-Object\n"+
		"Get-Recipient -ResultSize 3 | Select-Object Name\n", "--url", url, "--token", token)
	if err != nil || !strings.Contains(out, "Count    : 3") || !strings.Contains(out, "WARNING: There are more results available") {
		t.Errorf("script: %v\n%s\n%s", err, out, errOut)
	}

	// Exchange's errors come back with their category; the exit status says so.
	_, errOut, err = ps(t, "", "--url", url, "--token", token, "Get-Mailbox nobody")
	if err == nil || !strings.Contains(errOut, "The operation couldn't be performed because object 'nobody' couldn't be found") ||
		!strings.Contains(errOut, "ObjectNotFound: (:) [Get-Mailbox], ManagementObjectNotFoundException") {
		t.Errorf("not found: %v\n%s", err, errOut)
	}
	out, _, err = ps(t, "", "--url", url, "--token", token, `Add-MailboxPermission "Sales Department" -User MarketingSG -AccessRights FullAccess`)
	if err != nil || !strings.Contains(out, "WARNING: The appropriate access control entry is already present") {
		t.Errorf("warning: %v\n%s", err, out)
	}
	// @{Add=;Remove=} and a date travel as the endpoint reads them.
	_, errOut, err = ps(t, "Set-Mailbox info -GrantSendOnBehalfTo @{Add='adelev','MarketingSG'}\n"+
		"Set-Mailbox info -GrantSendOnBehalfTo @{Remove='MarketingSG'}\n"+
		"Set-MailboxAutoReplyConfiguration info -AutoReplyState Scheduled -InternalMessage Away -StartTime 2027-01-04T08:00:00Z -EndTime 2027-01-08T17:00:00Z\n",
		"--url", url, "--token", token)
	out, _, _ = ps(t, "", "--url", url, "--token", token, "Get-Mailbox info | Format-List GrantSendOnBehalfTo; Get-MailboxAutoReplyConfiguration info | Format-List StartTime")
	if err != nil || !strings.Contains(out, "GrantSendOnBehalfTo : {Adele Vance}") || !strings.Contains(out, "2027-01-04") {
		t.Errorf("hashtable and date: %v %s\n%s", err, errOut, out)
	}
	// Binding is local, with the service's parameters; -WhatIf asks nothing.
	_, errOut, _ = ps(t, "", "--url", url, "--token", token, "Set-Mailbox info -Nope 1")
	if !strings.Contains(errOut, "A parameter cannot be found that matches parameter name 'Nope'.") {
		t.Errorf("binding: %s", errOut)
	}
	before, _ := store.Fingerprint(context.Background())
	out, _, err = ps(t, "", "--url", url, "--token", token, "Remove-Mailbox info -WhatIf")
	after, _ := store.Fingerprint(context.Background())
	if err != nil || !strings.Contains(out, `What if: Performing the operation "Remove-Mailbox" on target "info".`) || before != after {
		t.Errorf("-WhatIf: %v\n%s", err, out)
	}
}

func TestPowerShellRESTRoles(t *testing.T) {
	url, token, store := remoteServer(t, models.RoleGlobalReader)
	before, _ := store.Fingerprint(context.Background())
	_, errOut, err := ps(t, "", "--url", url, "--token", token, "Set-Mailbox info -HiddenFromAddressListsEnabled $true")
	after, _ := store.Fingerprint(context.Background())
	if err == nil || !strings.Contains(errOut, `aren't present in the role definition for the current user`) ||
		!strings.Contains(errOut, "PermissionDenied") || before != after {
		t.Errorf("reader's change: %v\n%s", err, errOut)
	}
	_, errOut, err = ps(t, "", "--url", url, "--token", "not-a-token", "Get-Mailbox")
	if err == nil || !strings.Contains(errOut+err.Error(), "token") {
		t.Errorf("bad token: %v\n%s", err, errOut)
	}
	_, _, err = ps(t, "", "--url", url, "Get-Mailbox")
	if err == nil || !strings.Contains(err.Error(), "--token") {
		t.Errorf("no token: %v", err)
	}
}

// TestRemoteCmdletsPage: with a small page size every page of a long answer is
// fetched (through @odata.nextLink) and piped on, the same objects as in the
// database.
func TestRemoteCmdletsPage(t *testing.T) {
	url, token, store := remoteServer(t, models.RoleGlobalReader)
	client, err := exoclient.New(url, token)
	if err != nil {
		t.Fatal(err)
	}
	client.PageSize = 3
	requests := 0
	client.HTTP = &http.Client{Transport: countingTransport{&requests}}
	res := powershell.New(remoteRegistry(client)).Run(context.Background(), nil, `Get-Recipient -ResultSize Unlimited | Select-Object -ExpandProperty PrimarySmtpAddress`)
	if res.Failed() {
		t.Fatal(res.Text())
	}
	local := powershell.New(exchange.NewRegistry(store)).Run(context.Background(), adminOf(t, store), `Get-Recipient -ResultSize Unlimited | Select-Object -ExpandProperty PrimarySmtpAddress`)
	if res.Text() != local.Text() || len(res.Output) < 7 {
		t.Errorf("remote:\n%s\nlocal:\n%s", res.Text(), local.Text())
	}
	if want := (len(res.Output) + 2) / 3; requests != want {
		t.Errorf("%d requests for %d objects, want %d", requests, len(res.Output), want)
	}
}

type countingTransport struct{ n *int }

func (c countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	*c.n++
	return http.DefaultTransport.RoundTrip(r)
}

func adminOf(t *testing.T, store *models.Store) *models.Admin {
	t.Helper()
	a, err := cliAdmin(context.Background(), store, "miriamg@contoso.com")
	if err != nil {
		t.Fatal(err)
	}
	return a
}
