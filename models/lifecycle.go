package models

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
)

// RestoreWindow is how long a deleted user can be restored.
const RestoreWindow = 30 * 24 * time.Hour

// NewUser is the Add a user form.
type NewUser struct {
	FirstName string
	LastName  string
	// DisplayName is made from the first and last name when left empty.
	DisplayName string
	Alias       string
	Domain      string
	// Password is generated unless the admin typed one.
	Password   PasswordChoice
	MustChange bool
	LicenseIDs []uint
	JobTitle   string
	Department string
	// UsageLocation is an ISO 3166-1 alpha-2 code or empty (usage_location.go).
	UsageLocation string
	// SignInBlocked creates the person with sign-in blocked (Graph's accountEnabled
	// false); it needs the right to block sign-in as well.
	SignInBlocked bool
}

// Normalized returns the form as the rules read it: names trimmed, and the display
// name made from the first and last name when it was left empty.
func (n NewUser) Normalized() NewUser {
	n.FirstName, n.LastName = strings.TrimSpace(n.FirstName), strings.TrimSpace(n.LastName)
	n.JobTitle, n.Department = strings.TrimSpace(n.JobTitle), strings.TrimSpace(n.Department)
	n.DisplayName = strings.TrimSpace(n.DisplayName)
	if n.DisplayName == "" {
		n.DisplayName = strings.TrimSpace(n.FirstName + " " + n.LastName)
	}
	return n
}

// CreateUser adds a person: account, primary address, licenses, and a mailbox when
// a license includes one. It returns the new user's id and the password to hand out.
func (s *Store) CreateUser(ctx context.Context, actor *Admin, req NewUser) (uint, string, error) {
	if !actor.Can(ActionManageUsers) || (req.SignInBlocked && !actor.Can(ActionBlockSignIn)) {
		return 0, "", ErrForbidden
	}
	req = req.Normalized()
	ve := &ValidationError{}
	checkNames(ve, req.FirstName, req.LastName, req.DisplayName, req.JobTitle, req.Department)
	location, err := UsageLocation(req.UsageLocation)
	if lve, ok := AsValidation(err); ok {
		ve.Add("usage_location", lve.Fields["usage_location"].Key, lve.Fields["usage_location"].Args)
	}
	addr, fe, err := s.AddressAvailable(ctx, req.Alias, req.Domain)
	if err != nil {
		return 0, "", err
	}
	if fe != nil {
		ve.Add("alias", fe.Key, fe.Args)
	}
	password, fe, err := req.Password.password()
	if err != nil {
		return 0, "", err
	}
	if fe != nil {
		ve.Add("password", fe.Key, fe.Args)
	}
	if err := ve.OrNil(); err != nil {
		return 0, "", err
	}
	hash, err := s.hashPassword(password)
	if err != nil {
		return 0, "", err
	}
	var id uint
	err = s.write(ctx, func(tx *gorm.DB) error {
		if err := allowedNow(tx, actor, ActionManageUsers); err != nil {
			return err
		}
		if req.SignInBlocked {
			if err := allowedNow(tx, actor, ActionBlockSignIn); err != nil {
				return err
			}
		}
		products, err := s.checkSeats(tx, sortedSet(req.LicenseIDs), nil)
		if err != nil {
			return err
		}
		r, err := s.createRecipient(ctx, tx, KindUser, req.DisplayName, req.Alias, addr)
		if err != nil {
			return err
		}
		// The new person signs in with their primary address; the UPN goes its own
		// way from here (upn.go).
		u := User{RecipientID: r.ID, SortName: r.SortName, UserPrincipalName: addr, FirstName: req.FirstName, LastName: req.LastName,
			JobTitle: req.JobTitle, Department: req.Department, UsageLocation: location, PasswordHash: hash, MustChangePassword: req.MustChange, Licenses: products,
			SignInBlocked: req.SignInBlocked}
		if err := tx.Omit("Licenses.*").Create(&u).Error; err != nil {
			return s.addressTaken(ctx, tx, addr, err, "create user")
		}
		if err := linkTerms(tx, r.ID); err != nil {
			return err
		}
		if includesMailbox(products) {
			if err := ensureUserMailbox(tx, r.ID); err != nil {
				return err
			}
		}
		id = u.ID
		created := map[string]any{"username": addr, "licenses": licenseNames(products), "job_title": req.JobTitle, "department": req.Department}
		if location != "" {
			created["usage_location"] = location
		}
		if err := s.audit(tx, actor, "user.create", &r.ID, req.DisplayName, nil, created); err != nil {
			return err
		}
		if req.SignInBlocked {
			return s.audit(tx, actor, "user.sign_in_blocked", &r.ID, addr, map[string]any{"blocked": false}, map[string]any{"blocked": true})
		}
		return nil
	})
	s.forget()
	if err != nil {
		return 0, "", err
	}
	return id, password, nil
}

// PersonConsequences says what blocking or deleting a person affects.
func (s *Store) PersonConsequences(ctx context.Context, userID uint, deleting bool) (*Consequences, error) {
	u, err := s.User(ctx, userID)
	if err != nil {
		return nil, err
	}
	c := &Consequences{}
	if u.Mailbox != nil && u.Mailbox.ForwardingAddress != "" && u.Mailbox.ForwardingStopped == "" {
		c.ForwardingTo = u.Mailbox.ForwardingAddress
	}
	if !deleting {
		return c, nil
	}
	c.MailboxKept = u.Mailbox != nil
	if c.HeldOnOthers, err = s.AccessibleMailboxes(ctx, u.RecipientID); err != nil {
		return nil, err
	}
	if u.Mailbox != nil {
		acc, err := s.MailboxAccess(ctx, u.Mailbox.ID)
		if err != nil {
			return nil, err
		}
		for _, r := range Rights {
			c.OthersOnTheirs = append(c.OthersOnTheirs, acc.Direct(r)...)
		}
	}
	return c, nil
}

// SetSignInBlocked blocks or unblocks a person's sign-in. Blocking ends their
// sessions and stops forwarding (confirm when it is on); the last Global
// administrator cannot be blocked.
func (s *Store) SetSignInBlocked(ctx context.Context, actor *Admin, userID uint, blocked, confirm bool) error {
	return s.changePerson(ctx, actor, changeSignIn, userID, func(tx *gorm.DB, u *User) error {
		_, err := s.setSignInBlocked(tx, actor, u, blocked, confirm)
		return err
	})
}

// setSignInBlocked is SetSignInBlocked inside the caller's write transaction. It
// reports whether anything changed (blocking a blocked person does not).
func (s *Store) setSignInBlocked(tx *gorm.DB, actor *Admin, u *User, blocked, confirm bool) (bool, error) {
	if blocked && !confirm {
		fwd, err := activeForward(tx, u.RecipientID)
		if err != nil {
			return false, err
		}
		if fwd != "" {
			return false, ErrNeedsConfirmation
		}
	}
	if u.SignInBlocked == blocked {
		return false, nil
	}
	if blocked {
		if err := refuseLastGlobalAdmin(tx, u.ID, "", "roles.error.last_global_block"); err != nil {
			return false, err
		}
		if err := stopForwarding(tx, u.RecipientID, StoppedBlocked); err != nil {
			return false, err
		}
		if err := endSessions(tx, u.ID); err != nil {
			return false, err
		}
	}
	if err := tx.Model(u).Update("sign_in_blocked", blocked).Error; err != nil {
		return false, fmt.Errorf("block sign-in: %w", err)
	}
	return true, s.audit(tx, actor, "user.sign_in_blocked", &u.RecipientID, personName(u),
		map[string]any{"blocked": !blocked}, map[string]any{"blocked": blocked})
}

// DeleteUser deletes a person: sign-in ends, forwarding stops, the mailbox and the
// permissions are kept for 30 days so the person can be restored. The last Global
// administrator, and the acting admin, cannot be deleted.
func (s *Store) DeleteUser(ctx context.Context, actor *Admin, userID uint) error {
	defer s.forget()
	return s.changePerson(ctx, actor, changeDeletion, userID, func(tx *gorm.DB, u *User) error {
		return s.deleteUser(tx, actor, u)
	})
}

// deleteUser is DeleteUser inside the caller's write transaction.
func (s *Store) deleteUser(tx *gorm.DB, actor *Admin, u *User) error {
	if u.ID == actor.UserID {
		return Invalid("", "user.error.delete_self", nil)
	}
	if err := refuseLastGlobalAdmin(tx, u.ID, "", "roles.error.last_global_delete"); err != nil {
		return err
	}
	if err := stopForwarding(tx, u.RecipientID, StoppedDeleted); err != nil {
		return err
	}
	if err := endSessions(tx, u.ID); err != nil {
		return err
	}
	if err := tx.Delete(u).Error; err != nil {
		return fmt.Errorf("delete user: %w", err)
	}
	if err := linkTerms(tx, u.RecipientID); err != nil {
		return err
	}
	return s.audit(tx, actor, "user.delete", &u.RecipientID, personName(u), map[string]any{"username": personName(u)}, nil)
}

// DeletedUser is one line of Deleted users.
type DeletedUser struct {
	ID          uint
	DisplayName string
	Username    string
	DeletedAt   time.Time
	// Roles are the admin roles the person held, which decide who may restore them.
	Roles []Role `gorm:"-"`
}

// PurgeAt is when the person can no longer be restored.
func (d DeletedUser) PurgeAt() time.Time { return d.DeletedAt.Add(RestoreWindow) }

// DeletedUsers lists the people deleted in the last 30 days.
func (s *Store) DeletedUsers(ctx context.Context) ([]DeletedUser, error) {
	var out []DeletedUser
	db := s.db.WithContext(ctx)
	err := db.Unscoped().Table("users").
		Select(`users.id, r.display_name, users.deleted_at, users.user_principal_name AS username`).
		Joins("JOIN recipients r ON r.id = users.recipient_id").
		Where("users.deleted_at IS NOT NULL AND users.deleted_at > ?", s.Now().Add(-RestoreWindow)).
		Order("users.deleted_at DESC").Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("list deleted users: %w", err)
	}
	if len(out) == 0 {
		return out, nil
	}
	ids := make([]uint, len(out))
	for i, d := range out {
		ids[i] = d.ID
	}
	var ras []RoleAssignment
	if err := db.Where("user_id IN ?", ids).Find(&ras).Error; err != nil {
		return nil, fmt.Errorf("list deleted users' roles: %w", err)
	}
	for i := range out {
		for _, r := range Roles {
			if slices.ContainsFunc(ras, func(ra RoleAssignment) bool { return ra.UserID == out[i].ID && ra.Role == r }) {
				out[i].Roles = append(out[i].Roles, r)
			}
		}
	}
	return out, nil
}

// RestoreUser brings back a person deleted in the last 30 days, with their mailbox,
// addresses and permissions. Forwarding stays stopped until an admin turns it on.
// Restoring is deleting's twin in Entra: it needs the same rights on the person
// (RightsOn), so only a Global administrator restores a deleted Global administrator.
func (s *Store) RestoreUser(ctx context.Context, actor *Admin, userID uint) error {
	if !actor.Can(ActionManageUsers) {
		return ErrForbidden
	}
	defer s.forget()
	return s.write(ctx, func(tx *gorm.DB) error {
		a, err := currentActor(tx, actor)
		if err != nil {
			return err
		}
		if !a.Can(ActionManageUsers) {
			return ErrForbidden
		}
		var u User
		err = tx.Unscoped().Preload("Recipient").Preload("Roles").
			Where("id = ? AND deleted_at IS NOT NULL AND deleted_at > ?", userID, s.Now().Add(-RestoreWindow)).First(&u).Error
		if err != nil {
			return notFound(err, "deleted user")
		}
		if !changeDeletion.right(RightsOn(a, rolesOf(&u))) {
			return ErrForbidden
		}
		if err := tx.Unscoped().Model(&u).Update("deleted_at", nil).Error; err != nil {
			return fmt.Errorf("restore user: %w", err)
		}
		if err := linkTerms(tx, u.RecipientID); err != nil {
			return err
		}
		return s.audit(tx, actor, "user.restore", &u.RecipientID, personName(&u), nil, map[string]any{"username": personName(&u)})
	})
}

// purgeBatch bounds how many people one purge transaction removes.
const purgeBatch = 200

// PurgeDeletedUsers removes for good the people deleted more than RestoreWindow ago,
// as Microsoft 365 does after 30 days: the account with its licenses and roles, the
// mailbox with the permissions on it, the person's own permissions on other
// mailboxes and group memberships. Their addresses become free to use again. The
// audit log keeps their history. It returns how many people it removed.
func (s *Store) PurgeDeletedUsers(ctx context.Context) (int, error) {
	total := 0
	for {
		n := 0
		err := s.write(ctx, func(tx *gorm.DB) error {
			n = 0
			var us []User
			if err := tx.Unscoped().Preload("Recipient").
				Where("deleted_at IS NOT NULL AND deleted_at <= ?", s.Now().Add(-RestoreWindow)).
				Order("id").Limit(purgeBatch).Find(&us).Error; err != nil {
				return fmt.Errorf("find people to purge: %w", err)
			}
			for i := range us {
				if err := purgeUser(tx, &us[i]); err != nil {
					return err
				}
				if err := s.audit(tx, nil, "user.purge", nil, personName(&us[i]),
					map[string]any{"username": personName(&us[i]), "deleted": us[i].DeletedAt.Time.Format(time.RFC3339)}, nil); err != nil {
					return err
				}
			}
			n = len(us)
			return nil
		})
		total += n
		if err != nil || n < purgeBatch {
			return total, err
		}
	}
}

// purgeUser deletes one person: their sessions, roles, licenses and account, then
// their recipient with everything that hangs on it.
func purgeUser(tx *gorm.DB, u *User) error {
	if err := tx.Where("user_id = ?", u.ID).Delete(&Session{}).Error; err != nil {
		return fmt.Errorf("purge sessions: %w", err)
	}
	if err := tx.Where("user_id = ?", u.ID).Delete(&RoleAssignment{}).Error; err != nil {
		return fmt.Errorf("purge roles: %w", err)
	}
	if err := tx.Exec("DELETE FROM user_licenses WHERE user_id = ?", u.ID).Error; err != nil {
		return fmt.Errorf("purge licenses: %w", err)
	}
	if err := tx.Where("user_id = ?", u.ID).Delete(&AdminPreference{}).Error; err != nil {
		return fmt.Errorf("purge preferences: %w", err)
	}
	if err := tx.Unscoped().Delete(&User{}, u.ID).Error; err != nil {
		return fmt.Errorf("purge account: %w", err)
	}
	return deleteRecipient(tx, u.RecipientID)
}
