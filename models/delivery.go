package models

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"gorm.io/gorm"
)

// Where mail goes: the organization's mail graph (forwards and group members) as far
// as a message reaches, and the trace of one message through it. Forwarding's loop
// rule reads the same graph.

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

// mailGraphFrom loads the forwarding and membership edges that mail to start can
// follow, a level at a time: the forwards and members of one level's recipients
// are read together, so a trace costs what it reaches, not what the tenant holds.
// Names come with the rows (and ids go in bounded chunks), so a very large list
// stays under the database's limit on query variables.
func (s *Store) mailGraphFrom(ctx context.Context, start uint) (*mailGraph, error) {
	return loadMailGraphFrom(s.db.WithContext(ctx), start)
}

// loadMailGraphFrom is mailGraphFrom read with db (inside a write transaction, when
// a rule on it guards a change).
func loadMailGraphFrom(db *gorm.DB, start uint) (*mailGraph, error) {
	g := &mailGraph{names: map[uint]string{}, forward: map[uint]uint{}, external: map[uint]string{},
		keepCopy: map[uint]bool{}, members: map[uint][]uint{}, isGroup: map[uint]bool{}, mailbox: map[uint]MailboxType{}}
	seen := map[uint]bool{start: true}
	frontier := []uint{start}
	for len(frontier) > 0 {
		var reached []uint
		for _, chunk := range chunks(sortedSet(frontier)) {
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
				Where("m.recipient_id IN ? AND m.forwarding_address <> '' AND m.forwarding_stopped = ''", chunk).Scan(&fwds).Error
			if err != nil {
				return nil, fmt.Errorf("load forwards: %w", err)
			}
			for _, f := range fwds {
				g.names[f.RecipientID] = f.DisplayName
				g.keepCopy[f.RecipientID] = f.ForwardKeepCopy
				if f.Target != nil {
					g.forward[f.RecipientID] = *f.Target
					reached = append(reached, *f.Target)
				} else {
					g.external[f.RecipientID] = f.ForwardingAddress
				}
			}
			var groups []struct {
				RecipientID uint
				DisplayName string
			}
			if err := db.Table("groups g").Select("g.recipient_id, r.display_name").Joins("JOIN recipients r ON r.id = g.recipient_id").
				Where("g.recipient_id IN ?", chunk).Scan(&groups).Error; err != nil {
				return nil, fmt.Errorf("load groups: %w", err)
			}
			if len(groups) == 0 {
				continue
			}
			for _, gr := range groups {
				g.isGroup[gr.RecipientID] = true
				g.names[gr.RecipientID] = gr.DisplayName
			}
			// Members in name order, so a trace lists them the same way every time.
			var ms []struct {
				GroupRecipient uint
				MemberID       uint
				MemberName     string
			}
			if err := db.Table("group_members gm").Select("g.recipient_id AS group_recipient, gm.member_id, r.display_name AS member_name").
				Joins("JOIN groups g ON g.id = gm.group_id").Joins("JOIN recipients r ON r.id = gm.member_id").
				Where("g.recipient_id IN ?", chunk).Order("g.recipient_id, r.sort_name, gm.member_id").Scan(&ms).Error; err != nil {
				return nil, fmt.Errorf("load members: %w", err)
			}
			for _, m := range ms {
				g.members[m.GroupRecipient] = append(g.members[m.GroupRecipient], m.MemberID)
				g.names[m.MemberID] = m.MemberName
				reached = append(reached, m.MemberID)
			}
		}
		frontier = frontier[:0]
		for _, id := range reached {
			if !seen[id] {
				seen[id] = true
				frontier = append(frontier, id)
			}
		}
	}
	// Names of the recipients reached only by a forward, for the loop message.
	var unnamed []uint
	for id := range seen {
		if _, ok := g.names[id]; !ok {
			unnamed = append(unnamed, id)
		}
	}
	for _, chunk := range chunks(sortedSet(unnamed)) {
		var rs []Recipient
		if err := db.Select("id, display_name").Where("id IN ?", chunk).Find(&rs).Error; err != nil {
			return nil, fmt.Errorf("load names: %w", err)
		}
		for _, r := range rs {
			g.names[r.ID] = r.DisplayName
		}
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
	g, err := s.mailGraphFrom(ctx, start)
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
	type row struct {
		ID          uint
		DisplayName string
		Kind        RecipientKind
		Address     string
		HasMailbox  bool
	}
	var rows []row
	for _, chunk := range chunks(sortedSet(ids)) {
		var part []row
		err := s.db.WithContext(ctx).Table("recipients r").Select(`r.id, r.display_name, r.kind,
		COALESCE((SELECT e.address FROM email_addresses e WHERE e.recipient_id = r.id AND e.is_primary), '') AS address,
		EXISTS (SELECT 1 FROM mailboxes m WHERE m.recipient_id = r.id) AS has_mailbox`).Where("r.id IN ?", chunk).Scan(&part).Error
		if err != nil {
			return nil, fmt.Errorf("load recipients: %w", err)
		}
		rows = append(rows, part...)
	}
	out := make(map[uint]recipientFacts, len(rows))
	for _, r := range rows {
		out[r.ID] = recipientFacts{name: r.DisplayName, address: r.Address, kind: r.Kind, hasMailbox: r.HasMailbox}
	}
	return out, nil
}

// chunkSize bounds the ids of one IN list, well under the databases' limits on
// query variables (SQLite 32,766, PostgreSQL 65,535).
const chunkSize = 5000

// chunks splits ids into lists of at most chunkSize.
func chunks(ids []uint) [][]uint {
	var out [][]uint
	for len(ids) > chunkSize {
		out = append(out, ids[:chunkSize])
		ids = ids[chunkSize:]
	}
	if len(ids) > 0 {
		out = append(out, ids)
	}
	return out
}
