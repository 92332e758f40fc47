package models

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
)

// AuditQuery filters the audit log.
type AuditQuery struct {
	Actor  string
	Action string
	Target string
	From   *time.Time
	To     *time.Time
	// Before is the id to continue after (newest first); 0 for the first page.
	Before uint
	Size   int
}

// AuditPage is one page of the audit log, newest first.
type AuditPage struct {
	Events []AuditEvent
	// Next is the cursor of the next (older) page, 0 when there is none.
	Next uint
}

// AuditEvents lists audit events, newest first, filtered.
func (s *Store) AuditEvents(ctx context.Context, q AuditQuery) (*AuditPage, error) {
	q.Size = NormalizePageSize(q.Size)
	db := s.db.WithContext(ctx).Model(&AuditEvent{})
	if v := normalizeSearch(q.Actor); v != "" {
		db = db.Where("LOWER(actor) LIKE ? ESCAPE '\\'", likePrefix(v))
	}
	if q.Action != "" {
		db = db.Where("action = ?", q.Action)
	}
	if v := normalizeSearch(q.Target); v != "" {
		c := likeContains(v)
		db = db.Where("(LOWER(target) LIKE ? ESCAPE '\\' OR LOWER(before) LIKE ? ESCAPE '\\' OR LOWER(after) LIKE ? ESCAPE '\\')", c, c, c)
	}
	if q.From != nil {
		db = db.Where("at >= ?", q.From.UTC())
	}
	if q.To != nil {
		db = db.Where("at < ?", q.To.UTC())
	}
	if q.Before > 0 {
		db = db.Where("id < ?", q.Before)
	}
	var events []AuditEvent
	if err := db.Order("id DESC").Limit(q.Size + 1).Find(&events).Error; err != nil {
		return nil, fmt.Errorf("list audit events: %w", err)
	}
	page := &AuditPage{Events: events}
	if len(events) > q.Size {
		page.Events = events[:q.Size]
		page.Next = page.Events[q.Size-1].ID
	}
	return page, nil
}

// AuditActions lists the actions that occur in the log, for the filter.
func (s *Store) AuditActions(ctx context.Context) ([]string, error) {
	var out []string
	if err := s.db.WithContext(ctx).Model(&AuditEvent{}).Distinct("action").Order("action").Pluck("action", &out).Error; err != nil {
		return nil, fmt.Errorf("list audit actions: %w", err)
	}
	return out, nil
}

// ParseAuditCursor reads a page cursor; anything else is the first page.
func ParseAuditCursor(s string) uint {
	n, err := strconv.ParseUint(s, 10, 32)
	if err != nil {
		return 0
	}
	return uint(n)
}

// audit appends an event inside the caller's transaction, so a change and its record
// are written together or not at all.
func (s *Store) audit(tx *gorm.DB, actor *Admin, action string, targetID *uint, target string, before, after any) error {
	ev := AuditEvent{At: s.Now(), Action: action, TargetID: targetID, Target: target}
	ev.Actor = actorName(actor)
	if actor != nil {
		ev.Channel, ev.Command = actor.Channel, auditCommand(actor.Command)
		if actor.App == "" {
			id := actor.UserID
			ev.ActorID = &id
		}
	}
	var err error
	if ev.Before, err = auditJSON(before); err != nil {
		return err
	}
	if ev.After, err = auditJSON(after); err != nil {
		return err
	}
	if err := tx.Create(&ev).Error; err != nil {
		return fmt.Errorf("write audit event: %w", err)
	}
	return nil
}

// Channel is a surface other than the admin center's pages that changes are made
// through; the empty Channel is the pages.
type Channel string

// The channels: the PowerShell console and command line, and the APIs programs use.
const (
	ChannelPowerShell   Channel = "powershell"
	ChannelExchangeREST Channel = "exchange_rest"
	ChannelGraph        Channel = "graph"
)

// Via returns a copy of the admin acting through a channel with a command, so the
// changes it makes are audited as coming from there.
func (a *Admin) Via(ch Channel, command string) *Admin {
	c := *a
	c.Channel, c.Command = ch, command
	return &c
}

// MaxAuditCommand bounds the command text an audit entry keeps; a longer script is
// cut, with an ellipsis.
const MaxAuditCommand = 4000

func auditCommand(s string) string {
	if len(s) <= MaxAuditCommand {
		return s
	}
	cut := MaxAuditCommand
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

func auditJSON(v any) (string, error) {
	if v == nil {
		return "", nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("encode audit value: %w", err)
	}
	return string(b), nil
}
