package models

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"gorm.io/gorm"
)

// CreateSharedMailbox creates a shared mailbox with a name and address. The name is
// unique among recipients, in any case, as a mailbox's Name is in Exchange. New shared
// mailboxes keep copies of mail sent as and on behalf of them, so everyone sees the
// replies. It returns the mailbox id.
func (s *Store) CreateSharedMailbox(ctx context.Context, actor *Admin, name, alias, domain string) (uint, error) {
	return s.createSharedMailbox(ctx, actor, name, alias, domain, nil)
}

// createSharedMailbox creates a shared mailbox and, in the same transaction, calls
// then with it (to grant rights on it); an error from then undoes the mailbox too.
func (s *Store) createSharedMailbox(ctx context.Context, actor *Admin, name, alias, domain string, then func(*gorm.DB, *Admin, *MailboxRef) error) (uint, error) {
	defer s.forget()
	if !actor.Can(ActionManageSharedMailboxes) {
		return 0, ErrForbidden
	}
	ve := &ValidationError{}
	name = strings.TrimSpace(name)
	checkName(ve, "name", name, "shared.error.name_required")
	if strings.TrimSpace(alias) == "" {
		alias = AliasFromName(name)
	}
	addr, fe, err := s.AddressAvailable(ctx, alias, domain)
	if err != nil {
		return 0, err
	}
	if fe != nil {
		ve.Add("alias", fe.Key, fe.Args)
	}
	if _, bad := ve.Fields["name"]; !bad {
		if err := checkNameFree(s.db.WithContext(ctx), ve, KindSharedMailbox, name); err != nil {
			return 0, err
		}
	}
	if err := ve.OrNil(); err != nil {
		return 0, err
	}
	var id uint
	err = s.write(ctx, func(tx *gorm.DB) error {
		if err := allowedNow(tx, actor, ActionManageSharedMailboxes); err != nil {
			return err
		}
		r, err := s.createRecipient(ctx, tx, KindSharedMailbox, name, alias, addr)
		if err != nil {
			return err
		}
		mb := Mailbox{RecipientID: r.ID, Type: MailboxShared, QuotaBytes: SharedMailboxQuota,
			CopySentAs: true, CopySentOnBehalf: true, AutoReplyState: AutoReplyDisabled}
		if err := tx.Create(&mb).Error; err != nil {
			return fmt.Errorf("create mailbox: %w", err)
		}
		id = mb.ID
		// Its terms were indexed before it had a mailbox: they name it now.
		if err := linkTerms(tx, r.ID); err != nil {
			return err
		}
		if err := s.audit(tx, actor, "shared.create", &r.ID, name, nil, map[string]any{"name": name, "address": addr}); err != nil {
			return err
		}
		if then == nil {
			return nil
		}
		a, err := currentActor(tx, actor)
		if err != nil {
			return err
		}
		ref, err := mailboxRefIn(tx, "m.id = ?", mb.ID)
		if err != nil {
			return err
		}
		return then(tx, a, ref)
	})
	if err != nil {
		return 0, err
	}
	return id, nil
}

// SharedMailbox is everything the shared mailbox pane shows.
type SharedMailbox struct {
	MailboxRef
	Aliases []string
	// OwnerUserID is the account behind a converted mailbox (0 when it has none);
	// OwnerRoles are that person's admin roles.
	OwnerUserID   uint
	OwnerRoles    []Role
	OwnerLicensed bool
	// LargeLicense names the account's license that gives 100 GB ("" for none):
	// the license a shared mailbox over 50 GB needs (AssignSharedLicense).
	LargeLicense     string
	StorageUsedBytes int64
	QuotaBytes       int64
	CopySentAs       bool
	CopySentOnBehalf bool
	AutoReply        AutoReply
	Members          []Holder
	// Rights counts who holds each right themselves, people and groups apart.
	Rights map[Right]HolderCount
	// SendHolders counts who holds Send as or Send on behalf (for the address list warning).
	SendHolders int
}

// SharedMailboxDetail loads a shared mailbox for its pane.
func (s *Store) SharedMailboxDetail(ctx context.Context, mailboxID uint) (*SharedMailbox, error) {
	ref, err := s.SharedMailboxRef(ctx, mailboxID)
	if err != nil {
		return nil, err
	}
	var mb Mailbox
	if err := s.db.WithContext(ctx).Preload("Recipient.Addresses", func(db *gorm.DB) *gorm.DB { return db.Order("normalized") }).
		First(&mb, mailboxID).Error; err != nil {
		return nil, notFound(err, "mailbox")
	}
	d := &SharedMailbox{MailboxRef: *ref, StorageUsedBytes: mb.StorageUsedBytes, QuotaBytes: mb.QuotaBytes,
		CopySentAs: mb.CopySentAs, CopySentOnBehalf: mb.CopySentOnBehalf,
		AutoReply: mb.autoReply()}
	for _, a := range mb.Recipient.Addresses {
		if !a.IsPrimary {
			d.Aliases = append(d.Aliases, a.Address)
		}
	}
	var u User
	err = s.db.WithContext(ctx).Preload("Licenses").Preload("Roles").Where("recipient_id = ?", ref.RecipientID).First(&u).Error
	if err == nil {
		d.OwnerUserID, d.OwnerRoles = u.ID, rolesOf(&u)
		d.OwnerLicensed = slices.ContainsFunc(u.Licenses, func(l LicenseProduct) bool { return l.IncludesMailbox })
		for _, l := range u.Licenses {
			if l.LargeMailbox() {
				d.LargeLicense = l.Name
			}
		}
	} else if !errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("load account: %w", err)
	}
	acc, err := s.MailboxAccess(ctx, mailboxID)
	if err != nil {
		return nil, err
	}
	sendAs := map[uint]bool{}
	for _, h := range acc.Direct(RightSendAs) {
		sendAs[h.RecipientID] = true
	}
	for _, h := range acc.Direct(RightFullAccess) {
		if h.Kind == KindUser && sendAs[h.RecipientID] {
			d.Members = append(d.Members, h)
		}
	}
	d.SendHolders = len(acc.Direct(RightSendAs)) + len(acc.Direct(RightSendOnBehalf))
	d.Rights = holderCounts(acc)
	return d, nil
}

// CanChangeIdentity reports whether the actor may change the mailbox's name and
// addresses: a shared mailbox's, whoever may manage shared mailboxes; a converted
// one's, which are its person's, only who may also edit that person
// (changeMailboxIdentity).
func (m *SharedMailbox) CanChangeIdentity(actor *Admin) bool {
	return actor.Can(ActionManageSharedMailboxes) && (m.OwnerUserID == 0 || RightsOn(actor, m.OwnerRoles).Edit)
}

// changeMailbox runs one change to a mailbox's settings: the actor's roles must
// allow the action; then, in one write transaction, the actor's roles are read
// again, the mailbox is loaded and change writes. A mailbox that belongs to a person
// (theirs, or theirs converted to a shared mailbox) stays tied to them: a deleted
// person's mailbox is not found. Its settings are Exchange's, which the Exchange
// roles change for anyone (RightsOn); its name and addresses are the person's own
// (changeMailboxIdentity).
func (s *Store) changeMailbox(ctx context.Context, actor *Admin, act Action, mailboxID uint, change func(*gorm.DB, *MailboxRef) error) error {
	return s.runMailboxChange(ctx, actor, act, false, mailboxID, change)
}

// changeMailboxIdentity runs one change to a mailbox's name or addresses, as
// changeMailbox does. When the mailbox belongs to a person, those are the person's
// name and addresses, so the actor must also be allowed to edit the person, as on
// the person's own pane: a shared mailbox's routes reach no further into a
// converted mailbox's person than the person's routes do.
func (s *Store) changeMailboxIdentity(ctx context.Context, actor *Admin, act Action, mailboxID uint, change func(*gorm.DB, *MailboxRef) error) error {
	return s.runMailboxChange(ctx, actor, act, true, mailboxID, change)
}

func (s *Store) runMailboxChange(ctx context.Context, actor *Admin, act Action, identity bool, mailboxID uint, change func(*gorm.DB, *MailboxRef) error) error {
	if !actor.Can(act) {
		return ErrForbidden
	}
	return s.write(ctx, func(tx *gorm.DB) error {
		a, err := currentActor(tx, actor)
		if err != nil {
			return err
		}
		if !a.Can(act) {
			return ErrForbidden
		}
		mb, err := mailboxForChange(tx, a, identity, mailboxID)
		if err != nil {
			return err
		}
		return change(tx, mb)
	})
}

// mailboxForChange loads a mailbox inside a write transaction for a change by a,
// whose roles were read in it: a deleted person's mailbox is not found, and a
// change to a person's name or addresses (identity) needs the rights to edit them.
func mailboxForChange(tx *gorm.DB, a *Admin, identity bool, mailboxID uint) (*MailboxRef, error) {
	mb, err := mailboxRefIn(tx, "m.id = ?", mailboxID)
	if err != nil {
		return nil, err
	}
	owner, err := mailboxOwner(tx, mb.RecipientID)
	if err != nil {
		return nil, err
	}
	if owner != nil {
		if owner.DeletedAt.Valid {
			return nil, ErrNotFound
		}
		if identity && !changeDetails.right(RightsOn(a, rolesOf(owner))) {
			return nil, ErrForbidden
		}
	}
	return mb, nil
}

// mailboxOwner returns the person, live or deleted, whose recipient a mailbox
// belongs to, with their roles; nil for a mailbox without a person.
func mailboxOwner(tx *gorm.DB, recipientID uint) (*User, error) {
	var us []User
	if err := tx.Unscoped().Preload("Roles").Where("recipient_id = ?", recipientID).Limit(1).Find(&us).Error; err != nil {
		return nil, fmt.Errorf("load mailbox owner: %w", err)
	}
	if len(us) == 0 {
		return nil, nil
	}
	return &us[0], nil
}

// RenameSharedMailbox changes a shared mailbox's name. A converted mailbox's name is
// its person's display name, which only who may edit that person changes.
func (s *Store) RenameSharedMailbox(ctx context.Context, actor *Admin, mailboxID uint, name string, version int) error {
	if !actor.Can(ActionManageSharedMailboxes) {
		return ErrForbidden
	}
	name = strings.TrimSpace(name)
	ve := &ValidationError{}
	checkName(ve, "name", name, "shared.error.name_required")
	if err := ve.OrNil(); err != nil {
		return err
	}
	return s.changeMailboxIdentity(ctx, actor, ActionManageSharedMailboxes, mailboxID, func(tx *gorm.DB, mb *MailboxRef) error {
		res := tx.Model(&Mailbox{}).Where("id = ? AND version = ?", mailboxID, version).Update("version", gorm.Expr("version + 1"))
		if res.Error != nil {
			return fmt.Errorf("rename: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return ErrStale
		}
		// The person's sort key in Active users follows, and their details form
		// based on the old name is stale.
		if err := tx.Model(&User{}).Where("recipient_id = ?", mb.RecipientID).
			Updates(map[string]any{"sort_name": sortName(name), "version": gorm.Expr("version + 1")}).Error; err != nil {
			return fmt.Errorf("rename: %w", err)
		}
		if err := renameRecipient(tx, mb.RecipientID, "name", name); err != nil {
			return err
		}
		return s.audit(tx, actor, "shared.rename", &mb.RecipientID, name, map[string]any{"name": mb.DisplayName}, map[string]any{"name": name})
	})
}

// AddSharedAlias adds an address to a shared mailbox.
func (s *Store) AddSharedAlias(ctx context.Context, actor *Admin, mailboxID uint, alias, domain string) error {
	if !actor.Can(ActionManageSharedMailboxes) {
		return ErrForbidden
	}
	var self uint
	if mb, err := s.Mailbox(ctx, mailboxID); err == nil {
		self = mb.RecipientID
	}
	addr, err := s.freeAddressFor(ctx, alias, domain, self)
	if err != nil {
		return err
	}
	return s.changeMailboxIdentity(ctx, actor, ActionManageSharedMailboxes, mailboxID, func(tx *gorm.DB, mb *MailboxRef) error {
		return s.addAddress(ctx, tx, actor, mb.RecipientID, mb.DisplayName, addr, "shared.alias_add")
	})
}

// RemoveSharedAlias removes a non-primary address of a shared mailbox.
func (s *Store) RemoveSharedAlias(ctx context.Context, actor *Admin, mailboxID uint, address string) error {
	return s.changeMailboxIdentity(ctx, actor, ActionManageSharedMailboxes, mailboxID, func(tx *gorm.DB, mb *MailboxRef) error {
		return s.removeAddress(tx, actor, mb.RecipientID, mb.DisplayName, address, "shared.alias_remove")
	})
}

// SetSharedPrimary makes an alias the shared mailbox's primary address; possible only
// when it has more than one address. No one's username changes.
func (s *Store) SetSharedPrimary(ctx context.Context, actor *Admin, mailboxID uint, address string) error {
	return s.changeMailboxIdentity(ctx, actor, ActionManageSharedMailboxes, mailboxID, func(tx *gorm.DB, mb *MailboxRef) error {
		return s.setPrimary(tx, actor, mb.RecipientID, mb.DisplayName, address, "shared.primary_address")
	})
}

// DeleteSharedMailbox deletes a shared mailbox without an account of its own; its
// addresses become free again. A converted mailbox is removed by deleting its user.
func (s *Store) DeleteSharedMailbox(ctx context.Context, actor *Admin, mailboxID uint) error {
	defer s.forget()
	return s.changeMailbox(ctx, actor, ActionManageSharedMailboxes, mailboxID, func(tx *gorm.DB, mb *MailboxRef) error {
		if mb.Type != MailboxShared {
			return ErrNotFound
		}
		owner, err := mailboxOwner(tx, mb.RecipientID)
		if err != nil {
			return err
		}
		if owner != nil {
			return Invalid("", "shared.error.delete_converted", nil)
		}
		if err := deleteRecipient(tx, mb.RecipientID); err != nil {
			return err
		}
		return s.audit(tx, actor, "shared.delete", nil, mb.DisplayName, map[string]any{"name": mb.DisplayName, "address": mb.Address}, nil)
	})
}

// deleteRecipient removes a recipient for good with its mailbox, the permissions on
// that mailbox, the permissions it holds on others (mailboxes and groups), its group
// memberships and ownerships, search terms and addresses (which become free). A user
// account must be removed first.
func deleteRecipient(tx *gorm.DB, rid uint) error {
	steps := []struct {
		what string
		run  func() error
	}{
		{"permissions on the mailbox", func() error {
			return tx.Where("mailbox_id IN (SELECT id FROM mailboxes WHERE recipient_id = ?)", rid).Delete(&MailboxPermission{}).Error
		}},
		{"permissions held", func() error { return tx.Where("trustee_id = ?", rid).Delete(&MailboxPermission{}).Error }},
		{"group memberships", func() error { return tx.Where("member_id = ?", rid).Delete(&GroupMember{}).Error }},
		{"group ownerships", func() error { return tx.Where("owner_id = ?", rid).Delete(&GroupOwner{}).Error }},
		{"group delegations held", func() error { return tx.Where("trustee_id = ?", rid).Delete(&GroupPermission{}).Error }},
		{"mailbox", func() error { return tx.Where("recipient_id = ?", rid).Delete(&Mailbox{}).Error }},
		{"addresses", func() error { return tx.Where("recipient_id = ?", rid).Delete(&EmailAddress{}).Error }},
		{"search terms", func() error { return tx.Where("recipient_id = ?", rid).Delete(&SearchTerm{}).Error }},
		{"recipient", func() error { return tx.Delete(&Recipient{}, rid).Error }},
	}
	for _, st := range steps {
		if err := st.run(); err != nil {
			return fmt.Errorf("delete %s: %w", st.what, err)
		}
	}
	return nil
}
