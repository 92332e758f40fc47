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

// ConvertSteps says which follow-up steps of converting the person's mailbox the
// actor may take: blocking their sign-in and removing their license are changes to
// their account (RightsOn), which converting alone is not.
func ConvertSteps(actor *Admin, u *UserDetail) (block, removeLicense bool) {
	r := RightsOn(actor, u.Roles)
	return r.Block, r.Licenses
}

// ConvertDefaultsFor are ConvertDefaults less the steps the actor may not take.
func ConvertDefaultsFor(actor *Admin, u *UserDetail) ConvertOptions {
	o := ConvertDefaults(u)
	block, license := ConvertSteps(actor, u)
	o.BlockSignIn, o.RemoveLicense = o.BlockSignIn && block, o.RemoveLicense && license
	return o
}

// ConvertToShared turns a licensed person's mailbox into a shared mailbox. Data,
// rules and permissions stay. The account stays (the shared mailbox needs it); its
// sign-in can be blocked and, under 50 GB, its license removed in the same step.
//
// Converting is a mailbox setting (changeMailboxType); blocking and removing the
// license are changes to the person's account, which need the actor's rights on the
// person for those (RightsOn). Everything happens in one write transaction, after
// every check: a refused step leaves nothing behind.
func (s *Store) ConvertToShared(ctx context.Context, actor *Admin, userID uint, opt ConvertOptions) error {
	defer s.forget() // the count of shared mailboxes
	if !actor.Can(ActionManageSharedMailboxes) || (opt.BlockSignIn && !actor.Can(ActionBlockSignIn)) ||
		(opt.RemoveLicense && !actor.Can(ActionManageLicenses)) {
		return ErrForbidden
	}
	return s.write(ctx, func(tx *gorm.DB) error {
		a, err := currentActor(tx, actor)
		if err != nil {
			return err
		}
		u, err := checkPersonAs(tx, a, changeMailboxType, userID)
		if err != nil {
			return err
		}
		rights := RightsOn(a, rolesOf(u))
		if (opt.BlockSignIn && !changeSignIn.right(rights)) || (opt.RemoveLicense && !changeLicenses.right(rights)) {
			return ErrForbidden
		}
		var mbs []Mailbox
		if err := tx.Where("recipient_id = ?", u.RecipientID).Limit(1).Find(&mbs).Error; err != nil {
			return fmt.Errorf("load mailbox: %w", err)
		}
		if len(mbs) == 0 || mbs[0].Type != MailboxUser {
			return Invalid("", "convert.error.no_mailbox", nil)
		}
		mb := mbs[0]
		if !includesMailbox(u.Licenses) {
			return Invalid("", "convert.error.no_license", nil)
		}
		// As a shared mailbox its name must be one no other recipient has.
		if err := nameFree(tx, "", KindSharedMailbox, u.Recipient.DisplayName, u.RecipientID); err != nil {
			return err
		}
		over := mb.StorageUsedBytes > SharedMailboxQuota
		if opt.RemoveLicense && over {
			return Invalid("remove_license", "convert.error.over_quota", nil)
		}
		quota := SharedMailboxQuota
		if over {
			quota = mb.QuotaBytes
		}
		if err := tx.Model(&Mailbox{}).Where("id = ?", mb.ID).Updates(map[string]any{
			"type": MailboxShared, "quota_bytes": quota, "version": gorm.Expr("version + 1")}).Error; err != nil {
			return fmt.Errorf("convert: %w", err)
		}
		// Shared mailbox searches find it from now on.
		if err := linkTerms(tx, u.RecipientID); err != nil {
			return err
		}
		if err := s.audit(tx, actor, "mailbox.convert_to_shared", &u.RecipientID, personName(u),
			map[string]any{"type": MailboxUser}, map[string]any{"type": MailboxShared, "block_sign_in": opt.BlockSignIn, "remove_license": opt.RemoveLicense}); err != nil {
			return err
		}
		if opt.BlockSignIn {
			if _, err := s.setSignInBlocked(tx, actor, u, true, true); err != nil {
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
			if err := s.setLicenses(tx, actor, u, keep, true); err != nil {
				return err
			}
		}
		return nil
	})
}

// ConvertToRegular turns a converted shared mailbox back into a user mailbox. The
// account needs a license that includes a mailbox first.
func (s *Store) ConvertToRegular(ctx context.Context, actor *Admin, mailboxID uint) error {
	defer s.forget() // the count of shared mailboxes
	return s.changeMailbox(ctx, actor, ActionManageSharedMailboxes, mailboxID, func(tx *gorm.DB, mb *MailboxRef) error {
		if mb.Type != MailboxShared {
			return ErrNotFound
		}
		owner, err := mailboxOwner(tx, mb.RecipientID)
		if err != nil {
			return err
		}
		if owner == nil {
			return Invalid("", "convert.error.no_account", nil)
		}
		var licensed int64
		if err := tx.Table("user_licenses ul").Joins("JOIN license_products lp ON lp.id = ul.license_product_id").
			Where("ul.user_id = ? AND lp.includes_mailbox", owner.ID).Count(&licensed).Error; err != nil {
			return fmt.Errorf("check licenses: %w", err)
		}
		if licensed == 0 {
			return Invalid("", "convert.error.no_license_back", nil)
		}
		if err := tx.Model(&Mailbox{}).Where("id = ?", mb.ID).Updates(map[string]any{
			"type": MailboxUser, "version": gorm.Expr("version + 1")}).Error; err != nil {
			return fmt.Errorf("convert: %w", err)
		}
		if err := linkTerms(tx, mb.RecipientID); err != nil {
			return err
		}
		return s.audit(tx, actor, "mailbox.convert_to_regular", &mb.RecipientID, mb.Address,
			map[string]any{"type": MailboxShared}, map[string]any{"type": MailboxUser})
	})
}
