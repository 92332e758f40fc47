package exchange

import (
	"strings"
	"testing"

	"github.com/contoso/admincenter/models"
)

// changes are a command for every cmdlet that changes something.
var changes = []string{
	`New-Mailbox -Shared -Name "Sales Department" -Alias Sales`,
	`Set-Mailbox info -GrantSendOnBehalfTo MarketingSG`,
	`Set-Mailbox info -HiddenFromAddressListsEnabled $true`,
	`Set-Mailbox info -ForwardingAddress meganb`,
	`Set-Mailbox info -MessageCopyForSentAsEnabled $false`,
	`Set-Mailbox info -DisplayName Information`,
	`Set-Mailbox info -EmailAddresses @{Add="hello@contoso.com"}`,
	`Set-Mailbox adelev -Type Shared`,
	`Add-MailboxPermission info -User meganb -AccessRights FullAccess`,
	`Remove-MailboxPermission info -User adelev -AccessRights FullAccess`,
	`Add-RecipientPermission info -Trustee meganb -AccessRights SendAs`,
	`Remove-RecipientPermission info -Trustee adelev -AccessRights SendAs`,
	`Set-MailboxAutoReplyConfiguration info -AutoReplyState Enabled -InternalMessage Away`,
	`Remove-Mailbox info`,
	`New-DistributionGroup -Name Finance -Members adelev`,
	`Set-DistributionGroup "Sales Team" -RequireSenderAuthenticationEnabled $false`,
	`Add-DistributionGroupMember "Sales Team" -Member meganb`,
	`Remove-DistributionGroupMember "Sales Team" -Member diegos`,
	`Remove-DistributionGroup "Sales Team"`,
	`New-MailContact -Name Debra -ExternalEmailAddress debra@fabrikam.com`,
	`Remove-MailContact "Ben Smith"`,
}

// reads are a command for every cmdlet that only reads.
var reads = []string{
	`Get-Mailbox`, `Get-Mailbox info | Format-List`, `Get-MailboxPermission info`, `Get-RecipientPermission info`,
	`Get-MailboxAutoReplyConfiguration info`, `Get-Recipient`, `Get-User`, `Get-DistributionGroup`,
	`Get-DistributionGroupMember MarketingSG`, `Get-DistributionGroup "Sales Team"`, `Get-MailContact`, `Get-MailContact "Ben Smith"`, `Get-UnifiedGroup`,
	`Get-Help Set-Mailbox`, `Get-Command`,
}

// TestGlobalReaderRunsGetOnly: a Global reader (and a Helpdesk administrator, for
// mailboxes) runs every Get-* cmdlet, and every change is refused with Exchange's
// access-denied wording without changing anything.
func TestGlobalReaderRunsGetOnly(t *testing.T) {
	tn := newTenant(t)
	for _, line := range reads {
		tn.ok(globalReader, line)
	}
	before := tn.fingerprint()
	for _, who := range []string{globalReader, helpdesk} {
		for _, line := range changes {
			cmdlet, _, _ := strings.Cut(line, " ")
			rec := tn.fails(who, line, `Some of the parameters specified with the "`+cmdlet+`" cmdlet aren't present in the role definition for the current user.`)
			if rec.Category != "PermissionDenied" || !strings.Contains(rec.Format(), "PermissionDenied: (:) ["+cmdlet+"], CmdletAccessDeniedException") {
				t.Errorf("%s as %s:\n%s", line, who, rec.Format())
			}
		}
	}
	if tn.fingerprint() != before {
		t.Error("a refused change changed the database")
	}
}

// TestWhatIfChangesNothing runs every change with -WhatIf as the Global
// administrator: each says what it would do, and the database stays the same.
func TestWhatIfChangesNothing(t *testing.T) {
	tn := newTenant(t)
	before := tn.fingerprint()
	for _, line := range changes {
		cmdlet, _, _ := strings.Cut(line, " ")
		res := tn.run(globalAdmin, line+" -WhatIf")
		if res.Failed() || !strings.HasPrefix(res.Text(), `What if: Performing the operation "`+cmdlet+`" on target "`) {
			t.Errorf("%s -WhatIf: %s", line, res.Text())
		}
	}
	if tn.fingerprint() != before {
		t.Error("-WhatIf changed the database")
	}
	// -Confirm is accepted and asks nothing.
	tn.ok(globalAdmin, `Set-Mailbox info -HiddenFromAddressListsEnabled $true -Confirm`)
}

// TestChangesAreAudited: each change the cmdlets make is in the audit log as coming
// from PowerShell, with the command.
func TestChangesAreAudited(t *testing.T) {
	tn := newTenant(t)
	for _, line := range changes {
		res := tn.run(globalAdmin, line)
		if res.Failed() {
			t.Fatalf("%s: %s", line, res.Text())
		}
		page, err := tn.store.AuditEvents(t.Context(), models.AuditQuery{Size: 1})
		if err != nil {
			t.Fatal(err)
		}
		e := page.Events[0]
		if e.Channel != models.ChannelPowerShell || e.Command != line || e.Actor != globalAdmin {
			t.Errorf("%s: audit %s %q %q %q", line, e.Action, e.Channel, e.Command, e.Actor)
		}
	}
}
