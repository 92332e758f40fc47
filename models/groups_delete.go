package models

import (
	"cmp"
	"context"
	"fmt"

	"gorm.io/gorm"
)

// Deleting a group or a mail contact: what it is linked to (mailbox permissions and
// group delegations it holds, mailboxes forwarding to it, groups it is a member of)
// is said first, and removed in the same transaction as the recipient.

// RecipientLinks is what refers to a group or contact and goes when it is deleted.
type RecipientLinks struct {
	// Permissions are the rights it holds on mailboxes.
	Permissions []LinkedPermission
	// Delegations are Send as / Send on behalf it holds on groups.
	Delegations []LinkedPermission
	// ForwardedFrom are the mailboxes that forward to it.
	ForwardedFrom []LinkedMailbox
	// MemberOf are the groups it is a direct member of.
	MemberOf []GroupRef
}

// LinkedPermission is a right held on a mailbox or a group.
type LinkedPermission struct {
	Right   Right
	Name    string
	Address string
}

// LinkedMailbox is a mailbox that forwards to the recipient.
type LinkedMailbox struct {
	ID      uint
	Name    string
	Address string
	Type    MailboxType
}

// Any reports whether there is something to confirm.
func (l *RecipientLinks) Any() bool {
	return l != nil && (len(l.Permissions) > 0 || len(l.Delegations) > 0 || len(l.ForwardedFrom) > 0 || len(l.MemberOf) > 0)
}

// recipientLinks reads what refers to a recipient.
func recipientLinks(db *gorm.DB, rid uint) (*RecipientLinks, error) {
	l := &RecipientLinks{}
	err := db.Table("mailbox_permissions p").Select(`p.access_right AS "right", r.display_name AS name,
		COALESCE((SELECT e.address FROM email_addresses e WHERE e.recipient_id = r.id AND e.is_primary), '') AS address`).
		Joins("JOIN mailboxes m ON m.id = p.mailbox_id").Joins("JOIN recipients r ON r.id = m.recipient_id").
		Where("p.trustee_id = ?", rid).Order("r.sort_name, p.access_right").Scan(&l.Permissions).Error
	if err != nil {
		return nil, fmt.Errorf("list permissions held: %w", err)
	}
	err = db.Table("group_permissions p").Select(`p.access_right AS "right", r.display_name AS name,
		COALESCE((SELECT e.address FROM email_addresses e WHERE e.recipient_id = r.id AND e.is_primary), '') AS address`).
		Joins("JOIN groups g ON g.id = p.group_id").Joins("JOIN recipients r ON r.id = g.recipient_id").
		Where("p.trustee_id = ?", rid).Order("r.sort_name, p.access_right").Scan(&l.Delegations).Error
	if err != nil {
		return nil, fmt.Errorf("list group delegations held: %w", err)
	}
	if l.ForwardedFrom, err = forwardersTo(db, rid); err != nil {
		return nil, err
	}
	if l.MemberOf, err = parentGroups(db, rid); err != nil {
		return nil, err
	}
	return l, nil
}

// forwardersTo lists the mailboxes whose forwarding address is one of the
// recipient's addresses (stopped forwards too: they would come back on a restore).
func forwardersTo(db *gorm.DB, rid uint) ([]LinkedMailbox, error) {
	var out []LinkedMailbox
	err := db.Table("mailboxes m").Select(`m.id, r.display_name AS name, m.type,
		COALESCE((SELECT e.address FROM email_addresses e WHERE e.recipient_id = r.id AND e.is_primary), '') AS address`).
		Joins("JOIN recipients r ON r.id = m.recipient_id").
		Where("m.forwarding_address <> '' AND LOWER(m.forwarding_address) IN (SELECT normalized FROM email_addresses WHERE recipient_id = ?)", rid).
		Order("r.sort_name, m.id").Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("list forwarders: %w", err)
	}
	return out, nil
}

// GroupDeleteConsequences says what deleting a group removes besides the group.
func (s *Store) GroupDeleteConsequences(ctx context.Context, groupID uint) (*RecipientLinks, error) {
	g, err := loadGroup(s.db.WithContext(ctx), groupID)
	if err != nil {
		return nil, err
	}
	return recipientLinks(s.db.WithContext(ctx), g.RecipientID)
}

// DeleteGroup deletes a group for good: its members and owners are let go, and the
// permissions it holds, the delegations on and by it, the forwards to it and its
// memberships of other groups are removed in the same transaction. When any of
// those exist and confirm is false, nothing changes and ErrNeedsConfirmation says
// to ask first (GroupDeleteConsequences lists them).
func (s *Store) DeleteGroup(ctx context.Context, actor *Admin, groupID uint, confirm bool) error {
	defer s.groupCounts.forget() // the count of its type's tab
	return s.changeGroup(ctx, actor, groupID, func(tx *gorm.DB, g *groupRow) error {
		links, err := recipientLinks(tx, g.RecipientID)
		if err != nil {
			return err
		}
		if links.Any() && !confirm {
			return ErrNeedsConfirmation
		}
		if err := s.unlinkRecipient(tx, actor, g.RecipientID, links); err != nil {
			return err
		}
		steps := []struct {
			what string
			run  func() error
		}{
			{"delegations on the group", func() error { return tx.Where("group_id = ?", g.ID).Delete(&GroupPermission{}).Error }},
			{"members", func() error { return tx.Where("group_id = ?", g.ID).Delete(&GroupMember{}).Error }},
			{"owners", func() error { return tx.Where("group_id = ?", g.ID).Delete(&GroupOwner{}).Error }},
			{"group", func() error { return tx.Delete(&Group{}, g.ID).Error }},
		}
		for _, st := range steps {
			if err := st.run(); err != nil {
				return fmt.Errorf("delete %s: %w", st.what, err)
			}
		}
		if err := deleteRecipient(tx, g.RecipientID); err != nil {
			return err
		}
		return s.audit(tx, actor, "group.delete", nil, g.target(), map[string]any{"name": g.DisplayName, "type": g.Type,
			"address": g.Address, "removed": linkSummary(links)}, nil)
	})
}

// unlinkRecipient removes what refers to a recipient that is about to go: the
// permissions and delegations it holds, its memberships, and forwarding to it
// (turned off on each mailbox, with an audit entry there).
func (s *Store) unlinkRecipient(tx *gorm.DB, actor *Admin, rid uint, links *RecipientLinks) error {
	if err := tx.Where("trustee_id = ?", rid).Delete(&MailboxPermission{}).Error; err != nil {
		return fmt.Errorf("remove permissions held: %w", err)
	}
	if err := tx.Where("trustee_id = ?", rid).Delete(&GroupPermission{}).Error; err != nil {
		return fmt.Errorf("remove delegations held: %w", err)
	}
	if err := tx.Where("member_id = ?", rid).Delete(&GroupMember{}).Error; err != nil {
		return fmt.Errorf("remove memberships: %w", err)
	}
	for _, m := range links.ForwardedFrom {
		var mb Mailbox
		if err := tx.First(&mb, m.ID).Error; err != nil {
			return notFound(err, "mailbox")
		}
		if err := tx.Model(&Mailbox{}).Where("id = ?", m.ID).Updates(map[string]any{"forwarding_address": "", "forward_keep_copy": false,
			"forwarding_stopped": "", "version": gorm.Expr("version + 1")}).Error; err != nil {
			return fmt.Errorf("turn off forwarding: %w", err)
		}
		if err := s.audit(tx, actor, "forwarding.set", &mb.RecipientID, m.Name,
			forwardingAudit{Address: mb.ForwardingAddress, KeepCopy: mb.ForwardKeepCopy, Stopped: mb.ForwardingStopped}, forwardingAudit{}); err != nil {
			return err
		}
	}
	return nil
}

// linkSummary is the audit log's short account of removed links.
func linkSummary(l *RecipientLinks) []string {
	var out []string
	for _, p := range l.Permissions {
		out = append(out, string(p.Right)+" on "+p.Address)
	}
	for _, p := range l.Delegations {
		out = append(out, string(p.Right)+" on group "+cmp.Or(p.Address, p.Name))
	}
	for _, m := range l.ForwardedFrom {
		out = append(out, "forwarding from "+m.Address)
	}
	for _, g := range l.MemberOf {
		out = append(out, "member of "+g.DisplayName)
	}
	return out
}
