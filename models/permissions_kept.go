package models

import (
	"context"
	"maps"
	"slices"
)

// Who holds each right on a mailbox (its permissions panels, its pane's counts) is
// kept for the mailboxes opened last while the report generation stays, which every
// change to a grant, a membership, a name, an address or a group's type raises
// (reports_kept.go), until the first of its grants takes effect or stops holding by
// time alone.

// keptMailboxesLimit bounds the mailboxes whose holders are kept, and
// keptHoldersRows the holders of one (about 250 bytes each): a mailbox granted to
// a large group is read each time.
const (
	keptMailboxesLimit = 512
	keptHoldersRows    = 500
)

// keptHolders are a mailbox's holders as kept.
type keptHolders struct {
	holders map[Right][]Holder
}

// MailboxAccessOf is MailboxAccess of a mailbox the caller has already read (the
// panels have it from resolving the request's mailbox): read by readMailboxAccess,
// or kept.
func (s *Store) MailboxAccessOf(ctx context.Context, mb MailboxRef) (*MailboxAccess, error) {
	now := s.Now()
	gen, ok := s.reportGeneration(ctx)
	if !ok {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return s.readMailboxAccess(ctx, mb, now)
	}
	gens := searchGenerations{report: gen}
	if k, ok := s.keptHolders.get(mb.ID, gens, now); ok {
		return &MailboxAccess{Mailbox: mb, Now: now, Holders: cloneHolders(k.holders)}, nil
	}
	acc, err := s.readMailboxAccess(ctx, mb, now)
	if err != nil {
		return nil, err
	}
	change := firstChange{now: now}
	n := 0
	for _, hs := range acc.Holders {
		n += len(hs)
		for _, h := range hs {
			change.grant(h.EffectiveAt, h.RevokeEffectiveAt)
		}
	}
	if n <= keptHoldersRows {
		s.keptHolders.put(mb.ID, gens, change.at, keptHolders{holders: cloneHolders(acc.Holders)})
	}
	return acc, nil
}

// cloneHolders copies holders with their lists and removal times, so no caller
// changes what is kept.
func cloneHolders(in map[Right][]Holder) map[Right][]Holder {
	out := maps.Clone(in)
	for r, hs := range out {
		hs = slices.Clone(hs)
		for i := range hs {
			hs[i].RevokeEffectiveAt = cloneTime(hs[i].RevokeEffectiveAt)
		}
		out[r] = hs
	}
	return out
}
