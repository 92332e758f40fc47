package models

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// Forwarding targets as what they are: a person's or shared mailbox, a group whose
// members get the mail, a mail contact outside the organization, or an address
// nobody in the organization has. The forwarding panel shows this next to the
// address and lets the admin pick a target by name.

// ForwardTarget is what a forwarding address belongs to and where mail forwarded
// to it ends up.
type ForwardTarget struct {
	Address     string
	RecipientID uint
	// Kind is empty for an outside address that is no mail contact.
	Kind        RecipientKind
	GroupType   GroupType
	DisplayName string
	// External is set for an address outside the accepted domains (a mail contact's
	// too): automatic forwarding there follows the organization's policy.
	External bool
	// Reach is where a forwarded message goes from the target: a group's members
	// (nested too), with the outside ones the policy stops.
	Reach *DeliveryTrace
}

// IsGroup reports whether the target is a group or list, whose members get the mail.
func (t *ForwardTarget) IsGroup() bool { return t != nil && t.Kind == KindGroup }

// IsContact reports whether the target is a mail contact.
func (t *ForwardTarget) IsContact() bool { return t != nil && t.Kind == KindContact }

// Stopped lists the outside recipients of the reach that the policy stops.
func (t *ForwardTarget) Stopped() []DeliveryStep {
	if t == nil || t.Reach == nil {
		return nil
	}
	var out []DeliveryStep
	for _, st := range t.Reach.Steps {
		if st.Kind == DeliverContactBounced || st.Kind == DeliverBounced {
			out = append(out, st)
		}
	}
	return out
}

// ForwardTarget says what a forwarding address is; nil (and no error) when it is not
// a well-formed address, which the forwarding rules report themselves.
func (s *Store) ForwardTarget(ctx context.Context, address string) (*ForwardTarget, error) {
	addr, fe := ParseForwardingAddress(address)
	if fe != nil {
		return nil, nil
	}
	t := &ForwardTarget{Address: addr}
	var err error
	if t.External, err = s.isExternal(ctx, addr); err != nil {
		return nil, err
	}
	rid, err := s.RecipientByAddress(ctx, addr)
	if errors.Is(err, ErrNotFound) {
		return t, nil
	}
	if err != nil {
		return nil, err
	}
	cs, err := s.Candidates(ctx, []uint{rid})
	if err != nil {
		return nil, err
	}
	if len(cs) == 0 {
		return t, nil
	}
	c := cs[0]
	t.RecipientID, t.Kind, t.GroupType, t.DisplayName = c.RecipientID, c.Kind, c.GroupType, c.DisplayName
	if t.Kind == KindGroup || t.Kind == KindContact {
		org, err := s.Organization(ctx)
		if err != nil {
			return nil, err
		}
		if t.Reach, err = s.traceFrom(ctx, &DeliveryTrace{Address: addr}, org, rid, true); err != nil {
			return nil, fmt.Errorf("trace forward: %w", err)
		}
	}
	return t, nil
}

// ForwardingCandidates lists what a mailbox may forward to, for picking by name:
// people with a mailbox, shared mailboxes, mail-enabled groups and mail contacts,
// other than the mailbox itself, filtered by a prefix search. An empty search lists
// nothing: the organization is too large to offer everyone.
func (s *Store) ForwardingCandidates(ctx context.Context, mailboxID uint, search string) ([]Candidate, error) {
	if strings.TrimSpace(search) == "" {
		return nil, nil
	}
	mb, err := s.Mailbox(ctx, mailboxID)
	if err != nil {
		return nil, err
	}
	return s.pick(ctx, search, `r.id <> ? AND EXISTS (SELECT 1 FROM email_addresses e WHERE e.recipient_id = r.id AND e.is_primary) AND (
		(r.kind IN ? AND EXISTS (SELECT 1 FROM mailboxes m WHERE m.recipient_id = r.id)
			AND NOT EXISTS (SELECT 1 FROM users u WHERE u.recipient_id = r.id AND u.deleted_at IS NOT NULL))
		OR r.kind IN ?)`,
		mb.RecipientID, []RecipientKind{KindUser, KindSharedMailbox}, []RecipientKind{KindGroup, KindContact})
}
