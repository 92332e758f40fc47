package models

import (
	"context"
	"database/sql"
	"fmt"
)

// Every panel of a person's pane, and the pane on every tab, loads the person:
// User reads them in two statements scanned without reflection (GORM's preloads
// took eight, most of the Mail tab's time in Go and, on PostgreSQL, a round trip
// each): the person with their recipient, mailbox and the counts of who holds each
// right on it in one row, then their addresses, licenses and roles together.

// userDetailQuery reads a live person, their recipient and, when they have one,
// their mailbox with how many hold each right on it directly (every grant row, as
// the Mail tab counts them).
const userDetailQuery = `SELECT u.id, u.recipient_id, r.display_name, u.first_name, u.last_name, u.job_title, u.department,
	u.user_principal_name, u.sign_in_blocked, u.version, u.roles_version, u.licenses_version,
	m.id, m.type, m.storage_used_bytes, m.quota_bytes, m.hidden_from_gal, m.forwarding_address, m.forward_keep_copy, m.forwarding_stopped,
	(SELECT COUNT(*) FROM mailbox_permissions p WHERE p.mailbox_id = m.id AND p.access_right = ?),
	(SELECT COUNT(*) FROM mailbox_permissions p WHERE p.mailbox_id = m.id AND p.access_right = ?),
	(SELECT COUNT(*) FROM mailbox_permissions p WHERE p.mailbox_id = m.id AND p.access_right = ?)
FROM users u
JOIN recipients r ON r.id = u.recipient_id
LEFT JOIN mailboxes m ON m.recipient_id = u.recipient_id
WHERE u.id = ? AND u.deleted_at IS NULL`

// User returns the properties of one person.
func (s *Store) User(ctx context.Context, id uint) (*UserDetail, error) {
	db := s.db.WithContext(ctx)
	rows, err := db.Raw(userDetailQuery, RightFullAccess, RightSendAs, RightSendOnBehalf, id).Rows()
	if err != nil {
		return nil, fmt.Errorf("load user: %w", err)
	}
	d, err := scanUserDetail(rows)
	if err != nil {
		return nil, err
	}
	if err := s.userLists(ctx, d); err != nil {
		return nil, err
	}
	return d, nil
}

// scanUserDetail reads userDetailQuery's one row; ErrNotFound when there is none.
func scanUserDetail(rows *sql.Rows) (*UserDetail, error) {
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("load user: %w", err)
		}
		return nil, ErrNotFound
	}
	var (
		d                                UserDetail
		first, last, title, dept         sql.NullString
		mbID, used, quota                sql.NullInt64
		mbType, fwdAddress, fwdStopped   sql.NullString
		hidden, keepCopy                 sql.NullBool
		fullAccess, sendAs, sendOnBehalf int
	)
	if err := rows.Scan(&d.ID, &d.RecipientID, &d.DisplayName, &first, &last, &title, &dept,
		&d.Username, &d.SignInBlocked, &d.Version, &d.RolesVersion, &d.LicensesVersion,
		&mbID, &mbType, &used, &quota, &hidden, &fwdAddress, &keepCopy, &fwdStopped,
		&fullAccess, &sendAs, &sendOnBehalf); err != nil {
		return nil, fmt.Errorf("load user: %w", err)
	}
	d.FirstName, d.LastName, d.JobTitle, d.Department = first.String, last.String, title.String, dept.String
	if mbID.Valid {
		d.Mailbox = &MailboxSummary{
			ID: uint(mbID.Int64), Type: MailboxType(mbType.String), StorageUsedBytes: used.Int64, QuotaBytes: quota.Int64,
			HiddenFromGAL: hidden.Bool, ForwardingAddress: fwdAddress.String,
			ForwardKeepCopy: keepCopy.Bool, ForwardingStopped: fwdStopped.String,
			Holders: map[Right]int{},
		}
		// Only the rights someone holds, as a count grouped by right gave them.
		for r, n := range map[Right]int{RightFullAccess: fullAccess, RightSendAs: sendAs, RightSendOnBehalf: sendOnBehalf} {
			if n > 0 {
				d.Mailbox.Holders[r] = n
			}
		}
	}
	return &d, rows.Err()
}

// userListsQuery reads a person's addresses (primary first, then by address),
// licenses (by name) and roles in one statement: part says which, rank and key
// order them.
const userListsQuery = `SELECT 0 AS part, CASE WHEN e.is_primary THEN 0 ELSE 1 END AS rank, e.normalized AS key,
	0 AS id, e.address AS text, '' AS sku, e.is_primary AS flag, 0 AS seats
FROM email_addresses e WHERE e.recipient_id = ?
UNION ALL
SELECT 1, 0, lp.name, lp.id, lp.name, lp.sku, lp.includes_mailbox, lp.seats
FROM user_licenses ul JOIN license_products lp ON lp.id = ul.license_product_id WHERE ul.user_id = ?
UNION ALL
SELECT 2, 0, ra.role, 0, ra.role, '', false, 0 FROM role_assignments ra WHERE ra.user_id = ?
ORDER BY part, rank, key`

// userLists sets the person's primary address and aliases, licenses and roles
// (in the order Roles lists them).
func (s *Store) userLists(ctx context.Context, d *UserDetail) error {
	rows, err := s.db.WithContext(ctx).Raw(userListsQuery, d.RecipientID, d.ID, d.ID).Rows()
	if err != nil {
		return fmt.Errorf("load user: %w", err)
	}
	held := map[Role]bool{}
	err = scanEach(rows, func() error {
		var (
			part, rank int
			key, text  string
			p          LicenseProduct
		)
		if err := rows.Scan(&part, &rank, &key, &p.ID, &text, &p.SKU, &p.IncludesMailbox, &p.Seats); err != nil {
			return err
		}
		switch part {
		case 0:
			if p.IncludesMailbox { // is_primary
				d.PrimaryAddress = text
			} else {
				d.Aliases = append(d.Aliases, text)
			}
		case 1:
			p.Name = text
			d.Licenses = append(d.Licenses, p)
		case 2:
			held[Role(text)] = true
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("load user: %w", err)
	}
	for _, r := range Roles {
		if held[r] {
			d.Roles = append(d.Roles, r)
		}
	}
	return nil
}
