package models

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// MailboxUpdate is a change to several settings of one mailbox at once, as
// Exchange's Set-Mailbox makes it. Nil fields and empty lists are left as they are.
type MailboxUpdate struct {
	DisplayName *string
	// AddAddresses and RemoveAddresses are whole addresses; PrimaryAddress becomes
	// the primary one (added first when the mailbox does not have it yet).
	AddAddresses    []string
	RemoveAddresses []string
	PrimaryAddress  string
	// SendOnBehalf edits who holds Send on behalf directly.
	SendOnBehalf *TrusteeEdit
	// ForwardingAddress is where mail is forwarded; "" stops forwarding.
	ForwardingAddress *string
	ForwardKeepCopy   *bool
	CopySentAs        *bool
	CopySentOnBehalf  *bool
	HiddenFromGAL     *bool
	// Type converts the mailbox: MailboxShared or MailboxUser.
	Type *MailboxType
}

// TrusteeEdit changes the holders of a right: with Replace, IDs become the whole
// list; otherwise Add and Remove edit it.
type TrusteeEdit struct {
	Replace bool
	IDs     []uint
	Add     []uint
	Remove  []uint
}

// MailboxUpdateResult says what an update did, and what the admin should know.
type MailboxUpdateResult struct {
	// Changed is false when every setting already had the value asked for.
	Changed bool
	// ForwardingBounces is set when mail is now forwarded outside while the
	// organization blocks external forwarding, so the copies bounce (NDR5720).
	ForwardingBounces bool
	// KeepCopyIgnored is set when keeping a copy was asked for without a forwarding
	// address: the mailbox keeps that choice only together with an address.
	KeepCopyIgnored bool
	// HiddenWithSenders is set when the mailbox was hidden from the address list
	// while people hold Send as or Send on behalf on it (Outlook needs it listed).
	HiddenWithSenders bool
}

// mailboxPlan is an update checked against the mailbox as it is: only the parts
// that change anything, each already validated.
type mailboxPlan struct {
	mb          *MailboxRef
	ownerUserID uint
	cur         *DirectoryEntry
	rename      string
	addAddrs    []string
	primary     string
	removeAddrs []string
	grant       []uint
	revoke      []uint
	forwarding  *ForwardingRequest
	sentItems   *[2]bool
	hidden      *bool
	convert     *MailboxType
}

func (p *mailboxPlan) empty() bool {
	return p.rename == "" && len(p.addAddrs) == 0 && p.primary == "" && len(p.removeAddrs) == 0 && len(p.grant) == 0 &&
		len(p.revoke) == 0 && p.forwarding == nil && p.sentItems == nil && p.hidden == nil && p.convert == nil
}

// UpdateMailbox applies several settings to a mailbox. Every part is checked first
// (the actor's roles for each, the values, the people named), so a refusal changes
// nothing; then the parts are written one after another through the same methods
// the admin center's panels use, each with its own audit entry. A part whose value
// is already in place is skipped.
func (s *Store) UpdateMailbox(ctx context.Context, actor *Admin, mailboxID uint, u MailboxUpdate) (*MailboxUpdateResult, error) {
	plan, res, err := s.planMailboxUpdate(ctx, actor, mailboxID, u)
	if err != nil {
		return nil, err
	}
	if plan.empty() {
		return res, nil
	}
	res.Changed = true
	return res, s.applyMailboxPlan(ctx, actor, plan)
}

// mailboxActions are the actions an update needs, by part; a part that changes a
// person's own details (a user mailbox's name or addresses) needs the person's.
func (s *Store) checkMailboxActions(ctx context.Context, actor *Admin, plan *mailboxPlan, u MailboxUpdate) error {
	need := func(ok bool, act Action) error {
		if ok && !actor.Can(act) {
			return ErrForbidden
		}
		return nil
	}
	personal := u.DisplayName != nil || len(u.AddAddresses) > 0 || len(u.RemoveAddresses) > 0 || u.PrimaryAddress != ""
	sharedSettings := u.CopySentAs != nil || u.CopySentOnBehalf != nil || u.HiddenFromGAL != nil || u.Type != nil
	for _, err := range []error{
		need(personal && plan.mb.Type == MailboxShared, ActionManageSharedMailboxes),
		need(personal && plan.mb.Type == MailboxUser, ActionManageUsers),
		need(u.SendOnBehalf != nil, ActionManagePermissions),
		need(u.ForwardingAddress != nil || u.ForwardKeepCopy != nil, ActionManageForwarding),
		need(sharedSettings, ActionManageSharedMailboxes),
	} {
		if err != nil {
			return err
		}
	}
	if personal && plan.mb.Type == MailboxUser {
		if _, err := checkPerson(s.db.WithContext(ctx), actor, changeDetails, plan.ownerUserID); err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) planMailboxUpdate(ctx context.Context, actor *Admin, mailboxID uint, u MailboxUpdate) (*mailboxPlan, *MailboxUpdateResult, error) {
	mb, err := s.Mailbox(ctx, mailboxID)
	if err != nil {
		return nil, nil, err
	}
	plan := &mailboxPlan{mb: mb}
	var owner []uint
	if err := s.db.WithContext(ctx).Model(&User{}).Where("recipient_id = ?", mb.RecipientID).Pluck("id", &owner).Error; err != nil {
		return nil, nil, fmt.Errorf("load mailbox owner: %w", err)
	}
	if len(owner) > 0 {
		plan.ownerUserID = owner[0]
	}
	if err := s.checkMailboxActions(ctx, actor, plan, u); err != nil {
		return nil, nil, err
	}
	entries, err := s.directoryEntries(ctx, []uint{mb.RecipientID})
	if err != nil {
		return nil, nil, err
	}
	plan.cur = entries[mb.RecipientID]
	if plan.cur == nil || plan.cur.Mailbox == nil {
		return nil, nil, ErrNotFound
	}
	res := &MailboxUpdateResult{}
	ve := &ValidationError{}
	if u.DisplayName != nil {
		name := strings.TrimSpace(*u.DisplayName)
		key := "shared.error.name_required"
		if mb.Type == MailboxUser {
			key = "user.error.display_name_required"
		}
		checkName(ve, "name", name, key)
		if name != plan.cur.DisplayName {
			plan.rename = name
		}
	}
	if err := s.planAddresses(ctx, plan, u, ve); err != nil {
		return nil, nil, err
	}
	if u.SendOnBehalf != nil {
		if err := s.planSendOnBehalf(ctx, plan, *u.SendOnBehalf); err != nil {
			return nil, nil, err
		}
	}
	if u.ForwardingAddress != nil || u.ForwardKeepCopy != nil {
		if err := s.planForwarding(ctx, plan, u, res); err != nil {
			return nil, nil, err
		}
	}
	cur := plan.cur.Mailbox
	if u.CopySentAs != nil || u.CopySentOnBehalf != nil {
		next := [2]bool{cur.CopySentAs, cur.CopySentOnBehalf}
		if u.CopySentAs != nil {
			next[0] = *u.CopySentAs
		}
		if u.CopySentOnBehalf != nil {
			next[1] = *u.CopySentOnBehalf
		}
		if next != [2]bool{cur.CopySentAs, cur.CopySentOnBehalf} {
			plan.sentItems = &next
		}
	}
	if u.HiddenFromGAL != nil && *u.HiddenFromGAL != cur.HiddenFromGAL {
		plan.hidden = u.HiddenFromGAL
		if *u.HiddenFromGAL {
			var senders int64
			if err := s.db.WithContext(ctx).Model(&MailboxPermission{}).
				Where("mailbox_id = ? AND access_right IN ? AND revoke_effective_at IS NULL", mailboxID, []Right{RightSendAs, RightSendOnBehalf}).
				Count(&senders).Error; err != nil {
				return nil, nil, fmt.Errorf("count senders: %w", err)
			}
			res.HiddenWithSenders = senders > 0 || len(plan.grant) > 0
		}
	}
	if u.Type != nil && *u.Type != mb.Type {
		if *u.Type != MailboxShared && *u.Type != MailboxUser {
			return nil, nil, Invalid("type", "convert.error.no_mailbox", nil)
		}
		plan.convert = u.Type
		if *u.Type == MailboxUser && plan.ownerUserID == 0 {
			return nil, nil, Invalid("", "convert.error.no_account", nil)
		}
	}
	if err := ve.OrNil(); err != nil {
		return nil, nil, err
	}
	return plan, res, nil
}

// planAddresses checks the addresses to add, remove and make primary.
func (s *Store) planAddresses(ctx context.Context, plan *mailboxPlan, u MailboxUpdate, ve *ValidationError) error {
	has := func(list []string, addr string) bool {
		return slices.ContainsFunc(list, func(a string) bool { return strings.EqualFold(a, addr) })
	}
	adds := slices.Clone(u.AddAddresses)
	if u.PrimaryAddress != "" {
		if !strings.EqualFold(u.PrimaryAddress, plan.cur.PrimaryAddress()) {
			plan.primary = strings.TrimSpace(u.PrimaryAddress)
		}
		adds = append(adds, u.PrimaryAddress)
	}
	for _, a := range adds {
		a = strings.TrimSpace(a)
		if has(plan.cur.Addresses, a) || has(plan.addAddrs, a) {
			continue
		}
		local, domain, _ := strings.Cut(a, "@")
		if _, fe, err := s.AddressAvailable(ctx, local, domain); err != nil {
			return err
		} else if fe != nil {
			ve.Add("alias", fe.Key, fe.Args)
			continue
		}
		plan.addAddrs = append(plan.addAddrs, a)
	}
	primary := plan.cur.PrimaryAddress()
	if plan.primary != "" {
		primary = plan.primary
	}
	for _, a := range u.RemoveAddresses {
		a = strings.TrimSpace(a)
		switch {
		case strings.EqualFold(a, primary):
			ve.Add("alias", "addr.error.remove_primary", nil)
		case has(plan.cur.Addresses, a) && !has(plan.removeAddrs, a):
			plan.removeAddrs = append(plan.removeAddrs, a)
		}
	}
	return nil
}

// planSendOnBehalf works out whom to grant and whom to revoke, and checks the new
// holders against the rules on who may hold Send on behalf.
func (s *Store) planSendOnBehalf(ctx context.Context, plan *mailboxPlan, e TrusteeEdit) error {
	var cur []uint
	for _, h := range plan.cur.Mailbox.SendOnBehalf {
		cur = append(cur, h.RecipientID)
	}
	target := sortedSet(e.IDs)
	if !e.Replace {
		target = sortedSet(append(slices.Clone(cur), e.Add...))
		target = slices.DeleteFunc(target, func(id uint) bool { return slices.Contains(e.Remove, id) })
	}
	for _, id := range target {
		if !slices.Contains(cur, id) {
			plan.grant = append(plan.grant, id)
		}
	}
	for _, id := range cur {
		if !slices.Contains(target, id) {
			plan.revoke = append(plan.revoke, id)
		}
	}
	if len(plan.grant) == 0 {
		return nil
	}
	ts, err := s.trustees(s.db.WithContext(ctx), plan.grant)
	if err != nil {
		return err
	}
	for _, id := range plan.grant {
		t, ok := ts[id]
		if ve := checkTrustee(plan.mb, RightSendOnBehalf, t, ok); ve != nil {
			return ve
		}
	}
	return nil
}

// planForwarding works out the forwarding after the change and checks it with the
// forwarding panel's rules.
func (s *Store) planForwarding(ctx context.Context, plan *mailboxPlan, u MailboxUpdate, res *MailboxUpdateResult) error {
	cur, err := s.Forwarding(ctx, plan.mb.ID)
	if err != nil {
		return err
	}
	addr, keep := cur.Address, cur.KeepCopy
	if u.ForwardingAddress != nil {
		addr = strings.TrimSpace(*u.ForwardingAddress)
	}
	if u.ForwardKeepCopy != nil {
		keep = *u.ForwardKeepCopy
	}
	if addr == "" {
		res.KeepCopyIgnored = u.ForwardKeepCopy != nil && *u.ForwardKeepCopy
		if cur.Address == "" {
			return nil
		}
		plan.forwarding = &ForwardingRequest{}
		return nil
	}
	if strings.EqualFold(addr, cur.Address) && keep == cur.KeepCopy && cur.Stopped == "" {
		return nil
	}
	if !cur.Licensed {
		return Invalid("forward", "fwd.error.no_license", nil)
	}
	parsed, fe := ParseForwardingAddress(addr)
	if fe != nil {
		return Invalid("address", fe.Key, fe.Args)
	}
	db := s.db.WithContext(ctx)
	if err := checkTarget(db, cur, parsed); err != nil {
		return err
	}
	// An outside address is saved while the policy blocks it (as the pages do);
	// the caller warns that the forwarded copies will bounce.
	external, err := isExternalIn(db, parsed)
	if err != nil {
		return err
	}
	res.ForwardingBounces = external && !cur.Policy.ExternalForwardingAllowed()
	plan.forwarding = &ForwardingRequest{Enabled: true, Address: parsed, KeepCopy: keep}
	return nil
}

// applyMailboxPlan writes the checked parts: the conversion first (its own rules
// are checked as it runs), then the rest.
func (s *Store) applyMailboxPlan(ctx context.Context, actor *Admin, p *mailboxPlan) error {
	id := p.mb.ID
	version := func() (int, error) {
		mb, err := s.Mailbox(ctx, id)
		if err != nil {
			return 0, err
		}
		return mb.Version, nil
	}
	if p.convert != nil {
		var err error
		if *p.convert == MailboxShared {
			err = s.ConvertToShared(ctx, actor, p.ownerUserID, ConvertOptions{})
		} else {
			err = s.ConvertToRegular(ctx, actor, id)
		}
		if err != nil {
			return err
		}
	}
	if p.rename != "" {
		if err := s.renameMailbox(ctx, actor, p, version); err != nil {
			return err
		}
	}
	for _, a := range p.addAddrs {
		local, domain, _ := strings.Cut(a, "@")
		var err error
		if p.mb.Type == MailboxShared {
			err = s.AddSharedAlias(ctx, actor, id, local, domain)
		} else {
			err = s.AddAlias(ctx, actor, p.ownerUserID, local, domain)
		}
		if err != nil {
			return err
		}
	}
	if p.primary != "" {
		var err error
		if p.mb.Type == MailboxShared {
			err = s.SetSharedPrimary(ctx, actor, id, p.primary)
		} else {
			err = s.SetPrimaryAddress(ctx, actor, p.ownerUserID, p.primary)
		}
		if err != nil {
			return err
		}
	}
	for _, a := range p.removeAddrs {
		var err error
		if p.mb.Type == MailboxShared {
			err = s.RemoveSharedAlias(ctx, actor, id, a)
		} else {
			err = s.RemoveAlias(ctx, actor, p.ownerUserID, a)
		}
		if err != nil {
			return err
		}
	}
	if len(p.grant) > 0 {
		if _, err := s.GrantPermissions(ctx, actor, GrantRequest{MailboxID: id, Right: RightSendOnBehalf, TrusteeIDs: p.grant}); err != nil {
			return err
		}
	}
	for _, t := range p.revoke {
		if err := s.RemovePermission(ctx, actor, id, RightSendOnBehalf, t); err != nil {
			return err
		}
	}
	if p.forwarding != nil {
		v, err := version()
		if err != nil {
			return err
		}
		p.forwarding.Version = v
		if err := s.SetForwarding(ctx, actor, id, *p.forwarding); err != nil {
			return err
		}
	}
	if p.sentItems != nil {
		v, err := version()
		if err != nil {
			return err
		}
		if err := s.SetSentItems(ctx, actor, id, p.sentItems[0], p.sentItems[1], v); err != nil {
			return err
		}
	}
	if p.hidden != nil {
		v, err := version()
		if err != nil {
			return err
		}
		if err := s.SetShownInAddressList(ctx, actor, id, !*p.hidden, true, v); err != nil {
			return err
		}
	}
	return nil
}

// renameMailbox changes the mailbox's display name: a shared mailbox's own name,
// or a person's display name (their other details unchanged).
func (s *Store) renameMailbox(ctx context.Context, actor *Admin, p *mailboxPlan, version func() (int, error)) error {
	if p.mb.Type == MailboxShared {
		v, err := version()
		if err != nil {
			return err
		}
		return s.RenameSharedMailbox(ctx, actor, p.mb.ID, p.rename, v)
	}
	u, err := s.User(ctx, p.ownerUserID)
	if err != nil {
		return err
	}
	v, err := s.UserVersion(ctx, p.ownerUserID)
	if err != nil {
		return err
	}
	return s.UpdateContact(ctx, actor, p.ownerUserID, Contact{FirstName: u.FirstName, LastName: u.LastName, DisplayName: p.rename,
		JobTitle: u.JobTitle, Department: u.Department, Version: v})
}

// HoldsDirectly reports whether a recipient was granted a right on a mailbox
// itself (not through a group), and the grant has not been removed.
func (s *Store) HoldsDirectly(ctx context.Context, mailboxID uint, right Right, trusteeID uint) (bool, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&MailboxPermission{}).
		Where("mailbox_id = ? AND trustee_id = ? AND access_right = ? AND revoke_effective_at IS NULL", mailboxID, trusteeID, right).
		Count(&n).Error
	if err != nil {
		return false, fmt.Errorf("check grant: %w", err)
	}
	return n > 0, nil
}

// RevokePermission takes a right on a mailbox away from a trustee, as
// RemovePermission does, and reports whether the trustee held it directly (a
// removal that finds nothing changes nothing and is no error).
func (s *Store) RevokePermission(ctx context.Context, actor *Admin, mailboxID uint, right Right, trusteeID uint) (bool, error) {
	if !actor.Can(ActionManagePermissions) {
		return false, ErrForbidden
	}
	held, err := s.HoldsDirectly(ctx, mailboxID, right, trusteeID)
	if err != nil || !held {
		return false, err
	}
	return true, s.RemovePermission(ctx, actor, mailboxID, right, trusteeID)
}

// ChangesMailboxes reports whether the admin's roles allow any change to mailboxes
// (permissions, forwarding, shared mailboxes, automatic replies); a Global reader's
// don't.
func (a *Admin) ChangesMailboxes() bool {
	for _, act := range recipientActions {
		if a.Can(act) {
			return true
		}
	}
	return false
}
