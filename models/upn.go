package models

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"gorm.io/gorm"
)

// A person's user principal name (UPN) is their sign-in name, Entra's; their email
// addresses are Exchange's proxy addresses. The two start equal (a new person's
// UPN is their primary address) and part ways from then on: making another address
// primary, or removing the one the UPN was made from, never changes anyone's
// sign-in name. Only a change of the UPN itself does, by someone whose roles may
// edit that person (RightsOn).
//
// The UPN is unique whatever its case, among live and deleted people, and no other
// recipient may hold it as an email address (nor may a person's UPN be another
// recipient's address), as Entra keeps userPrincipalName and proxyAddresses unique
// across objects.

// upnIndex makes UPNs unique whatever their case. It is partial (people from before
// UPNs had none until the backfill), so lookups repeat its condition to use it.
const upnIndex = `CREATE UNIQUE INDEX IF NOT EXISTS idx_users_upn ON users (lower(user_principal_name)) WHERE user_principal_name <> ''`

// upnMatch is the condition "this user's UPN is ?" (lower-cased), on users.
const upnMatch = "lower(users.user_principal_name) = ? AND users.user_principal_name <> ''"

// migrateUPN gives people from before UPNs existed their primary address as their
// UPN, once, then makes UPNs unique.
func migrateUPN(db *gorm.DB) error {
	if db.Migrator().HasIndex(&User{}, "idx_users_upn") {
		return nil
	}
	if err := db.Exec(`UPDATE users SET user_principal_name = COALESCE((SELECT e.address FROM email_addresses e
		WHERE e.recipient_id = users.recipient_id AND e.is_primary), '') WHERE user_principal_name = ''`).Error; err != nil {
		return fmt.Errorf("migrate: set user principal names: %w", err)
	}
	if err := db.Exec(upnIndex).Error; err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return nil
}

// UserIDBySignInName returns the live person whose UPN is name, in any case.
func (s *Store) UserIDBySignInName(ctx context.Context, name string) (uint, error) {
	var u User
	err := s.db.WithContext(ctx).Select("users.id").Where(upnMatch, normalizeAddress(name)).First(&u).Error
	if err != nil {
		return 0, notFound(err, "user")
	}
	return u.ID, nil
}

// upnHolder returns the display name of the person, live or deleted, other than
// userID whose UPN is addr ("" for none).
func upnHolder(db *gorm.DB, addr string, userID uint) (string, error) {
	var names []string
	err := db.Table("users").Select("r.display_name").Joins("JOIN recipients r ON r.id = users.recipient_id").
		Where(upnMatch+" AND users.id <> ?", strings.ToLower(addr), userID).Limit(1).Pluck("r.display_name", &names).Error
	if err != nil {
		return "", fmt.Errorf("check username: %w", err)
	}
	if len(names) == 0 {
		return "", nil
	}
	return names[0], nil
}

// upnHolderOf returns the display name of the person other than the owner of
// recipientID whose UPN is addr ("" for none): an address may be its own person's
// UPN, not anyone else's.
func upnHolderOf(db *gorm.DB, addr string, recipientID uint) (string, error) {
	var names []string
	err := db.Table("users").Select("r.display_name").Joins("JOIN recipients r ON r.id = users.recipient_id").
		Where(upnMatch+" AND users.recipient_id <> ?", strings.ToLower(addr), recipientID).Limit(1).Pluck("r.display_name", &names).Error
	if err != nil {
		return "", fmt.Errorf("check username: %w", err)
	}
	if len(names) == 0 {
		return "", nil
	}
	return names[0], nil
}

// SetUserPrincipalName changes a person's sign-in name to alias@domain, a domain
// of the organization. The person's email addresses stay as they are; the UPN may
// be one of them, but not another recipient's address or another person's UPN. A
// form based on an older version of the person is refused (ErrStale).
func (s *Store) SetUserPrincipalName(ctx context.Context, actor *Admin, userID uint, alias, domain string, version int) error {
	if !actor.Can(ActionManageUsers) {
		return ErrForbidden
	}
	defer s.forget()
	return s.changePerson(ctx, actor, changeUsername, userID, func(tx *gorm.DB, u *User) error {
		return s.setUPN(tx, actor, u, alias, domain, version)
	})
}

// setUPN is SetUserPrincipalName inside the caller's write transaction, for a
// person loaded and checked there. The person in memory takes the new name and
// version; the caller forgets the cached counts. A change based on another
// version than the person's is refused (ErrStale), unless it is AnyVersion.
func (s *Store) setUPN(tx *gorm.DB, actor *Admin, u *User, alias, domain string, version int) error {
	alias = strings.TrimSpace(alias)
	if fe := CheckAlias(alias); fe != nil {
		return Invalid("upn", fe.Key, fe.Args)
	}
	domain = strings.ToLower(strings.TrimSpace(domain))
	upn := alias + "@" + domain
	if _, fe := ParseForwardingAddress(upn); fe != nil {
		return Invalid("upn", "addr.error.alias_invalid", nil)
	}
	var d Domain
	if err := tx.Where("name = ?", domain).First(&d).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return Invalid("upn", "addr.error.domain", nil)
		}
		return fmt.Errorf("check domain: %w", err)
	}
	if u.Version != version && version != AnyVersion {
		return ErrStale
	}
	if u.UserPrincipalName == upn {
		return nil
	}
	if owner, err := upnHolder(tx, upn, u.ID); err != nil {
		return err
	} else if owner != "" {
		return Invalid("upn", "upn.error.taken", map[string]any{"Username": upn, "Owner": owner})
	}
	var others []string
	if err := tx.Table("email_addresses e").Select("r.display_name").Joins("JOIN recipients r ON r.id = e.recipient_id").
		Where("e.normalized = ? AND e.recipient_id <> ?", strings.ToLower(upn), u.RecipientID).Limit(1).
		Pluck("r.display_name", &others).Error; err != nil {
		return fmt.Errorf("check username: %w", err)
	}
	if len(others) > 0 {
		return Invalid("upn", "upn.error.address", map[string]any{"Username": upn, "Owner": others[0]})
	}
	before := u.UserPrincipalName
	res := tx.Model(&User{}).Where("id = ? AND version = ?", u.ID, u.Version).
		Updates(map[string]any{"user_principal_name": upn, "version": gorm.Expr("version + 1")})
	if res.Error != nil {
		if errors.Is(res.Error, gorm.ErrDuplicatedKey) {
			return Invalid("upn", "upn.error.taken", map[string]any{"Username": upn, "Owner": ""})
		}
		return fmt.Errorf("set username: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return ErrStale
	}
	u.UserPrincipalName, u.Version = upn, u.Version+1
	if err := reindex(tx, u.RecipientID); err != nil {
		return err
	}
	return s.audit(tx, actor, "user.username", &u.RecipientID, upn,
		map[string]any{"username": before}, map[string]any{"username": upn})
}
