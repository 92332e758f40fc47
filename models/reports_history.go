package models

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Access history: who could access a mailbox on a given day, replayed from the
// audit log (grants, removals, shared mailbox members; and, for a group that held a
// right, its members as they were that day), for investigations. The log names
// trustees by address, so the history does too: it holds for people who have since
// been deleted or renamed.

// AccessHistoryRow is one right one trustee held on the day.
type AccessHistoryRow struct {
	Trustee string
	Right   Right
	// Since is when the right took effect; GrantedBy who granted it.
	Since     time.Time
	GrantedBy string
	// Via is the group the trustee held the right through, "" for a direct grant.
	Via string
}

// AccessHistory is who could access a mailbox at the end of a day.
type AccessHistory struct {
	Mailbox MailboxRef
	Day     time.Time
	Rows    []AccessHistoryRow
}

// historyEntry is the part of an audit entry the replay reads.
type historyEntry struct {
	Trustee     string `json:"trustee"`
	Member      string `json:"member"`
	Right       Right  `json:"right"`
	EffectiveAt string `json:"effective_at"`
}

type historyKey struct {
	trustee string
	right   Right
}

// MailboxAccessHistory replays the audit log of a mailbox up to the end of day (in
// UTC) and returns who held which right then.
func (s *Store) MailboxAccessHistory(ctx context.Context, mailboxID uint, day time.Time) (*AccessHistory, error) {
	mb, err := s.Mailbox(ctx, mailboxID)
	if err != nil {
		return nil, err
	}
	day = time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, time.UTC)
	end := day.Add(24 * time.Hour)
	var events []AuditEvent
	err = s.db.WithContext(ctx).Where("target_id = ? AND at < ? AND action IN ?", mb.RecipientID, end,
		[]string{"mailbox_permission.add", "mailbox_permission.remove", "shared.member_add", "shared.member_remove"}).
		Order("id").Find(&events).Error
	if err != nil {
		return nil, fmt.Errorf("read access history: %w", err)
	}
	held := map[historyKey]AccessHistoryRow{}
	for _, ev := range events {
		var e historyEntry
		switch ev.Action {
		case "mailbox_permission.add":
			if json.Unmarshal([]byte(ev.After), &e) != nil {
				continue
			}
			since := ev.At
			if t, err := time.Parse(time.RFC3339, e.EffectiveAt); err == nil {
				since = t
			}
			held[historyKey{strings.ToLower(e.Trustee), e.Right}] = AccessHistoryRow{Trustee: e.Trustee, Right: e.Right, Since: since, GrantedBy: ev.Actor}
		case "mailbox_permission.remove":
			if json.Unmarshal([]byte(ev.Before), &e) == nil {
				delete(held, historyKey{strings.ToLower(e.Trustee), e.Right})
			}
		case "shared.member_add":
			if json.Unmarshal([]byte(ev.After), &e) == nil {
				for _, r := range []Right{RightFullAccess, RightSendAs} {
					held[historyKey{strings.ToLower(e.Member), r}] = AccessHistoryRow{Trustee: e.Member, Right: r, Since: ev.At, GrantedBy: ev.Actor}
				}
			}
		case "shared.member_remove":
			if json.Unmarshal([]byte(ev.Before), &e) == nil {
				for _, r := range []Right{RightFullAccess, RightSendAs} {
					delete(held, historyKey{strings.ToLower(e.Member), r})
				}
			}
		}
	}
	h := &AccessHistory{Mailbox: *mb, Day: day}
	for _, row := range held {
		if row.Since.Before(end) {
			h.Rows = append(h.Rows, row)
		}
	}
	// Groups that held a right pass it on to the members they had that day.
	var expanded []AccessHistoryRow
	for _, row := range h.Rows {
		members, _, err := s.groupMembersOn(ctx, row.Trustee, end, map[string]bool{})
		if err != nil {
			return nil, err
		}
		for _, m := range members {
			expanded = append(expanded, AccessHistoryRow{Trustee: m, Right: row.Right, Since: row.Since, GrantedBy: row.GrantedBy, Via: row.Trustee})
		}
	}
	h.Rows = append(h.Rows, expanded...)
	slices.SortFunc(h.Rows, func(a, b AccessHistoryRow) int {
		if c := strings.Compare(string(a.Right), string(b.Right)); c != 0 {
			return c
		}
		if c := strings.Compare(a.Via, b.Via); c != 0 {
			return c
		}
		return strings.Compare(strings.ToLower(a.Trustee), strings.ToLower(b.Trustee))
	})
	return h, nil
}

// groupMembersOn returns the people in the group with the address (nested groups
// expanded) before end, replayed from the group's audit log; nothing when the
// address is not a group's (isGroup reports which).
func (s *Store) groupMembersOn(ctx context.Context, address string, end time.Time, seen map[string]bool) (members []string, isGroup bool, err error) {
	key := strings.ToLower(address)
	if seen[key] {
		return nil, true, nil
	}
	seen[key] = true
	var rec Recipient
	err = s.db.WithContext(ctx).Joins("JOIN email_addresses e ON e.recipient_id = recipients.id").
		Where("e.normalized = ? AND recipients.kind = ?", key, KindGroup).Limit(1).Find(&rec).Error
	if err != nil {
		return nil, false, fmt.Errorf("find group: %w", err)
	}
	if rec.ID == 0 {
		return nil, false, nil
	}
	var events []AuditEvent
	err = s.db.WithContext(ctx).Where("target_id = ? AND at < ? AND action IN ?", rec.ID, end,
		[]string{"group.create", "group.member_add", "group.member_remove"}).Order("id").Find(&events).Error
	if err != nil {
		return nil, true, fmt.Errorf("read group history: %w", err)
	}
	current := map[string]string{}
	for _, ev := range events {
		var m struct {
			Role    string   `json:"role"`
			Names   []string `json:"names"`
			Members []string `json:"members"`
		}
		switch ev.Action {
		case "group.create":
			if json.Unmarshal([]byte(ev.After), &m) == nil {
				for _, n := range m.Members {
					current[strings.ToLower(n)] = n
				}
			}
		case "group.member_add":
			if json.Unmarshal([]byte(ev.After), &m) == nil && m.Role == "member" {
				for _, n := range m.Names {
					current[strings.ToLower(n)] = n
				}
			}
		case "group.member_remove":
			if json.Unmarshal([]byte(ev.Before), &m) == nil && m.Role == "member" {
				for _, n := range m.Names {
					delete(current, strings.ToLower(n))
				}
			}
		}
	}
	var out []string
	for _, n := range current {
		nested, group, err := s.groupMembersOn(ctx, n, end, seen)
		if err != nil {
			return nil, true, err
		}
		if !group {
			out = append(out, n)
		}
		out = append(out, nested...)
	}
	return sortedSet(out), true, nil
}

// MailboxAccessHistoryOn answers the Access history form: the mailbox with the
// address, on the day written as 2006-01-02. A field error names what is wrong.
func (s *Store) MailboxAccessHistoryOn(ctx context.Context, address, day string) (*AccessHistory, error) {
	ve := &ValidationError{}
	var mailboxID uint
	address = strings.TrimSpace(address)
	if address == "" {
		ve.Add("mailbox", "reports.error.mailbox_required", nil)
	} else if fe := CheckText(address, false); fe != nil {
		ve.Add("mailbox", fe.Key, fe.Args)
	} else {
		mb, err := s.mailboxRef(ctx, "m.recipient_id IN (SELECT e.recipient_id FROM email_addresses e WHERE e.normalized = ?)", strings.ToLower(address))
		switch {
		case err == nil:
			mailboxID = mb.ID
		case errors.Is(err, ErrNotFound):
			ve.Add("mailbox", "reports.error.no_mailbox", map[string]any{"Address": address})
		default:
			return nil, err
		}
	}
	t, err := time.Parse("2006-01-02", strings.TrimSpace(day))
	if err != nil {
		ve.Add("day", "reports.error.day", nil)
	}
	if len(ve.Fields) > 0 {
		return nil, ve
	}
	return s.MailboxAccessHistory(ctx, mailboxID, t)
}
