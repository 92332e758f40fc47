package exchange

import (
	"reflect"
	"testing"
	"time"

	"github.com/contoso/admincenter/models"
)

// TestCommandsForPanels: the command each panel offers is what a person types, and
// running it makes the panel's change.
func TestCommandsForPanels(t *testing.T) {
	tn := newTenant(t)
	start, end := time.Date(2026, 12, 24, 17, 0, 0, 0, time.UTC), time.Date(2027, 1, 2, 8, 0, 0, 0, time.UTC)
	cases := []struct {
		line, want string
		check      func() bool
	}{
		{GrantCommand("info@contoso.com", models.RightFullAccess, "meganb@contoso.com", true),
			`Add-MailboxPermission -Identity info@contoso.com -User meganb@contoso.com -AccessRights FullAccess -InheritanceType All`,
			func() bool { return len(tn.run(globalReader, `Get-MailboxPermission info -User meganb`).Output) == 1 }},
		{GrantCommand("info@contoso.com", models.RightFullAccess, "alexw@contoso.com", false),
			`Add-MailboxPermission -Identity info@contoso.com -User alexw@contoso.com -AccessRights FullAccess -InheritanceType All -AutoMapping $false`, nil},
		{RevokeCommand("info@contoso.com", models.RightFullAccess, "meganb@contoso.com"),
			`Remove-MailboxPermission -Identity info@contoso.com -User meganb@contoso.com -AccessRights FullAccess -InheritanceType All -Confirm:$false`,
			func() bool { return len(tn.run(globalReader, `Get-MailboxPermission info -User meganb`).Output) == 0 }},
		{GrantCommand("info@contoso.com", models.RightSendAs, "marketingsg@contoso.com", false),
			`Add-RecipientPermission -Identity info@contoso.com -Trustee marketingsg@contoso.com -AccessRights SendAs -Confirm:$false`, nil},
		{RevokeCommand("info@contoso.com", models.RightSendAs, "marketingsg@contoso.com"),
			`Remove-RecipientPermission -Identity info@contoso.com -Trustee marketingsg@contoso.com -AccessRights SendAs -Confirm:$false`, nil},
		{GrantCommand("info@contoso.com", models.RightSendOnBehalf, "salesteam@contoso.com", false),
			`Set-Mailbox -Identity info@contoso.com -GrantSendOnBehalfTo @{Add = "salesteam@contoso.com"}`,
			func() bool { return reflect.DeepEqual(tn.field("info", "GrantSendOnBehalfTo"), []string{"Sales Team"}) }},
		{RevokeCommand("info@contoso.com", models.RightSendOnBehalf, "salesteam@contoso.com"),
			`Set-Mailbox -Identity info@contoso.com -GrantSendOnBehalfTo @{Remove = "salesteam@contoso.com"}`,
			func() bool { return reflect.DeepEqual(tn.field("info", "GrantSendOnBehalfTo"), []string{}) }},
		{ForwardingCommand("info@contoso.com", "meganb@contoso.com", true, true),
			`Set-Mailbox -Identity info@contoso.com -ForwardingAddress meganb@contoso.com -DeliverToMailboxAndForward $true`,
			func() bool { return tn.field("info", "ForwardingAddress") == "Megan Bowen" }},
		{ForwardingCommand("info@contoso.com", "o'brien@fabrikam.com", false, false),
			`Set-Mailbox -Identity info@contoso.com -ForwardingSmtpAddress "o'brien@fabrikam.com" -DeliverToMailboxAndForward $false`,
			func() bool { return tn.field("info", "ForwardingSmtpAddress") == "smtp:o'brien@fabrikam.com" }},
		{ForwardingCommand("info@contoso.com", "", false, false),
			`Set-Mailbox -Identity info@contoso.com -ForwardingAddress $null -ForwardingSmtpAddress $null -DeliverToMailboxAndForward $false`,
			func() bool { return tn.field("info", "ForwardingSmtpAddress") == nil }},
		{SentItemsCommand("info@contoso.com", false, true),
			`Set-Mailbox -Identity info@contoso.com -MessageCopyForSentAsEnabled $false -MessageCopyForSendOnBehalfEnabled $true`,
			func() bool { return tn.field("info", "MessageCopyForSentAsEnabled") == false }},
		{AddressListCommand("info@contoso.com", true),
			`Set-Mailbox -Identity info@contoso.com -HiddenFromAddressListsEnabled $true`,
			func() bool { return tn.field("info", "HiddenFromAddressListsEnabled") == true }},
		{AutoReplyCommand("info@contoso.com", models.AutoReply{State: models.AutoReplyScheduled, Internal: `Closed "until" 2 Jan`, SendOutside: true, External: "Closed", Start: &start, End: &end}),
			`Set-MailboxAutoReplyConfiguration -Identity info@contoso.com -AutoReplyState Scheduled -InternalMessage "Closed ` + "`" + `"until` + "`" + `" 2 Jan" -ExternalAudience All -ExternalMessage Closed -StartTime 2026-12-24T17:00:00Z -EndTime 2027-01-02T08:00:00Z`,
			func() bool {
				return prop(t, tn.run(globalReader, "Get-MailboxAutoReplyConfiguration info"), "EndTime") == end
			}},
		{AutoReplyCommand("info@contoso.com", models.AutoReply{State: models.AutoReplyDisabled}),
			`Set-MailboxAutoReplyConfiguration -Identity info@contoso.com -AutoReplyState Disabled`, nil},
		{ConvertCommand("adelev@contoso.com", models.MailboxShared), `Set-Mailbox -Identity adelev@contoso.com -Type Shared`,
			func() bool { return tn.field("adelev", "RecipientTypeDetails") == "SharedMailbox" }},
		{ConvertCommand("adelev@contoso.com", models.MailboxUser), `Set-Mailbox -Identity adelev@contoso.com -Type Regular`,
			func() bool { return tn.field("adelev", "RecipientTypeDetails") == "UserMailbox" }},
	}
	for _, c := range cases {
		if c.want == "" {
			continue
		}
		if c.line != c.want {
			t.Errorf("command\n got %s\nwant %s", c.line, c.want)
			continue
		}
		tn.ok(globalAdmin, c.line)
		if c.check != nil && !c.check() {
			t.Errorf("%s did not make its change", c.line)
		}
	}
}
