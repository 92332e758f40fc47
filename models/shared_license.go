package models

import (
	"context"
	"fmt"
	"slices"

	"gorm.io/gorm"
)

// A shared mailbox holds up to 50 GB without a license. Past that, Microsoft's
// docs say, it needs a license on its account (Exchange Online Plan 2, or a plan
// that includes it such as Microsoft 365 E3/E5), and that account's sign-in stays
// blocked. A shared mailbox created as shared has no account here until then:
// AssignSharedLicense makes one, blocked, and assigns the license through the same
// licence rules as a person's (seats, audit), in one write transaction.

// LargeMailboxQuota is the size a mailbox with Exchange Online Plan 2 (or an
// E3/E5-type plan) may reach.
const LargeMailboxQuota = 100 * GB

// largeMailboxSKUs are the products whose mailbox holds 100 GB: the licenses a
// shared mailbox over 50 GB may be given.
var largeMailboxSKUs = []string{"EXCHANGEENTERPRISE", "ENTERPRISEPACK", "ENTERPRISEPREMIUM", "SPE_E3", "SPE_E5"}

// LargeMailbox reports whether the product gives a 100 GB mailbox.
func (p LicenseProduct) LargeMailbox() bool { return slices.Contains(largeMailboxSKUs, p.SKU) }

// SharedMailboxLicenses are the products a shared mailbox over 50 GB can be given,
// with their seats.
func (s *Store) SharedMailboxLicenses(ctx context.Context) ([]LicenseUsage, error) {
	all, err := s.Licenses(ctx)
	if err != nil {
		return nil, err
	}
	var out []LicenseUsage
	for _, l := range all {
		if slices.Contains(largeMailboxSKUs, l.SKU) {
			out = append(out, l)
		}
	}
	return out, nil
}

// AssignSharedLicense gives a shared mailbox a license that raises its quota to
// 100 GB. A mailbox created as shared gets its account first, with sign-in blocked;
// a converted mailbox's account is blocked if it was not. The actor needs the
// rights to manage shared mailboxes and licenses and, on an existing account, the
// rights on that person for licenses and sign-in (RightsOn).
func (s *Store) AssignSharedLicense(ctx context.Context, actor *Admin, mailboxID, productID uint) error {
	if !actor.Can(ActionManageSharedMailboxes) || !actor.Can(ActionManageLicenses) {
		return ErrForbidden
	}
	return s.write(ctx, func(tx *gorm.DB) error {
		a, err := currentActor(tx, actor)
		if err != nil {
			return err
		}
		if !a.Can(ActionManageSharedMailboxes) || !a.Can(ActionManageLicenses) {
			return ErrForbidden
		}
		mb, err := mailboxForChange(tx, a, false, mailboxID)
		if err != nil {
			return err
		}
		if mb.Type != MailboxShared {
			return ErrNotFound
		}
		var product LicenseProduct
		if err := tx.First(&product, productID).Error; err != nil {
			return Invalid("license", "addr14.error.license_choose", nil)
		}
		if !product.LargeMailbox() {
			return Invalid("license", "addr14.error.license_small", map[string]any{"Name": product.Name})
		}
		owner, err := mailboxOwner(tx, mb.RecipientID)
		if err != nil {
			return err
		}
		var u *User
		if owner == nil {
			if u, err = s.createSharedAccount(tx, actor, mb); err != nil {
				return err
			}
		} else {
			if u, err = checkPersonAs(tx, a, changeLicenses, owner.ID); err != nil {
				return err
			}
			if !changeSignIn.right(RightsOn(a, rolesOf(u))) {
				return ErrForbidden
			}
		}
		if _, err := s.setSignInBlocked(tx, actor, u, true, true); err != nil {
			return err
		}
		ids := []uint{product.ID}
		for _, l := range u.Licenses {
			if l.ID == product.ID {
				return Invalid("license", "addr14.error.license_has", map[string]any{"Name": product.Name})
			}
			ids = append(ids, l.ID)
		}
		if err := s.setLicenses(tx, actor, u, sortedSet(ids), true); err != nil {
			return err
		}
		var cur Mailbox
		if err := tx.First(&cur, mb.ID).Error; err != nil {
			return fmt.Errorf("load mailbox: %w", err)
		}
		quota := max(cur.QuotaBytes, LargeMailboxQuota)
		if err := tx.Model(&Mailbox{}).Where("id = ?", mb.ID).
			Updates(map[string]any{"quota_bytes": quota, "version": gorm.Expr("version + 1")}).Error; err != nil {
			return fmt.Errorf("raise quota: %w", err)
		}
		return s.audit(tx, actor, "shared.license", &mb.RecipientID, mb.DisplayName,
			map[string]any{"quota_gb": cur.QuotaBytes / GB}, map[string]any{"license": product.Name, "quota_gb": quota / GB, "sign_in_blocked": true})
	})
}

// createSharedAccount makes the account of a shared mailbox created as shared: its
// primary address as its username, no password, sign-in blocked. The audit log
// records it.
func (s *Store) createSharedAccount(tx *gorm.DB, actor *Admin, mb *MailboxRef) (*User, error) {
	if owner, err := upnHolder(tx, mb.Address, 0); err != nil {
		return nil, err
	} else if owner != "" {
		return nil, Invalid("license", "addr.error.taken", takenError(mb.Address, owner).Args)
	}
	u := User{RecipientID: mb.RecipientID, SortName: sortName(mb.DisplayName), UserPrincipalName: mb.Address, SignInBlocked: true}
	if err := tx.Create(&u).Error; err != nil {
		return nil, s.addressTaken(tx.Statement.Context, tx, mb.Address, err, "create shared mailbox account")
	}
	if err := linkTerms(tx, mb.RecipientID); err != nil {
		return nil, err
	}
	if err := s.audit(tx, actor, "shared.account_create", &mb.RecipientID, mb.DisplayName, nil,
		map[string]any{"username": mb.Address, "sign_in_blocked": true}); err != nil {
		return nil, err
	}
	var full User
	if err := tx.Preload("Roles").Preload("Licenses").Preload("Recipient").First(&full, u.ID).Error; err != nil {
		return nil, fmt.Errorf("load account: %w", err)
	}
	return &full, nil
}
