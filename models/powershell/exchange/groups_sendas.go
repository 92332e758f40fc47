package exchange

import (
	"context"
	"slices"

	"github.com/contoso/admincenter/models"
	"github.com/contoso/admincenter/models/powershell"
)

// Send As on a distribution group: Get-/Add-/Remove-RecipientPermission take a
// group as -Identity, as in Exchange, over the models' group delegation (the same
// methods the group's Send as panel calls).

// sendAsTargets are what Send As can be given on: mailboxes and mail-enabled groups.
var sendAsTargets = models.DirectoryQuery{Types: slices.Concat(models.MailboxTypes, mailGroups.Types)}

// sendAsHolders lists the direct Send As holders of a mailbox or group.
func (x *env) sendAsHolders(ctx context.Context, e *models.DirectoryEntry) ([]*models.DirectoryEntry, error) {
	if e.Mailbox != nil {
		return x.holderEntries(ctx, e.Mailbox.ID, models.RightSendAs)
	}
	id, err := x.store.GroupIDOfRecipient(ctx, e.RecipientID)
	if err != nil {
		return nil, err
	}
	delegates, err := x.store.GroupDelegates(ctx, id)
	if err != nil {
		return nil, err
	}
	ids := candidateIDs(delegates[models.RightSendAs])
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

// grantOnGroup gives a trustee Send As on a group; an existing grant is Exchange's warning.
func (x *env) grantOnGroup(c *powershell.Call, admin *models.Admin, g, t *models.DirectoryEntry, right models.Right) (bool, error) {
	id, err := x.store.GroupIDOfRecipient(c.Context(), g.RecipientID)
	if err != nil {
		return false, err
	}
	res, err := x.store.GrantGroupPermission(c.Context(), admin, id, right, []uint{t.RecipientID})
	if err != nil {
		return false, call(c, err)
	}
	if res.Added == 0 {
		c.WriteWarning(presentWarning(g.DisplayName, principal(t)))
		return false, nil
	}
	return true, nil
}

// revokeOnGroup takes Send As on a group away; a grant not held is Exchange's warning.
func (x *env) revokeOnGroup(c *powershell.Call, admin *models.Admin, g, t *models.DirectoryEntry, right models.Right) error {
	holders, err := x.sendAsHolders(c.Context(), g)
	if err != nil {
		return err
	}
	held := false
	for _, h := range holders {
		held = held || h.RecipientID == t.RecipientID
	}
	id, err := x.store.GroupIDOfRecipient(c.Context(), g.RecipientID)
	if err != nil {
		return err
	}
	if err := x.store.RemoveGroupPermission(c.Context(), admin, id, right, t.RecipientID); err != nil {
		return call(c, err)
	}
	if !held {
		c.WriteWarning(absentWarning(g.DisplayName, principal(t)))
	}
	return nil
}
