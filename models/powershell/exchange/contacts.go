package exchange

import (
	"strings"

	"github.com/contoso/admincenter/models"
	"github.com/contoso/admincenter/models/powershell"
)

// The mail contact cmdlets: Get-/New-/Remove-MailContact, over the models methods
// Users > Contacts calls.

var mailContacts = models.DirectoryQuery{Types: []models.DirectoryType{models.TypeMailContact}}

var mailContactType = &powershell.TypeInfo{
	Name: "Microsoft.Exchange.Data.Directory.Management.MailContact",
	Table: []powershell.Column{{Property: "Name", Width: 25}, {Property: "Alias", Width: 20},
		{Property: "RecipientType"}},
}

// mailContactObject is a contact as Get-MailContact returns it.
func mailContactObject(e *models.DirectoryEntry) *powershell.Object {
	return powershell.NewObject(mailContactType).
		Set("Identity", e.DisplayName).
		Set("Name", e.DisplayName).
		Set("DisplayName", e.DisplayName).
		Set("Alias", e.Alias()).
		Set("ExternalEmailAddress", "SMTP:"+e.PrimaryAddress()).
		Set("PrimarySmtpAddress", e.PrimaryAddress()).
		Set("EmailAddresses", emailAddresses(e)).
		Set("RecipientType", "MailContact").
		Set("RecipientTypeDetails", "MailContact").
		Set("ExternalDirectoryObjectId", e.ObjectID()).
		Set("WhenCreated", e.CreatedAt.UTC())
}

type getMailContact struct{ x *env }

func (getMailContact) Meta() powershell.Meta {
	return powershell.Meta{
		Name: "Get-MailContact", Module: Module, DefaultSet: "Identity",
		Synopsis: "Lists mail contacts, or shows one.",
		Params:   listParams(mailContacts.Types, "mail contact"),
	}
}

func (g getMailContact) Run(c *powershell.Call) error {
	return g.x.getOrList(c, mailContacts.Types, mailContactObject)
}

type newMailContact struct{ x *env }

func (newMailContact) Meta() powershell.Meta {
	return powershell.Meta{
		Name: "New-MailContact", Module: Module, SupportsShouldProcess: true,
		Synopsis:    "Creates a mail contact: someone outside the organization with an external address.",
		Description: "The contact keeps one name: -DisplayName when given, else -Name. Its address must be outside the organization's domains.",
		Examples: []powershell.Example{{
			Code: `New-MailContact -Name "Debra Berger" -ExternalEmailAddress debra@fabrikam.com -FirstName Debra -LastName Berger`,
		}},
		Params: []powershell.Param{
			{Name: "Name", Type: powershell.String, Mandatory: true, Position: powershell.At(0)},
			{Name: "ExternalEmailAddress", Type: powershell.String, Mandatory: true, Help: "The contact's address outside the organization."},
			{Name: "DisplayName", Type: powershell.String},
			{Name: "FirstName", Type: powershell.String},
			{Name: "LastName", Type: powershell.String},
		},
	}
}

func (n newMailContact) Run(c *powershell.Call) error {
	admin, err := actorOf(c)
	if err != nil {
		return err
	}
	name := c.String("Name")
	if c.String("DisplayName") != "" {
		name = c.String("DisplayName")
	}
	addr := strings.TrimSpace(c.String("ExternalEmailAddress"))
	if len(addr) > 5 && strings.EqualFold(addr[:5], "smtp:") {
		addr = addr[5:]
	}
	if !c.ShouldProcess(name, "New-MailContact") {
		return nil
	}
	id, err := n.x.store.CreateMailContact(c.Context(), admin, models.MailContactForm{DisplayName: name,
		FirstName: c.String("FirstName"), LastName: c.String("LastName"), Address: addr})
	if err != nil {
		return call(c, err)
	}
	d, err := n.x.store.MailContactDetail(c.Context(), id)
	if err != nil {
		return err
	}
	es, err := n.x.store.DirectoryByIDs(c.Context(), []uint{d.RecipientID})
	if err != nil {
		return err
	}
	if e := es[d.RecipientID]; e != nil {
		c.Write(mailContactObject(e))
	}
	return nil
}

type removeMailContact struct{ x *env }

func (removeMailContact) Meta() powershell.Meta {
	return powershell.Meta{
		Name: "Remove-MailContact", Module: Module, SupportsShouldProcess: true,
		Synopsis:    "Removes a mail contact.",
		Description: "Removes the contact, its group memberships and forwarding to it, as Delete contact does in the admin center.",
		Params:      []powershell.Param{func() powershell.Param { p := identityParam; p.Help = "The mail contact."; return p }()},
	}
}

func (r removeMailContact) Run(c *powershell.Call) error {
	admin, err := actorOf(c)
	if err != nil {
		return err
	}
	e, err := r.x.resolve(c.Context(), c.Identity("Identity"), mailContacts)
	if err != nil {
		return err
	}
	id, err := r.x.store.MailContactIDOfRecipient(c.Context(), e.RecipientID)
	if err != nil {
		return err
	}
	if !c.ShouldProcess(e.DisplayName, "Remove-MailContact") {
		return nil
	}
	return call(c, r.x.store.DeleteMailContact(c.Context(), admin, id, true))
}
