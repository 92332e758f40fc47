package models

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

// UserDetail is everything the properties pane shows about a person.
type UserDetail struct {
	ID            uint
	RecipientID   uint
	DisplayName   string
	FirstName     string
	LastName      string
	Username      string
	JobTitle      string
	Department    string
	Aliases       []string
	Licenses      []LicenseProduct
	Roles         []Role
	SignInBlocked bool
	// Mailbox is nil when the person has no mailbox.
	Mailbox *MailboxSummary
}

// HasMailboxLicense reports whether one of the person's licenses includes a mailbox.
func (u *UserDetail) HasMailboxLicense() bool { return includesMailbox(u.Licenses) }

// User returns the properties of one person.
func (s *Store) User(ctx context.Context, id uint) (*UserDetail, error) {
	var u User
	err := s.db.WithContext(ctx).
		Preload("Recipient.Addresses", func(db *gorm.DB) *gorm.DB { return db.Order("is_primary desc, normalized") }).
		Preload("Licenses", func(db *gorm.DB) *gorm.DB { return db.Order("name") }).
		Preload("Roles").
		First(&u, id).Error
	if err != nil {
		return nil, notFound(err, "user")
	}
	d := &UserDetail{
		ID: u.ID, RecipientID: u.RecipientID, DisplayName: u.Recipient.DisplayName,
		FirstName: u.FirstName, LastName: u.LastName, JobTitle: u.JobTitle, Department: u.Department,
		Licenses: u.Licenses, SignInBlocked: u.SignInBlocked,
	}
	for _, a := range u.Recipient.Addresses {
		if a.IsPrimary {
			d.Username = a.Address
		} else {
			d.Aliases = append(d.Aliases, a.Address)
		}
	}
	for _, r := range Roles {
		for _, ra := range u.Roles {
			if ra.Role == r {
				d.Roles = append(d.Roles, r)
			}
		}
	}
	mb, err := s.mailboxSummaryByRecipient(ctx, u.RecipientID)
	if err != nil && err != ErrNotFound {
		return nil, err
	}
	d.Mailbox = mb
	return d, nil
}

// personChange is what a kind of change to one person needs: the action the actor's
// roles must allow at all, and the right on that particular person (RightsOn) that
// must hold. Every surface's change to a person goes through one of these.
type personChange struct {
	action Action
	right  func(PersonRights) bool
}

// The kinds of change to a person.
var (
	changeSignIn   = personChange{ActionBlockSignIn, func(r PersonRights) bool { return r.Block }}
	changePassword = personChange{ActionResetPassword, func(r PersonRights) bool { return r.Reset }}
	changeDetails  = personChange{ActionManageUsers, func(r PersonRights) bool { return r.Edit }}
	changeDeletion = personChange{ActionManageUsers, func(r PersonRights) bool { return r.Delete }}
	changeLicenses = personChange{ActionManageLicenses, func(r PersonRights) bool { return r.Licenses }}
	changeRoles    = personChange{ActionManageRoles, func(r PersonRights) bool { return r.Roles }}
)

// changePerson runs one change to one person: the actor's roles must allow the
// action; then, in one write transaction, the person is loaded, the actor's rights
// on them are checked, and change writes.
func (s *Store) changePerson(ctx context.Context, actor *Admin, pc personChange, userID uint, change func(*gorm.DB, *User) error) error {
	if !actor.Can(pc.action) {
		return ErrForbidden
	}
	return s.write(ctx, func(tx *gorm.DB) error {
		u, err := checkPerson(tx, actor, pc, userID)
		if err != nil {
			return err
		}
		return change(tx, u)
	})
}

// checkPerson loads a person inside a write transaction and checks the actor's
// rights on them for a kind of change.
func checkPerson(tx *gorm.DB, actor *Admin, pc personChange, userID uint) (*User, error) {
	if !actor.Can(pc.action) {
		return nil, ErrForbidden
	}
	var u User
	if err := tx.Preload("Roles").Preload("Licenses").Preload("Recipient.Addresses", "is_primary = ?", true).
		First(&u, userID).Error; err != nil {
		return nil, notFound(err, "user")
	}
	if !pc.right(RightsOn(actor, rolesOf(&u))) {
		return nil, ErrForbidden
	}
	return &u, nil
}

// primaryAddress is the person's username, or their name when they have none.
func primaryAddress(u *User) string {
	if len(u.Recipient.Addresses) > 0 {
		return u.Recipient.Addresses[0].Address
	}
	return u.Recipient.DisplayName
}

// endSessions signs a person out everywhere.
func endSessions(tx *gorm.DB, userID uint) error {
	if err := tx.Delete(&Session{}, "user_id = ?", userID).Error; err != nil {
		return fmt.Errorf("end sessions: %w", err)
	}
	return nil
}

// Consequences is what a change to a person stops or affects, for the confirmation.
type Consequences struct {
	// ForwardingTo is set when mail is forwarded and the change stops it.
	ForwardingTo string
	// MailboxKept is set when the mailbox loses its license (kept for 30 days).
	MailboxKept bool
	// HeldOnOthers are the permissions the person holds on other mailboxes.
	HeldOnOthers []Access
	// OthersOnTheirs are the holders of rights on the person's mailbox.
	OthersOnTheirs []Holder
}

// Any reports whether there is something to confirm.
func (c *Consequences) Any() bool {
	return c != nil && (c.ForwardingTo != "" || c.MailboxKept || len(c.HeldOnOthers) > 0 || len(c.OthersOnTheirs) > 0)
}
