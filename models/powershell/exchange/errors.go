package exchange

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/contoso/admincenter/models"
	"github.com/contoso/admincenter/models/powershell"
)

// DomainController is the server name Exchange's not-found message names.
const DomainController = "AM0PR04A001DC01.EURPR04A001.PROD.OUTLOOK.COM"

// Exchange's exception types, by the part of the name a console shows.
const (
	excNotFound     = "Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException"
	excAmbiguous    = "Microsoft.Exchange.Configuration.Tasks.ManagementObjectAmbiguousException"
	excAccessDenied = "Microsoft.Exchange.Configuration.Authorization.CmdletAccessDeniedException"
	excProxyAddress = "Microsoft.Exchange.Management.Tasks.WLCDManagedMemberExistsException"
	excRecipient    = "Microsoft.Exchange.Configuration.Tasks.RecipientTaskException"
	excValidation   = "Microsoft.Exchange.Data.DataValidationException"
	excTask         = "Microsoft.Exchange.Configuration.Tasks.TaskException"
	excNotSupported = "System.NotSupportedException"
	excNameInUse    = "Microsoft.Exchange.Data.Directory.ADObjectAlreadyExistsException"
)

// Exchange's error codes. Ex6F9304 (not found), ExB10BE9 (proxy address) and
// Ex5E8EA4 (access denied) are the service's own; the others stand in for codes
// the service uses that are not documented.
const (
	codeNotFound     = "Ex6F9304"
	codeProxyAddress = "ExB10BE9"
	codeAccessDenied = "Ex5E8EA4"
	codeAmbiguous    = "ExB8CD4A"
	codeRecipient    = "Ex9C9B3D"
	codeValidation   = "Ex2A5B7E"
	codeTask         = "Ex0C1F32"
	codeNameInUse    = "Ex7D2B61"
)

// notFoundError is Exchange's answer for an identity that names nothing.
func notFoundError(identity string) *powershell.ErrorRecord {
	rec := powershell.ExchangeError(codeNotFound, excNotFound, powershell.ObjectNotFound,
		"The operation couldn't be performed because object '"+identity+"' couldn't be found on '"+DomainController+"'.")
	rec.Target = identity
	return rec
}

// ambiguousError is Exchange's answer for an identity that names several
// recipients; the matches are listed so the person can choose.
func ambiguousError(identity string, matches []*models.DirectoryEntry) *powershell.ErrorRecord {
	var names []string
	for i, m := range matches {
		if i == models.MaxIdentityMatches {
			names = append(names, "...")
			break
		}
		n := m.DisplayName
		if a := m.PrimaryAddress(); a != "" {
			n += " (" + a + ")"
		}
		names = append(names, n)
	}
	rec := powershell.ExchangeError(codeAmbiguous, excAmbiguous, powershell.InvalidArgument,
		"The operation couldn't be performed because '"+identity+"' matches multiple entries: "+strings.Join(names, ", ")+
			". Use an email address or ExternalDirectoryObjectId to name one.")
	rec.Target = identity
	return rec
}

// accessDenied is Exchange's refusal of a cmdlet or parameters the admin's roles
// don't include.
func accessDenied(cmdlet string) *powershell.ErrorRecord {
	return powershell.ExchangeError(codeAccessDenied, excAccessDenied, powershell.PermissionDenied,
		`Some of the parameters specified with the "`+cmdlet+`" cmdlet aren't present in the role definition for the current user. `+
			"Check the management roles assigned to you, and try again.")
}

// notSupported refuses a value Exchange knows that this admin center has no
// counterpart for.
func notSupported(msg string) *powershell.ErrorRecord {
	return powershell.ExchangeError(codeValidation, excNotSupported, powershell.InvalidArgument, msg)
}

// deniedError carries the cmdlet's name to the error mapper with ErrForbidden.
type deniedError struct{ cmdlet string }

func (e deniedError) Error() string { return "forbidden: " + e.cmdlet }
func (e deniedError) Unwrap() error { return models.ErrForbidden }

// call wraps a models error with the cmdlet that got it, so the mapper can name it.
func call(c *powershell.Call, err error) error {
	if errors.Is(err, models.ErrForbidden) {
		return deniedError{cmdlet: c.Name()}
	}
	return err
}

// mapError turns the models' errors into Exchange's: the record to show, with
// Exchange's code and exception type. Unknown errors are left to the engine, which
// shows a generic message, never the error's text.
func mapError(_ context.Context, err error) *powershell.ErrorRecord {
	var denied deniedError
	switch {
	case errors.As(err, &denied):
		return accessDenied(denied.cmdlet)
	case errors.Is(err, models.ErrForbidden):
		return accessDenied("")
	case errors.Is(err, models.ErrNotFound):
		return powershell.ExchangeError(codeNotFound, excNotFound, powershell.ObjectNotFound, "The specified mailbox doesn't exist.")
	case errors.Is(err, models.ErrStale):
		return powershell.ExchangeError(codeTask, excTask, powershell.WriteError,
			"The object was changed by someone else while this command ran; nothing was changed. Run the command again.")
	}
	if ve, ok := models.AsValidation(err); ok {
		if fe := ve.First(); fe != nil {
			return validationRecord(*fe)
		}
	}
	return nil
}

func bounceMessage(addr string) string {
	return "Mail forwarded to " + addr + " will bounce with \"" + models.NDR5720 +
		"\": the organization's outbound policy blocks automatic forwarding to external addresses."
}

// ruleMessage is Exchange's wording for a rule a change broke, by message key.
type ruleMessage struct {
	code, exception string
	category        powershell.Category
	text            func(args map[string]any) string
}

func arg(args map[string]any, name string) string {
	if v, ok := args[name]; ok {
		return fmt.Sprint(v)
	}
	return ""
}

func fixed(s string) func(map[string]any) string { return func(map[string]any) string { return s } }

func invalid(text func(map[string]any) string) ruleMessage {
	return ruleMessage{codeValidation, excValidation, powershell.InvalidData, text}
}

func refused(text func(map[string]any) string) ruleMessage {
	return ruleMessage{codeRecipient, excRecipient, powershell.InvalidOperation, text}
}

// ruleMessages covers every rule the cmdlets' models methods can report (a test
// checks the models' keys against it).
var ruleMessages = map[string]ruleMessage{
	"addr.error.taken": {codeProxyAddress, excProxyAddress, powershell.InvalidOperation, func(a map[string]any) string {
		return `The proxy address "SMTP:` + arg(a, "Address") + `" is already being used by the proxy addresses or LegacyExchangeDN of "` +
			arg(a, "Owner") + `". Please choose another proxy address.`
	}},
	"addr.error.alias_required":     invalid(fixed("The alias can't be empty.")),
	"addr.error.alias_invalid":      invalid(fixed("The email address isn't valid: the part before the @ may hold letters, digits and . _ - + ' (up to 64 characters, no dot at either end).")),
	"addr.error.domain":             invalid(fixed("The email address's domain isn't an accepted domain of this organization.")),
	"addr.error.remove_primary":     refused(fixed("The primary SMTP address can't be removed. Make another address primary first.")),
	"convert.error.no_mailbox":      refused(fixed("Only a user mailbox can be converted to a shared mailbox.")),
	"convert.error.no_license":      refused(fixed("The mailbox needs a license that includes Exchange Online before it can be converted to a shared mailbox.")),
	"convert.error.over_quota":      refused(fixed("The mailbox holds more than 50 GB, so it keeps its license when converted.")),
	"convert.error.no_account":      refused(fixed("Only a shared mailbox that was converted from a user mailbox can be converted to a regular mailbox.")),
	"convert.error.no_license_back": refused(fixed("Assign the mailbox's account a license that includes Exchange Online before converting it to a regular mailbox.")),
	"addr14.error.license_choose":   invalid(fixed("Choose a license.")),
	"addr14.error.license_small": refused(func(a map[string]any) string {
		return arg(a, "Name") + " doesn't give a shared mailbox more than 50 GB; use Exchange Online (Plan 2) or a plan that includes it."
	}),
	"addr14.error.license_has": refused(func(a map[string]any) string {
		return "The mailbox already has " + arg(a, "Name") + "."
	}),
	"fwd.error.required":    invalid(fixed("A forwarding address is required.")),
	"fwd.error.invalid":     invalid(fixed("The forwarding address isn't a valid SMTP address.")),
	"fwd.error.one_address": invalid(fixed("A mailbox forwards to one address; give one address.")),
	"fwd.error.own":         refused(fixed("A mailbox can't forward to one of its own addresses.")),
	"fwd.error.no_license":  refused(fixed("The mailbox's account has no license that includes Exchange Online, so the mailbox can't forward mail.")),
	"fwd.error.unknown_internal": refused(func(a map[string]any) string {
		return "No recipient in this organization has the address " + arg(a, "Address") + "."
	}),
	"fwd.error.loop": refused(func(a map[string]any) string {
		return "Forwarding would send mail around in a loop: " + arg(a, "Chain") + "."
	}),
	"shared14.error.name_taken": {codeProxyAddress, excProxyAddress, powershell.InvalidOperation, func(a map[string]any) string {
		return `The proxy address "SMTP:` + arg(a, "Proxy") + `" is already being used by the proxy addresses or LegacyExchangeDN of "` +
			arg(a, "Owner") + `". Please choose another proxy address.`
	}},
	"name14.error.taken": {codeNameInUse, excNameInUse, powershell.ResourceExists, func(a map[string]any) string {
		return `The name "` + arg(a, "Name") + `" is already being used. Please try another name.`
	}},
	"perm.error.outside": refused(fixed("The user or group isn't a recipient of this organization.")),
	"perm.error.owner": refused(func(a map[string]any) string {
		return "'" + arg(a, "Name") + "' owns the mailbox and already has every right on it."
	}),
	"perm.error.not_person": refused(func(a map[string]any) string {
		return "'" + arg(a, "Name") + "' is a shared mailbox; only users and mail-enabled security groups can be given permissions on a mailbox."
	}),
	"perm.error.distribution_list": refused(func(a map[string]any) string {
		return "'" + arg(a, "Name") + "' is a distribution group, which can't be given this permission; use a mail-enabled security group."
	}),
	"perm.error.not_mail_enabled": refused(func(a map[string]any) string {
		return "'" + arg(a, "Name") + "' is a security group that isn't mail-enabled, so it can't be given permissions on a mailbox."
	}),
	"perm.error.group_type": refused(func(a map[string]any) string {
		return "'" + arg(a, "Name") + "' is a Microsoft 365 group, which can't be given permissions on a mailbox."
	}),
	"perm.error.right":              invalid(fixed("The access right isn't valid.")),
	"perm.error.none_selected":      invalid(fixed("Name at least one user or group.")),
	"perm.error.automap_group":      refused(fixed("AutoMapping applies to users only; Exchange doesn't automap mailboxes through groups.")),
	"reply.error.internal_required": invalid(fixed("InternalMessage is required when AutoReplyState is Enabled or Scheduled.")),
	"reply.error.external_required": invalid(fixed("ExternalMessage is required when ExternalAudience is All.")),
	"reply.error.start_required":    invalid(fixed("StartTime is required when AutoReplyState is Scheduled.")),
	"reply.error.end_required":      invalid(fixed("EndTime is required when AutoReplyState is Scheduled.")),
	"reply.error.end_before_start":  invalid(fixed("EndTime must be later than StartTime.")),
	"reply.error.too_long": invalid(func(a map[string]any) string {
		return "The automatic reply is longer than " + arg(a, "Max") + " characters."
	}),
	"reply.error.state": invalid(fixed("AutoReplyState must be Enabled, Disabled or Scheduled.")),
	"mailbox.error.time_zone": invalid(func(a map[string]any) string {
		return "The time zone '" + arg(a, "Zone") + "' isn't a valid time zone name."
	}),
	"shared.error.name_required":       invalid(fixed("The Name parameter can't be empty.")),
	"shared.error.group":               refused(func(a map[string]any) string { return "'" + arg(a, "Name") + "' is a group; members are people." }),
	"shared.error.none_selected":       invalid(fixed("Name at least one person.")),
	"shared.error.delete_converted":    refused(fixed("This shared mailbox was converted from a user mailbox; remove it together with its account.")),
	"user.error.display_name_required": invalid(fixed("The DisplayName parameter can't be empty.")),
	"user.error.too_long": invalid(func(a map[string]any) string {
		return "The value is longer than " + arg(a, "Max") + " characters."
	}),
	"user.error.delete_self":         refused(fixed("You can't remove your own mailbox and account.")),
	"roles.error.last_global_delete": refused(fixed("This is the organization's only Global administrator, whose mailbox and account can't be removed.")),
	"roles.error.last_global_block":  refused(fixed("This is the organization's only Global administrator, whose sign-in can't be blocked.")),
	"roles.error.last_global":        refused(fixed("This is the organization's only Global administrator.")),
	"perm.error.contact": refused(func(a map[string]any) string {
		return "'" + arg(a, "Name") + "' is a mail contact. Permissions on a mailbox can only be given to users and mail-enabled security groups in the organization."
	}),
	"text.error.control":             invalid(fixed("The value contains control characters, which aren't allowed.")),
	"text.error.direction":           invalid(fixed("The value contains characters that change the direction of text (such as U+202E), which aren't allowed.")),
	"text.error.encoding":            invalid(fixed("The value contains characters that aren't valid UTF-8.")),
	"text.error.line_break":          invalid(fixed("The value can't contain line breaks.")),
	"contact.error.name_required":    invalid(fixed("The DisplayName parameter can't be empty.")),
	"contact.error.address_required": invalid(fixed("The ExternalEmailAddress parameter can't be empty.")),
	"contact.error.address_invalid":  invalid(fixed("The ExternalEmailAddress isn't a valid SMTP address.")),
	"contact.error.internal": refused(func(a map[string]any) string {
		return "The domain " + arg(a, "Domain") + " is an accepted domain of this organization; a mail contact's external address must be outside the organization."
	}),
	"group.error.type_required": invalid(fixed("The Type parameter can't be empty.")),
	"group.error.name_required": invalid(fixed("The Name parameter can't be empty.")),
	"group.error.none_selected": invalid(fixed("Name at least one member.")),
	"group.error.cycle": refused(func(a map[string]any) string {
		return "The group '" + arg(a, "Name") + "' already contains '" + arg(a, "Group") + "', directly or through other groups; adding it would create a loop."
	}),
	"group.error.delegate_self": refused(fixed("A group can't be given a permission on itself.")),
	"group.error.delegation_not_mail_enabled": refused(func(a map[string]any) string {
		return "'" + arg(a, "Name") + "' isn't mail-enabled, so no one can send as it or on its behalf."
	}),
	"group.error.last_owner": refused(func(a map[string]any) string {
		return "The group '" + arg(a, "Name") + "' must have at least one owner."
	}),
	"group.error.member_contact": refused(func(a map[string]any) string {
		return "'" + arg(a, "Name") + "' is a mail contact, which can only be a member of a distribution group or a mail-enabled security group."
	}),
	"group.error.member_group_type": refused(func(a map[string]any) string {
		return "'" + arg(a, "Name") + "' is a group of a type that can't be a member of this group."
	}),
	"group.error.member_kind": refused(func(a map[string]any) string {
		return "'" + arg(a, "Name") + "' can't be a member of a group."
	}),
	"group.error.member_self":      refused(fixed("A group can't be a member of itself.")),
	"group.error.member_unknown":   refused(fixed("The recipient couldn't be found in this organization.")),
	"group.error.not_mail_enabled": refused(fixed("The group isn't mail-enabled.")),
	"group.error.owner_not_person": refused(func(a map[string]any) string {
		return "'" + arg(a, "Name") + "' can't be an owner; only users can own a group."
	}),
	"group.error.owner_required": invalid(fixed("The ManagedBy parameter must name at least one owner.")),
	"group.error.owner_unknown":  refused(fixed("The owner couldn't be found in this organization.")),
}

// validationRecord is the error record for a broken rule. A key without Exchange
// wording (a rule no cmdlet reaches) still gets a plain message, never the key.
func validationRecord(fe models.FieldError) *powershell.ErrorRecord {
	m, ok := ruleMessages[fe.Key]
	if !ok {
		return powershell.ExchangeError(codeTask, excTask, powershell.InvalidOperation, "The change isn't allowed by the organization's rules.")
	}
	return powershell.ExchangeError(m.code, m.exception, m.category, m.text(fe.Args))
}

// ruleKeys lists the keys with Exchange wording, for the completeness test.
func ruleKeys() []string {
	keys := make([]string, 0, len(ruleMessages))
	for k := range ruleMessages {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// categories are the error categories of Exchange's exception types, for a client
// of the REST endpoint, whose error details carry the code, type and text only.
var categories = map[string]powershell.Category{
	excNotFound: powershell.ObjectNotFound, excAmbiguous: powershell.InvalidArgument, excAccessDenied: powershell.PermissionDenied,
	excProxyAddress: powershell.InvalidOperation, excRecipient: powershell.InvalidOperation, excValidation: powershell.InvalidData,
	excTask: powershell.InvalidOperation, excNotSupported: powershell.InvalidArgument,
	excMemberExists: powershell.NotSpecified, excMemberNotFound: powershell.NotSpecified,
}

// CategoryOf is the category a console shows with an error of Exchange's
// exception type; NotSpecified for a type it doesn't know.
func CategoryOf(exception string) powershell.Category {
	if c, ok := categories[exception]; ok {
		return c
	}
	return powershell.NotSpecified
}
