package models

import (
	"context"
	"fmt"
	"slices"

	"gorm.io/gorm"
)

// GB is 2^30 bytes, the unit the admin center shows storage in.
const GB int64 = 1 << 30

// SharedMailboxQuota is the size a shared mailbox may reach without a license.
const SharedMailboxQuota = 50 * GB

// MailboxSummary is the read-only state of a mailbox that the Mail tab shows.
type MailboxSummary struct {
	ID                uint
	Type              MailboxType
	StorageUsedBytes  int64
	QuotaBytes        int64
	HiddenFromGAL     bool
	ForwardingAddress string
	ForwardKeepCopy   bool
	ForwardingStopped string
	// Holders counts who holds each right directly on this mailbox.
	Holders map[Right]int
}

// StoragePercent is the share of the quota in use, 0 to 100.
func (m *MailboxSummary) StoragePercent() int {
	if m.QuotaBytes <= 0 {
		return 0
	}
	p := int(m.StorageUsedBytes * 100 / m.QuotaBytes)
	return min(max(p, 0), 100)
}

func (s *Store) mailboxSummaryByRecipient(ctx context.Context, recipientID uint) (*MailboxSummary, error) {
	var mb Mailbox
	if err := s.db.WithContext(ctx).Where("recipient_id = ?", recipientID).First(&mb).Error; err != nil {
		return nil, notFound(err, "mailbox")
	}
	sum := &MailboxSummary{
		ID: mb.ID, Type: mb.Type, StorageUsedBytes: mb.StorageUsedBytes, QuotaBytes: mb.QuotaBytes,
		HiddenFromGAL: mb.HiddenFromGAL, ForwardingAddress: mb.ForwardingAddress,
		ForwardKeepCopy: mb.ForwardKeepCopy, ForwardingStopped: mb.ForwardingStopped,
		Holders: map[Right]int{},
	}
	var counts []struct {
		Right Right
		N     int
	}
	err := s.db.WithContext(ctx).Model(&MailboxPermission{}).Select("access_right AS \"right\", COUNT(*) AS n").
		Where("mailbox_id = ?", mb.ID).Group("access_right").Scan(&counts).Error
	if err != nil {
		return nil, fmt.Errorf("count mailbox permissions: %w", err)
	}
	for _, c := range counts {
		sum.Holders[c.Right] = c.N
	}
	return sum, nil
}

// SharedMailboxQuery is what the Shared mailboxes list asks for.
type SharedMailboxQuery struct {
	Search string
	Page   Page
}

// SharedMailboxRow is one line of the Shared mailboxes list.
type SharedMailboxRow struct {
	ID               uint
	DisplayName      string
	Address          string
	Members          int
	StorageUsedBytes int64
	QuotaBytes       int64
	sortName         string
}

// SharedMailboxList is one page of the Shared mailboxes list.
type SharedMailboxList struct {
	Rows []SharedMailboxRow
	PageInfo
}

func (s *Store) sharedBase(ctx context.Context, q SharedMailboxQuery) *gorm.DB {
	db := s.db.WithContext(ctx).Table("mailboxes m").
		Joins("JOIN recipients r ON r.id = m.recipient_id").
		Where("m.type = ?", MailboxShared)
	if term := normalizeSearch(q.Search); term != "" {
		db = matchRecipients(db, term)
	}
	return db
}

// SharedMailboxes returns one page of the Shared mailboxes list. Members are the
// people with Read and manage, which is what membership means in the admin center.
// Addresses and member counts are loaded for the page's rows only.
func (s *Store) SharedMailboxes(ctx context.Context, q SharedMailboxQuery) (*SharedMailboxList, error) {
	q.Page.Size = NormalizePageSize(q.Page.Size)
	var total int64
	if err := s.sharedBase(ctx, q).Count(&total).Error; err != nil {
		return nil, fmt.Errorf("count shared mailboxes: %w", err)
	}
	type row struct {
		ID               uint
		RecipientID      uint
		DisplayName      string
		SortName         string
		StorageUsedBytes int64
		QuotaBytes       int64
	}
	var raw []row
	sel, reversed := keyset(s.sharedBase(ctx, q).Select(`m.id, m.recipient_id, r.display_name, r.sort_name, m.storage_used_bytes, m.quota_bytes`),
		q.Page, "r.sort_name", "m.id")
	if err := sel.Scan(&raw).Error; err != nil {
		return nil, fmt.Errorf("list shared mailboxes: %w", err)
	}
	if len(raw) > q.Page.Size {
		raw = raw[:q.Page.Size]
	}
	if reversed {
		slices.Reverse(raw)
	}
	list := &SharedMailboxList{PageInfo: PageInfo{Total: int(total)}}
	if len(raw) == 0 {
		return list, nil
	}
	ids := make([]uint, len(raw))
	rids := make([]uint, len(raw))
	for i, r := range raw {
		ids[i], rids[i] = r.ID, r.RecipientID
	}
	names, err := s.namesAndAddresses(ctx, rids)
	if err != nil {
		return nil, err
	}
	var counts []struct {
		MailboxID uint
		N         int
	}
	if err := s.db.WithContext(ctx).Model(&MailboxPermission{}).Select("mailbox_id, COUNT(*) AS n").
		Where("mailbox_id IN ? AND access_right = ?", ids, RightFullAccess).Group("mailbox_id").Scan(&counts).Error; err != nil {
		return nil, fmt.Errorf("count members: %w", err)
	}
	members := map[uint]int{}
	for _, c := range counts {
		members[c.MailboxID] = c.N
	}
	for _, r := range raw {
		list.Rows = append(list.Rows, SharedMailboxRow{ID: r.ID, DisplayName: r.DisplayName, Address: names[r.RecipientID].Address,
			Members: members[r.ID], StorageUsedBytes: r.StorageUsedBytes, QuotaBytes: r.QuotaBytes, sortName: r.SortName})
	}
	first, last := list.Rows[0], list.Rows[len(list.Rows)-1]
	before, err := countBefore(s.sharedBase(ctx, q), q.Page, first.sortName, first.ID, "r.sort_name", "m.id")
	if err != nil {
		return nil, fmt.Errorf("count shared mailboxes before: %w", err)
	}
	list.First = int(before) + 1
	if before > 0 {
		list.Prev = encodeCursor(first.sortName, first.ID)
	}
	if int(before)+len(list.Rows) < list.Total {
		list.Next = encodeCursor(last.sortName, last.ID)
	}
	return list, nil
}

// CountSharedMailboxes returns how many shared mailboxes the organization has.
func (s *Store) CountSharedMailboxes(ctx context.Context) (int64, error) {
	var n int64
	if err := s.db.WithContext(ctx).Model(&Mailbox{}).Where("type = ?", MailboxShared).Count(&n).Error; err != nil {
		return 0, fmt.Errorf("count shared mailboxes: %w", err)
	}
	return n, nil
}
