package models

import (
	"context"
	"fmt"
	"slices"

	"gorm.io/gorm"
)

// The Exchange admin center's delegation: a shared mailbox created with its Full
// Access and Send As holders, a mailbox's staged Mailbox delegation saved at once,
// and the same change made to several mailboxes (bulk delegation). Each is one
// write transaction over the same grant and removal steps as the admin center's
// permission panels (grantIn, removeIn), so a refused trustee anywhere leaves
// nothing written.

// MaxBulkMailboxes bounds how many mailboxes one bulk delegation changes.
const MaxBulkMailboxes = 500

// DelegationChange is a set of changes to mailbox delegation: per right, who gains
// it and who loses it.
type DelegationChange struct {
	Add    map[Right][]uint
	Remove map[Right][]uint
}

// Empty reports whether the change adds and removes no one.
func (c DelegationChange) Empty() bool {
	for _, ids := range c.Add {
		if len(ids) > 0 {
			return false
		}
	}
	for _, ids := range c.Remove {
		if len(ids) > 0 {
			return false
		}
	}
	return true
}

// normalized drops unknown rights and repeated ids, and an id both added and
// removed for a right (the staged changes cancel out).
func (c DelegationChange) normalized() (DelegationChange, error) {
	out := DelegationChange{Add: map[Right][]uint{}, Remove: map[Right][]uint{}}
	for _, m := range []map[Right][]uint{c.Add, c.Remove} {
		for r := range m {
			if !slices.Contains(Rights, r) {
				return out, Invalid("right", "perm.error.right", nil)
			}
		}
	}
	for _, r := range Rights {
		add, remove := sortedSet(c.Add[r]), sortedSet(c.Remove[r])
		for _, id := range add {
			if !slices.Contains(remove, id) {
				out.Add[r] = append(out.Add[r], id)
			}
		}
		for _, id := range remove {
			if !slices.Contains(add, id) {
				out.Remove[r] = append(out.Remove[r], id)
			}
		}
	}
	return out, nil
}

// applyDelegation makes a change to one mailbox inside a write transaction:
// removals first, then grants (Full Access automapped, as the EAC does).
func (s *Store) applyDelegation(tx *gorm.DB, actor *Admin, mb *MailboxRef, c DelegationChange) (int, error) {
	changed := 0
	for _, r := range Rights {
		for _, id := range c.Remove[r] {
			if err := s.removeIn(tx, actor, mb, r, id); err != nil {
				return 0, err
			}
			changed++
		}
	}
	for _, r := range Rights {
		if len(c.Add[r]) == 0 {
			continue
		}
		res, err := s.grantIn(tx, actor, mb, r, c.Add[r], true)
		if err != nil {
			return 0, err
		}
		changed += res.Added
	}
	return changed, nil
}

// CreateSharedMailboxWithDelegates creates a shared mailbox, as CreateSharedMailbox
// does, and gives each delegate Full Access and Send As on it, in one transaction:
// a delegate who may not hold them (a contact, a group, someone outside the
// organization) refuses the whole request and no mailbox is created. Granting
// needs the right to manage permissions as well, checked again inside the
// transaction.
func (s *Store) CreateSharedMailboxWithDelegates(ctx context.Context, actor *Admin, name, alias, domain string, delegateIDs []uint) (uint, error) {
	ids := sortedSet(delegateIDs)
	if len(ids) == 0 {
		return s.CreateSharedMailbox(ctx, actor, name, alias, domain)
	}
	if !actor.Can(ActionManagePermissions) {
		return 0, ErrForbidden
	}
	return s.createSharedMailbox(ctx, actor, name, alias, domain, func(tx *gorm.DB, a *Admin, mb *MailboxRef) error {
		if !a.Can(ActionManagePermissions) {
			return ErrForbidden
		}
		for _, r := range []Right{RightFullAccess, RightSendAs} {
			if _, err := s.grantIn(tx, actor, mb, r, ids, true); err != nil {
				return err
			}
		}
		return nil
	})
}

// ApplyMailboxDelegation saves the staged changes of a mailbox's Mailbox delegation
// together: every removal and grant, or none. It returns how many grants it added
// or removed.
func (s *Store) ApplyMailboxDelegation(ctx context.Context, actor *Admin, mailboxID uint, c DelegationChange) (int, error) {
	if !actor.Can(ActionManagePermissions) {
		return 0, ErrForbidden
	}
	c, err := c.normalized()
	if err != nil {
		return 0, err
	}
	if c.Empty() {
		return 0, Invalid("trustee", "eac.error.no_changes", nil)
	}
	changed := 0
	err = s.changeMailbox(ctx, actor, ActionManagePermissions, mailboxID, func(tx *gorm.DB, mb *MailboxRef) error {
		n, err := s.applyDelegation(tx, actor, mb, c)
		changed = n
		return err
	})
	return changed, err
}

// BulkMailboxDelegation makes the same change to several mailboxes in one
// transaction (the EAC's Bulk Add and Bulk Remove Delegation): a mailbox that is
// gone, or a trustee refused on any one of them, leaves every mailbox as it was.
// A refusal names the mailbox in the "mailbox" field.
func (s *Store) BulkMailboxDelegation(ctx context.Context, actor *Admin, mailboxIDs []uint, c DelegationChange) (int, error) {
	if !actor.Can(ActionManagePermissions) {
		return 0, ErrForbidden
	}
	ids := sortedSet(mailboxIDs)
	if len(ids) == 0 {
		return 0, Invalid("mailbox", "eac.error.no_mailboxes", nil)
	}
	if len(ids) > MaxBulkMailboxes {
		return 0, Invalid("mailbox", "eac.error.too_many_mailboxes", map[string]any{"Max": MaxBulkMailboxes})
	}
	c, err := c.normalized()
	if err != nil {
		return 0, err
	}
	if c.Empty() {
		return 0, Invalid("trustee", "perm.error.none_selected", nil)
	}
	changed := 0
	err = s.write(ctx, func(tx *gorm.DB) error {
		changed = 0
		a, err := currentActor(tx, actor)
		if err != nil {
			return err
		}
		if !a.Can(ActionManagePermissions) {
			return ErrForbidden
		}
		for _, id := range ids {
			mb, err := mailboxForChange(tx, a, false, id)
			if err != nil {
				return err
			}
			n, err := s.applyDelegation(tx, actor, mb, c)
			if ve, ok := AsValidation(err); ok {
				ve.Add("mailbox", "eac.error.bulk_refused", map[string]any{"Mailbox": mb.DisplayName})
				return ve
			}
			if err != nil {
				return fmt.Errorf("bulk delegation on %d: %w", id, err)
			}
			changed += n
		}
		return nil
	})
	return changed, err
}

// MailboxesByID returns the mailboxes with the given ids that exist, in name order,
// for a bulk change's confirmation.
func (s *Store) MailboxesByID(ctx context.Context, ids []uint) ([]MailboxRef, error) {
	ids = sortedSet(ids)
	if len(ids) == 0 {
		return nil, nil
	}
	if len(ids) > MaxBulkMailboxes {
		ids = ids[:MaxBulkMailboxes]
	}
	var out []MailboxRef
	err := s.db.WithContext(ctx).Table("mailboxes m").Select(mailboxRefSelect).
		Joins("JOIN recipients r ON r.id = m.recipient_id").
		Where("m.id IN ?", ids).
		Where("NOT EXISTS (SELECT 1 FROM users u WHERE u.recipient_id = r.id AND u.deleted_at IS NOT NULL)").
		Order("r.sort_name, m.id").Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("load mailboxes: %w", err)
	}
	return out, nil
}
