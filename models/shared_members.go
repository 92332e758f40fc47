package models

import (
	"context"
	"fmt"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// MaxMembers is how many people Microsoft supports using one shared mailbox at once.
const MaxMembers = 25

// AddMembers makes people members of a shared mailbox: Read and manage (with
// automapping) and Send as, which is what membership means in the admin center.
// Only people of the organization; groups are refused because group access does
// not add the mailbox to Outlook.
func (s *Store) AddMembers(ctx context.Context, actor *Admin, mailboxID uint, recipientIDs []uint) (int, error) {
	if !actor.Can(ActionManageSharedMailboxes) {
		return 0, ErrForbidden
	}
	ids := sortedSet(recipientIDs)
	if len(ids) == 0 {
		return 0, Invalid("trustee", "shared.error.none_selected", nil)
	}
	added := 0
	err := s.changeMailbox(ctx, actor, ActionManageSharedMailboxes, mailboxID, func(tx *gorm.DB, mb *MailboxRef) error {
		if mb.Type != MailboxShared {
			return ErrNotFound
		}
		ts, err := s.trustees(tx, ids)
		if err != nil {
			return err
		}
		for _, id := range ids {
			t, ok := ts[id]
			if ok && t.Kind == KindGroup {
				return Invalid("trustee", "shared.error.group", map[string]any{"Name": t.DisplayName})
			}
			if ve := checkTrustee(mb, RightFullAccess, t, ok); ve != nil {
				return ve
			}
		}
		now := s.Now()
		for _, id := range ids {
			t := ts[id]
			for _, right := range []Right{RightFullAccess, RightSendAs} {
				if err := tx.Where("mailbox_id = ? AND trustee_id = ? AND access_right = ? AND revoke_effective_at IS NOT NULL",
					mb.ID, id, right).Delete(&MailboxPermission{}).Error; err != nil {
					return fmt.Errorf("clear removed grant: %w", err)
				}
				p := MailboxPermission{MailboxID: mb.ID, TrusteeID: id, Right: right, AutoMapping: right == RightFullAccess,
					GrantedByID: &actor.UserID, GrantedAt: now, EffectiveAt: now.Add(s.PropagationDelay())}
				if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&p).Error; err != nil {
					return fmt.Errorf("add member: %w", err)
				}
			}
			added++
			if err := s.audit(tx, actor, "shared.member_add", &mb.RecipientID, mb.DisplayName, nil,
				map[string]any{"mailbox": mb.Address, "member": t.Address}); err != nil {
				return err
			}
		}
		return nil
	})
	return added, err
}

// RemoveMember takes both membership rights away from a person.
func (s *Store) RemoveMember(ctx context.Context, actor *Admin, mailboxID, recipientID uint) error {
	return s.changeMailbox(ctx, actor, ActionManageSharedMailboxes, mailboxID, func(tx *gorm.DB, mb *MailboxRef) error {
		res := tx.Where("mailbox_id = ? AND trustee_id = ? AND access_right IN ?", mailboxID, recipientID, []Right{RightFullAccess, RightSendAs}).
			Delete(&MailboxPermission{})
		if res.Error != nil {
			return fmt.Errorf("remove member: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return nil
		}
		ts, err := s.trustees(tx, []uint{recipientID})
		if err != nil {
			return err
		}
		return s.audit(tx, actor, "shared.member_remove", &mb.RecipientID, mb.DisplayName,
			map[string]any{"mailbox": mb.Address, "member": ts[recipientID].Address}, nil)
	})
}
