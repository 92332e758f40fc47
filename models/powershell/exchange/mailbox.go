package exchange

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/contoso/admincenter/models"
	"github.com/contoso/admincenter/models/powershell"
)

type getMailbox struct{ x *env }

func (getMailbox) Meta() powershell.Meta {
	id := identityParam
	id.Mandatory, id.Sets = false, []string{"Identity"}
	return powershell.Meta{
		Name: "Get-Mailbox", Module: Module, DefaultSet: "Identity",
		Synopsis: "Lists mailboxes, or shows one.",
		Description: "Without -Identity, returns the organization's mailboxes in name order, the first 1000 unless -ResultSize says otherwise. " +
			"Name and DisplayName are one name in this admin center.",
		Examples: []powershell.Example{
			{Code: `Get-Mailbox -RecipientTypeDetails SharedMailbox -ResultSize Unlimited`, Remarks: "Lists every shared mailbox."},
			{Code: `Get-Mailbox "Sales Department" | Format-List GrantSendOnBehalfTo`, Remarks: "Shows who may send on behalf of a mailbox."},
		},
		Params: []powershell.Param{
			id,
			{Name: "Anr", Type: powershell.String, Sets: []string{"AnrSet"},
				Help: "Finds mailboxes whose name, alias or address starts with the text."},
			{Name: "RecipientTypeDetails", Type: powershell.EnumList,
				Values: []string{"UserMailbox", "SharedMailbox", "RoomMailbox", "EquipmentMailbox"},
				Help:   "Only mailboxes of these types (this tenant has no room or equipment mailboxes)."},
			resultSizeParam,
		},
	}
}

func (g getMailbox) Run(c *powershell.Call) error {
	if c.Has("Identity") {
		e, err := g.x.resolve(c.Context(), c.Identity("Identity"), mailboxes)
		if err != nil {
			return err
		}
		c.Write(mailboxObject(e))
		return nil
	}
	return g.x.list(c, models.DirectoryQuery{Types: typesOf(c, models.MailboxTypes)}, mailboxObject)
}

type newMailbox struct{ x *env }

func (newMailbox) Meta() powershell.Meta {
	return powershell.Meta{
		Name: "New-Mailbox", Module: Module, SupportsShouldProcess: true,
		Synopsis: "Creates a shared mailbox.",
		Description: "Creates a shared mailbox (-Shared); people's mailboxes come with their accounts (Users > Active users). " +
			"The mailbox keeps one name: -DisplayName when given, else -Name. Its address is -PrimarySmtpAddress, or -Alias (else one made " +
			"from the name) at the default domain; with both, -PrimarySmtpAddress decides and the alias reads back as its local part.",
		Examples: []powershell.Example{{
			Code:    `New-Mailbox -Shared -Name "Sales Department" -DisplayName "Sales Department" -Alias Sales`,
			Remarks: "Creates the shared mailbox Sales Department with the address Sales@ the default domain.",
		}},
		Params: []powershell.Param{
			{Name: "Name", Type: powershell.String, Mandatory: true, Position: powershell.At(0), Help: "The mailbox's name, up to 64 characters."},
			{Name: "DisplayName", Type: powershell.String},
			{Name: "Alias", Type: powershell.String},
			{Name: "PrimarySmtpAddress", Type: powershell.String},
			{Name: "Shared", Type: powershell.Switch, Help: "Creates a shared mailbox; required here."},
		},
	}
}

// maxNameLength is New-Mailbox's limit on -Name.
const maxNameLength = 64

func (n newMailbox) Run(c *powershell.Call) error {
	ctx := c.Context()
	admin, err := actorOf(c)
	if err != nil {
		return err
	}
	name := c.String("Name")
	if l := utf8.RuneCountInString(name); l > maxNameLength {
		return powershell.NewError(powershell.InvalidData, "System.Management.Automation.ParameterBindingValidationException",
			"ParameterArgumentValidationError", "Cannot validate argument on parameter 'Name'. The character length of the "+strconv.Itoa(l)+
				" argument is too long. Shorten the character length of the argument so it is fewer than or equal to \"64\" characters, and then try the command again.")
	}
	if !c.Bool("Shared") {
		return notSupported("New-Mailbox creates shared mailboxes here: add -Shared. A person's mailbox comes with their account (Users > Active users).")
	}
	display := name
	if c.String("DisplayName") != "" {
		display = c.String("DisplayName")
	}
	_, domain, err := n.x.store.AddressDomains(ctx, "")
	if err != nil {
		return err
	}
	alias := c.String("Alias")
	if smtp := strings.TrimPrefix(strings.TrimPrefix(c.String("PrimarySmtpAddress"), "SMTP:"), "smtp:"); smtp != "" {
		local, d, ok := strings.Cut(smtp, "@")
		if !ok {
			return validationRecord(models.FieldError{Key: "fwd.error.invalid"})
		}
		alias, domain = local, d
	}
	if !c.ShouldProcess(display, "New-Mailbox") {
		return nil
	}
	id, err := n.x.store.CreateSharedMailbox(ctx, admin, display, alias, domain)
	if err != nil {
		return call(c, err)
	}
	return n.x.writeMailbox(c, id)
}

// writeMailbox writes a mailbox, read again, by its id.
func (x *env) writeMailbox(c *powershell.Call, mailboxID uint) error {
	ref, err := x.store.Mailbox(c.Context(), mailboxID)
	if err != nil {
		return err
	}
	es, err := x.store.DirectoryByIDs(c.Context(), []uint{ref.RecipientID})
	if err != nil {
		return err
	}
	if e := es[ref.RecipientID]; e != nil && e.Mailbox != nil {
		c.Write(mailboxObject(e))
	}
	return nil
}

type removeMailbox struct{ x *env }

func (removeMailbox) Meta() powershell.Meta {
	return powershell.Meta{
		Name: "Remove-Mailbox", Module: Module, SupportsShouldProcess: true,
		Synopsis: "Removes a mailbox.",
		Description: "Removes a shared mailbox, or a person's mailbox together with their account (which can be restored for 30 days " +
			"from Deleted users), as the admin center does.",
		Params: []powershell.Param{identityParam},
	}
}

func (r removeMailbox) Run(c *powershell.Call) error {
	ctx := c.Context()
	admin, err := actorOf(c)
	if err != nil {
		return err
	}
	e, err := r.x.resolve(ctx, c.Identity("Identity"), mailboxes)
	if err != nil {
		return err
	}
	if !c.ShouldProcess(e.DisplayName, "Remove-Mailbox") {
		return nil
	}
	if e.User != nil {
		err = r.x.store.DeleteUser(ctx, admin, e.User.ID)
	} else {
		err = r.x.store.DeleteSharedMailbox(ctx, admin, e.Mailbox.ID)
	}
	return call(c, err)
}
