package models

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

// UserDetail is everything the properties pane shows about a person.
type UserDetail struct {
	ID          uint
	RecipientID uint
	DisplayName string
	FirstName   string
	LastName    string
	// Username is the person's sign-in name (user principal name).
	Username string
	// PrimaryAddress is the person's primary email address; Aliases are the others.
	PrimaryAddress string
	JobTitle       string
	Department     string
	Aliases        []string
	Licenses       []LicenseProduct
	Roles          []Role
	SignInBlocked  bool
	// Version, RolesVersion and LicensesVersion are what the details, roles and
	// licenses forms are based on.
	Version         int
	RolesVersion    int
	LicensesVersion int
	// Mailbox is nil when the person has no mailbox.
	Mailbox *MailboxSummary
}

// HasMailboxLicense reports whether one of the person's licenses includes a mailbox.
func (u *UserDetail) HasMailboxLicense() bool { return includesMailbox(u.Licenses) }

// AnyVersion, passed as the version a change is based on, skips the check that
// the person or mailbox has not changed since: for surfaces without forms, such as
// a cmdlet that sets a whole value.
const AnyVersion = -1

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
	changeUsername = personChange{ActionManageUsers, func(r PersonRights) bool { return r.Edit }}
	changeDeletion = personChange{ActionManageUsers, func(r PersonRights) bool { return r.Delete }}
	changeLicenses = personChange{ActionManageLicenses, func(r PersonRights) bool { return r.Licenses }}
	changeRoles    = personChange{ActionManageRoles, func(r PersonRights) bool { return r.Roles }}
	// changeMailboxType converts a person's mailbox: a mailbox setting, which the
	// roles that may convert mailboxes change for anyone's (RightsOn).
	changeMailboxType = personChange{ActionManageSharedMailboxes, func(PersonRights) bool { return true }}
)

// changePerson runs one change to one person: the actor's roles must allow the
// action; then, in one write transaction, the actor's roles are read again, the
// person is loaded, the actor's rights on them are checked, and change writes.
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

// checkPerson loads a live person inside a write transaction and checks the
// actor's current rights on them for a kind of change.
func checkPerson(tx *gorm.DB, actor *Admin, pc personChange, userID uint) (*User, error) {
	a, err := currentActor(tx, actor)
	if err != nil {
		return nil, err
	}
	return checkPersonAs(tx, a, pc, userID)
}

// checkPersonAs is checkPerson for an actor whose roles were read in this
// transaction already.
func checkPersonAs(tx *gorm.DB, actor *Admin, pc personChange, userID uint) (*User, error) {
	if !actor.Can(pc.action) {
		return nil, ErrForbidden
	}
	var u User
	if err := tx.Preload("Roles").Preload("Licenses").Preload("Recipient").First(&u, userID).Error; err != nil {
		return nil, notFound(err, "user")
	}
	if !pc.right(RightsOn(actor, rolesOf(&u))) {
		return nil, ErrForbidden
	}
	return &u, nil
}

// personName is how the audit log names a person: their username, or their name
// when they have none.
func personName(u *User) string {
	if u.UserPrincipalName != "" {
		return u.UserPrincipalName
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
