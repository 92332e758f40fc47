package models

import (
	"context"
	"database/sql"
	"fmt"
)

// mailSettingsQuery reads what a person's Mail tab shows of their mailbox besides
// the summary User has: forwarding, automatic replies and the organization's
// external forwarding policy, in one row.
const mailSettingsQuery = `SELECT m.version, m.forwarding_address, m.forward_keep_copy, m.forwarding_stopped,
	m.auto_reply_state, m.auto_reply_internal, m.auto_reply_external, m.auto_reply_outside,
	m.auto_reply_start, m.auto_reply_end, m.auto_reply_known_only, m.auto_reply_zone,
	(SELECT o.external_forwarding FROM organizations o ORDER BY o.id LIMIT 1)
FROM mailboxes m WHERE m.id = ?`

// MailSettingsOf returns the forwarding and automatic replies of a person's mailbox
// (u.Mailbox, as User loaded it), as Forwarding and AutoRepliesOf would: the
// mailbox's name, address and owner, and whether the owner's licenses include a
// mailbox, are the person's, so one statement reads the rest. ErrNotFound when the
// person has no mailbox (any more).
func (s *Store) MailSettingsOf(ctx context.Context, u *UserDetail) (*Forwarding, *AutoReply, error) {
	if u.Mailbox == nil {
		return nil, nil, ErrNotFound
	}
	db := s.db.WithContext(ctx)
	rows, err := db.Raw(mailSettingsQuery, u.Mailbox.ID).Rows()
	if err != nil {
		return nil, nil, fmt.Errorf("load mail settings: %w", err)
	}
	f, ar, err := scanMailSettings(rows, u)
	if err != nil {
		return nil, nil, err
	}
	if f.Address != "" {
		if f.External, err = isExternalIn(db, f.Address); err != nil {
			return nil, nil, err
		}
	}
	return f, ar, nil
}

func scanMailSettings(rows *sql.Rows, u *UserDetail) (*Forwarding, *AutoReply, error) {
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return nil, nil, fmt.Errorf("load mail settings: %w", err)
		}
		return nil, nil, ErrNotFound
	}
	mb := u.Mailbox
	f := &Forwarding{Mailbox: MailboxRef{ID: mb.ID, RecipientID: u.RecipientID, DisplayName: u.DisplayName,
		Address: u.PrimaryAddress, Type: mb.Type, HiddenFromGAL: mb.HiddenFromGAL}, Licensed: true}
	var (
		ar                                   AutoReply
		address, stopped, internal, external sql.NullString
		policy                               sql.NullString
		outside, knownOnly                   bool
	)
	if err := rows.Scan(&f.Mailbox.Version, &address, &f.KeepCopy, &stopped,
		&ar.State, &internal, &external, &outside, &ar.Start, &ar.End, &knownOnly, &ar.Zone, &policy); err != nil {
		return nil, nil, fmt.Errorf("load mail settings: %w", err)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("load mail settings: %w", err)
	}
	if !policy.Valid {
		return nil, nil, ErrNotFound // no organization
	}
	f.Address, f.Stopped, f.Policy, f.Version = address.String, stopped.String, ForwardingPolicy(policy.String), f.Mailbox.Version
	if mb.Type == MailboxUser {
		// The person owns their mailbox.
		f.OwnerUserID, f.Licensed = u.ID, u.HasMailboxLicense()
	}
	ar.Internal, ar.External, ar.SendOutside, ar.KnownOnly = internal.String, external.String, outside, outside && knownOnly
	return f, &ar, nil
}
