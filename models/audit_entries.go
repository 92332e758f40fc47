package models

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// AuditActionNames lists every activity the audit log records, in the order the
// filter offers them. Each has a name in words in the catalogs
// ("audit.activity.<action>"); a test checks the models write no other.
var AuditActionNames = []string{
	"user.create", "user.contact", "user.username", "user.usage_location", "user.alias_add", "user.alias_remove", "user.primary_address",
	"user.licenses", "user.roles", "user.password_reset", "user.sign_in_blocked", "user.delete", "user.restore", "user.purge",
	"mailbox_permission.add", "mailbox_permission.remove", "mailbox_permission.automapping",
	"forwarding.set", "policy.external_forwarding",
	"mailbox.convert_to_shared", "mailbox.convert_to_regular", "mailbox.auto_replies", "mailbox.sent_items", "mailbox.address_list",
	"mailbox.time_zone",
	"shared.create", "shared.rename", "shared.alias_add", "shared.alias_remove", "shared.primary_address", "shared.delete",
	"shared.account_create", "shared.license",
	"shared.member_add", "shared.member_remove",
	"group.create", "group.update", "group.settings", "group.alias_add", "group.alias_remove", "group.primary_address",
	"group.member_add", "group.member_remove", "group.owner_add", "group.owner_remove", "group.delete",
	"group_permission.add", "group_permission.remove",
	"contact.create", "contact.update", "contact.delete",
	"app.create", "app.revoke", "app.token", "admin.preferences",
	"signin.success", "signin.failure", "signin.throttled",
}

// AuditLinkKind says what kind of object an audit entry's target is, so the log can
// link to its pane.
type AuditLinkKind string

// The objects an audit entry can link to.
const (
	LinkNone    AuditLinkKind = ""
	LinkUser    AuditLinkKind = "user"
	LinkShared  AuditLinkKind = "shared"
	LinkGroup   AuditLinkKind = "group"
	LinkContact AuditLinkKind = "contact"
	LinkPolicy  AuditLinkKind = "policy"
)

// AuditLink is the object an entry's target is now: its kind and its id in its own
// table (a person's user id, a shared mailbox's mailbox id ...). Kind is LinkNone
// when the object is gone or has no page.
type AuditLink struct {
	Kind AuditLinkKind
	ID   uint
}

// AuditValue is one side of a field change. Missing says the field had no value
// (shown as "(none)"); a list is joined; other values are shown as their text.
type AuditValue struct {
	Missing bool
	Text    string
	// Bool is set for true/false values, which the view names in words.
	Bool *bool
}

// AuditChange is one field that an entry changed, before and after.
type AuditChange struct {
	Field  string
	Before AuditValue
	After  AuditValue
}

// AuditEntry is an audit event as a person reads it: the activity's message id,
// its field changes and the object it links to. The raw event stays available.
type AuditEntry struct {
	AuditEvent
	// Activity is the activity's message id suffix: the action, with the right for
	// permission changes ("mailbox_permission.add_sendas").
	Activity string
	Changes  []AuditChange
	Link     AuditLink
}

// AuditLogPage is one page of the audit log for a person.
type AuditLogPage struct {
	Entries []AuditEntry
	Next    uint
}

// AuditLog is the audit log as the admin may read it: only the roles allowed
// ActionReadAuditLog, else ErrForbidden. Entries carry their activity in words,
// their field changes and a link to their target.
func (s *Store) AuditLog(ctx context.Context, actor *Admin, q AuditQuery) (*AuditLogPage, error) {
	if !actor.Can(ActionReadAuditLog) {
		return nil, ErrForbidden
	}
	page, err := s.AuditEvents(ctx, q)
	if err != nil {
		return nil, err
	}
	links, err := s.auditLinks(ctx, page.Events)
	if err != nil {
		return nil, err
	}
	out := &AuditLogPage{Next: page.Next, Entries: make([]AuditEntry, len(page.Events))}
	for i, e := range page.Events {
		out.Entries[i] = AuditEntry{AuditEvent: e, Activity: auditActivity(e), Changes: AuditChanges(e.Before, e.After)}
		if e.TargetID != nil {
			out.Entries[i].Link = links[linkKey(e)]
		}
	}
	return out, nil
}

// AuditLogActions lists the activities in the log, for the filter; ErrForbidden for
// roles that may not read it.
func (s *Store) AuditLogActions(ctx context.Context, actor *Admin) ([]string, error) {
	if !actor.Can(ActionReadAuditLog) {
		return nil, ErrForbidden
	}
	return s.AuditActions(ctx)
}

// auditActivity names a permission change by its right, since "Added Send as
// permission" says more than "Added a mailbox permission".
func auditActivity(e AuditEvent) string {
	switch e.Action {
	case "mailbox_permission.add", "mailbox_permission.remove", "group_permission.add", "group_permission.remove":
		var p struct {
			Right Right `json:"right"`
		}
		raw := e.After
		if raw == "" {
			raw = e.Before
		}
		if json.Unmarshal([]byte(raw), &p) == nil && slices.Contains(Rights, p.Right) {
			return e.Action + "_" + strings.ToLower(string(p.Right))
		}
	}
	return e.Action
}

// AuditActivityIDs lists every activity message id suffix AuditLog can give.
func AuditActivityIDs() []string {
	out := slices.Clone(AuditActionNames)
	for _, a := range []string{"mailbox_permission.add", "mailbox_permission.remove", "group_permission.add", "group_permission.remove"} {
		for _, r := range Rights {
			out = append(out, a+"_"+strings.ToLower(string(r)))
		}
	}
	return out
}

// AuditChanges compares the before and after values of an entry field by field,
// in the order of the fields' names. A value that is not an object is one field
// named "value".
func AuditChanges(before, after string) []AuditChange {
	b, a := auditFields(before), auditFields(after)
	var names []string
	for k := range b {
		names = append(names, k)
	}
	for k := range a {
		if _, ok := b[k]; !ok {
			names = append(names, k)
		}
	}
	slices.Sort(names)
	var out []AuditChange
	for _, k := range names {
		bv, inB := b[k]
		av, inA := a[k]
		if inB && inA && bytes.Equal(bv, av) {
			continue
		}
		out = append(out, AuditChange{Field: k, Before: auditValue(bv, inB), After: auditValue(av, inA)})
	}
	return out
}

func auditFields(raw string) map[string]json.RawMessage {
	out := map[string]json.RawMessage{}
	if strings.TrimSpace(raw) == "" {
		return out
	}
	if err := json.Unmarshal([]byte(raw), &out); err != nil {
		return map[string]json.RawMessage{"value": json.RawMessage(raw)}
	}
	return out
}

func auditValue(raw json.RawMessage, present bool) AuditValue {
	if !present {
		return AuditValue{Missing: true}
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return AuditValue{Text: string(raw)}
	}
	switch x := v.(type) {
	case nil:
		return AuditValue{Missing: true}
	case string:
		if x == "" {
			return AuditValue{Missing: true}
		}
		return AuditValue{Text: x}
	case bool:
		return AuditValue{Bool: &x}
	case []any:
		if len(x) == 0 {
			return AuditValue{Missing: true}
		}
		parts := make([]string, len(x))
		for i, item := range x {
			if s, ok := item.(string); ok {
				parts[i] = s
			} else {
				b, _ := json.Marshal(item)
				parts[i] = string(b)
			}
		}
		return AuditValue{Text: strings.Join(parts, ", ")}
	case float64:
		return AuditValue{Text: strings.TrimSpace(string(raw))}
	default:
		var buf bytes.Buffer
		if json.Compact(&buf, raw) != nil {
			return AuditValue{Text: string(raw)}
		}
		return AuditValue{Text: buf.String()}
	}
}

type auditLinkKey struct {
	policy bool
	id     uint
}

func linkKey(e AuditEvent) auditLinkKey {
	return auditLinkKey{policy: strings.HasPrefix(e.Action, "policy."), id: *e.TargetID}
}

// auditLinks finds what each entry's target is now, with one query per kind of
// object: a recipient id becomes a person, shared mailbox, group or contact page.
func (s *Store) auditLinks(ctx context.Context, events []AuditEvent) (map[auditLinkKey]AuditLink, error) {
	out := map[auditLinkKey]AuditLink{}
	var ids []uint
	for _, e := range events {
		if e.TargetID == nil {
			continue
		}
		if k := linkKey(e); k.policy {
			out[k] = AuditLink{Kind: LinkPolicy, ID: k.id}
		} else {
			ids = append(ids, k.id)
		}
	}
	if len(ids) == 0 {
		return out, nil
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	db := s.db.WithContext(ctx)
	type row struct {
		ID          uint
		RecipientID uint
	}
	for _, t := range []struct {
		kind  AuditLinkKind
		query string
	}{
		// A shared mailbox's account is listed first and overwritten: its page is the mailbox's.
		{LinkUser, "SELECT id, recipient_id FROM users WHERE recipient_id IN ? AND deleted_at IS NULL"},
		{LinkShared, "SELECT id, recipient_id FROM mailboxes WHERE recipient_id IN ? AND type = 'shared'"},
		{LinkGroup, "SELECT id, recipient_id FROM groups WHERE recipient_id IN ?"},
		{LinkContact, "SELECT id, recipient_id FROM mail_contacts WHERE recipient_id IN ?"},
	} {
		var rows []row
		if err := db.Raw(t.query, ids).Scan(&rows).Error; err != nil {
			return nil, fmt.Errorf("find audit targets: %w", err)
		}
		for _, r := range rows {
			out[auditLinkKey{id: r.RecipientID}] = AuditLink{Kind: t.kind, ID: r.ID}
		}
	}
	return out, nil
}
