package exchange

import (
	"context"
	"strings"

	"github.com/contoso/admincenter/models"
	"github.com/contoso/admincenter/models/powershell"
)

type setMailbox struct{ x *env }

func (setMailbox) Meta() powershell.Meta {
	return powershell.Meta{
		Name: "Set-Mailbox", Module: Module, SupportsShouldProcess: true,
		Synopsis: "Changes a mailbox's settings.",
		Description: "Changes the settings given and leaves the rest. All of them are checked before any is saved. " +
			"A mailbox here forwards to one address: -ForwardingAddress (a recipient of the organization) or -ForwardingSmtpAddress " +
			"(any address); when both are given, -ForwardingSmtpAddress is ignored, as in Exchange. An address that belongs to a " +
			"recipient of the organization reads back as ForwardingAddress, any other as ForwardingSmtpAddress (smtp:x@y). " +
			"Clearing one of them ($null) stops forwarding only when the forwarding address is of that kind.",
		Examples: []powershell.Example{
			{Code: `Set-Mailbox "Sales Department" -GrantSendOnBehalfTo @{Add="MarketingSG"}`, Remarks: "Lets MarketingSG send on behalf of the mailbox, keeping the others."},
			{Code: `Set-Mailbox alexw@contoso.com -ForwardingSmtpAddress alex@fabrikam.com -DeliverToMailboxAndForward $true`, Remarks: "Forwards mail and keeps a copy."},
			{Code: `Set-Mailbox adelev@contoso.com -Type Shared`, Remarks: "Converts a person's mailbox to a shared mailbox."},
		},
		Params: []powershell.Param{
			identityParam,
			{Name: "DisplayName", Type: powershell.String},
			{Name: "EmailAddresses", Type: powershell.MultiValued, Help: `All addresses ("SMTP:" before the primary one), or @{Add=...; Remove=...}.`},
			{Name: "GrantSendOnBehalfTo", Type: powershell.MultiValued, Help: "Who may send on behalf of the mailbox: a list that replaces, or @{Add=...; Remove=...}."},
			{Name: "ForwardingAddress", Type: powershell.String, Help: "A recipient of the organization to forward mail to; $null stops it."},
			{Name: "ForwardingSmtpAddress", Type: powershell.String, Help: "An address to forward mail to; $null stops it."},
			{Name: "DeliverToMailboxAndForward", Type: powershell.Bool, Help: "Keeps a copy of forwarded mail in the mailbox."},
			{Name: "MessageCopyForSentAsEnabled", Type: powershell.Bool},
			{Name: "MessageCopyForSendOnBehalfEnabled", Type: powershell.Bool},
			{Name: "HiddenFromAddressListsEnabled", Type: powershell.Bool},
			{Name: "Type", Type: powershell.Enum, Values: []string{"Regular", "Shared"}, Help: "Converts the mailbox."},
		},
	}
}

func (s setMailbox) Run(c *powershell.Call) error {
	ctx := c.Context()
	admin, err := actorOf(c)
	if err != nil {
		return err
	}
	e, err := s.x.resolve(ctx, c.Identity("Identity"), mailboxes)
	if err != nil {
		return err
	}
	u, err := s.x.mailboxUpdate(c, e)
	if err != nil {
		return err
	}
	if !c.ShouldProcess(e.DisplayName, "Set-Mailbox") {
		return nil
	}
	res, err := s.x.store.UpdateMailbox(ctx, admin, e.Mailbox.ID, u)
	if err != nil {
		return call(c, err)
	}
	if !res.Changed {
		c.WriteWarning("The command completed successfully but no settings of '" + e.DisplayName + "' have been modified.")
	}
	if res.ForwardingBounces {
		c.WriteWarning(bounceMessage(*u.ForwardingAddress))
	}
	if res.KeepCopyIgnored {
		c.WriteWarning("DeliverToMailboxAndForward applies together with a forwarding address, and '" + e.DisplayName +
			"' has none, so it wasn't changed.")
	}
	if res.HiddenWithSenders {
		c.WriteWarning("People with Send As or Send on Behalf permission on '" + e.DisplayName +
			"' can't send from it in Outlook while it's hidden from address lists.")
	}
	if c.Downstream() {
		return s.x.writeMailbox(c, e.Mailbox.ID)
	}
	return nil
}

// mailboxUpdate reads Set-Mailbox's parameters into a models update, resolving the
// recipients they name.
func (x *env) mailboxUpdate(c *powershell.Call, e *models.DirectoryEntry) (models.MailboxUpdate, error) {
	ctx := c.Context()
	u := models.MailboxUpdate{}
	boolParam := func(name string) *bool {
		if !c.Has(name) {
			return nil
		}
		v := c.Bool(name)
		return &v
	}
	if c.Has("DisplayName") {
		v := c.String("DisplayName")
		u.DisplayName = &v
	}
	if c.Has("EmailAddresses") {
		if err := addressEdit(c.Multi("EmailAddresses"), e, &u); err != nil {
			return u, err
		}
	}
	if c.Has("GrantSendOnBehalfTo") {
		edit, err := x.trusteeEdit(ctx, c.Multi("GrantSendOnBehalfTo"))
		if err != nil {
			return u, err
		}
		u.SendOnBehalf = edit
	}
	fwd, err := x.forwardingTarget(c, e)
	if err != nil {
		return u, err
	}
	u.ForwardingAddress = fwd
	u.ForwardKeepCopy = boolParam("DeliverToMailboxAndForward")
	u.CopySentAs = boolParam("MessageCopyForSentAsEnabled")
	u.CopySentOnBehalf = boolParam("MessageCopyForSendOnBehalfEnabled")
	u.HiddenFromGAL = boolParam("HiddenFromAddressListsEnabled")
	if c.Has("Type") {
		t := models.MailboxUser
		if c.String("Type") == "Shared" {
			t = models.MailboxShared
		}
		u.Type = &t
	}
	return u, nil
}

// forwardingTarget reads -ForwardingAddress and -ForwardingSmtpAddress onto the
// mailbox's one forwarding address: nil leaves it, "" stops forwarding.
func (x *env) forwardingTarget(c *powershell.Call, e *models.DirectoryEntry) (*string, error) {
	fa, fsa := c.Has("ForwardingAddress"), c.Has("ForwardingSmtpAddress")
	if !fa && !fsa {
		return nil, nil
	}
	recipient, smtp := strings.TrimSpace(c.String("ForwardingAddress")), strings.TrimSpace(c.String("ForwardingSmtpAddress"))
	if len(smtp) > 5 && strings.EqualFold(smtp[:5], "smtp:") {
		smtp = smtp[5:]
	}
	switch {
	case recipient != "":
		if smtp != "" {
			c.WriteWarning("ForwardingSmtpAddress is ignored because ForwardingAddress is set: a mailbox forwards to one address.")
		}
		t, err := x.resolveName(c.Context(), recipient, mailEnabled)
		if err != nil {
			return nil, err
		}
		addr := t.PrimaryAddress()
		return &addr, nil
	case smtp != "":
		return &smtp, nil
	}
	// Only clearing: stop forwarding when the address is of the kind cleared.
	cur := e.Mailbox
	internal := cur.ForwardingTo != nil
	if cur.ForwardingAddress != "" && ((fa && internal) || (fsa && !internal)) {
		none := ""
		return &none, nil
	}
	return nil, nil
}

// trusteeEdit resolves the recipients of a multi-valued recipient parameter.
func (x *env) trusteeEdit(ctx context.Context, mv powershell.MultiValue) (*models.TrusteeEdit, error) {
	ids := func(list []string) ([]uint, error) {
		var out []uint
		for _, n := range list {
			t, err := x.resolveName(ctx, n, anyRecipient)
			if err != nil {
				return nil, err
			}
			out = append(out, t.RecipientID)
		}
		return out, nil
	}
	edit := &models.TrusteeEdit{Replace: !mv.Edit}
	var err error
	if edit.IDs, err = ids(mv.Replace); err != nil {
		return nil, err
	}
	if edit.Add, err = ids(mv.Add); err != nil {
		return nil, err
	}
	if edit.Remove, err = ids(mv.Remove); err != nil {
		return nil, err
	}
	return edit, nil
}

// proxyAddress reads an EmailAddresses entry: "SMTP:" marks the primary address,
// "smtp:" or no prefix another one; other address types have no counterpart here.
func proxyAddress(s string) (addr string, primary bool, err error) {
	s = strings.TrimSpace(s)
	prefix, rest, ok := strings.Cut(s, ":")
	if !ok || strings.Contains(prefix, "@") {
		return s, false, nil
	}
	if !strings.EqualFold(prefix, "smtp") {
		return "", false, notSupported("The address '" + s + "' isn't an SMTP address; only SMTP addresses are kept here.")
	}
	return strings.TrimSpace(rest), prefix == "SMTP", nil
}

// addressEdit reads -EmailAddresses: @{Add=...; Remove=...} edits, a list is the
// whole set of addresses.
func addressEdit(mv powershell.MultiValue, e *models.DirectoryEntry, u *models.MailboxUpdate) error {
	if mv.Edit {
		for _, s := range mv.Add {
			a, primary, err := proxyAddress(s)
			if err != nil {
				return err
			}
			if primary {
				u.PrimaryAddress = a
			} else {
				u.AddAddresses = append(u.AddAddresses, a)
			}
		}
		for _, s := range mv.Remove {
			a, _, err := proxyAddress(s)
			if err != nil {
				return err
			}
			u.RemoveAddresses = append(u.RemoveAddresses, a)
		}
		return nil
	}
	var wanted []string
	for _, s := range mv.Replace {
		a, primary, err := proxyAddress(s)
		if err != nil {
			return err
		}
		if primary {
			u.PrimaryAddress = a
		}
		wanted = append(wanted, a)
	}
	if len(wanted) == 0 {
		return validationRecord(models.FieldError{Key: "addr.error.remove_primary"})
	}
	if u.PrimaryAddress == "" && !containsFold(wanted, e.PrimaryAddress()) {
		u.PrimaryAddress = wanted[0]
	}
	for _, a := range wanted {
		if !containsFold(e.Addresses, a) && !strings.EqualFold(a, u.PrimaryAddress) {
			u.AddAddresses = append(u.AddAddresses, a)
		}
	}
	for _, a := range e.Addresses {
		if !containsFold(wanted, a) {
			u.RemoveAddresses = append(u.RemoveAddresses, a)
		}
	}
	return nil
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}
