package exchange

import (
	"time"

	"github.com/contoso/admincenter/models"
	"github.com/contoso/admincenter/models/powershell"
)

// The admin center's panels show "the PowerShell for this change": the command
// that makes the same change. These build them, naming mailboxes and people by
// their primary address (unique, where names need not be).

// CommandLine writes a cmdlet with its parameters, in order, as a person types it.
func CommandLine(cmdlet string, params ...powershell.NamedValue) string {
	text, rec := commandLines().CommandLine(powershell.CmdletInput{CmdletName: cmdlet, Parameters: params})
	if rec != nil {
		// Only this package's own cmdlets and parameter names come here.
		panic("exchange: " + rec.Message)
	}
	return text
}

func p(name string, v any) powershell.NamedValue { return powershell.NamedValue{Name: name, Value: v} }

// GrantCommand gives a right on a mailbox to a user or group.
func GrantCommand(mailbox string, right models.Right, trustee string, autoMapping bool) string {
	switch right {
	case models.RightFullAccess:
		params := []powershell.NamedValue{p("Identity", mailbox), p("User", trustee), p("AccessRights", "FullAccess"), p("InheritanceType", "All")}
		if !autoMapping {
			params = append(params, p("AutoMapping", false))
		}
		return CommandLine("Add-MailboxPermission", params...)
	case models.RightSendAs:
		return CommandLine("Add-RecipientPermission", p("Identity", mailbox), p("Trustee", trustee), p("AccessRights", "SendAs"), p("Confirm", false))
	}
	return CommandLine("Set-Mailbox", p("Identity", mailbox), p("GrantSendOnBehalfTo", hashtable("Add", trustee)))
}

// RevokeCommand takes a right on a mailbox away from a user or group.
func RevokeCommand(mailbox string, right models.Right, trustee string) string {
	switch right {
	case models.RightFullAccess:
		return CommandLine("Remove-MailboxPermission", p("Identity", mailbox), p("User", trustee), p("AccessRights", "FullAccess"),
			p("InheritanceType", "All"), p("Confirm", false))
	case models.RightSendAs:
		return CommandLine("Remove-RecipientPermission", p("Identity", mailbox), p("Trustee", trustee), p("AccessRights", "SendAs"), p("Confirm", false))
	}
	return CommandLine("Set-Mailbox", p("Identity", mailbox), p("GrantSendOnBehalfTo", hashtable("Remove", trustee)))
}

func hashtable(key string, v any) *powershell.Hashtable {
	return &powershell.Hashtable{Entries: []powershell.HashEntry{{Key: key, Value: v}}}
}

// ForwardingCommand sets a mailbox's forwarding: to an address of the organization
// (-ForwardingAddress) or outside it (-ForwardingSmtpAddress), or off ("").
func ForwardingCommand(mailbox, address string, internal, keepCopy bool) string {
	switch {
	case address == "":
		return CommandLine("Set-Mailbox", p("Identity", mailbox), p("ForwardingAddress", nil), p("ForwardingSmtpAddress", nil),
			p("DeliverToMailboxAndForward", false))
	case internal:
		return CommandLine("Set-Mailbox", p("Identity", mailbox), p("ForwardingAddress", address), p("DeliverToMailboxAndForward", keepCopy))
	}
	return CommandLine("Set-Mailbox", p("Identity", mailbox), p("ForwardingSmtpAddress", address), p("DeliverToMailboxAndForward", keepCopy))
}

// SentItemsCommand sets whether copies of mail sent as and on behalf of a mailbox
// are kept in its Sent Items.
func SentItemsCommand(mailbox string, sentAs, onBehalf bool) string {
	return CommandLine("Set-Mailbox", p("Identity", mailbox), p("MessageCopyForSentAsEnabled", sentAs),
		p("MessageCopyForSendOnBehalfEnabled", onBehalf))
}

// AddressListCommand shows or hides a mailbox in the global address list.
func AddressListCommand(mailbox string, hidden bool) string {
	return CommandLine("Set-Mailbox", p("Identity", mailbox), p("HiddenFromAddressListsEnabled", hidden))
}

// ConvertCommand converts a mailbox to a shared or a regular one.
func ConvertCommand(mailbox string, to models.MailboxType) string {
	t := "Regular"
	if to == models.MailboxShared {
		t = "Shared"
	}
	return CommandLine("Set-Mailbox", p("Identity", mailbox), p("Type", t))
}

// AutoReplyCommand sets a mailbox's automatic replies.
func AutoReplyCommand(mailbox string, a models.AutoReply) string {
	params := []powershell.NamedValue{p("Identity", mailbox)}
	switch a.State {
	case models.AutoReplyEnabled, models.AutoReplyScheduled:
		state := "Enabled"
		if a.State == models.AutoReplyScheduled {
			state = "Scheduled"
		}
		params = append(params, p("AutoReplyState", state), p("InternalMessage", a.Internal), p("ExternalAudience", string(a.Audience())))
		if a.SendOutside {
			params = append(params, p("ExternalMessage", a.External))
		}
		if a.State == models.AutoReplyScheduled && a.Start != nil && a.End != nil {
			params = append(params, p("StartTime", a.Start.UTC().Format(time.RFC3339)), p("EndTime", a.End.UTC().Format(time.RFC3339)))
		}
	default:
		params = append(params, p("AutoReplyState", "Disabled"))
	}
	return CommandLine("Set-MailboxAutoReplyConfiguration", params...)
}
