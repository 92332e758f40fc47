package exchange

import (
	"context"
	"errors"

	"github.com/contoso/admincenter/models"
	"github.com/contoso/admincenter/models/powershell"
)

// Full Access is Get-/Add-/Remove-MailboxPermission; Send As is
// Get-/Add-/Remove-RecipientPermission. Both are grants on a mailbox in the models,
// made and taken away by the same methods the admin center's permission panels use.

// mailboxAccessRights are the values Exchange's -AccessRights takes; this admin
// center keeps Full Access only.
var mailboxAccessRights = []string{"ChangeOwner", "ChangePermission", "DeleteItem", "ExternalAccount", "FullAccess", "ReadPermission"}

var inheritanceTypes = []string{"None", "All", "Descendents", "SelfAndChildren", "Children"}

// onlyFullAccess refuses access rights this admin center has no counterpart for.
func onlyFullAccess(rights []string) error {
	for _, r := range rights {
		if r != "FullAccess" {
			return notSupported("The access right '" + r + "' isn't kept by this admin center; mailbox permissions here are FullAccess.")
		}
	}
	return nil
}

// holderEntries reads the directory entries of a mailbox's direct holders of a
// right (grants being removed left out), in the order the models list them.
func (x *env) holderEntries(ctx context.Context, mailboxID uint, right models.Right) ([]*models.DirectoryEntry, error) {
	acc, err := x.store.MailboxAccess(ctx, mailboxID)
	if err != nil {
		return nil, err
	}
	var ids []uint
	for _, h := range acc.Direct(right) {
		if h.RevokeEffectiveAt == nil {
			ids = append(ids, h.RecipientID)
		}
	}
	es, err := x.store.DirectoryByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]*models.DirectoryEntry, 0, len(ids))
	for _, id := range ids {
		if e := es[id]; e != nil {
			out = append(out, e)
		}
	}
	return out, nil
}

type getMailboxPermission struct{ x *env }

func (getMailboxPermission) Meta() powershell.Meta {
	return powershell.Meta{
		Name: "Get-MailboxPermission", Module: Module,
		Synopsis:    "Lists who has Full Access to a mailbox.",
		Description: "Lists the mailbox's own NT AUTHORITY\\SELF entry and every user and group granted Full Access (not the members of those groups).",
		Examples: []powershell.Example{
			{Code: `Get-MailboxPermission "Sales Department"`},
			{Code: `Get-MailboxPermission info@contoso.com -User adelev@contoso.com`, Remarks: "Only one user's entry."},
		},
		Params: []powershell.Param{identityParam, {Name: "User", Type: powershell.String, Help: "Only this user's or group's entry."}},
	}
}

func (g getMailboxPermission) Run(c *powershell.Call) error {
	ctx := c.Context()
	mb, err := g.x.resolve(ctx, c.Identity("Identity"), mailboxes)
	if err != nil {
		return err
	}
	var only *models.DirectoryEntry
	if c.Has("User") {
		if only, err = g.x.resolveName(ctx, c.String("User"), anyRecipient); err != nil {
			return err
		}
	} else {
		c.Write(aceObject(mb.DisplayName, selfPrincipal, []string{"FullAccess", "ReadPermission"}))
	}
	holders, err := g.x.holderEntries(ctx, mb.Mailbox.ID, models.RightFullAccess)
	if err != nil {
		return err
	}
	for _, h := range holders {
		if only == nil || only.RecipientID == h.RecipientID {
			c.Write(aceObject(mb.DisplayName, principal(h), []string{"FullAccess"}))
		}
	}
	return nil
}

type addMailboxPermission struct{ x *env }

func (addMailboxPermission) Meta() powershell.Meta {
	return powershell.Meta{
		Name: "Add-MailboxPermission", Module: Module, SupportsShouldProcess: true,
		Synopsis: "Gives a user or group Full Access to a mailbox.",
		Description: "Grants Full Access (Read and manage in the admin center). -AutoMapping (default $true) adds the mailbox to the user's " +
			"Outlook; it does not apply to groups. -InheritanceType is accepted; the grant always covers the whole mailbox.",
		Examples: []powershell.Example{{
			Code:    `Add-MailboxPermission "Sales Department" -User MarketingSG -AccessRights FullAccess -InheritanceType All`,
			Remarks: "Gives the members of MarketingSG Full Access.",
		}},
		Params: []powershell.Param{
			identityParam,
			{Name: "User", Type: powershell.String, Mandatory: true, FromPropertyName: true},
			{Name: "AccessRights", Type: powershell.EnumList, Mandatory: true, FromPropertyName: true, Values: mailboxAccessRights},
			{Name: "InheritanceType", Type: powershell.Enum, Values: inheritanceTypes, Default: "All"},
			{Name: "AutoMapping", Type: powershell.Bool, Default: true},
		},
	}
}

// aclTarget resolves a permission cmdlet's mailbox (or, for Send As, mailbox or
// group) and trustee.
func (x *env) aclTarget(c *powershell.Call, trusteeParam string, scope models.DirectoryQuery) (*models.DirectoryEntry, *models.DirectoryEntry, error) {
	mb, err := x.resolve(c.Context(), c.Identity("Identity"), scope)
	if err != nil {
		return nil, nil, err
	}
	t, err := x.resolveName(c.Context(), c.String(trusteeParam), anyRecipient)
	if err != nil {
		return nil, nil, err
	}
	return mb, t, nil
}

// presentWarning is Exchange's warning for a grant that already exists.
func presentWarning(mailbox, account string) string {
	return `The appropriate access control entry is already present on the object "` + mailbox + `" for account "` + account + `".`
}

// absentWarning is Exchange's warning for a removal that finds nothing to remove.
func absentWarning(mailbox, account string) string {
	return `Can't remove the access control entry on the object "` + mailbox + `" for account "` + account + `" because the ACE isn't present.`
}

// grant gives a right and reports whether it was new; an existing grant is
// Exchange's warning.
func (x *env) grant(c *powershell.Call, mb, t *models.DirectoryEntry, right models.Right, automap bool) (bool, error) {
	admin, err := actorOf(c)
	if err != nil {
		return false, err
	}
	if !c.ShouldProcess(mb.DisplayName, c.Name()) {
		return false, nil
	}
	if mb.Mailbox == nil {
		return x.grantOnGroup(c, admin, mb, t, right)
	}
	res, err := x.store.GrantPermissions(c.Context(), admin, models.GrantRequest{MailboxID: mb.Mailbox.ID, Right: right,
		TrusteeIDs: []uint{t.RecipientID}, AutoMapping: automap})
	if err != nil {
		return false, call(c, err)
	}
	if res.Added == 0 {
		c.WriteWarning(presentWarning(mb.DisplayName, principal(t)))
		return false, nil
	}
	return true, nil
}

// revoke takes a right away; a right not held is Exchange's warning.
func (x *env) revoke(c *powershell.Call, mb, t *models.DirectoryEntry, right models.Right) error {
	admin, err := actorOf(c)
	if err != nil {
		return err
	}
	if !c.ShouldProcess(mb.DisplayName, c.Name()) {
		return nil
	}
	if mb.Mailbox == nil {
		return x.revokeOnGroup(c, admin, mb, t, right)
	}
	removed, err := x.store.RevokePermission(c.Context(), admin, mb.Mailbox.ID, right, t.RecipientID)
	if err != nil {
		return call(c, err)
	}
	if !removed {
		c.WriteWarning(absentWarning(mb.DisplayName, principal(t)))
	}
	return nil
}

func (a addMailboxPermission) Run(c *powershell.Call) error {
	if err := onlyFullAccess(c.Strings("AccessRights")); err != nil {
		return err
	}
	mb, t, err := a.x.aclTarget(c, "User", mailboxes)
	if err != nil {
		return err
	}
	added, err := a.x.grant(c, mb, t, models.RightFullAccess, c.Bool("AutoMapping"))
	if added {
		c.Write(aceObject(mb.DisplayName, principal(t), []string{"FullAccess"}))
	}
	return err
}

type removeMailboxPermission struct{ x *env }

func (removeMailboxPermission) Meta() powershell.Meta {
	return powershell.Meta{
		Name: "Remove-MailboxPermission", Module: Module, SupportsShouldProcess: true,
		Synopsis: "Takes Full Access to a mailbox away from a user or group.",
		Params: []powershell.Param{
			identityParam,
			{Name: "User", Type: powershell.String, Mandatory: true, FromPropertyName: true},
			{Name: "AccessRights", Type: powershell.EnumList, Mandatory: true, FromPropertyName: true, Values: mailboxAccessRights},
			{Name: "InheritanceType", Type: powershell.Enum, Values: inheritanceTypes, Default: "All"},
		},
	}
}

func (r removeMailboxPermission) Run(c *powershell.Call) error {
	if err := onlyFullAccess(c.Strings("AccessRights")); err != nil {
		return err
	}
	mb, t, err := r.x.aclTarget(c, "User", mailboxes)
	if err != nil {
		return err
	}
	return r.x.revoke(c, mb, t, models.RightFullAccess)
}

// sendAsParams are -Identity, -Trustee and -AccessRights SendAs.
func sendAsParams(identityMandatory bool) []powershell.Param {
	id := identityParam
	id.Mandatory = identityMandatory
	return []powershell.Param{
		id,
		{Name: "Trustee", Type: powershell.String, Mandatory: identityMandatory, FromPropertyName: true},
		{Name: "AccessRights", Type: powershell.EnumList, Mandatory: identityMandatory, FromPropertyName: true, Values: []string{"SendAs"}},
	}
}

type getRecipientPermission struct{ x *env }

func (getRecipientPermission) Meta() powershell.Meta {
	return powershell.Meta{
		Name: "Get-RecipientPermission", Module: Module,
		Synopsis: "Lists who may send as a mailbox or a distribution group.",
		Description: "With -Identity, lists the mailbox's NT AUTHORITY\\SELF entry and every user and group granted Send As; with -Trustee " +
			"alone, the mailboxes that user or group may send as; with neither, the Send As grants of every mailbox.",
		Examples: []powershell.Example{
			{Code: `Get-RecipientPermission info@contoso.com`},
			{Code: `Get-RecipientPermission -Trustee adelev@contoso.com`, Remarks: "The mailboxes Adele may send as."},
		},
		Params: append(sendAsParams(false), resultSizeParam),
	}
}

// errEnough stops a directory read once -ResultSize entries were written.
var errEnough = errors.New("enough")

func (g getRecipientPermission) Run(c *powershell.Call) error {
	ctx := c.Context()
	var only *models.DirectoryEntry
	if c.Has("Trustee") {
		var err error
		if only, err = g.x.resolveName(ctx, c.String("Trustee"), anyRecipient); err != nil {
			return err
		}
	}
	if c.Has("Identity") {
		mb, err := g.x.resolve(ctx, c.Identity("Identity"), sendAsTargets)
		if err != nil {
			return err
		}
		_, err = g.x.writeSendAs(c, mb, only, !c.Has("Trustee"), -1)
		return err
	}
	if only != nil {
		acc, err := g.x.store.AccessibleMailboxes(ctx, only.RecipientID)
		if err != nil {
			return err
		}
		for _, a := range acc {
			if a.Right == models.RightSendAs && a.ViaID == 0 && a.RevokeEffectiveAt == nil {
				c.Write(recipientPermissionObject(a.MailboxName, principal(only)))
			}
		}
		return nil
	}
	limit, n := resultSize(c), 0
	_, err := g.x.store.EachDirectoryEntry(ctx, models.DirectoryQuery{Types: models.MailboxTypes}, func(e *models.DirectoryEntry) error {
		left := -1
		if limit > 0 {
			left = limit - n
		}
		wrote, err := g.x.writeSendAs(c, e, nil, true, left)
		n += wrote
		if err == nil && limit > 0 && n >= limit {
			return errEnough
		}
		return err
	})
	if errors.Is(err, errEnough) {
		c.WriteWarning(limitWarning(c))
		return nil
	}
	return err
}

// writeSendAs writes a mailbox's Send As entries (the SELF entry first when asked),
// at most max of them (-1 for all), and returns how many it wrote.
func (x *env) writeSendAs(c *powershell.Call, mb *models.DirectoryEntry, only *models.DirectoryEntry, self bool, max int) (int, error) {
	n := 0
	if self && max != 0 {
		c.Write(recipientPermissionObject(mb.DisplayName, selfPrincipal))
		n++
	}
	holders, err := x.sendAsHolders(c.Context(), mb)
	if err != nil {
		return n, err
	}
	for _, h := range holders {
		if max >= 0 && n >= max {
			break
		}
		if only == nil || only.RecipientID == h.RecipientID {
			c.Write(recipientPermissionObject(mb.DisplayName, principal(h)))
			n++
		}
	}
	return n, nil
}

type addRecipientPermission struct{ x *env }

func (addRecipientPermission) Meta() powershell.Meta {
	return powershell.Meta{
		Name: "Add-RecipientPermission", Module: Module, SupportsShouldProcess: true,
		Synopsis: "Lets a user or group send as a mailbox.",
		Examples: []powershell.Example{{Code: `Add-RecipientPermission info@contoso.com -Trustee adelev@contoso.com -AccessRights SendAs`}},
		Params:   sendAsParams(true),
	}
}

func (a addRecipientPermission) Run(c *powershell.Call) error {
	mb, t, err := a.x.aclTarget(c, "Trustee", sendAsTargets)
	if err != nil {
		return err
	}
	added, err := a.x.grant(c, mb, t, models.RightSendAs, false)
	if added {
		c.Write(recipientPermissionObject(mb.DisplayName, principal(t)))
	}
	return err
}

type removeRecipientPermission struct{ x *env }

func (removeRecipientPermission) Meta() powershell.Meta {
	return powershell.Meta{
		Name: "Remove-RecipientPermission", Module: Module, SupportsShouldProcess: true,
		Synopsis: "Takes Send As on a mailbox away from a user or group.",
		Params:   sendAsParams(true),
	}
}

func (r removeRecipientPermission) Run(c *powershell.Call) error {
	mb, t, err := r.x.aclTarget(c, "Trustee", sendAsTargets)
	if err != nil {
		return err
	}
	return r.x.revoke(c, mb, t, models.RightSendAs)
}
