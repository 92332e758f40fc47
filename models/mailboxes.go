package models

import (
	"context"
	"database/sql"
	"fmt"

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

// OverSharedQuota reports whether the mailbox holds more than a shared mailbox may
// without a license, so converting it keeps the license.
func (m *MailboxSummary) OverSharedQuota() bool { return m.StorageUsedBytes > SharedMailboxQuota }

// MailboxRef identifies a mailbox for the panels that act on it.
type MailboxRef struct {
	ID            uint
	RecipientID   uint
	DisplayName   string
	Address       string
	Type          MailboxType
	HiddenFromGAL bool
	Version       int
}

const mailboxRefSelect = `m.id, m.recipient_id, r.display_name, m.type, m.hidden_from_gal, m.version,
	(SELECT e.address FROM email_addresses e WHERE e.recipient_id = r.id AND e.is_primary) AS address`

func (s *Store) mailboxRef(ctx context.Context, where string, args ...any) (*MailboxRef, error) {
	return mailboxRefIn(s.db.WithContext(ctx), where, args...)
}

// mailboxRefIn is mailboxRef read with db (inside a write transaction, when there is one).
// Every mailbox panel and pane reads one, so the row is scanned without reflection.
func mailboxRefIn(db *gorm.DB, where string, args ...any) (*MailboxRef, error) {
	rows, err := db.Raw(`SELECT `+mailboxRefSelect+`
	FROM mailboxes m JOIN recipients r ON r.id = m.recipient_id WHERE `+where+` LIMIT 1`, args...).Rows()
	if err != nil {
		return nil, fmt.Errorf("load mailbox: %w", err)
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("load mailbox: %w", err)
		}
		return nil, ErrNotFound
	}
	var ref MailboxRef
	var address sql.NullString
	if err := rows.Scan(&ref.ID, &ref.RecipientID, &ref.DisplayName, &ref.Type, &ref.HiddenFromGAL, &ref.Version, &address); err != nil {
		return nil, fmt.Errorf("load mailbox: %w", err)
	}
	ref.Address = address.String
	return &ref, nil
}

// MailboxOfUser returns a person's mailbox; ErrNotFound when they have none.
func (s *Store) MailboxOfUser(ctx context.Context, userID uint) (*MailboxRef, error) {
	return s.mailboxRef(ctx, "m.recipient_id = (SELECT recipient_id FROM users WHERE id = ? AND deleted_at IS NULL)", userID)
}

// SharedMailboxRef returns a shared mailbox by id; ErrNotFound for any other.
func (s *Store) SharedMailboxRef(ctx context.Context, id uint) (*MailboxRef, error) {
	return s.mailboxRef(ctx, "m.id = ? AND m.type = ?", id, MailboxShared)
}

// Mailbox returns a mailbox by id.
func (s *Store) Mailbox(ctx context.Context, id uint) (*MailboxRef, error) {
	return s.mailboxRef(ctx, "m.id = ?", id)
}
