package models

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
)

// What Microsoft Graph reads and changes beyond the people's list: licences by
// skuId, a mailbox's automatic replies, and groups paged by keyset.

// AssignLicenses adds and removes licences of a person by product id in one
// transaction, as Graph's assignLicense does: the change needs no confirmation, and
// a product without a free seat refuses the whole change.
func (s *Store) AssignLicenses(ctx context.Context, actor *Admin, userID uint, add, remove []uint) error {
	return s.changePerson(ctx, actor, changeLicenses, userID, func(tx *gorm.DB, u *User) error {
		var ids []uint
		for _, l := range u.Licenses {
			if !slices.Contains(remove, l.ID) {
				ids = append(ids, l.ID)
			}
		}
		ids = append(ids, add...)
		return s.setLicenses(tx, actor, u, sortedSet(ids), true)
	})
}

// ProductsBySkuID maps each licence product's skuId to the product.
func (s *Store) ProductsBySkuID(ctx context.Context) (map[string]LicenseUsage, error) {
	ls, err := s.Licenses(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[string]LicenseUsage, len(ls))
	for _, l := range ls {
		out[SkuID(l.SKU)] = l
	}
	return out, nil
}

// MailboxAutoReplies is a person's mailbox and its automatic replies.
type MailboxAutoReplies struct {
	MailboxID uint
	// Version is the mailbox's, for SetAutoReplies and SetMailboxSettings.
	Version int
	AutoReply
	// TimeZone is the mailbox's time zone as it was set; "" until then (UTC).
	TimeZone string
}

// AutoRepliesOf returns the automatic replies of a recipient's mailbox;
// ErrNotFound when they have none.
func (s *Store) AutoRepliesOf(ctx context.Context, recipientID uint) (*MailboxAutoReplies, error) {
	var mb Mailbox
	if err := s.db.WithContext(ctx).Where("recipient_id = ?", recipientID).First(&mb).Error; err != nil {
		return nil, notFound(err, "mailbox")
	}
	return &MailboxAutoReplies{MailboxID: mb.ID, Version: mb.Version, AutoReply: mb.autoReply(), TimeZone: mb.TimeZone}, nil
}

// GraphGroup is a group as Graph's group resource shows it.
type GraphGroup struct {
	GroupID     uint
	RecipientID uint
	Type        GroupType
	DisplayName string
	Description string
	Mail        string
	// Alias is the alias as typed: Graph's mailNickname.
	Alias     string
	CreatedAt time.Time
	SortKey   string
}

// graphGroupSelect reads a GraphGroup from groups g joined to recipients r.
const graphGroupSelect = `g.id AS group_id, g.recipient_id, g.type, r.display_name, r.alias, g.description, g.created_at, g.sort_name AS sort_key,
	COALESCE((SELECT e.address FROM email_addresses e WHERE e.recipient_id = g.recipient_id AND e.is_primary), '') AS mail`

// GraphGroups returns a page of groups of the types, in name order after the
// cursor, and whether more follow.
func (s *Store) GraphGroups(ctx context.Context, types []GroupType, search, afterKey string, afterID uint, limit int) ([]GraphGroup, bool, error) {
	db := s.graphGroupBase(ctx, types, search)
	if afterID != 0 {
		db = db.Where("g.sort_name >= ? AND (g.sort_name > ? OR g.id > ?)", afterKey, afterKey, afterID)
	}
	limit = max(limit, 1)
	var out []GraphGroup
	if err := db.Select(graphGroupSelect).Joins("JOIN recipients r ON r.id = g.recipient_id").
		Order("g.sort_name, g.id").Limit(limit + 1).Scan(&out).Error; err != nil {
		return nil, false, fmt.Errorf("list graph groups: %w", err)
	}
	more := len(out) > limit
	if more {
		out = out[:limit]
	}
	return out, more, nil
}

// CountGraphGroups counts the groups of the types.
func (s *Store) CountGraphGroups(ctx context.Context, types []GroupType, search string) (int64, error) {
	var n int64
	if err := s.graphGroupBase(ctx, types, search).Count(&n).Error; err != nil {
		return 0, fmt.Errorf("count graph groups: %w", err)
	}
	return n, nil
}

func (s *Store) graphGroupBase(ctx context.Context, types []GroupType, search string) *gorm.DB {
	db := s.db.WithContext(ctx).Table("groups g").Where("g.type IN ?", append([]GroupType{""}, types...))
	if term := normalizeSearch(search); term != "" {
		db = db.Where("g.recipient_id IN (SELECT st.recipient_id FROM search_terms st WHERE st.term >= ? AND st.term < ?)", term, prefixUpper(term))
	}
	return db
}

// GraphGroupByRecipient returns the group of a recipient; ErrNotFound when the
// recipient is no group.
func (s *Store) GraphGroupByRecipient(ctx context.Context, recipientID uint) (*GraphGroup, error) {
	var out []GraphGroup
	if err := s.graphGroupBase(ctx, []GroupType{GroupSecurity, GroupMailSecurity, GroupDistribution, GroupM365}, "").
		Where("g.recipient_id = ?", recipientID).
		Select(graphGroupSelect).
		Joins("JOIN recipients r ON r.id = g.recipient_id").Limit(1).Scan(&out).Error; err != nil {
		return nil, fmt.Errorf("load graph group: %w", err)
	}
	if len(out) == 0 {
		return nil, ErrNotFound
	}
	return &out[0], nil
}

// RecipientKindOf returns what a recipient is, for Graph's directoryObject type;
// ErrNotFound when there is no such recipient or it is a person deleted.
func (s *Store) RecipientKindOf(ctx context.Context, recipientID uint) (RecipientKind, error) {
	var r Recipient
	if err := s.db.WithContext(ctx).Select("id, kind").First(&r, recipientID).Error; err != nil {
		return "", notFound(err, "recipient")
	}
	if r.Kind == KindUser {
		var n int64
		if err := s.db.WithContext(ctx).Table("users").Where("recipient_id = ? AND deleted_at IS NULL", recipientID).Count(&n).Error; err != nil {
			return "", fmt.Errorf("load user: %w", err)
		}
		if n == 0 {
			return "", ErrNotFound
		}
	}
	return r.Kind, nil
}

// UserIDOfRecipient returns the live person of a recipient.
func (s *Store) UserIDOfRecipient(ctx context.Context, recipientID uint) (uint, error) {
	var ids []uint
	if err := s.db.WithContext(ctx).Table("users").Where("recipient_id = ? AND deleted_at IS NULL", recipientID).
		Limit(1).Pluck("id", &ids).Error; err != nil {
		return 0, fmt.Errorf("find user: %w", err)
	}
	if len(ids) == 0 {
		return 0, ErrNotFound
	}
	return ids[0], nil
}

// DefaultDomain is the organization's default domain name.
func (s *Store) DefaultDomain(ctx context.Context) (string, error) {
	ds, err := s.Domains(ctx)
	if err != nil {
		return "", err
	}
	for _, d := range ds {
		if d.IsDefault {
			return d.Name, nil
		}
	}
	if len(ds) > 0 {
		return ds[0].Name, nil
	}
	return "", ErrNotFound
}

// SplitAddress splits a user principal name or address at its last '@'.
func SplitAddress(addr string) (alias, domain string) {
	i := strings.LastIndex(addr, "@")
	if i < 0 {
		return addr, ""
	}
	return addr[:i], addr[i+1:]
}

// GroupRecipientID returns the recipient of a group.
func (s *Store) GroupRecipientID(ctx context.Context, groupID uint) (uint, error) {
	var g Group
	if err := s.db.WithContext(ctx).Select("id, recipient_id").First(&g, groupID).Error; err != nil {
		return 0, notFound(err, "group")
	}
	return g.RecipientID, nil
}

// MailboxSettingsChange is a change to a mailbox's settings as Graph's
// mailboxSettings resource sends it: only what is set changes.
type MailboxSettingsChange struct {
	// TimeZone is a Windows or IANA time zone name.
	TimeZone  *string
	AutoReply *AutoReply
}

// SetMailboxSettings changes a mailbox's time zone and automatic replies in one
// write transaction, with an audit entry for each; a rule either breaks leaves
// both as they were. The roles that manage automatic replies manage the time
// zone too (both are the mailbox owner's own settings in Outlook).
func (s *Store) SetMailboxSettings(ctx context.Context, actor *Admin, mailboxID uint, c MailboxSettingsChange, version int) error {
	if !actor.Can(ActionManageAutoReplies) {
		return ErrForbidden
	}
	values := map[string]any{}
	var zone string
	if c.TimeZone != nil {
		tz, ok := LookupTimeZone(*c.TimeZone)
		if !ok {
			return Invalid("time_zone", "mailbox.error.time_zone", map[string]any{"Zone": strings.TrimSpace(*c.TimeZone)})
		}
		zone = tz.Name
		values["time_zone"] = zone
	}
	var reply AutoReply
	if c.AutoReply != nil {
		a, v, err := checkAutoReply(*c.AutoReply)
		if err != nil {
			return err
		}
		reply = a
		for k, x := range v {
			values[k] = x
		}
	}
	if len(values) == 0 {
		return nil
	}
	return s.changeMailbox(ctx, actor, ActionManageAutoReplies, mailboxID, func(tx *gorm.DB, mb *MailboxRef) error {
		var before Mailbox
		if err := tx.Select("id, time_zone").First(&before, mailboxID).Error; err != nil {
			return notFound(err, "mailbox")
		}
		values["version"] = gorm.Expr("version + 1")
		db := tx.Model(&Mailbox{}).Where("id = ?", mailboxID)
		if version != AnyVersion {
			db = db.Where("version = ?", version)
		}
		res := db.Updates(values)
		if res.Error != nil {
			return fmt.Errorf("update mailbox settings: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return ErrStale
		}
		if c.TimeZone != nil && zone != before.TimeZone {
			if err := s.audit(tx, actor, "mailbox.time_zone", &mb.RecipientID, mb.DisplayName,
				map[string]any{"time_zone": before.TimeZone}, map[string]any{"time_zone": zone}); err != nil {
				return err
			}
		}
		if c.AutoReply != nil {
			return s.audit(tx, actor, "mailbox.auto_replies", &mb.RecipientID, mb.DisplayName, nil, reply)
		}
		return nil
	})
}
