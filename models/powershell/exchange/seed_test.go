package exchange

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/contoso/admincenter/models"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// seedLine is the shared-mailbox seed's PowerShell, with its en dash.
const seedLine = `New-Mailbox -Shared -Name "Sales Department" -DisplayName "Sales Department" -Alias Sales | Set-Mailbox -GrantSendOnBehalfTo MarketingSG | Add-MailboxPermission -User MarketingSG -AccessRights FullAccess –InheritanceType All`

// golden compares a console session with testdata/golden/<name>.txt.
func golden(t *testing.T, tn *tenant, name string, lines ...string) {
	t.Helper()
	var b strings.Builder
	for _, line := range lines {
		b.WriteString("PS> " + line + "\n")
		b.WriteString(tn.run(globalAdmin, line).Text())
	}
	path := filepath.Join("testdata", "golden", name+".txt")
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%s (go test -update creates it)", err)
	}
	if b.String() != string(want) {
		t.Errorf("%s differs from %s (go test -update rewrites it):\n%s", name, path, b.String())
	}
}

// TestSeedLine runs the seed's line and checks the mailbox through the models: the
// shared mailbox, MarketingSG with Full Access (no automapping: a group) and Send
// on behalf, and an audit entry per change that says PowerShell and the command.
func TestSeedLine(t *testing.T) {
	tn := newTenant(t)
	ctx := context.Background()
	golden(t, tn, "seed", seedLine, `Get-MailboxPermission "Sales Department"`, `Get-Mailbox "Sales Department" | Format-List GrantSendOnBehalfTo`)

	id, err := tn.store.RecipientByAddress(ctx, "sales@contoso.com")
	if err != nil {
		t.Fatal(err)
	}
	es, _ := tn.store.DirectoryByIDs(ctx, []uint{id})
	mb := es[id].Mailbox
	if mb == nil || mb.Type != models.MailboxShared || es[id].DisplayName != "Sales Department" {
		t.Fatalf("mailbox = %+v", es[id])
	}
	acc, err := tn.store.MailboxAccess(ctx, mb.ID)
	if err != nil {
		t.Fatal(err)
	}
	full, onBehalf := acc.Direct(models.RightFullAccess), acc.Direct(models.RightSendOnBehalf)
	if len(full) != 1 || full[0].DisplayName != "MarketingSG" || full[0].AutoMapping {
		t.Errorf("Full Access = %+v", full)
	}
	if len(onBehalf) != 1 || onBehalf[0].DisplayName != "MarketingSG" {
		t.Errorf("Send on behalf = %+v", onBehalf)
	}
	if members := acc.Members(models.RightFullAccess, full[0].RecipientID); len(members) != 2 {
		t.Errorf("members holding Full Access through MarketingSG = %+v", members)
	}
	page, err := tn.store.AuditEvents(ctx, models.AuditQuery{Size: 10})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range page.Events {
		if e.Channel != models.ChannelPowerShell || e.Command != seedLine || e.Actor != globalAdmin {
			t.Errorf("audit %s: channel %q, command %q, actor %q", e.Action, e.Channel, e.Command, e.Actor)
		}
		actions = append(actions, e.Action)
	}
	if strings.Join(actions, ",") != "mailbox_permission.add,mailbox_permission.add,shared.create" {
		t.Errorf("audit actions = %v", actions)
	}

	// Again: the mailbox exists (the proxy-address message), and so do the grants.
	rec := tn.fails(globalAdmin, seedLine, `The proxy address "SMTP:Sales@contoso.com" is already being used by the proxy addresses or LegacyExchangeDN of "Sales Department". Please choose another proxy address.`)
	if rec.RESTMessage() != `ExB10BE9|Microsoft.Exchange.Management.Tasks.WLCDManagedMemberExistsException|`+rec.Message {
		t.Errorf("REST message = %s", rec.RESTMessage())
	}
	res := tn.run(globalAdmin, `Get-Mailbox Sales | Set-Mailbox -GrantSendOnBehalfTo MarketingSG | Add-MailboxPermission -User marketingsg@contoso.com -AccessRights FullAccess`)
	if res.Failed() || len(res.Warnings) != 2 ||
		res.Warnings[0] != "The command completed successfully but no settings of 'Sales Department' have been modified." ||
		res.Warnings[1] != `The appropriate access control entry is already present on the object "Sales Department" for account "MarketingSG".` {
		t.Errorf("again: %s", res.Text())
	}
}
