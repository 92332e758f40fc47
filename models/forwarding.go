package models

import (
	"context"
	"fmt"
	"net/mail"
	"slices"
	"strings"

	"gorm.io/gorm"
)

// The reasons forwarding stopped, as stored in Mailbox.ForwardingStopped.
const (
	StoppedLicenseRemoved = "license_removed"
	StoppedBlocked        = "blocked"
	StoppedDeleted        = "deleted"
)

// stopForwarding marks an active forward as stopped for a reason.
func stopForwarding(tx *gorm.DB, recipientID uint, reason string) error {
	err := tx.Model(&Mailbox{}).Where("recipient_id = ? AND forwarding_address <> '' AND forwarding_stopped = ''", recipientID).
		Updates(map[string]any{"forwarding_stopped": reason, "version": gorm.Expr("version + 1")}).Error
	if err != nil {
		return fmt.Errorf("stop forwarding: %w", err)
	}
	return nil
}

// activeForward returns where a recipient's mail is forwarded now ("" when it is not).
func activeForward(tx *gorm.DB, recipientID uint) (string, error) {
	var to []string
	if err := tx.Model(&Mailbox{}).Where("recipient_id = ? AND forwarding_address <> '' AND forwarding_stopped = ''", recipientID).
		Limit(1).Pluck("forwarding_address", &to).Error; err != nil {
		return "", fmt.Errorf("check forwarding: %w", err)
	}
	if len(to) == 0 {
		return "", nil
	}
	return to[0], nil
}

// ExternalForwardingAllowed reports whether the organization's outbound policy lets
// mail be forwarded automatically to outside addresses. Automatic (system-controlled)
// means Off, as it does in Exchange Online today.
func (p ForwardingPolicy) ExternalForwardingAllowed() bool { return p == ForwardingOn }

// ForwardingPolicies lists the policy values in the order the settings page shows them.
var ForwardingPolicies = []ForwardingPolicy{ForwardingAutomatic, ForwardingOn, ForwardingOff}

// NDR5720 is the text of the bounce external forwarding gets when the policy blocks it.
const NDR5720 = "5.7.520 Access denied, Your organization does not allow external forwarding. Please contact your administrator for further assistance. AS(7555)"

// Forwarding is a mailbox's forwarding as the panel and the Mail tab show it.
type Forwarding struct {
	Mailbox MailboxRef
	// Licensed is false for a user mailbox whose person has no license that includes
	// a mailbox: such a mailbox cannot forward. Shared mailboxes need no license.
	Licensed bool
	// OwnerUserID is the person of a user mailbox (for the link to their licenses).
	OwnerUserID uint
	Address     string
	KeepCopy    bool
	Stopped     string
	// External is set when the address is outside the accepted domains.
	External bool
	Policy   ForwardingPolicy
	Version  int
}

// Active reports whether mail is being forwarded now (set, and not stopped).
func (f *Forwarding) Active() bool { return f.Address != "" && f.Stopped == "" }

// BlockedByPolicy reports whether the forward goes outside while the organization
// blocks external forwarding, so the forwarded copies bounce.
func (f *Forwarding) BlockedByPolicy() bool {
	return f.Active() && f.External && !f.Policy.ExternalForwardingAllowed()
}

// Forwarding loads a mailbox's forwarding state.
func (s *Store) Forwarding(ctx context.Context, mailboxID uint) (*Forwarding, error) {
	mb, err := s.Mailbox(ctx, mailboxID)
	if err != nil {
		return nil, err
	}
	return forwardingIn(s.db.WithContext(ctx), mb)
}

// forwardingIn loads a mailbox's forwarding state with db (inside the write
// transaction that changes it, when there is one).
func forwardingIn(db *gorm.DB, mb *MailboxRef) (*Forwarding, error) {
	var row Mailbox
	if err := db.First(&row, mb.ID).Error; err != nil {
		return nil, notFound(err, "mailbox")
	}
	var org Organization
	if err := db.Order("id").First(&org).Error; err != nil {
		return nil, notFound(err, "organization")
	}
	f := &Forwarding{Mailbox: *mb, Licensed: true, Address: row.ForwardingAddress, KeepCopy: row.ForwardKeepCopy,
		Stopped: row.ForwardingStopped, Policy: org.ExternalForwarding, Version: row.Version}
	if mb.Type == MailboxUser {
		// The owner and whether a licence of theirs includes a mailbox, in one
		// query (every Mail tab reads it).
		var owner []struct {
			ID       uint
			Licensed int
		}
		err := db.Raw(`SELECT u.id, CASE WHEN EXISTS (SELECT 1 FROM user_licenses ul JOIN license_products lp ON lp.id = ul.license_product_id
			WHERE ul.user_id = u.id AND lp.includes_mailbox) THEN 1 ELSE 0 END AS licensed
			FROM users u WHERE u.recipient_id = ? AND u.deleted_at IS NULL ORDER BY u.id LIMIT 1`, mb.RecipientID).Scan(&owner).Error
		if err != nil {
			return nil, fmt.Errorf("load mailbox owner: %w", err)
		}
		f.Licensed = false
		if len(owner) == 1 {
			f.OwnerUserID, f.Licensed = owner[0].ID, owner[0].Licensed == 1
		}
	}
	if f.Address != "" {
		var err error
		if f.External, err = isExternalIn(db, f.Address); err != nil {
			return nil, err
		}
	}
	return f, nil
}

func (s *Store) isExternal(ctx context.Context, address string) (bool, error) {
	return isExternalIn(s.db.WithContext(ctx), address)
}

// isExternalIn reports whether an address is outside the accepted domains.
func isExternalIn(db *gorm.DB, address string) (bool, error) {
	_, domain, _ := strings.Cut(strings.ToLower(address), "@")
	var n int64
	if err := db.Model(&Domain{}).Where("name = ?", domain).Count(&n).Error; err != nil {
		return false, fmt.Errorf("check domain: %w", err)
	}
	return n == 0, nil
}

// ParseForwardingAddress checks that s is exactly one bare address (an addr-spec,
// parsed by net/mail) and returns it. The message keys explain what is wrong.
func ParseForwardingAddress(s string) (string, *FieldError) {
	s = strings.TrimSpace(s)
	if fe := CheckText(s, false); fe != nil {
		return "", fe
	}
	switch {
	case s == "":
		return "", &FieldError{Key: "fwd.error.required"}
	case len(s) > 320:
		return "", &FieldError{Key: "fwd.error.invalid"}
	case strings.ContainsAny(s, ",;") || len(strings.Fields(s)) > 1:
		return "", &FieldError{Key: "fwd.error.one_address"}
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || !strings.EqualFold(a.Address, s) {
		return "", &FieldError{Key: "fwd.error.invalid"}
	}
	local, domain, _ := strings.Cut(a.Address, "@")
	if local == "" || !strings.Contains(domain, ".") || strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") ||
		strings.Contains(domain, "..") || strings.ContainsAny(domain, "[]") {
		return "", &FieldError{Key: "fwd.error.invalid"}
	}
	return a.Address, nil
}

// ForwardingRequest is a change to a mailbox's forwarding from the panel.
type ForwardingRequest struct {
	Enabled  bool
	Address  string
	KeepCopy bool
	// Version is the mailbox version the form was built from.
	Version int
}

type forwardingAudit struct {
	Address  string `json:"forwarding_address"`
	KeepCopy bool   `json:"keep_copy"`
	Stopped  string `json:"stopped,omitempty"`
}

// SetForwarding turns a mailbox's forwarding on, changes it, or turns it off. Every
// rule is checked inside the write transaction that saves it (the loop rule reads
// the forwards saved just before), so two forwards saved at once can't make a loop
// between them. Either every rule holds and it is saved (with an audit event), or
// nothing changes.
func (s *Store) SetForwarding(ctx context.Context, actor *Admin, mailboxID uint, req ForwardingRequest) error {
	if !actor.Can(ActionManageForwarding) {
		return ErrForbidden
	}
	return s.changeMailbox(ctx, actor, ActionManageForwarding, mailboxID, func(tx *gorm.DB, mb *MailboxRef) error {
		cur, err := forwardingIn(tx, mb)
		if err != nil {
			return err
		}
		if req.Version != cur.Version {
			return ErrStale
		}
		next := forwardingAudit{}
		if req.Enabled {
			if !cur.Licensed {
				return Invalid("forward", "fwd.error.no_license", nil)
			}
			addr, fe := ParseForwardingAddress(req.Address)
			if fe != nil {
				return (&ValidationError{}).Add("address", fe.Key, fe.Args)
			}
			if err := checkTarget(tx, cur, addr); err != nil {
				return err
			}
			next = forwardingAudit{Address: storedAddress(addr), KeepCopy: req.KeepCopy}
		}
		res := tx.Model(&Mailbox{}).Where("id = ? AND version = ?", mailboxID, req.Version).Updates(map[string]any{
			"forwarding_address": next.Address, "forward_keep_copy": next.KeepCopy, "forwarding_stopped": "",
			"version": gorm.Expr("version + 1"),
		})
		if res.Error != nil {
			return fmt.Errorf("save forwarding: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return ErrStale
		}
		return s.audit(tx, actor, "forwarding.set", &cur.Mailbox.RecipientID, cur.Mailbox.DisplayName,
			forwardingAudit{Address: cur.Address, KeepCopy: cur.KeepCopy, Stopped: cur.Stopped}, next)
	})
}

// checkTarget applies the rules about where a mailbox may forward to, read with tx.
// A deleted person's address is no one's until they are restored. An outside
// address is saved whatever the organization's policy says, as Exchange Online
// does: the policy bounces the forwarded copies later (NDR5720), which the panel
// says as the address is typed and the Mail tab says afterwards (BlockedByPolicy).
func checkTarget(tx *gorm.DB, cur *Forwarding, addr string) error {
	var own int64
	if err := tx.Model(&EmailAddress{}).Where("recipient_id = ? AND normalized = ?", cur.Mailbox.RecipientID, strings.ToLower(addr)).Count(&own).Error; err != nil {
		return fmt.Errorf("check own address: %w", err)
	}
	if own > 0 {
		return Invalid("address", "fwd.error.own", nil)
	}
	external, err := isExternalIn(tx, addr)
	if err != nil {
		return err
	}
	if external {
		return nil
	}
	var targets []uint
	if err := tx.Model(&EmailAddress{}).Where("normalized = ?", strings.ToLower(addr)).
		Where("NOT EXISTS (SELECT 1 FROM users u WHERE u.recipient_id = email_addresses.recipient_id AND u.deleted_at IS NOT NULL)").
		Limit(1).Pluck("recipient_id", &targets).Error; err != nil {
		return fmt.Errorf("check target: %w", err)
	}
	if len(targets) == 0 {
		return Invalid("address", "fwd.error.unknown_internal", map[string]any{"Address": addr})
	}
	chain, err := forwardingLoop(tx, cur.Mailbox.RecipientID, targets[0])
	if err != nil {
		return err
	}
	if chain != nil {
		return Invalid("address", "fwd.error.loop", map[string]any{"Chain": strings.Join(chain, " → ")})
	}
	return nil
}

// forwardingLoop follows where mail to target goes (forwards and group members) and
// returns the chain of names back to origin if it ever gets there.
func forwardingLoop(db *gorm.DB, origin, target uint) ([]string, error) {
	g, err := loadMailGraphFrom(db, target)
	if err != nil {
		return nil, err
	}
	type step struct {
		id   uint
		path []uint
	}
	seen := map[uint]bool{}
	queue := []step{{target, []uint{origin, target}}}
	for len(queue) > 0 {
		cur := queue[0]
		queue = queue[1:]
		if seen[cur.id] {
			continue
		}
		seen[cur.id] = true
		for _, nxt := range g.next(cur.id) {
			path := append(slices.Clone(cur.path), nxt)
			if nxt == origin {
				names := make([]string, len(path))
				for i, id := range path {
					names[i] = g.names[id]
				}
				return names, nil
			}
			queue = append(queue, step{nxt, path})
		}
	}
	return nil, nil
}

// SetForwardingPolicy changes the organization's automatic external forwarding policy.
func (s *Store) SetForwardingPolicy(ctx context.Context, actor *Admin, p ForwardingPolicy) error {
	if !actor.Can(ActionManageOrgMailPolicy) {
		return ErrForbidden
	}
	if !slices.Contains(ForwardingPolicies, p) {
		return Invalid("policy", "policy.error.invalid", nil)
	}
	org, err := s.Organization(ctx)
	if err != nil {
		return err
	}
	if org.ExternalForwarding == p {
		return nil
	}
	defer s.forget()
	return s.write(ctx, func(tx *gorm.DB) error {
		if err := allowedNow(tx, actor, ActionManageOrgMailPolicy); err != nil {
			return err
		}
		if err := tx.Model(&Organization{}).Where("id = ?", org.ID).Update("external_forwarding", p).Error; err != nil {
			return fmt.Errorf("save policy: %w", err)
		}
		return s.audit(tx, actor, "policy.external_forwarding", &org.ID, org.Name,
			map[string]any{"automatic_forwarding": org.ExternalForwarding}, map[string]any{"automatic_forwarding": p})
	})
}
