package exchange

import (
	"fmt"
	"strings"

	"github.com/contoso/admincenter/models"
	"github.com/contoso/admincenter/models/powershell"
)

// The output objects, with Exchange's type names and default views.
var (
	mailboxType = &powershell.TypeInfo{
		Name: "Microsoft.Exchange.Data.Directory.Management.Mailbox",
		Table: []powershell.Column{{Property: "Name", Width: 25}, {Property: "Alias", Width: 20},
			{Property: "ProhibitSendQuota", Width: 30}, {Property: "ExternalDirectoryObjectId"}},
	}
	recipientType = &powershell.TypeInfo{
		Name:  "Microsoft.Exchange.Data.Directory.Management.ReducedRecipient",
		Table: []powershell.Column{{Property: "Name", Width: 30}, {Property: "RecipientType"}},
	}
	userType = &powershell.TypeInfo{
		Name:  "Microsoft.Exchange.Data.Directory.Management.User",
		Table: []powershell.Column{{Property: "Name", Width: 30}, {Property: "RecipientType"}},
	}
	groupType = &powershell.TypeInfo{
		Name: "Microsoft.Exchange.Data.Directory.Management.DistributionGroup",
		Table: []powershell.Column{{Property: "Name", Width: 25}, {Property: "DisplayName", Width: 25},
			{Property: "GroupType", Width: 25}, {Property: "PrimarySmtpAddress"}},
	}
	aceType = &powershell.TypeInfo{
		Name: "Microsoft.Exchange.Management.RecipientTasks.MailboxAcePresentationObject",
		Table: []powershell.Column{{Property: "Identity", Width: 20}, {Property: "User", Width: 25}, {Property: "AccessRights", Width: 30},
			{Property: "IsInherited", Width: 11}, {Property: "Deny", Width: 5}},
	}
	recipientPermissionType = &powershell.TypeInfo{
		Name: "Microsoft.Exchange.Management.RecipientTasks.RecipientPermission",
		Table: []powershell.Column{{Property: "Identity", Width: 20}, {Property: "Trustee", Width: 25},
			{Property: "AccessControlType", Width: 17}, {Property: "AccessRights", Width: 12}, {Property: "Inherited", Width: 9}},
	}
	autoReplyType = &powershell.TypeInfo{
		Name: "Microsoft.Exchange.InfoWorker.Common.OOF.MailboxAutoReplyConfiguration",
		List: []string{"Identity", "AutoReplyState", "StartTime", "EndTime", "ExternalAudience", "ExternalMessage", "InternalMessage", "MailboxOwnerId"},
	}
)

// selfPrincipal is the entry every mailbox's permissions list for its own account.
const selfPrincipal = `NT AUTHORITY\SELF`

// recipientTypeOf is Exchange's RecipientType of an entry.
func recipientTypeOf(e *models.DirectoryEntry) string {
	switch e.Type() {
	case models.TypeUserMailbox, models.TypeSharedMailbox:
		return "UserMailbox"
	case models.TypeUser:
		return "User"
	case models.TypeMailSecurityGroup:
		return "MailUniversalSecurityGroup"
	case models.TypeDistributionGroup, models.TypeM365Group:
		return "MailUniversalDistributionGroup"
	case models.TypeMailContact:
		return "MailContact"
	}
	return "Group"
}

// emailAddresses is the EmailAddresses property: SMTP: before the primary address,
// smtp: before the others.
func emailAddresses(e *models.DirectoryEntry) []string {
	out := make([]string, 0, len(e.Addresses))
	for i, a := range e.Addresses {
		if i == 0 {
			out = append(out, "SMTP:"+a)
		} else {
			out = append(out, "smtp:"+a)
		}
	}
	return out
}

// names lists recipients by display name, as Exchange shows multi-valued
// recipient properties such as GrantSendOnBehalfTo.
func names(rs []models.RecipientName) []string {
	out := make([]string, 0, len(rs))
	for _, r := range rs {
		out = append(out, r.DisplayName)
	}
	return out
}

// quota writes a size as Exchange's ByteQuantifiedSize: "50 GB (53,687,091,200 bytes)".
func quota(bytes int64) string {
	if bytes <= 0 {
		return "Unlimited"
	}
	units := []struct {
		name string
		size int64
	}{{"TB", 1 << 40}, {"GB", 1 << 30}, {"MB", 1 << 20}, {"KB", 1 << 10}}
	head := fmt.Sprintf("%d B", bytes)
	for _, u := range units {
		if bytes >= u.size {
			v := float64(bytes) / float64(u.size)
			head = strings.TrimSuffix(strings.TrimSuffix(fmt.Sprintf("%.1f", v), "0"), ".") + " " + u.name
			break
		}
	}
	return head + " (" + thousands(bytes) + " bytes)"
}

func thousands(n int64) string {
	s := fmt.Sprint(n)
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// nullable is nil for an empty string, as Exchange shows an unset property.
func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// mailboxObject is a mailbox as Get-Mailbox returns it. Name and DisplayName are
// one name in this admin center.
func mailboxObject(e *models.DirectoryEntry) *powershell.Object {
	mb := e.Mailbox
	var fwdAddress, fwdSMTP any
	if mb.ForwardingAddress != "" {
		if mb.ForwardingTo != nil {
			fwdAddress = mb.ForwardingTo.DisplayName
		} else {
			fwdSMTP = "smtp:" + mb.ForwardingAddress
		}
	}
	disabled := e.User == nil || e.User.SignInBlocked
	changed := mb.UpdatedAt
	if e.User != nil && e.User.UpdatedAt.After(changed) {
		changed = e.User.UpdatedAt
	}
	return powershell.NewObject(mailboxType).
		Set("Identity", e.DisplayName).
		Set("Name", e.DisplayName).
		Set("Alias", e.Alias()).
		Set("DisplayName", e.DisplayName).
		Set("UserPrincipalName", nullable(e.UserPrincipalName())).
		Set("PrimarySmtpAddress", e.PrimaryAddress()).
		Set("WindowsEmailAddress", e.PrimaryAddress()).
		Set("EmailAddresses", emailAddresses(e)).
		Set("RecipientType", "UserMailbox").
		Set("RecipientTypeDetails", string(e.Type())).
		Set("ExternalDirectoryObjectId", e.ObjectID()).
		Set("AccountDisabled", disabled).
		Set("GrantSendOnBehalfTo", names(mb.SendOnBehalf)).
		Set("ForwardingAddress", fwdAddress).
		Set("ForwardingSmtpAddress", fwdSMTP).
		Set("DeliverToMailboxAndForward", mb.ForwardingAddress != "" && mb.ForwardKeepCopy).
		Set("HiddenFromAddressListsEnabled", mb.HiddenFromGAL).
		Set("MessageCopyForSentAsEnabled", mb.CopySentAs).
		Set("MessageCopyForSendOnBehalfEnabled", mb.CopySentOnBehalf).
		Set("ProhibitSendQuota", quota(mb.QuotaBytes)).
		Set("WhenCreated", e.CreatedAt.UTC()).
		Set("WhenChanged", changed.UTC())
}

// recipientObject is any recipient as Get-Recipient and Get-DistributionGroupMember
// return it.
func recipientObject(e *models.DirectoryEntry) *powershell.Object {
	hidden := e.Mailbox != nil && e.Mailbox.HiddenFromGAL
	return powershell.NewObject(recipientType).
		Set("Identity", e.DisplayName).
		Set("Name", e.DisplayName).
		Set("Alias", e.Alias()).
		Set("DisplayName", e.DisplayName).
		Set("PrimarySmtpAddress", e.PrimaryAddress()).
		Set("EmailAddresses", emailAddresses(e)).
		Set("RecipientType", recipientTypeOf(e)).
		Set("RecipientTypeDetails", string(e.Type())).
		Set("ExternalDirectoryObjectId", e.ObjectID()).
		Set("HiddenFromAddressListsEnabled", hidden).
		Set("WhenCreated", e.CreatedAt.UTC())
}

// userObject is a person (or a shared mailbox's account) as Get-User returns it.
func userObject(e *models.DirectoryEntry) *powershell.Object {
	u := e.User
	if u == nil {
		u = &models.DirectoryUser{SignInBlocked: true}
	}
	return powershell.NewObject(userType).
		Set("Identity", e.DisplayName).
		Set("Name", e.DisplayName).
		Set("DisplayName", e.DisplayName).
		Set("FirstName", u.FirstName).
		Set("LastName", u.LastName).
		Set("Title", u.JobTitle).
		Set("Department", u.Department).
		Set("UserPrincipalName", nullable(e.UserPrincipalName())).
		Set("WindowsEmailAddress", e.PrimaryAddress()).
		Set("RecipientType", recipientTypeOf(e)).
		Set("RecipientTypeDetails", string(e.Type())).
		Set("AccountDisabled", u.SignInBlocked).
		Set("ExternalDirectoryObjectId", e.ObjectID()).
		Set("WhenCreated", e.CreatedAt.UTC())
}

// groupObject is a mail-enabled group as Get-DistributionGroup returns it.
func groupObject(e *models.DirectoryEntry) *powershell.Object {
	kind := "Universal"
	if e.GroupType == models.GroupMailSecurity {
		kind = "Universal, SecurityEnabled"
	}
	return powershell.NewObject(groupType).
		Set("Identity", e.DisplayName).
		Set("Name", e.DisplayName).
		Set("DisplayName", e.DisplayName).
		Set("Alias", e.Alias()).
		Set("GroupType", kind).
		Set("PrimarySmtpAddress", e.PrimaryAddress()).
		Set("EmailAddresses", emailAddresses(e)).
		Set("RecipientType", recipientTypeOf(e)).
		Set("RecipientTypeDetails", string(e.Type())).
		Set("ExternalDirectoryObjectId", e.ObjectID()).
		Set("WhenCreated", e.CreatedAt.UTC())
}

// principal is how a permission entry names its holder: a person's user principal
// name, a group's (or a mailbox's) name.
func principal(e *models.DirectoryEntry) string {
	if upn := e.UserPrincipalName(); upn != "" && e.Kind == models.KindUser {
		return upn
	}
	return e.DisplayName
}

// aceObject is one Full Access entry as Get-MailboxPermission returns it.
func aceObject(mailbox, user string, rights []string) *powershell.Object {
	return powershell.NewObject(aceType).
		Set("Identity", mailbox).
		Set("User", user).
		Set("AccessRights", rights).
		Set("IsInherited", false).
		Set("Deny", false).
		Set("InheritanceType", "All")
}

// recipientPermissionObject is one Send As entry as Get-RecipientPermission
// returns it.
func recipientPermissionObject(mailbox, trustee string) *powershell.Object {
	return powershell.NewObject(recipientPermissionType).
		Set("Identity", mailbox).
		Set("Trustee", trustee).
		Set("AccessControlType", "Allow").
		Set("AccessRights", []string{"SendAs"}).
		Set("IsInherited", false).
		Set("Inherited", false).
		Set("InheritanceType", "None")
}

// autoReplyObject is a mailbox's automatic replies as
// Get-MailboxAutoReplyConfiguration returns them.
func autoReplyObject(e *models.DirectoryEntry) *powershell.Object {
	a := e.Mailbox.AutoReply
	state := map[models.AutoReplyState]string{models.AutoReplyEnabled: "Enabled", models.AutoReplyScheduled: "Scheduled"}[a.State]
	if state == "" {
		state = "Disabled"
	}
	var start, end any
	if a.Start != nil {
		start = a.Start.UTC()
	}
	if a.End != nil {
		end = a.End.UTC()
	}
	return powershell.NewObject(autoReplyType).
		Set("Identity", e.DisplayName).
		Set("AutoReplyState", state).
		Set("StartTime", start).
		Set("EndTime", end).
		Set("ExternalAudience", string(a.Audience())).
		Set("ExternalMessage", a.External).
		Set("InternalMessage", a.Internal).
		Set("MailboxOwnerId", e.DisplayName)
}

func candidateNames(cs []models.Candidate) []string {
	out := make([]string, 0, len(cs))
	for _, c := range cs {
		out = append(out, c.DisplayName)
	}
	return out
}

// groupDetailObject is a group as Get-DistributionGroup -Identity and the cmdlets
// that change a group return it: with its owners (ManagedBy), description (Notes),
// delivery settings and who may send on its behalf.
func groupDetailObject(e *models.DirectoryEntry, d *models.GroupDetail, delegates map[models.Right][]models.Candidate) *powershell.Object {
	return groupObject(e).
		Set("ManagedBy", candidateNames(d.Owners)).
		Set("Notes", d.Description).
		Set("RequireSenderAuthenticationEnabled", !d.AllowExternalSenders).
		Set("HiddenFromAddressListsEnabled", d.HiddenFromGAL).
		Set("GrantSendOnBehalfTo", candidateNames(delegates[models.RightSendOnBehalf]))
}
