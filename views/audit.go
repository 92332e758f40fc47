package views

import (
	"context"

	"github.com/contoso/admincenter/models"
	"github.com/contoso/admincenter/views/i18n"
)

// translated is the catalog's message for id, or fallback when the catalog has none
// (an activity or field added to the models before its words).
func translated(ctx context.Context, id, fallback string) string {
	if s := i18n.T(ctx, id); s != id {
		return s
	}
	return fallback
}

// AuditActivity names an activity in words ("Added Send as permission").
func AuditActivity(ctx context.Context, activity string) string {
	return translated(ctx, "audit.activity."+activity, activity)
}

// catalogReserved are names the message catalogs can't use as keys (go-i18n reads
// them as a message's parts); a field of that name has "_field" added to its key.
var catalogReserved = map[string]bool{"id": true, "description": true, "hash": true, "leftdelim": true, "rightdelim": true,
	"zero": true, "one": true, "two": true, "few": true, "many": true, "other": true, "translation": true}

// auditField names a changed field ("Forwarding address").
func auditField(ctx context.Context, field string) string {
	key := field
	if catalogReserved[key] {
		key += "_field"
	}
	return translated(ctx, "audit.field."+key, field)
}

// auditValue shows one side of a field change: "(none)", Yes or No, a right by its
// name, or the text as it was recorded.
func auditValue(ctx context.Context, field string, v models.AuditValue) string {
	switch {
	case v.Missing:
		return i18n.T(ctx, "audit.value.none")
	case v.Bool != nil && *v.Bool:
		return i18n.T(ctx, "audit.value.yes")
	case v.Bool != nil:
		return i18n.T(ctx, "audit.value.no")
	case field == "right":
		return translated(ctx, "right."+v.Text, v.Text)
	}
	return v.Text
}

// auditLinkURL is the address of the page of an entry's target; empty when it has none.
func auditLinkURL(l models.AuditLink) string {
	switch l.Kind {
	case models.LinkUser:
		return UserURL(l.ID, "")
	case models.LinkShared:
		return SharedURL(l.ID)
	case models.LinkGroup:
		return GroupURL(l.ID, "")
	case models.LinkContact:
		return ContactURL(l.ID)
	case models.LinkPolicy:
		return PolicyURL
	}
	return ""
}

// holderCount says how many people and groups hold a right ("2 people, 1 group").
func holderCount(ctx context.Context, c models.HolderCount) string {
	switch {
	case c.People == 0 && c.Groups == 0:
		return i18n.T(ctx, "mail.holders_none")
	case c.Groups == 0:
		return i18n.N(ctx, "mail.holders", c.People)
	case c.People == 0:
		return i18n.N(ctx, "summary.groups", c.Groups)
	}
	return i18n.T(ctx, "summary.people_and_groups", "People", i18n.N(ctx, "mail.holders", c.People), "Groups", i18n.N(ctx, "summary.groups", c.Groups))
}
