package models

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// The Exchange admin center's mailbox edit page edits a mailbox's General section
// and its email addresses. Both go through the methods the Microsoft 365 admin
// center's panes and Set-Mailbox use, so the rights, the rules, the audit entries
// and the proxy-address conflict message are the same on every surface.

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
// its primary address: what is new is added, what is missing removed, through
// UpdateMailbox (Set-Mailbox's EmailAddresses), which checks every part before it
// writes any. The primary address can't be left out.
func (s *Store) SetMailboxAddresses(ctx context.Context, actor *Admin, mailboxID uint, want MailboxAddresses) (bool, error) {
	cur, err := s.MailboxAddressesOf(ctx, mailboxID)
	if err != nil {
		return false, err
	}
	has := func(list []string, a string) bool {
		return slices.ContainsFunc(list, func(b string) bool { return strings.EqualFold(a, b) })
	}
	primary := strings.TrimSpace(want.Primary)
	if primary == "" || !has(want.Addresses, primary) {
		return false, Invalid("alias", "addr.error.remove_primary", nil)
	}
	u := MailboxUpdate{}
	if !strings.EqualFold(primary, cur.Primary) {
		u.PrimaryAddress = primary
	}
	for _, a := range want.Addresses {
		if a = strings.TrimSpace(a); a != "" && !has(cur.Addresses, a) && !has(u.AddAddresses, a) && !strings.EqualFold(a, primary) {
			u.AddAddresses = append(u.AddAddresses, a)
		}
	}
	for _, a := range cur.Addresses {
		if !has(want.Addresses, a) {
			u.RemoveAddresses = append(u.RemoveAddresses, a)
		}
	}
	if u.PrimaryAddress == "" && len(u.AddAddresses) == 0 && len(u.RemoveAddresses) == 0 {
		return false, nil
	}
	res, err := s.UpdateMailbox(ctx, actor, mailboxID, u)
	if err != nil {
		return false, fmt.Errorf("set mailbox addresses: %w", err)
	}
	return res.Changed, nil
}
