package models

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// AliasFromName makes the part before the @ from a display name, as the admin center
// does when a name is typed: lower case, accents dropped, spaces and punctuation
// removed (dots, hyphens and underscores kept, but not at the ends).
func AliasFromName(name string) string {
	plain := AliasLikeFold(name)
	var b strings.Builder
	for _, r := range strings.ToLower(plain) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == 'ß':
			b.WriteString("ss")
		case r == 'ø':
			b.WriteRune('o')
		case r == 'æ':
			b.WriteString("ae")
		case r == '.' || r == '-' || r == '_':
			b.WriteRune(r)
		}
	}
	alias := b.String()
	for strings.Contains(alias, "..") {
		alias = strings.ReplaceAll(alias, "..", ".")
	}
	alias = strings.Trim(alias, ".-_")
	if len(alias) > 64 {
		alias = strings.Trim(alias[:64], ".-_")
	}
	return alias
}

// AliasLikeFold removes the diacritics of a text (é to e), keeping everything else.
func AliasLikeFold(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	plain, _, err := transform.String(t, s)
	if err != nil {
		return s
	}
	return plain
}

// SuggestAlias returns a free alias for the name on the domain: the alias from the
// name, or with 2, 3 ... appended when it is taken.
func (s *Store) SuggestAlias(ctx context.Context, name, domain string) (string, error) {
	base := AliasFromName(name)
	if base == "" {
		return "", nil
	}
	for i := 1; i < 1000; i++ {
		alias := base
		if i > 1 {
			alias = fmt.Sprintf("%s%d", base, i)
		}
		_, fe, err := s.AddressAvailable(ctx, alias, domain)
		if err != nil {
			return "", err
		}
		if fe == nil || fe.Key != "addr.error.taken" {
			return alias, nil
		}
	}
	return base, nil
}

// CreateSharedMailbox creates a shared mailbox with a name and address. New shared
// mailboxes keep copies of mail sent as and on behalf of them, so everyone sees the
// replies. It returns the mailbox id.
func (s *Store) CreateSharedMailbox(ctx context.Context, actor *Admin, name, alias, domain string) (uint, error) {
	if !actor.Can(ActionManageSharedMailboxes) {
		return 0, ErrForbidden
	}
	ve := &ValidationError{}
	name = strings.TrimSpace(name)
	if name == "" {
		ve.Add("name", "shared.error.name_required", nil)
	} else if len(name) > MaxNameLength {
		ve.Add("name", "user.error.too_long", map[string]any{"Max": MaxNameLength})
	}
	if strings.TrimSpace(alias) == "" {
		alias = AliasFromName(name)
	}
	addr, fe, err := s.AddressAvailable(ctx, alias, domain)
	if err != nil {
		return 0, err
	}
	if fe != nil {
		ve.Add("alias", fe.Key, fe.Args)
	}
	if err := ve.OrNil(); err != nil {
		return 0, err
	}
	var id uint
	err = s.write(ctx, func(tx *gorm.DB) error {
		r := Recipient{Kind: KindSharedMailbox, DisplayName: name, SortName: sortName(name),
			Addresses: []EmailAddress{{Address: addr, Normalized: strings.ToLower(addr), IsPrimary: true}}}
		if err := tx.Create(&r).Error; err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				owner, _ := s.addressOwner(ctx, tx, addr)
				return (&ValidationError{}).Add("alias", "addr.error.taken", takenError(addr, owner).Args)
			}
			return fmt.Errorf("create recipient: %w", err)
		}
		if err := reindex(tx, r.ID); err != nil {
			return err
		}
		mb := Mailbox{RecipientID: r.ID, Type: MailboxShared, QuotaBytes: SharedMailboxQuota,
			CopySentAs: true, CopySentOnBehalf: true, AutoReplyState: AutoReplyDisabled}
		if err := tx.Create(&mb).Error; err != nil {
			return fmt.Errorf("create mailbox: %w", err)
		}
		id = mb.ID
		return s.audit(tx, actor, "shared.create", &r.ID, name, nil, map[string]any{"name": name, "address": addr})
	})
	return id, err
}

// SharedMailbox is everything the shared mailbox pane shows.
type SharedMailbox struct {
	MailboxRef
	Aliases []string
	// OwnerUserID is the account behind a converted mailbox (0 when it has none).
	OwnerUserID      uint
	OwnerLicensed    bool
	StorageUsedBytes int64
	QuotaBytes       int64
	CopySentAs       bool
	CopySentOnBehalf bool
	AutoReply        AutoReply
	Members          []Holder
	// SendHolders counts who holds Send as or Send on behalf (for the address list warning).
	SendHolders int
}

// AutoReply is a mailbox's automatic replies.
type AutoReply struct {
	State       AutoReplyState
	Internal    string
	SendOutside bool
	External    string
	Start       *time.Time
	End         *time.Time
}

// StorageState is where a mailbox stands against its quota.
type StorageState string

// The storage states the pane explains.
const (
	StorageOK          StorageState = "ok"
	StorageNearLimit   StorageState = "near"
	StorageSendBlocked StorageState = "send_blocked"
	StorageFull        StorageState = "full"
)

// StorageStateOf applies the limits: a warning from 90%, no sending from 100%, and
// no receiving (senders get a non-delivery report) from 105%.
func StorageStateOf(used, quota int64) StorageState {
	switch {
	case quota <= 0:
		return StorageOK
	case used*100 >= quota*105:
		return StorageFull
	case used >= quota:
		return StorageSendBlocked
	case used*10 >= quota*9:
		return StorageNearLimit
	}
	return StorageOK
}

// Storage is the state of the shared mailbox's storage.
func (m *SharedMailbox) Storage() StorageState {
	return StorageStateOf(m.StorageUsedBytes, m.QuotaBytes)
}

// NeedsLicense reports whether the mailbox is over the size a shared mailbox may
// reach without a license.
func (m *SharedMailbox) NeedsLicense() bool { return m.StorageUsedBytes > SharedMailboxQuota }

// StoragePercent is the share of the quota in use, 0 to 100.
func (m *SharedMailbox) StoragePercent() int {
	return (&MailboxSummary{StorageUsedBytes: m.StorageUsedBytes, QuotaBytes: m.QuotaBytes}).StoragePercent()
}

// SharedMailboxDetail loads a shared mailbox for its pane.
func (s *Store) SharedMailboxDetail(ctx context.Context, mailboxID uint) (*SharedMailbox, error) {
	ref, err := s.Mailbox(ctx, mailboxID)
	if err != nil {
		return nil, err
	}
	if ref.Type != MailboxShared {
		return nil, ErrNotFound
	}
	var mb Mailbox
	if err := s.db.WithContext(ctx).Preload("Recipient.Addresses", func(db *gorm.DB) *gorm.DB { return db.Order("normalized") }).
		First(&mb, mailboxID).Error; err != nil {
		return nil, notFound(err, "mailbox")
	}
	d := &SharedMailbox{MailboxRef: *ref, StorageUsedBytes: mb.StorageUsedBytes, QuotaBytes: mb.QuotaBytes,
		CopySentAs: mb.CopySentAs, CopySentOnBehalf: mb.CopySentOnBehalf,
		AutoReply: AutoReply{State: mb.AutoReplyState, Internal: mb.AutoReplyInternal, SendOutside: mb.AutoReplyOutside,
			External: mb.AutoReplyExternal, Start: mb.AutoReplyStart, End: mb.AutoReplyEnd}}
	for _, a := range mb.Recipient.Addresses {
		if !a.IsPrimary {
			d.Aliases = append(d.Aliases, a.Address)
		}
	}
	var u User
	err = s.db.WithContext(ctx).Preload("Licenses").Where("recipient_id = ?", ref.RecipientID).First(&u).Error
	if err == nil {
		d.OwnerUserID = u.ID
		d.OwnerLicensed = slices.ContainsFunc(u.Licenses, func(l LicenseProduct) bool { return l.IncludesMailbox })
	} else if !errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("load account: %w", err)
	}
	acc, err := s.MailboxAccess(ctx, mailboxID)
	if err != nil {
		return nil, err
	}
	sendAs := map[uint]bool{}
	for _, h := range acc.Direct(RightSendAs) {
		sendAs[h.RecipientID] = true
	}
	for _, h := range acc.Direct(RightFullAccess) {
		if h.Kind == KindUser && sendAs[h.RecipientID] {
			d.Members = append(d.Members, h)
		}
	}
	d.SendHolders = len(acc.Direct(RightSendAs)) + len(acc.Direct(RightSendOnBehalf))
	return d, nil
}

// MaxMembers is how many people Microsoft supports using one shared mailbox at once.
const MaxMembers = 25

// AddMembers makes people members of a shared mailbox: Read and manage (with
// automapping) and Send as, which is what membership means in the admin center.
// Only people of the organization; groups are refused because group access does
// not add the mailbox to Outlook.
func (s *Store) AddMembers(ctx context.Context, actor *Admin, mailboxID uint, recipientIDs []uint) (int, error) {
	if !actor.Can(ActionManageSharedMailboxes) {
		return 0, ErrForbidden
	}
	ids := sortedSet(recipientIDs)
	if len(ids) == 0 {
		return 0, Invalid("trustee", "shared.error.none_selected", nil)
	}
	mb, err := s.Mailbox(ctx, mailboxID)
	if err != nil {
		return 0, err
	}
	if mb.Type != MailboxShared {
		return 0, ErrNotFound
	}
	added := 0
	err = s.write(ctx, func(tx *gorm.DB) error {
		ts, err := s.trustees(tx, ids)
		if err != nil {
			return err
		}
		for _, id := range ids {
			t, ok := ts[id]
			if ok && t.Kind == KindGroup {
				return Invalid("trustee", "shared.error.group", map[string]any{"Name": t.DisplayName})
			}
			if ve := checkTrustee(mb, RightFullAccess, t, ok); ve != nil {
				return ve
			}
		}
		now := s.Now()
		for _, id := range ids {
			t := ts[id]
			for _, right := range []Right{RightFullAccess, RightSendAs} {
				if err := tx.Where("mailbox_id = ? AND trustee_id = ? AND access_right = ? AND revoke_effective_at IS NOT NULL",
					mb.ID, id, right).Delete(&MailboxPermission{}).Error; err != nil {
					return fmt.Errorf("clear removed grant: %w", err)
				}
				p := MailboxPermission{MailboxID: mb.ID, TrusteeID: id, Right: right, AutoMapping: right == RightFullAccess,
					GrantedByID: &actor.UserID, GrantedAt: now, EffectiveAt: now.Add(s.PropagationDelay)}
				if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&p).Error; err != nil {
					return fmt.Errorf("add member: %w", err)
				}
			}
			added++
			if err := s.audit(tx, actor, "shared.member_add", &mb.RecipientID, mb.DisplayName, nil,
				map[string]any{"mailbox": mb.Address, "member": t.Address}); err != nil {
				return err
			}
		}
		return nil
	})
	return added, err
}

// RemoveMember takes both membership rights away from a person.
func (s *Store) RemoveMember(ctx context.Context, actor *Admin, mailboxID, recipientID uint) error {
	if !actor.Can(ActionManageSharedMailboxes) {
		return ErrForbidden
	}
	mb, err := s.Mailbox(ctx, mailboxID)
	if err != nil {
		return err
	}
	return s.write(ctx, func(tx *gorm.DB) error {
		res := tx.Where("mailbox_id = ? AND trustee_id = ? AND access_right IN ?", mailboxID, recipientID, []Right{RightFullAccess, RightSendAs}).
			Delete(&MailboxPermission{})
		if res.Error != nil {
			return fmt.Errorf("remove member: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return nil
		}
		ts, err := s.trustees(tx, []uint{recipientID})
		if err != nil {
			return err
		}
		return s.audit(tx, actor, "shared.member_remove", &mb.RecipientID, mb.DisplayName,
			map[string]any{"mailbox": mb.Address, "member": ts[recipientID].Address}, nil)
	})
}

// updateMailbox changes single-value settings of a mailbox if the form's version is
// still current, with an audit event.
func (s *Store) updateMailbox(ctx context.Context, actor *Admin, mailboxID uint, version int, action string, before, after any, values map[string]any) error {
	mb, err := s.Mailbox(ctx, mailboxID)
	if err != nil {
		return err
	}
	return s.write(ctx, func(tx *gorm.DB) error {
		values["version"] = gorm.Expr("version + 1")
		res := tx.Model(&Mailbox{}).Where("id = ? AND version = ?", mailboxID, version).Updates(values)
		if res.Error != nil {
			return fmt.Errorf("update mailbox: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return ErrStale
		}
		return s.audit(tx, actor, action, &mb.RecipientID, mb.DisplayName, before, after)
	})
}

// RenameSharedMailbox changes a shared mailbox's name.
func (s *Store) RenameSharedMailbox(ctx context.Context, actor *Admin, mailboxID uint, name string, version int) error {
	if !actor.Can(ActionManageSharedMailboxes) {
		return ErrForbidden
	}
	name = strings.TrimSpace(name)
	if name == "" {
		return Invalid("name", "shared.error.name_required", nil)
	}
	if len(name) > MaxNameLength {
		return Invalid("name", "user.error.too_long", map[string]any{"Max": MaxNameLength})
	}
	mb, err := s.Mailbox(ctx, mailboxID)
	if err != nil {
		return err
	}
	return s.write(ctx, func(tx *gorm.DB) error {
		res := tx.Model(&Mailbox{}).Where("id = ? AND version = ?", mailboxID, version).Update("version", gorm.Expr("version + 1"))
		if res.Error != nil {
			return fmt.Errorf("rename: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return ErrStale
		}
		if err := tx.Model(&Recipient{}).Where("id = ?", mb.RecipientID).
			Updates(map[string]any{"display_name": name, "sort_name": sortName(name)}).Error; err != nil {
			return fmt.Errorf("rename: %w", err)
		}
		if err := reindex(tx, mb.RecipientID); err != nil {
			return err
		}
		return s.audit(tx, actor, "shared.rename", &mb.RecipientID, name, map[string]any{"name": mb.DisplayName}, map[string]any{"name": name})
	})
}

// MaxAutoReplyLength bounds an automatic reply's text.
const MaxAutoReplyLength = 8000

// SetAutoReplies changes a mailbox's automatic replies. Replies are text; a reply
// to outside senders needs the reply to senders inside, as in the real product.
func (s *Store) SetAutoReplies(ctx context.Context, actor *Admin, mailboxID uint, a AutoReply, version int) error {
	if !actor.Can(ActionManageAutoReplies) {
		return ErrForbidden
	}
	ve := &ValidationError{}
	a.Internal, a.External = strings.TrimSpace(a.Internal), strings.TrimSpace(a.External)
	if a.State != AutoReplyDisabled {
		if a.Internal == "" {
			ve.Add("internal", "reply.error.internal_required", nil)
		}
		if a.SendOutside && a.External == "" {
			ve.Add("external", "reply.error.external_required", nil)
		}
	}
	if len(a.Internal) > MaxAutoReplyLength {
		ve.Add("internal", "reply.error.too_long", map[string]any{"Max": MaxAutoReplyLength})
	}
	if len(a.External) > MaxAutoReplyLength {
		ve.Add("external", "reply.error.too_long", map[string]any{"Max": MaxAutoReplyLength})
	}
	if a.State == AutoReplyScheduled {
		switch {
		case a.Start == nil:
			ve.Add("start", "reply.error.start_required", nil)
		case a.End == nil:
			ve.Add("end", "reply.error.end_required", nil)
		case !a.End.After(*a.Start):
			ve.Add("end", "reply.error.end_before_start", nil)
		}
	} else {
		a.Start, a.End = nil, nil
	}
	if !slices.Contains([]AutoReplyState{AutoReplyDisabled, AutoReplyEnabled, AutoReplyScheduled}, a.State) {
		ve.Add("state", "reply.error.state", nil)
	}
	if err := ve.OrNil(); err != nil {
		return err
	}
	if !a.SendOutside {
		a.External = ""
	}
	return s.updateMailbox(ctx, actor, mailboxID, version, "mailbox.auto_replies", nil, a, map[string]any{
		"auto_reply_state": a.State, "auto_reply_internal": a.Internal, "auto_reply_outside": a.SendOutside,
		"auto_reply_external": a.External, "auto_reply_start": a.Start, "auto_reply_end": a.End,
	})
}

// SetSentItems changes whether copies of mail sent as and on behalf of the mailbox
// are kept in its Sent Items.
func (s *Store) SetSentItems(ctx context.Context, actor *Admin, mailboxID uint, sentAs, onBehalf bool, version int) error {
	if !actor.Can(ActionManageSharedMailboxes) {
		return ErrForbidden
	}
	return s.updateMailbox(ctx, actor, mailboxID, version, "mailbox.sent_items", nil,
		map[string]any{"copy_sent_as": sentAs, "copy_sent_on_behalf": onBehalf},
		map[string]any{"copy_sent_as": sentAs, "copy_sent_on_behalf": onBehalf})
}

// SetShownInAddressList shows or hides a mailbox in the global address list. Hiding
// a mailbox whose Send as or Send on behalf holders rely on Outlook needs confirm.
func (s *Store) SetShownInAddressList(ctx context.Context, actor *Admin, mailboxID uint, shown, confirm bool, version int) error {
	if !actor.Can(ActionManageSharedMailboxes) {
		return ErrForbidden
	}
	if !shown && !confirm {
		acc, err := s.MailboxAccess(ctx, mailboxID)
		if err != nil {
			return err
		}
		if len(acc.Direct(RightSendAs))+len(acc.Direct(RightSendOnBehalf)) > 0 {
			return ErrNeedsConfirmation
		}
	}
	return s.updateMailbox(ctx, actor, mailboxID, version, "mailbox.address_list", nil,
		map[string]any{"shown": shown}, map[string]any{"hidden_from_gal": !shown})
}

// AddSharedAlias adds an address to a shared mailbox.
func (s *Store) AddSharedAlias(ctx context.Context, actor *Admin, mailboxID uint, alias, domain string) error {
	if !actor.Can(ActionManageSharedMailboxes) {
		return ErrForbidden
	}
	addr, err := s.freeAddress(ctx, alias, domain)
	if err != nil {
		return err
	}
	return s.sharedAddresses(ctx, actor, mailboxID, func(tx *gorm.DB, mb *MailboxRef) error {
		return s.addAddress(ctx, tx, actor, mb.RecipientID, mb.DisplayName, addr, "shared.alias_add")
	})
}

// RemoveSharedAlias removes a non-primary address of a shared mailbox.
func (s *Store) RemoveSharedAlias(ctx context.Context, actor *Admin, mailboxID uint, address string) error {
	return s.sharedAddresses(ctx, actor, mailboxID, func(tx *gorm.DB, mb *MailboxRef) error {
		return s.removeAddress(tx, actor, mb.RecipientID, mb.DisplayName, address, "shared.alias_remove")
	})
}

// SetSharedPrimary makes an alias the shared mailbox's primary address; possible only
// when it has more than one address.
func (s *Store) SetSharedPrimary(ctx context.Context, actor *Admin, mailboxID uint, address string) error {
	return s.sharedAddresses(ctx, actor, mailboxID, func(tx *gorm.DB, mb *MailboxRef) error {
		return s.setPrimary(tx, actor, mb.RecipientID, mb.DisplayName, address, "shared.primary_address")
	})
}

func (s *Store) sharedAddresses(ctx context.Context, actor *Admin, mailboxID uint, change func(*gorm.DB, *MailboxRef) error) error {
	if !actor.Can(ActionManageSharedMailboxes) {
		return ErrForbidden
	}
	mb, err := s.Mailbox(ctx, mailboxID)
	if err != nil {
		return err
	}
	return s.write(ctx, func(tx *gorm.DB) error { return change(tx, mb) })
}

// DeleteSharedMailbox deletes a shared mailbox without an account of its own; its
// addresses become free again. A converted mailbox is removed by deleting its user.
func (s *Store) DeleteSharedMailbox(ctx context.Context, actor *Admin, mailboxID uint) error {
	if !actor.Can(ActionManageSharedMailboxes) {
		return ErrForbidden
	}
	d, err := s.SharedMailboxDetail(ctx, mailboxID)
	if err != nil {
		return err
	}
	if d.OwnerUserID != 0 {
		return Invalid("", "shared.error.delete_converted", nil)
	}
	return s.write(ctx, func(tx *gorm.DB) error {
		if err := deleteRecipient(tx, d.RecipientID); err != nil {
			return err
		}
		return s.audit(tx, actor, "shared.delete", nil, d.DisplayName, map[string]any{"name": d.DisplayName, "address": d.Address}, nil)
	})
}

// deleteRecipient removes a recipient for good with its mailbox, the permissions on
// that mailbox, the permissions it holds on others, its group memberships, search
// terms and addresses (which become free). A user account must be removed first.
func deleteRecipient(tx *gorm.DB, rid uint) error {
	steps := []struct {
		what string
		run  func() error
	}{
		{"permissions on the mailbox", func() error {
			return tx.Where("mailbox_id IN (SELECT id FROM mailboxes WHERE recipient_id = ?)", rid).Delete(&MailboxPermission{}).Error
		}},
		{"permissions held", func() error { return tx.Where("trustee_id = ?", rid).Delete(&MailboxPermission{}).Error }},
		{"group memberships", func() error { return tx.Where("member_id = ?", rid).Delete(&GroupMember{}).Error }},
		{"mailbox", func() error { return tx.Where("recipient_id = ?", rid).Delete(&Mailbox{}).Error }},
		{"addresses", func() error { return tx.Where("recipient_id = ?", rid).Delete(&EmailAddress{}).Error }},
		{"search terms", func() error { return tx.Where("recipient_id = ?", rid).Delete(&SearchTerm{}).Error }},
		{"recipient", func() error { return tx.Delete(&Recipient{}, rid).Error }},
	}
	for _, st := range steps {
		if err := st.run(); err != nil {
			return fmt.Errorf("delete %s: %w", st.what, err)
		}
	}
	return nil
}

// ConvertOptions are the follow-up steps of converting a user's mailbox.
type ConvertOptions struct {
	BlockSignIn   bool
	RemoveLicense bool
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
	if opt.RemoveLicense && u.Mailbox.StorageUsedBytes > SharedMailboxQuota {
		return Invalid("remove_license", "convert.error.over_quota", nil)
	}
	if opt.BlockSignIn {
		if last, err := isLastGlobalAdmin(s.db.WithContext(ctx), userID); err != nil {
			return err
		} else if last {
			return Invalid("", "roles.error.last_global_block", nil)
		}
	}
	err = s.write(ctx, func(tx *gorm.DB) error {
		quota := SharedMailboxQuota
		if u.Mailbox.StorageUsedBytes > SharedMailboxQuota {
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
			if err := tx.Model(&user).Omit("Licenses.*").Association("Licenses").Replace(products); err != nil {
				return fmt.Errorf("remove license: %w", err)
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
