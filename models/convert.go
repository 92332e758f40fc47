package models

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

// ConvertOptions are the follow-up steps of converting a user's mailbox.
type ConvertOptions struct {
	BlockSignIn   bool
	RemoveLicense bool
}

// ConvertDefaults are the follow-up steps the conversion offers ticked: block
// sign-in, and remove the license unless the mailbox is over the 50 GB a shared
// mailbox may hold without one.
func ConvertDefaults(u *UserDetail) ConvertOptions {
	return ConvertOptions{BlockSignIn: true, RemoveLicense: u.Mailbox != nil && !u.Mailbox.OverSharedQuota()}
}

// ConvertToShared turns a licensed person's mailbox into a shared mailbox. Data,
// rules and permissions stay. The account stays (the shared mailbox needs it); its
// sign-in can be blocked and, under 50 GB, its license removed in the same step.
func (s *Store) ConvertToShared(ctx context.Context, actor *Admin, userID uint, opt ConvertOptions) error {
	if !actor.Can(ActionManageSharedMailboxes) {
		return ErrForbidden
	}
	u, err := s.User(ctx, userID)
	if err != nil {
		return err
	}
	if u.Mailbox == nil || u.Mailbox.Type != MailboxUser {
		return Invalid("", "convert.error.no_mailbox", nil)
	}
	if !u.HasMailboxLicense() {
		return Invalid("", "convert.error.no_license", nil)
	}
	if opt.RemoveLicense && u.Mailbox.OverSharedQuota() {
		return Invalid("remove_license", "convert.error.over_quota", nil)
	}
	if opt.BlockSignIn {
		if err := refuseLastGlobalAdmin(s.db.WithContext(ctx), userID, "", "roles.error.last_global_block"); err != nil {
			return err
		}
	}
	err = s.write(ctx, func(tx *gorm.DB) error {
		quota := SharedMailboxQuota
		if u.Mailbox.OverSharedQuota() {
			quota = u.Mailbox.QuotaBytes
		}
		if err := tx.Model(&Mailbox{}).Where("id = ?", u.Mailbox.ID).Updates(map[string]any{
			"type": MailboxShared, "quota_bytes": quota, "version": gorm.Expr("version + 1")}).Error; err != nil {
			return fmt.Errorf("convert: %w", err)
		}
		return s.audit(tx, actor, "mailbox.convert_to_shared", &u.RecipientID, u.Username,
			map[string]any{"type": MailboxUser}, map[string]any{"type": MailboxShared, "block_sign_in": opt.BlockSignIn, "remove_license": opt.RemoveLicense})
	})
	if err != nil {
		return err
	}
	if opt.BlockSignIn {
		if err := s.SetSignInBlocked(ctx, actor, userID, true, true); err != nil {
			return err
		}
	}
	if opt.RemoveLicense {
		var keep []uint
		for _, l := range u.Licenses {
			if !l.IncludesMailbox {
				keep = append(keep, l.ID)
			}
		}
		// A shared mailbox forwards without a license, so nothing stops here.
		if err := s.write(ctx, func(tx *gorm.DB) error {
			var user User
			if err := tx.First(&user, userID).Error; err != nil {
				return notFound(err, "user")
			}
			products, err := s.checkSeats(tx, keep, map[uint]int{})
			if err != nil {
				return err
			}
			if err := replaceLicenses(tx, &user, products); err != nil {
				return err
			}
			return s.audit(tx, actor, "user.licenses", &u.RecipientID, u.Username,
				map[string]any{"licenses": licenseNames(u.Licenses)}, map[string]any{"licenses": licenseNames(products)})
		}); err != nil {
			return err
		}
	}
	return nil
}

// ConvertToRegular turns a converted shared mailbox back into a user mailbox. The
// account needs a license that includes a mailbox first.
func (s *Store) ConvertToRegular(ctx context.Context, actor *Admin, mailboxID uint) error {
	if !actor.Can(ActionManageSharedMailboxes) {
		return ErrForbidden
	}
	d, err := s.SharedMailboxDetail(ctx, mailboxID)
	if err != nil {
		return err
	}
	if d.OwnerUserID == 0 {
		return Invalid("", "convert.error.no_account", nil)
	}
	if !d.OwnerLicensed {
		return Invalid("", "convert.error.no_license_back", nil)
	}
	return s.write(ctx, func(tx *gorm.DB) error {
		if err := tx.Model(&Mailbox{}).Where("id = ?", mailboxID).Updates(map[string]any{
			"type": MailboxUser, "version": gorm.Expr("version + 1")}).Error; err != nil {
			return fmt.Errorf("convert: %w", err)
		}
		return s.audit(tx, actor, "mailbox.convert_to_regular", &d.RecipientID, d.Address,
			map[string]any{"type": MailboxShared}, map[string]any{"type": MailboxUser})
	})
}
