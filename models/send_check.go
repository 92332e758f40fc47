package models

import (
	"context"
	"strings"
	"time"
)

// SendOutcome is what happens when a person sends from a mailbox.
type SendOutcome string

// The send outcomes.
const (
	SendOwn          SendOutcome = "own"
	SendAsMailbox    SendOutcome = "send_as"
	SendOnBehalfOf   SendOutcome = "on_behalf"
	SendRefusedRight SendOutcome = "refused"
)

// SendCheck is the answer to "what happens if this person sends from that mailbox".
type SendCheck struct {
	Outcome       SendOutcome
	SenderName    string
	SenderAddress string
	Mailbox       MailboxRef
	// Via names the group a right is held through, when it is not held directly.
	Via string
	// PendingAt is when a grant that would allow sending takes effect, if one is
	// still propagating.
	PendingAt *time.Time
	// FullAccessOnly is set when the sender can read the mailbox but not send from it.
	FullAccessOnly bool
	// HiddenWarning is set when the mailbox is hidden from the address list, which
	// stops Outlook desktop from using Send as and Send on behalf.
	HiddenWarning bool
}

// CheckSend works out, by the rules, how a message from sender with From set to the
// mailbox would go out: as the mailbox (Send as wins when both are held), on behalf
// of it, or refused, counting rights held through groups and grants still pending.
func (s *Store) CheckSend(ctx context.Context, senderAddress, fromAddress string) (*SendCheck, error) {
	ve := &ValidationError{}
	var sender *UserDetail
	var senderRecipient uint
	if strings.TrimSpace(senderAddress) == "" {
		ve.Add("sender", "send.error.sender_required", nil)
	} else {
		uid, err := s.UserIDByAddress(ctx, senderAddress)
		if err == nil {
			sender, err = s.User(ctx, uid)
		}
		if err == ErrNotFound {
			ve.Add("sender", "send.error.unknown_sender", map[string]any{"Address": senderAddress})
		} else if err != nil {
			return nil, err
		} else {
			senderRecipient = sender.RecipientID
		}
	}
	var mb *MailboxRef
	if strings.TrimSpace(fromAddress) == "" {
		ve.Add("from", "send.error.from_required", nil)
	} else {
		fromRecipient, err := s.RecipientByAddress(ctx, fromAddress)
		if err == nil {
			mb, err = s.mailboxRef(ctx, "m.recipient_id = ?", fromRecipient)
		}
		if err == ErrNotFound {
			ve.Add("from", "send.error.unknown_mailbox", map[string]any{"Address": fromAddress})
		} else if err != nil {
			return nil, err
		}
	}
	if err := ve.OrNil(); err != nil {
		return nil, err
	}
	res := &SendCheck{SenderName: sender.DisplayName, SenderAddress: sender.PrimaryAddress, Mailbox: *mb, HiddenWarning: mb.HiddenFromGAL}
	if senderRecipient == mb.RecipientID {
		res.Outcome, res.HiddenWarning = SendOwn, false
		return res, nil
	}
	access, err := s.AccessibleMailboxes(ctx, senderRecipient)
	if err != nil {
		return nil, err
	}
	now := s.Now()
	best := map[Right]*Access{}
	for i, a := range access {
		if a.MailboxID != mb.ID {
			continue
		}
		if cur := best[a.Right]; cur == nil || (cur.Pending(now) && !a.Pending(now)) || (cur.ViaID != 0 && a.ViaID == 0 && !a.Pending(now)) {
			best[a.Right] = &access[i]
		}
	}
	for _, r := range []Right{RightSendAs, RightSendOnBehalf} {
		if a := best[r]; a != nil && !a.Pending(now) {
			res.Outcome = SendAsMailbox
			if r == RightSendOnBehalf {
				res.Outcome = SendOnBehalfOf
			}
			res.Via = a.ViaName
			return res, nil
		}
	}
	res.Outcome, res.HiddenWarning = SendRefusedRight, false
	for _, r := range []Right{RightSendAs, RightSendOnBehalf} {
		if a := best[r]; a != nil && (res.PendingAt == nil || a.EffectiveAt.Before(*res.PendingAt)) {
			at := a.EffectiveAt
			res.PendingAt = &at
		}
	}
	res.FullAccessOnly = best[RightFullAccess] != nil
	return res, nil
}
