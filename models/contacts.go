package models

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Mail contacts (Users > Contacts): people outside the organization with one
// external address, which is unique across every recipient like any address. A
// contact can be a member of a distribution group and a forwarding target (an
// external one, so the organization's forwarding policy applies); it can never hold
// a mailbox permission.

// MailContact is a mail contact. Its address is its recipient's primary address.
type MailContact struct {
	ID          uint      `gorm:"primaryKey"`
	RecipientID uint      `gorm:"not null;uniqueIndex"`
	Recipient   Recipient `gorm:"constraint:OnDelete:CASCADE"`
	// SortName repeats the recipient's sort key so Contacts pages through an index
	// of its own (idx_mail_contacts_list).
	SortName  string `gorm:"not null;default:''"`
	FirstName string
	LastName  string
	Company   string
	// Version counts changes, so a stale form is refused.
	Version   int `gorm:"not null;default:1"`
	CreatedAt time.Time
	UpdatedAt time.Time
}

// MailContactForm is Add a contact and Edit contact: what the admin typed, and for
// an edit the version the form was built from.
type MailContactForm struct {
	DisplayName string
	FirstName   string
	LastName    string
	Company     string
	Address     string
	Version     int
}

// Normalized is the form as the rules read it: trimmed, and the display name made
// of the first and last name when left empty.
func (f MailContactForm) Normalized() MailContactForm {
	f.DisplayName = strings.TrimSpace(f.DisplayName)
	f.FirstName = strings.TrimSpace(f.FirstName)
	f.LastName = strings.TrimSpace(f.LastName)
	f.Company = strings.TrimSpace(f.Company)
	f.Address = strings.TrimSpace(f.Address)
	if f.DisplayName == "" {
		f.DisplayName = strings.TrimSpace(f.FirstName + " " + f.LastName)
	}
	return f
}

// checkContact applies the rules on a contact's fields and address: a display name,
// bounded lengths, and exactly one valid address outside the accepted domains that
// no other recipient uses (self is the contact's own recipient on an edit).
func (s *Store) checkContact(ctx context.Context, f MailContactForm, self uint) (string, error) {
	ve := &ValidationError{}
	checkName(ve, "display_name", f.DisplayName, "contact.error.name_required")
	for _, fl := range []struct{ field, value string }{{"first_name", f.FirstName}, {"last_name", f.LastName}, {"company", f.Company}} {
		checkText(ve, fl.field, fl.value, false)
		if len(fl.value) > MaxNameLength {
			ve.Add(fl.field, "user.error.too_long", map[string]any{"Max": MaxNameLength})
		}
	}
	addr, fe := ParseForwardingAddress(f.Address)
	addr = storedAddress(addr)
	switch {
	case fe != nil && fe.Key == "fwd.error.required":
		ve.Add("address", "contact.error.address_required", nil)
	case fe != nil:
		ve.Add("address", "contact.error.address_invalid", nil)
	default:
		external, err := s.isExternal(ctx, addr)
		if err != nil {
			return "", err
		}
		if !external {
			_, domain, _ := strings.Cut(addr, "@")
			ve.Add("address", "contact.error.internal", map[string]any{"Domain": strings.ToLower(domain)})
			break
		}
		owner, err := s.addressOwnerOtherThan(ctx, addr, self)
		if err != nil {
			return "", err
		}
		if owner != "" {
			ve.Add("address", "addr.error.taken", takenError(addr, owner).Args)
		}
	}
	return addr, ve.OrNil()
}

// addressOwnerOtherThan returns the name of the recipient other than self that uses
// the address.
func (s *Store) addressOwnerOtherThan(ctx context.Context, addr string, self uint) (string, error) {
	var names []string
	err := s.db.WithContext(ctx).Table("email_addresses e").Select("r.display_name").
		Joins("JOIN recipients r ON r.id = e.recipient_id").
		Where("e.normalized = ? AND e.recipient_id <> ?", strings.ToLower(addr), self).Limit(1).Pluck("r.display_name", &names).Error
	if err != nil {
		return "", fmt.Errorf("check address: %w", err)
	}
	if len(names) == 0 {
		return "", nil
	}
	return names[0], nil
}

// onAddressField moves the proxy-address message of a write the unique index
// refused onto the contact form's address field, and the name-in-use message onto
// its display name.
func onAddressField(err error) error {
	if ve, ok := AsValidation(err); ok {
		if fe, ok := ve.Fields["alias"]; ok {
			return Invalid("address", fe.Key, fe.Args)
		}
		if fe, ok := ve.Fields["name"]; ok {
			return Invalid("display_name", fe.Key, fe.Args)
		}
	}
	return err
}

type contactAudit struct {
	DisplayName string `json:"display_name"`
	Address     string `json:"address"`
	FirstName   string `json:"first_name,omitempty"`
	LastName    string `json:"last_name,omitempty"`
	Company     string `json:"company,omitempty"`
}

// CreateMailContact adds a mail contact and returns its id.
func (s *Store) CreateMailContact(ctx context.Context, actor *Admin, f MailContactForm) (uint, error) {
	if !actor.Can(ActionManageContacts) {
		return 0, ErrForbidden
	}
	f = f.Normalized()
	addr, err := s.checkContact(ctx, f, 0)
	if err != nil {
		return 0, err
	}
	var id uint
	err = s.write(ctx, func(tx *gorm.DB) error {
		r, err := s.createRecipient(ctx, tx, KindContact, f.DisplayName, aliasOf(f.Address), addr)
		if err != nil {
			return onAddressField(err)
		}
		c := MailContact{RecipientID: r.ID, SortName: r.SortName, FirstName: f.FirstName, LastName: f.LastName, Company: f.Company, Version: 1}
		if err := tx.Create(&c).Error; err != nil {
			return fmt.Errorf("create contact: %w", err)
		}
		id = c.ID
		return s.audit(tx, actor, "contact.create", &r.ID, addr, nil,
			contactAudit{DisplayName: f.DisplayName, Address: addr, FirstName: f.FirstName, LastName: f.LastName, Company: f.Company})
	})
	return id, err
}

// MailContactDetail is what a contact's pane shows.
type MailContactDetail struct {
	ID          uint
	RecipientID uint
	DisplayName string
	FirstName   string
	LastName    string
	Company     string
	Address     string
	Version     int
	CreatedAt   time.Time
	// MemberOf are the groups the contact is a member of.
	MemberOf []GroupRef
	// ForwardedFrom are the mailboxes that forward to the contact.
	ForwardedFrom []LinkedMailbox
}

// Form is the contact as Edit contact starts.
func (d *MailContactDetail) Form() MailContactForm {
	return MailContactForm{DisplayName: d.DisplayName, FirstName: d.FirstName, LastName: d.LastName, Company: d.Company,
		Address: d.Address, Version: d.Version}
}

type contactRow struct {
	MailContact
	DisplayName string
	Address     string
}

func loadContact(db *gorm.DB, id uint) (*contactRow, error) {
	var c contactRow
	res := db.Table("mail_contacts c").Select(`c.*, r.display_name,
		COALESCE((SELECT e.address FROM email_addresses e WHERE e.recipient_id = c.recipient_id AND e.is_primary), '') AS address`).
		Joins("JOIN recipients r ON r.id = c.recipient_id").Where("c.id = ?", id).Limit(1).Scan(&c)
	if res.Error != nil {
		return nil, fmt.Errorf("load contact: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return nil, ErrNotFound
	}
	return &c, nil
}

// MailContactDetail loads a contact with the groups it is in and the mailboxes that
// forward to it.
func (s *Store) MailContactDetail(ctx context.Context, id uint) (*MailContactDetail, error) {
	db := s.db.WithContext(ctx)
	c, err := loadContact(db, id)
	if err != nil {
		return nil, err
	}
	d := &MailContactDetail{ID: c.ID, RecipientID: c.RecipientID, DisplayName: c.DisplayName, FirstName: c.FirstName,
		LastName: c.LastName, Company: c.Company, Address: c.Address, Version: c.Version, CreatedAt: c.CreatedAt}
	if d.MemberOf, err = parentGroups(db, c.RecipientID); err != nil {
		return nil, err
	}
	if d.ForwardedFrom, err = forwardersTo(db, c.RecipientID); err != nil {
		return nil, err
	}
	return d, nil
}

// MailContactIDOfRecipient returns the contact whose recipient id is given;
// ErrNotFound for any other recipient.
func (s *Store) MailContactIDOfRecipient(ctx context.Context, recipientID uint) (uint, error) {
	var c MailContact
	if err := s.db.WithContext(ctx).Select("id").Where("recipient_id = ?", recipientID).First(&c).Error; err != nil {
		return 0, notFound(err, "contact")
	}
	return c.ID, nil
}

// UpdateMailContact changes a contact's names, company and address; a form based on
// an older version is refused. Mailboxes that forward to the old address forward to
// the new one, as Exchange's ForwardingAddress points at the contact, not its text.
func (s *Store) UpdateMailContact(ctx context.Context, actor *Admin, id uint, f MailContactForm) error {
	if !actor.Can(ActionManageContacts) {
		return ErrForbidden
	}
	f = f.Normalized()
	cur, err := loadContact(s.db.WithContext(ctx), id)
	if err != nil {
		return err
	}
	addr, err := s.checkContact(ctx, f, cur.RecipientID)
	if err != nil {
		return err
	}
	return s.write(ctx, func(tx *gorm.DB) error {
		c, err := loadContact(tx, id)
		if err != nil {
			return err
		}
		res := tx.Model(&MailContact{}).Where("id = ? AND version = ?", id, f.Version).Updates(map[string]any{
			"first_name": f.FirstName, "last_name": f.LastName, "company": f.Company, "sort_name": sortName(f.DisplayName),
			"version": gorm.Expr("version + 1"), "updated_at": s.Now()})
		if res.Error != nil {
			return fmt.Errorf("update contact: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return ErrStale
		}
		if addr != c.Address {
			if err := s.readdressContact(ctx, tx, actor, c, addr); err != nil {
				return err
			}
		}
		if err := renameRecipient(tx, c.RecipientID, "display_name", f.DisplayName); err != nil {
			return err
		}
		return s.audit(tx, actor, "contact.update", &c.RecipientID, addr,
			contactAudit{DisplayName: c.DisplayName, Address: c.Address, FirstName: c.FirstName, LastName: c.LastName, Company: c.Company},
			contactAudit{DisplayName: f.DisplayName, Address: addr, FirstName: f.FirstName, LastName: f.LastName, Company: f.Company})
	})
}

// readdressContact replaces a contact's address and moves forwards to the old one
// over to the new one, each in the audit log of its mailbox.
func (s *Store) readdressContact(ctx context.Context, tx *gorm.DB, actor *Admin, c *contactRow, addr string) error {
	res := tx.Model(&EmailAddress{}).Where("recipient_id = ? AND is_primary", c.RecipientID).
		Updates(map[string]any{"address": storedAddress(addr), "normalized": storedAddress(addr)})
	if res.Error != nil {
		if errors.Is(res.Error, gorm.ErrDuplicatedKey) {
			return onAddressField(s.addressTaken(ctx, tx, addr, res.Error, "change contact address"))
		}
		return fmt.Errorf("change contact address: %w", res.Error)
	}
	if !strings.EqualFold(addr, c.Address) {
		var moved []Mailbox
		if err := tx.Preload("Recipient").Where("LOWER(forwarding_address) = ?", strings.ToLower(c.Address)).Find(&moved).Error; err != nil {
			return fmt.Errorf("move forwards: %w", err)
		}
		for _, mb := range moved {
			if err := tx.Model(&Mailbox{}).Where("id = ?", mb.ID).
				Updates(map[string]any{"forwarding_address": addr, "version": gorm.Expr("version + 1")}).Error; err != nil {
				return fmt.Errorf("move forwards: %w", err)
			}
			if err := s.audit(tx, actor, "forwarding.set", &mb.RecipientID, mb.Recipient.DisplayName,
				forwardingAudit{Address: mb.ForwardingAddress, KeepCopy: mb.ForwardKeepCopy, Stopped: mb.ForwardingStopped},
				forwardingAudit{Address: addr, KeepCopy: mb.ForwardKeepCopy, Stopped: mb.ForwardingStopped}); err != nil {
				return err
			}
		}
	}
	return reindex(tx, c.RecipientID)
}

// MailContactDeleteConsequences says what deleting a contact removes besides it:
// its group memberships and the forwards to it.
func (s *Store) MailContactDeleteConsequences(ctx context.Context, id uint) (*RecipientLinks, error) {
	c, err := loadContact(s.db.WithContext(ctx), id)
	if err != nil {
		return nil, err
	}
	return recipientLinks(s.db.WithContext(ctx), c.RecipientID)
}

// DeleteMailContact deletes a contact; its address becomes free. When it is a group
// member or a forwarding target and confirm is false, nothing changes and
// ErrNeedsConfirmation says to ask first; confirmed, those links go in the same
// transaction.
func (s *Store) DeleteMailContact(ctx context.Context, actor *Admin, id uint, confirm bool) error {
	if !actor.Can(ActionManageContacts) {
		return ErrForbidden
	}
	return s.write(ctx, func(tx *gorm.DB) error {
		c, err := loadContact(tx, id)
		if err != nil {
			return err
		}
		links, err := recipientLinks(tx, c.RecipientID)
		if err != nil {
			return err
		}
		if links.Any() && !confirm {
			return ErrNeedsConfirmation
		}
		if err := s.unlinkRecipient(tx, actor, c.RecipientID, links); err != nil {
			return err
		}
		if err := tx.Delete(&MailContact{}, c.ID).Error; err != nil {
			return fmt.Errorf("delete contact: %w", err)
		}
		if err := deleteRecipient(tx, c.RecipientID); err != nil {
			return err
		}
		return s.audit(tx, actor, "contact.delete", nil, c.Address,
			map[string]any{"display_name": c.DisplayName, "address": c.Address, "removed": linkSummary(links)}, nil)
	})
}

// MailContactQuery is what the Contacts list asks for.
type MailContactQuery struct {
	Search string
	Page   Page
}

// MailContactRow is one line of Contacts.
type MailContactRow struct {
	ID          uint
	RecipientID uint
	DisplayName string
	Address     string
	Company     string
}

// MailContactList is one page of Contacts.
type MailContactList struct {
	Rows []MailContactRow
	PageInfo
}

// MailContacts returns one page of Contacts in name order, searched by the start of
// a word of the name or the address.
func (s *Store) MailContacts(ctx context.Context, q MailContactQuery) (*MailContactList, error) {
	q.Page.Size = NormalizePageSize(q.Page.Size)
	term := normalizeSearch(q.Search)
	base := func() *gorm.DB {
		db := s.db.WithContext(ctx).Table("mail_contacts c")
		if term != "" {
			db = db.Where("c.recipient_id IN (SELECT st.recipient_id FROM search_terms st WHERE st.term >= ? AND st.term < ?)", term, prefixUpper(term))
		}
		return db
	}
	rows, info, err := keysetPage(base, q.Page, term != "", "c.id, c.recipient_id, c.sort_name", "c.sort_name", "c.id")
	if err != nil {
		return nil, fmt.Errorf("list contacts: %w", err)
	}
	list := &MailContactList{PageInfo: info}
	if len(rows) == 0 {
		return list, nil
	}
	ids := make([]uint, len(rows))
	rids := make([]uint, len(rows))
	for i, r := range rows {
		ids[i], rids[i] = r.ID, r.RecipientID
	}
	names, err := s.namesAndAddresses(ctx, rids)
	if err != nil {
		return nil, err
	}
	var companies []MailContact
	if err := s.db.WithContext(ctx).Select("id, company").Where("id IN ?", ids).Find(&companies).Error; err != nil {
		return nil, fmt.Errorf("list contacts: %w", err)
	}
	company := map[uint]string{}
	for _, c := range companies {
		company[c.ID] = c.Company
	}
	for _, r := range rows {
		list.Rows = append(list.Rows, MailContactRow{ID: r.ID, RecipientID: r.RecipientID, DisplayName: names[r.RecipientID].DisplayName,
			Address: names[r.RecipientID].Address, Company: company[r.ID]})
	}
	return list, nil
}
