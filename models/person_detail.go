package models

import (
	"context"
	"database/sql"
	"fmt"
)

// Every panel of a person's pane, and the pane on every tab, loads the person:
// User reads them in four statements scanned without reflection (GORM's preloads
// took eight, most of the Mail tab's time in Go and, on PostgreSQL, a round trip
// each): the person with their recipient, mailbox and the counts of who holds each
// right on it in one row, then their addresses, licenses and roles.

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
	if err := s.userAddresses(ctx, d); err != nil {
		return nil, err
	}
	if d.Licenses, err = s.userLicenses(ctx, d.ID); err != nil {
		return nil, err
	}
	if d.Roles, err = s.userRoles(ctx, d.ID); err != nil {
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

// userAddresses sets the person's primary address and aliases, in the order the
// pane lists them.
func (s *Store) userAddresses(ctx context.Context, d *UserDetail) error {
	rows, err := s.db.WithContext(ctx).Raw(`SELECT address, is_primary FROM email_addresses WHERE recipient_id = ?
		ORDER BY is_primary desc, normalized`, d.RecipientID).Rows()
	if err != nil {
		return fmt.Errorf("load user addresses: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var address string
		var primary bool
		if err := rows.Scan(&address, &primary); err != nil {
			return fmt.Errorf("load user addresses: %w", err)
		}
		if primary {
			d.PrimaryAddress = address
		} else {
			d.Aliases = append(d.Aliases, address)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("load user addresses: %w", err)
	}
	return nil
}

// userLicenses returns the license products assigned to a person, by name.
func (s *Store) userLicenses(ctx context.Context, userID uint) ([]LicenseProduct, error) {
	rows, err := s.db.WithContext(ctx).Raw(`SELECT lp.id, lp.sku, lp.name, lp.includes_mailbox, lp.seats
		FROM user_licenses ul JOIN license_products lp ON lp.id = ul.license_product_id
		WHERE ul.user_id = ? ORDER BY lp.name`, userID).Rows()
	if err != nil {
		return nil, fmt.Errorf("load user licenses: %w", err)
	}
	defer rows.Close()
	var out []LicenseProduct
	for rows.Next() {
		var p LicenseProduct
		if err := rows.Scan(&p.ID, &p.SKU, &p.Name, &p.IncludesMailbox, &p.Seats); err != nil {
			return nil, fmt.Errorf("load user licenses: %w", err)
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("load user licenses: %w", err)
	}
	return out, nil
}

// userRoles returns a person's admin roles in the order Roles lists them.
func (s *Store) userRoles(ctx context.Context, userID uint) ([]Role, error) {
	rows, err := s.db.WithContext(ctx).Raw(`SELECT role FROM role_assignments WHERE user_id = ?`, userID).Rows()
	if err != nil {
		return nil, fmt.Errorf("load user roles: %w", err)
	}
	defer rows.Close()
	held := map[Role]bool{}
	for rows.Next() {
		var r Role
		if err := rows.Scan(&r); err != nil {
			return nil, fmt.Errorf("load user roles: %w", err)
		}
		held[r] = true
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("load user roles: %w", err)
	}
	var out []Role
	for _, r := range Roles {
		if held[r] {
			out = append(out, r)
		}
	}
	return out, nil
}
