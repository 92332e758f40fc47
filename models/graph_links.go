package models

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

// A group's members and owners, and the groups a recipient is a member of, as
// Graph lists them: in name order, paged in SQL by a keyset cursor (the sort key
// and recipient id of the last row), so a page costs one query however large the
// group, and a walk sees each object once while others are added or removed.

// GraphLink is a member or owner of a group.
type GraphLink struct {
	Candidate
	// SortKey is the recipient's sort name, for the cursor.
	SortKey string
}

// GraphLinkQuery is one page of a group's members or owners.
type GraphLinkQuery struct {
	GroupID uint
	// Owners lists the owners; otherwise the members.
	Owners bool
	// AfterKey and AfterID are where the previous page ended; AfterID 0 for the first.
	AfterKey string
	AfterID  uint
	Limit    int
}

// graphLinkBase is the FROM and WHERE of a page of links and their count: the
// recipients the group links to, without people deleted but still restorable.
func (s *Store) graphLinkBase(ctx context.Context, q GraphLinkQuery) *gorm.DB {
	table, column := "group_members", "member_id"
	if q.Owners {
		table, column = "group_owners", "owner_id"
	}
	return s.db.WithContext(ctx).Table(table+" l").Joins("JOIN recipients r ON r.id = l."+column).
		Where("l.group_id = ?", q.GroupID).
		Where("r.kind <> ? OR EXISTS (SELECT 1 FROM users u WHERE u.recipient_id = r.id AND u.deleted_at IS NULL)", KindUser)
}

// GraphGroupLinks returns a page of a group's members or owners and whether more
// follow.
func (s *Store) GraphGroupLinks(ctx context.Context, q GraphLinkQuery) ([]GraphLink, bool, error) {
	db := s.graphLinkBase(ctx, q)
	if q.AfterID != 0 {
		db = db.Where("r.sort_name >= ? AND (r.sort_name > ? OR r.id > ?)", q.AfterKey, q.AfterKey, q.AfterID)
	}
	limit := max(q.Limit, 1)
	var out []GraphLink
	if err := db.Select(candidateSelect + ", r.sort_name AS sort_key").Joins("LEFT JOIN groups g ON g.recipient_id = r.id").
		Order("r.sort_name, r.id").Limit(limit + 1).Scan(&out).Error; err != nil {
		return nil, false, fmt.Errorf("list group links: %w", err)
	}
	more := len(out) > limit
	if more {
		out = out[:limit]
	}
	return out, more, nil
}

// CountGraphGroupLinks counts a group's members or owners.
func (s *Store) CountGraphGroupLinks(ctx context.Context, q GraphLinkQuery) (int64, error) {
	var n int64
	if err := s.graphLinkBase(ctx, q).Count(&n).Error; err != nil {
		return 0, fmt.Errorf("count group links: %w", err)
	}
	return n, nil
}

// GraphGroupsOf returns a page of the groups a recipient is a direct member of, in
// name order after the cursor, and whether more follow: one query.
func (s *Store) GraphGroupsOf(ctx context.Context, recipientID uint, afterKey string, afterID uint, limit int) ([]GraphGroup, bool, error) {
	db := s.db.WithContext(ctx).Table("groups g").
		Where("g.id IN (SELECT gm.group_id FROM group_members gm WHERE gm.member_id = ?)", recipientID)
	if afterID != 0 {
		db = db.Where("g.sort_name >= ? AND (g.sort_name > ? OR g.id > ?)", afterKey, afterKey, afterID)
	}
	limit = max(limit, 1)
	var out []GraphGroup
	if err := db.Select(graphGroupSelect).Joins("JOIN recipients r ON r.id = g.recipient_id").
		Order("g.sort_name, g.id").Limit(limit + 1).Scan(&out).Error; err != nil {
		return nil, false, fmt.Errorf("list groups of a member: %w", err)
	}
	more := len(out) > limit
	if more {
		out = out[:limit]
	}
	return out, more, nil
}

// CountGraphGroupsOf counts the groups a recipient is a direct member of.
func (s *Store) CountGraphGroupsOf(ctx context.Context, recipientID uint) (int64, error) {
	var n int64
	if err := s.db.WithContext(ctx).Table("group_members").Where("member_id = ?", recipientID).Count(&n).Error; err != nil {
		return 0, fmt.Errorf("count groups of a member: %w", err)
	}
	return n, nil
}

// GraphGroupLinked reports whether a recipient is among a group's members (or
// owners), as GraphGroupLinks lists them.
func (s *Store) GraphGroupLinked(ctx context.Context, q GraphLinkQuery, recipientID uint) (bool, error) {
	var n int64
	if err := s.graphLinkBase(ctx, q).Where("r.id = ?", recipientID).Count(&n).Error; err != nil {
		return false, fmt.Errorf("check group link: %w", err)
	}
	return n > 0, nil
}
