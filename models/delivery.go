package models

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Where mail goes: the organization's mail graph (forwards and group members), and
// the trace of one message through it. Forwarding's loop rule reads the same graph.

// mailGraph is where mail to each recipient goes next: the forwarding target of a
// mailbox that forwards, the members of a group.
type mailGraph struct {
	names    map[uint]string
	forward  map[uint]uint
	external map[uint]string
	keepCopy map[uint]bool
	members  map[uint][]uint
	isGroup  map[uint]bool
	mailbox  map[uint]MailboxType
}

func (g *mailGraph) next(id uint) []uint {
	if g.isGroup[id] {
		return g.members[id]
	}
	if t, ok := g.forward[id]; ok {
		return []uint{t}
	}
	return nil
}

// mailGraph loads the forwarding and membership edges of the organization. The
// tenant's forwards and groups are few next to its people, so one pass is cheap.
func (s *Store) mailGraph(ctx context.Context) (*mailGraph, error) {
	db := s.db.WithContext(ctx)
	g := &mailGraph{names: map[uint]string{}, forward: map[uint]uint{}, external: map[uint]string{},
		keepCopy: map[uint]bool{}, members: map[uint][]uint{}, isGroup: map[uint]bool{}, mailbox: map[uint]MailboxType{}}
	var fwds []struct {
		RecipientID       uint
		DisplayName       string
		ForwardingAddress string
		ForwardKeepCopy   bool
		Target            *uint
	}
	err := db.Table("mailboxes m").Select(`m.recipient_id, r.display_name, m.forwarding_address, m.forward_keep_copy,
		(SELECT e.recipient_id FROM email_addresses e WHERE e.normalized = LOWER(m.forwarding_address)) AS target`).
		Joins("JOIN recipients r ON r.id = m.recipient_id").
		Where("m.forwarding_address <> '' AND m.forwarding_stopped = ''").Scan(&fwds).Error
	if err != nil {
		return nil, fmt.Errorf("load forwards: %w", err)
	}
	for _, f := range fwds {
		g.names[f.RecipientID] = f.DisplayName
		g.keepCopy[f.RecipientID] = f.ForwardKeepCopy
		if f.Target != nil {
			g.forward[f.RecipientID] = *f.Target
		} else {
			g.external[f.RecipientID] = f.ForwardingAddress
		}
	}
	var ms []struct {
		GroupRecipient uint
		MemberID       uint
	}
	if err := db.Table("group_members gm").Select("g.recipient_id AS group_recipient, gm.member_id").
		Joins("JOIN groups g ON g.id = gm.group_id").Scan(&ms).Error; err != nil {
		return nil, fmt.Errorf("load members: %w", err)
	}
	var groups []uint
	if err := db.Model(&Group{}).Pluck("recipient_id", &groups).Error; err != nil {
		return nil, fmt.Errorf("load groups: %w", err)
	}
	for _, id := range groups {
		g.isGroup[id] = true
	}
	for _, m := range ms {
		g.members[m.GroupRecipient] = append(g.members[m.GroupRecipient], m.MemberID)
	}
	// Names of everything the edges mention, for the loop message.
	ids := []uint{}
	for id := range g.isGroup {
		ids = append(ids, id)
	}
	for _, t := range g.forward {
		ids = append(ids, t)
	}
	for _, m := range ms {
		ids = append(ids, m.MemberID)
	}
	if len(ids) > 0 {
		var rs []Recipient
		if err := db.Select("id, display_name").Where("id IN ?", sortedSet(ids)).Find(&rs).Error; err != nil {
			return nil, fmt.Errorf("load names: %w", err)
		}
		for _, r := range rs {
			g.names[r.ID] = r.DisplayName
		}
	}
	// Members in name order, so a trace lists them the same way every time.
	for id, ms := range g.members {
		slices.SortFunc(ms, func(a, b uint) int {
			return cmp.Or(cmp.Compare(strings.ToLower(g.names[a]), strings.ToLower(g.names[b])), cmp.Compare(a, b))
		})
		g.members[id] = ms
	}
	return g, nil
}

// DeliveryKind is what happens to a message at one step of its delivery.
type DeliveryKind string

// The delivery outcomes.
const (
	DeliverMailbox   DeliveryKind = "mailbox"
	DeliverForwarded DeliveryKind = "forwarded"
	DeliverExpanded  DeliveryKind = "expanded"
	DeliverExternal  DeliveryKind = "external"
	DeliverBounced   DeliveryKind = "bounced"
	DeliverNoMailbox DeliveryKind = "no_mailbox"
	DeliverUnknown   DeliveryKind = "unknown"
	DeliverSkipped   DeliveryKind = "skipped"
	// DeliverContact is a mail contact reached through a group or a forward: the
	// message goes out to its address. DeliverContactBounced is one reached by a
	// message that was forwarded automatically while the organization blocks
	// automatic forwarding to outside addresses, as Exchange bounces it.
	DeliverContact        DeliveryKind = "contact"
	DeliverContactBounced DeliveryKind = "contact_bounced"
)

// DeliveryStep is one thing that happens to a message.
type DeliveryStep struct {
	Kind    DeliveryKind
	Name    string
	Address string
	// Via is the chain of names the message passed through to get here.
	Via []string
	// Detail is a target address or a bounce text.
	Detail string
}

// DeliveryTrace is where a message sent to an address ends up.
type DeliveryTrace struct {
	Address string
	Steps   []DeliveryStep
}

// TraceDelivery follows a message sent to address by the rules: delivered to the
// mailbox (or not, when it forwards without keeping a copy), forwarded, group and
// list members expanded (nested too, each once), external targets and mail contacts
// delivered, or bounced by the policy when the message got there by automatic
// forwarding. A recipient is visited once, so loops end.
func (s *Store) TraceDelivery(ctx context.Context, address string) (*DeliveryTrace, error) {
	addr, fe := ParseForwardingAddress(address)
	if fe != nil {
		return nil, (&ValidationError{}).Add("address", strings.Replace(fe.Key, "fwd.", "delivery.", 1), nil)
	}
	org, err := s.Organization(ctx)
	if err != nil {
		return nil, err
	}
	trace := &DeliveryTrace{Address: addr}
	external, err := s.isExternal(ctx, addr)
	if err != nil {
		return nil, err
	}
	if external {
		trace.Steps = append(trace.Steps, DeliveryStep{Kind: DeliverExternal, Address: addr})
		return trace, nil
	}
	start, err := s.RecipientByAddress(ctx, addr)
	if errors.Is(err, ErrNotFound) {
		trace.Steps = append(trace.Steps, DeliveryStep{Kind: DeliverUnknown, Address: addr})
		return trace, nil
	}
	if err != nil {
		return nil, err
	}
	return s.traceFrom(ctx, trace, org, start, false)
}

// traceFrom follows a message from the recipient start and appends the steps to
// trace. forwarded says the message reached start by automatic forwarding, which
// the outbound policy applies to at every outside recipient it expands to.
func (s *Store) traceFrom(ctx context.Context, trace *DeliveryTrace, org *Organization, start uint, forwarded bool) (*DeliveryTrace, error) {
	g, err := s.mailGraph(ctx)
	if err != nil {
		return nil, err
	}
	info, err := s.recipientInfo(ctx, g.reachable(start))
	if err != nil {
		return nil, err
	}
	type item struct {
		id        uint
		via       []string
		forwarded bool
	}
	seen := map[uint]bool{}
	queue := []item{{start, nil, forwarded}}
	for len(queue) > 0 {
		it := queue[0]
		queue = queue[1:]
		r := info[it.id]
		if seen[it.id] {
			continue
		}
		seen[it.id] = true
		here := append(slices.Clone(it.via), r.name)
		switch {
		case g.isGroup[it.id]:
			trace.Steps = append(trace.Steps, DeliveryStep{Kind: DeliverExpanded, Name: r.name, Address: r.address, Via: it.via})
			for _, m := range g.members[it.id] {
				queue = append(queue, item{m, here, it.forwarded})
			}
		case r.kind == KindContact && it.forwarded && !org.ExternalForwarding.ExternalForwardingAllowed():
			trace.Steps = append(trace.Steps, DeliveryStep{Kind: DeliverContactBounced, Name: r.name, Address: r.address, Via: it.via, Detail: "550 " + NDR5720})
		case r.kind == KindContact:
			trace.Steps = append(trace.Steps, DeliveryStep{Kind: DeliverContact, Name: r.name, Address: r.address, Via: it.via})
		case !r.hasMailbox:
			trace.Steps = append(trace.Steps, DeliveryStep{Kind: DeliverNoMailbox, Name: r.name, Address: r.address, Via: it.via})
		default:
			target, internal := g.forward[it.id]
			ext, isExt := g.external[it.id]
			if (!internal && !isExt) || g.keepCopy[it.id] {
				trace.Steps = append(trace.Steps, DeliveryStep{Kind: DeliverMailbox, Name: r.name, Address: r.address, Via: it.via})
			} else {
				trace.Steps = append(trace.Steps, DeliveryStep{Kind: DeliverSkipped, Name: r.name, Address: r.address, Via: it.via})
			}
			switch {
			case internal:
				trace.Steps = append(trace.Steps, DeliveryStep{Kind: DeliverForwarded, Name: r.name, Address: r.address, Via: it.via, Detail: info[target].address})
				queue = append(queue, item{target, here, true})
			case isExt && org.ExternalForwarding.ExternalForwardingAllowed():
				trace.Steps = append(trace.Steps, DeliveryStep{Kind: DeliverExternal, Address: ext, Via: here})
			case isExt:
				trace.Steps = append(trace.Steps, DeliveryStep{Kind: DeliverBounced, Address: ext, Via: here, Detail: "550 " + NDR5720})
			}
		}
	}
	return trace, nil
}

type recipientFacts struct {
	name       string
	address    string
	kind       RecipientKind
	hasMailbox bool
}

// reachable lists every recipient mail to start can reach, start included.
func (g *mailGraph) reachable(start uint) []uint {
	seen := map[uint]bool{start: true}
	queue := []uint{start}
	for len(queue) > 0 {
		id := queue[0]
		queue = queue[1:]
		for _, n := range g.next(id) {
			if !seen[n] {
				seen[n] = true
				queue = append(queue, n)
			}
		}
	}
	out := make([]uint, 0, len(seen))
	for id := range seen {
		out = append(out, id)
	}
	return out
}

// recipientInfo loads names, addresses and whether each recipient has a mailbox.
func (s *Store) recipientInfo(ctx context.Context, ids []uint) (map[uint]recipientFacts, error) {
	var rows []struct {
		ID          uint
		DisplayName string
		Kind        RecipientKind
		Address     string
		HasMailbox  bool
	}
	err := s.db.WithContext(ctx).Table("recipients r").Select(`r.id, r.display_name, r.kind,
		COALESCE((SELECT e.address FROM email_addresses e WHERE e.recipient_id = r.id AND e.is_primary), '') AS address,
		EXISTS (SELECT 1 FROM mailboxes m WHERE m.recipient_id = r.id) AS has_mailbox`).Where("r.id IN ?", ids).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("load recipients: %w", err)
	}
	out := make(map[uint]recipientFacts, len(rows))
	for _, r := range rows {
		out[r.ID] = recipientFacts{name: r.DisplayName, address: r.Address, kind: r.Kind, hasMailbox: r.HasMailbox}
	}
	return out, nil
}
