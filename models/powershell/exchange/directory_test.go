package exchange

import (
	"reflect"
	"strings"
	"testing"
)

func TestDirectoryCmdlets(t *testing.T) {
	tn := newTenant(t)
	groups := tn.run(globalReader, "Get-DistributionGroup")
	if got := outNames(groups); !reflect.DeepEqual(got, []string{"MarketingSG", "Sales Team"}) {
		t.Errorf("groups = %v", got)
	}
	if got := column(groups, "GroupType"); !reflect.DeepEqual(got, []string{"Universal+SecurityEnabled", "Universal"}) {
		t.Errorf("group types = %v", got)
	}
	if got := outNames(tn.run(globalReader, "Get-DistributionGroupMember MarketingSG")); !reflect.DeepEqual(got, []string{"Alex Wilber", "Megan Bowen"}) {
		t.Errorf("members = %v", got)
	}
	if got := outNames(tn.run(globalReader, "Get-DistributionGroup -RecipientTypeDetails MailUniversalDistributionGroup | Get-DistributionGroupMember")); !reflect.DeepEqual(got, []string{"Diego Siciliani", "Johanna Lorenz"}) {
		t.Errorf("piped members = %v", got)
	}
	tn.fails(globalReader, "Get-DistributionGroupMember info", "couldn't be found")

	recipients := tn.run(globalReader, "Get-Recipient -ResultSize Unlimited")
	if len(recipients.Output) != 20+2+3 { // + two contacts and the Microsoft 365 group
		t.Errorf("recipients: %d", len(recipients.Output))
	}
	if got := column(tn.run(globalReader, `"Sales Team", "MarketingSG", "info" | Get-Recipient | Select-Object RecipientTypeDetails`), "RecipientTypeDetails"); !reflect.DeepEqual(got, []string{"MailUniversalDistributionGroup", "MailUniversalSecurityGroup", "SharedMailbox"}) {
		t.Errorf("types = %v", got)
	}
	res := tn.run(globalReader, "Get-User adelev")
	if prop(t, res, "Title") != "Retail Manager" || prop(t, res, "RecipientTypeDetails") != "UserMailbox" {
		t.Errorf("Get-User: %s", res.Text())
	}
	if got := outNames(tn.run(globalReader, "Get-User -RecipientTypeDetails SharedMailbox")); !reflect.DeepEqual(got, []string{"Info", "Reception"}) {
		t.Errorf("Get-User shared = %v", got)
	}
	text := tn.ok(globalReader, "Get-User -Anr ad")
	if !strings.Contains(text, "Adele Vance") || !strings.Contains(text, "RecipientType") {
		t.Errorf("Get-User table:\n%s", text)
	}
	help := tn.ok(globalReader, "Get-Command -Module ExchangeOnlineManagement")
	for _, c := range []string{"Get-Mailbox", "Set-Mailbox", "Add-MailboxPermission", "Get-RecipientPermission", "Set-MailboxAutoReplyConfiguration", "Get-DistributionGroupMember",
		"New-DistributionGroup", "Set-DistributionGroup", "Remove-DistributionGroup", "Add-DistributionGroupMember", "Remove-DistributionGroupMember",
		"Get-MailContact", "New-MailContact", "Remove-MailContact"} {
		if !strings.Contains(help, c) {
			t.Errorf("Get-Command lacks %s", c)
		}
	}
	tn.fails(globalReader, "New-UnifiedGroup -DisplayName x", "The term 'New-UnifiedGroup' is not recognized")
	if h := tn.ok(globalReader, "Get-Help Add-DistributionGroupMember"); !strings.Contains(h, "-Member") {
		t.Errorf("help:\n%s", h)
	}
	if h := tn.ok(globalReader, "Get-Help Set-Mailbox"); !strings.Contains(h, "-GrantSendOnBehalfTo") {
		t.Errorf("help:\n%s", h)
	}
}
