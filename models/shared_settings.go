package models

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
)

// AutoReply is a mailbox's automatic replies.
type AutoReply struct {
	State    AutoReplyState
	Internal string
	// SendOutside replies to senders outside the organization too; KnownOnly limits
	// that to senders in the mailbox's contacts. Audience and SetAudience read and
	// set the two as Exchange's ExternalAudience.
	SendOutside bool
	KnownOnly   bool
	External    string
	Start       *time.Time
	End         *time.Time
	// Zone is the time zone the schedule was set in (a Windows or IANA name, ""
	// for UTC); Start and End are instants whatever it is.
	Zone string
}

// ExternalAudience is who outside the organization gets automatic replies, as
// Exchange names it (Set-MailboxAutoReplyConfiguration -ExternalAudience).
type ExternalAudience string

// The audiences.
const (
	AudienceNone  ExternalAudience = "None"
	AudienceKnown ExternalAudience = "Known"
	AudienceAll   ExternalAudience = "All"
)

// audiences are the audiences with Graph's names for them
// (automaticRepliesSetting.externalAudience): the one mapping of the surfaces.
var audiences = []struct {
	audience ExternalAudience
	graph    string
}{{AudienceNone, "none"}, {AudienceKnown, "contactsOnly"}, {AudienceAll, "all"}}

// Audience is the replies' ExternalAudience.
func (a AutoReply) Audience() ExternalAudience {
	switch {
	case !a.SendOutside:
		return AudienceNone
	case a.KnownOnly:
		return AudienceKnown
	}
	return AudienceAll
}

// SetAudience sets who outside gets replies.
func (a *AutoReply) SetAudience(x ExternalAudience) {
	a.SendOutside, a.KnownOnly = x != AudienceNone, x == AudienceKnown
}

// GraphName is the audience as Graph's externalAudience names it.
func (x ExternalAudience) GraphName() string {
	for _, a := range audiences {
		if a.audience == x {
			return a.graph
		}
	}
	return "none"
}

// ParseExternalAudience reads an audience by Exchange's name (None, Known, All) or
// Graph's (none, contactsOnly, all), in any case.
func ParseExternalAudience(s string) (ExternalAudience, bool) {
	s = strings.TrimSpace(s)
	for _, a := range audiences {
		if strings.EqualFold(s, string(a.audience)) || strings.EqualFold(s, a.graph) {
			return a.audience, true
		}
	}
	return "", false
}

// autoReply is the mailbox's automatic replies.
func (m *Mailbox) autoReply() AutoReply {
	return AutoReply{State: m.AutoReplyState, Internal: m.AutoReplyInternal, SendOutside: m.AutoReplyOutside,
		KnownOnly: m.AutoReplyOutside && m.AutoReplyKnownOnly, External: m.AutoReplyExternal,
		Start: m.AutoReplyStart, End: m.AutoReplyEnd, Zone: m.AutoReplyZone}
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

// settingsChange is a change to single-value settings of a mailbox: the new values,
// the version of the form they come from, and what the audit log records.
type settingsChange struct {
	version       int
	audit         string
	before, after any
	values        map[string]any
}

// updateMailbox changes single-value settings of a mailbox if the form's version is
// still current, with an audit event.
func (s *Store) updateMailbox(ctx context.Context, actor *Admin, act Action, mailboxID uint, c settingsChange) error {
	return s.changeMailbox(ctx, actor, act, mailboxID, func(tx *gorm.DB, mb *MailboxRef) error {
		c.values["version"] = gorm.Expr("version + 1")
		res := tx.Model(&Mailbox{}).Where("id = ? AND version = ?", mailboxID, c.version).Updates(c.values)
		if res.Error != nil {
			return fmt.Errorf("update mailbox: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return ErrStale
		}
		return s.audit(tx, actor, c.audit, &mb.RecipientID, mb.DisplayName, c.before, c.after)
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
	a, values, err := checkAutoReply(a)
	if err != nil {
		return err
	}
	return s.updateMailbox(ctx, actor, ActionManageAutoReplies, mailboxID, settingsChange{version: version, audit: "mailbox.auto_replies", after: a,
		values: values})
}

// checkAutoReply applies the rules on automatic replies; it returns them as kept
// and the mailbox's columns to write.
func checkAutoReply(a AutoReply) (AutoReply, map[string]any, error) {
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
	checkText(ve, "internal", a.Internal, true)
	checkText(ve, "external", a.External, true)
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
		if a.Zone != "" {
			if tz, ok := LookupTimeZone(a.Zone); ok {
				a.Zone = tz.Name
			} else {
				ve.Add("zone", "mailbox.error.time_zone", map[string]any{"Zone": a.Zone})
			}
		}
		if a.Zone == "UTC" {
			a.Zone = ""
		}
	} else {
		a.Start, a.End, a.Zone = nil, nil, ""
	}
	if !slices.Contains([]AutoReplyState{AutoReplyDisabled, AutoReplyEnabled, AutoReplyScheduled}, a.State) {
		ve.Add("state", "reply.error.state", nil)
	}
	if err := ve.OrNil(); err != nil {
		return a, nil, err
	}
	if !a.SendOutside {
		a.External, a.KnownOnly = "", false
	}
	return a, map[string]any{
		"auto_reply_state": a.State, "auto_reply_internal": a.Internal, "auto_reply_outside": a.SendOutside,
		"auto_reply_known_only": a.KnownOnly, "auto_reply_external": a.External, "auto_reply_start": a.Start,
		"auto_reply_end": a.End, "auto_reply_zone": a.Zone,
	}, nil
}

// SetSentItems changes whether copies of mail sent as and on behalf of the mailbox
// are kept in its Sent Items.
func (s *Store) SetSentItems(ctx context.Context, actor *Admin, mailboxID uint, sentAs, onBehalf bool, version int) error {
	if !actor.Can(ActionManageSharedMailboxes) {
		return ErrForbidden
	}
	return s.updateMailbox(ctx, actor, ActionManageSharedMailboxes, mailboxID, settingsChange{version: version, audit: "mailbox.sent_items",
		after:  map[string]any{"copy_sent_as": sentAs, "copy_sent_on_behalf": onBehalf},
		values: map[string]any{"copy_sent_as": sentAs, "copy_sent_on_behalf": onBehalf}})
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
	return s.updateMailbox(ctx, actor, ActionManageSharedMailboxes, mailboxID, settingsChange{version: version, audit: "mailbox.address_list",
		after: map[string]any{"shown": shown}, values: map[string]any{"hidden_from_gal": !shown}})
}
