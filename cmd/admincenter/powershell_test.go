package main

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/contoso/admincenter/models"
	"github.com/contoso/admincenter/models/dbtest"
	"github.com/contoso/admincenter/models/powershell"
	"github.com/contoso/admincenter/models/powershell/exchange"
)

const seedLine = `New-Mailbox -Shared -Name "Sales Department" -DisplayName "Sales Department" -Alias Sales | Set-Mailbox -GrantSendOnBehalfTo MarketingSG | Add-MailboxPermission -User MarketingSG -AccessRights FullAccess –InheritanceType All`

// demoDB makes a database with the demo tenant and returns its --db value.
func demoDB(t *testing.T) (string, *models.Store) {
	t.Helper()
	ctx := context.Background()
	dsn := dbtest.DSN(t, "cli")
	s, err := models.Open(ctx, dsn, fastHashing)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.SeedDemo(ctx, "Cli-Pass-2026"); err != nil {
		t.Fatal(err)
	}
	return dsn, s
}

// ps runs `admincenter powershell` with stdin and returns stdout, stderr and the error.
func ps(t *testing.T, stdin string, args ...string) (string, string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := powershellCmd(context.Background(), args, env(nil), strings.NewReader(stdin), &out, &errOut)
	return out.String(), errOut.String(), err
}

func TestPowerShellCommandLine(t *testing.T) {
	db, store := demoDB(t)
	out, errOut, err := ps(t, "", "--db", db, "--as", "admin@contoso.com", seedLine)
	if err != nil || errOut != "" || !strings.Contains(out, "Sales Department     MarketingSG") {
		t.Fatalf("seed line: %v\n%s\n%s", err, out, errOut)
	}
	out, _, err = ps(t, "", "--db", db, "--as", "pattif@contoso.com", `Get-MailboxPermission "Sales Department"`)
	if err != nil || !strings.Contains(out, `NT AUTHORITY\SELF`) || !strings.Contains(out, "MarketingSG") {
		t.Errorf("Get-MailboxPermission: %v\n%s", err, out)
	}
	out, _, err = ps(t, "", "--db", db, "--as", "pattif@contoso.com", "Get-Mailbox", `"Sales Department"`, "|", "Format-List", "GrantSendOnBehalfTo")
	if err != nil || strings.TrimSpace(out) != "GrantSendOnBehalfTo : {MarketingSG}" {
		t.Errorf("Format-List: %v\n%q", err, out)
	}
	events, _ := store.AuditEvents(context.Background(), models.AuditQuery{Action: "shared.create", Size: 1})
	if len(events.Events) != 1 || events.Events[0].Channel != models.ChannelPowerShell || events.Events[0].Command != seedLine {
		t.Errorf("audit: %+v", events.Events)
	}

	// A script from stdin: errors to stderr, the rest goes on, the status says it failed.
	out, errOut, err = ps(t, "Get-Mailbox nobody\nGet-Mailbox info |\n  Format-List Name, RecipientTypeDetails\n", "--db", db, "--as", "admin@contoso.com", "--width", "60")
	if !errors.Is(err, errCmdletFailed) || !strings.Contains(errOut, "couldn't be found") || !strings.Contains(errOut, "+ CategoryInfo") ||
		!strings.Contains(out, "RecipientTypeDetails : SharedMailbox") || strings.Contains(out, "couldn't be found") {
		t.Errorf("script: %v\n%s\n%s", err, out, errOut)
	}

	// A Global reader reads, and is refused changes.
	before, _ := store.Fingerprint(context.Background())
	_, errOut, err = ps(t, "", "--db", db, "--as", "miriamg@contoso.com", `Set-Mailbox "Sales Department" -HiddenFromAddressListsEnabled $true`)
	if !errors.Is(err, errCmdletFailed) || !strings.Contains(errOut, `Some of the parameters specified with the "Set-Mailbox" cmdlet aren't present in the role definition for the current user.`) {
		t.Errorf("reader: %v %s", err, errOut)
	}
	if after, _ := store.Fingerprint(context.Background()); after != before {
		t.Error("the reader's change went through")
	}

	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--db", db, "Get-Mailbox"}, "--as names the admin"},
		{[]string{"--db", db, "--as", "nobody@contoso.com", "Get-Mailbox"}, "no person has the address nobody@contoso.com"},
		{[]string{"--db", db, "--as", "alexw@contoso.com", "Get-Mailbox"}, "holds no admin role"},
		{[]string{"--db", t.TempDir() + "/none.db", "--as", "admin@contoso.com", "Get-Mailbox"}, "no database at"},
		{[]string{"--db", db, "--as", "admin@contoso.com", "--colour"}, "flag provided but not defined"},
	} {
		if dbtest.Postgres() && strings.HasSuffix(c.args[1], "none.db") {
			continue
		}
		if _, _, err := ps(t, "", c.args...); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: %v, want %q", c.args, err, c.want)
		}
	}
}

// fakeTerminal is a terminal: keys in, screen out.
type fakeTerminal struct {
	in  *strings.Reader
	out bytes.Buffer
}

func (f *fakeTerminal) Read(p []byte) (int, error)  { return f.in.Read(p) }
func (f *fakeTerminal) Write(p []byte) (int, error) { return f.out.Write(p) }

// TestPowerShellPrompt types at the interactive prompt: a command over two lines
// (">> "), the up arrow to run the last line again, and exit.
func TestPowerShellPrompt(t *testing.T) {
	_, store := demoDB(t)
	admin, err := cliAdmin(context.Background(), store, "admin@contoso.com")
	if err != nil {
		t.Fatal(err)
	}
	eng := powershell.New(exchange.NewRegistry(store))
	term := &fakeTerminal{in: strings.NewReader("Get-Mailbox info |\rFormat-List Name\r\x1b[A\rGet-Mailbox nobody\rexit\rGet-Mailbox\r")}
	if err := prompt(context.Background(), eng, admin, admin.Username, term, 80); err != nil {
		t.Fatal(err)
	}
	screen := term.out.String()
	for _, want := range []string{"PS> ", ">> ", "Name : Info", "\x1b[31mGet-Mailbox : The operation couldn't be performed"} {
		if !strings.Contains(screen, want) {
			t.Errorf("screen lacks %q:\n%s", want, screen)
		}
	}
	if strings.Count(screen, "Name : Info") != 1 {
		t.Errorf("the recalled line ran on its own: %d", strings.Count(screen, "Name : Info"))
	}
	if strings.Contains(screen, "Adele Vance") {
		t.Error("the prompt ran a command after exit")
	}
}

func TestIncomplete(t *testing.T) {
	for text, want := range map[string]bool{
		"Get-Mailbox":    false,
		"Get-Mailbox |":  true,
		"Get-Mailbox `":  true,
		"Get-Mailbox 'x": true,
		`Set-Mailbox x -GrantSendOnBehalfTo @{Add="a"`: true,
		"Get-Mailbox | ? { $_.Name":                    true,
		"Get-Mailbox | ? { $_.Name }":                  false,
		"Get-Mailbox }":                                false,
		"Get-Mailbox -Foo":                             false,
		"a,":                                           true,
	} {
		if got := incomplete(text); got != want {
			t.Errorf("incomplete(%q) = %v", text, got)
		}
	}
}
