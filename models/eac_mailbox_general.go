package models

import (
	"context"
	"slices"
	"strings"

	"gorm.io/gorm"
)

// The Exchange admin center's mailbox edit page edits a mailbox's General section
// and its email addresses. Both go through what the Microsoft 365 admin center's
// panes use (UpdateContact, RenameSharedMailbox; the address steps addAddress,
// setPrimary, removeAddress), so the rights, the rules, the audit entries and the
// proxy-address conflict message are the same on every surface.

// MailboxGeneral is the General section of a mailbox: its display name and, for
// a person's mailbox, the person's names and details.
type MailboxGeneral struct {
	DisplayName string
	FirstName   string
	LastName    string
	JobTitle    string
	Department  string
	// Person is set for a person's mailbox, whose names are the person's.
	Person bool
	// Version is what the form is based on: the person's version for a person's
	// mailbox, the mailbox's for a shared one.
	Version int
}

// MailboxGeneralOf loads a mailbox's General section.
func (s *Store) MailboxGeneralOf(ctx context.Context, mailboxID uint) (*MailboxGeneral, error) {
	d, err := s.RecipientMailboxDetail(ctx, mailboxID)
	if err != nil {
		return nil, err
	}
	g := &MailboxGeneral{DisplayName: d.DisplayName, Version: d.Version}
	if d.Type != MailboxUser || d.UserID == 0 {
		return g, nil
	}
	u, err := s.User(ctx, d.UserID)
	if err != nil {
		return nil, err
	}
	v, err := s.UserVersion(ctx, d.UserID)
	if err != nil {
		return nil, err
	}
	g.Person, g.FirstName, g.LastName, g.JobTitle, g.Department, g.Version = true, u.FirstName, u.LastName, u.JobTitle, u.Department, v
	return g, nil
}

// CanEditMailboxIdentity reports whether the actor's roles let them change a
// mailbox's name and addresses: a person's with the rights on people, a shared
// one with the rights on shared mailboxes. The write checks again, against the
// person, inside its transaction.
func CanEditMailboxIdentity(a *Admin, t MailboxType) bool {
	if t == MailboxShared {
		return a.Can(ActionManageSharedMailboxes)
	}
	return a.Can(ActionManageUsers)
}

// UpdateMailboxGeneral saves a mailbox's General section: a person's mailbox
// through UpdateContact (the person's Manage contact information), a shared one
// through RenameSharedMailbox (its pane's name). A form based on an older version
// is refused with ErrStale. The display name's errors are on "display_name".
func (s *Store) UpdateMailboxGeneral(ctx context.Context, actor *Admin, mailboxID uint, g MailboxGeneral) error {
	d, err := s.RecipientMailboxDetail(ctx, mailboxID)
	if err != nil {
		return err
	}
	if d.Type == MailboxUser && d.UserID != 0 {
		return s.UpdateContact(ctx, actor, d.UserID, Contact{FirstName: g.FirstName, LastName: g.LastName, DisplayName: g.DisplayName,
			JobTitle: g.JobTitle, Department: g.Department, Version: g.Version})
	}
	err = s.RenameSharedMailbox(ctx, actor, mailboxID, g.DisplayName, g.Version)
	if ve, ok := AsValidation(err); ok {
		if fe, ok := ve.Fields["name"]; ok {
			delete(ve.Fields, "name")
			ve.Add("display_name", fe.Key, fe.Args)
		}
	}
	return err
}

// MailboxAddresses are a mailbox's email addresses as the EAC's Email address
// section edits them: the whole list, and which one is primary.
type MailboxAddresses struct {
	Primary   string
	Addresses []string
}

// MailboxAddressesOf loads a mailbox's addresses, the primary first.
func (s *Store) MailboxAddressesOf(ctx context.Context, mailboxID uint) (*MailboxAddresses, error) {
	d, err := s.RecipientMailboxDetail(ctx, mailboxID)
	if err != nil {
		return nil, err
	}
	return &MailboxAddresses{Primary: d.Address, Addresses: append([]string{d.Address}, d.Aliases...)}, nil
}

// CheckNewMailboxAddress checks an address about to be added to a mailbox's list
// (alias and domain): the alias's rules, an accepted domain, and that no other
// recipient has it (the proxy-address conflict). It returns the whole address.
func (s *Store) CheckNewMailboxAddress(ctx context.Context, mailboxID uint, alias, domain string) (string, *FieldError, error) {
	mb, err := s.Mailbox(ctx, mailboxID)
	if err != nil {
		return "", nil, err
	}
	return s.addressAvailableFor(ctx, strings.TrimSpace(alias), strings.TrimSpace(domain), mb.RecipientID)
}

// SetMailboxAddresses makes a mailbox's addresses the list given, with primary as
// its primary address: what is new is added, the primary set, what is missing
// removed, all in one write transaction, all or nothing. The steps are the ones
// the Microsoft 365 admin center's address panels take (addAddress, setPrimary,
// removeAddress), with their audit entries; the rights are theirs too: a person's
// addresses need the rights to edit that person, a shared mailbox's the rights on
// shared mailboxes. Every new address is checked first (alias rules, an accepted
// domain, the proxy-address conflict). The primary address can't be left out. It
// reports whether anything changed.
func (s *Store) SetMailboxAddresses(ctx context.Context, actor *Admin, mailboxID uint, want MailboxAddresses) (bool, error) {
	d, err := s.RecipientMailboxDetail(ctx, mailboxID)
	if err != nil {
		return false, err
	}
	if !CanEditMailboxIdentity(actor, d.Type) {
		return false, ErrForbidden
	}
	cur := append([]string{d.Address}, d.Aliases...)
	has := func(list []string, a string) bool {
		return slices.ContainsFunc(list, func(b string) bool { return strings.EqualFold(a, b) })
	}
	primary := strings.TrimSpace(want.Primary)
	if primary == "" || !has(want.Addresses, primary) {
		return false, Invalid("alias", "addr.error.remove_primary", nil)
	}
	var adds, removes []string
	for _, a := range want.Addresses {
		if a = strings.TrimSpace(a); a == "" || has(cur, a) || has(adds, a) {
			continue
		}
		local, domain, _ := strings.Cut(a, "@")
		addr, err := s.freeAddressFor(ctx, local, domain, d.RecipientID)
		if err != nil {
			return false, err
		}
		adds = append(adds, addr)
	}
	for _, a := range cur {
		if !has(want.Addresses, a) {
			removes = append(removes, a)
		}
	}
	newPrimary := !strings.EqualFold(primary, d.Address)
	if len(adds) == 0 && len(removes) == 0 && !newPrimary {
		return false, nil
	}
	// The audit actions of adding, making primary and removing.
	type actions struct{ add, primary, remove string }
	apply := func(tx *gorm.DB, recipientID uint, target string, act actions) error {
		for _, a := range adds {
			if err := s.addAddress(ctx, tx, actor, recipientID, target, a, act.add); err != nil {
				return err
			}
		}
		if newPrimary {
			if err := s.setPrimary(tx, actor, recipientID, target, primary, act.primary); err != nil {
				return err
			}
		}
		for _, a := range removes {
			if err := s.removeAddress(tx, actor, recipientID, target, a, act.remove); err != nil {
				return err
			}
		}
		return nil
	}
	if d.Type == MailboxUser && d.UserID != 0 {
		err = s.changePerson(ctx, actor, changeDetails, d.UserID, func(tx *gorm.DB, u *User) error {
			return apply(tx, u.RecipientID, personName(u), actions{"user.alias_add", "user.primary_address", "user.alias_remove"})
		})
	} else {
		err = s.changeMailboxIdentity(ctx, actor, ActionManageSharedMailboxes, mailboxID, func(tx *gorm.DB, mb *MailboxRef) error {
			return apply(tx, mb.RecipientID, mb.DisplayName, actions{"shared.alias_add", "shared.primary_address", "shared.alias_remove"})
		})
	}
	return err == nil, err
}
