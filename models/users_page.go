package models

import (
	"context"
	"database/sql"
	"slices"

	"gorm.io/gorm"
)

// pagePerson is one person of a page of Active users with the row the list shows;
// live is false for someone no longer live (or without a recipient), whom the list
// leaves out but who still counts as read for the pager.
type pagePerson struct {
	row  UserRow
	live bool
}

// peoplePage reads a page of people and their rows in one statement: page selects
// (sort name, user id) in the page's order (desc: descending), one beyond the page;
// each is completed with name, username (UPN), whether sign-in is blocked, licenses
// and the mailbox's storage state, on primary keys. A person's licences are rows of
// their own, next to each other in page order, and sorted by name here: ORDER BY
// on them made SQLite sort every row of the page by name.
func (s *Store) peoplePage(ctx context.Context, page *gorm.DB, desc bool) ([]pagePerson, error) {
	dir := " ASC"
	if desc {
		dir = " DESC"
	}
	res, err := s.db.WithContext(ctx).Raw(`WITH page(sort_name, id) AS (?)
		SELECT page.sort_name, page.id, r.id IS NOT NULL, r.display_name, u.user_principal_name, u.sign_in_blocked, lp.name,
		COALESCE(m.storage_used_bytes, 0), COALESCE(m.quota_bytes, 0)
		FROM page LEFT JOIN users u ON u.id = page.id AND u.deleted_at IS NULL
		LEFT JOIN recipients r ON r.id = u.recipient_id
		LEFT JOIN mailboxes m ON m.recipient_id = u.recipient_id
		LEFT JOIN user_licenses ul ON ul.user_id = u.id LEFT JOIN license_products lp ON lp.id = ul.license_product_id
		ORDER BY page.sort_name`+dir+`, page.id`+dir, page).Rows()
	if err != nil {
		return nil, err
	}
	defer res.Close()
	var out []pagePerson
	for res.Next() {
		var (
			sortName    string
			id          uint
			live        bool
			name, upn   sql.NullString
			blocked     sql.NullBool
			license     sql.NullString
			used, quota int64
		)
		if err := res.Scan(&sortName, &id, &live, &name, &upn, &blocked, &license, &used, &quota); err != nil {
			return nil, err
		}
		if n := len(out); n > 0 && out[n-1].row.ID == id && out[n-1].row.sortName == sortName {
			// Another licence of the person before.
			if license.Valid {
				out[n-1].row.Licenses = append(out[n-1].row.Licenses, license.String)
			}
			continue
		}
		p := pagePerson{row: UserRow{ID: id, sortName: sortName}, live: live}
		if live {
			p.row.DisplayName, p.row.Username, p.row.SignInBlocked = name.String, upn.String, blocked.Bool
			p.row.Storage = StorageStateOf(used, quota)
			if license.Valid {
				p.row.Licenses = []string{license.String}
			}
		}
		out = append(out, p)
	}
	if err := res.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		slices.Sort(out[i].row.Licenses)
	}
	return out, nil
}
