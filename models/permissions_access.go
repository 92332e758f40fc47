package models

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Access is one right a person holds on some mailbox, directly or through a group.
type Access struct {
	PermissionID   uint
	Right          Right
	MailboxID      uint
	MailboxName    string
	MailboxAddress string
	MailboxType    MailboxType
	// MailboxUserID is the account of a person's mailbox (0 for a shared one), for
	// a link to their pane.
	MailboxUserID     uint
	ViaID             uint
	ViaName           string
	AutoMapping       bool
	EffectiveAt       time.Time
	RevokeEffectiveAt *time.Time
}

// Pending reports whether the grant has not taken effect yet at now.
func (a Access) Pending(now time.Time) bool { return now.Before(a.EffectiveAt) }

// RemovalPending reports whether the grant was removed but still holds at now.
func (a Access) RemovalPending(now time.Time) bool {
	return a.RevokeEffectiveAt != nil && now.Before(*a.RevokeEffectiveAt)
}

// AccessibleMailboxes lists every mailbox and right a recipient holds, directly or
// through any group it is in (nested groups too), in one statement: a recursive
// query finds the groups, and the grants to any of them are read with it (two
// statements were a round trip more on PostgreSQL). The groups are an IN list,
// not a join: joined, SQLite built a Bloom filter over every grant first (tens of
// milliseconds at 100k people).
func (s *Store) AccessibleMailboxes(ctx context.Context, recipientID uint) ([]Access, error) {
	return readAccess(s.db.WithContext(ctx), recipientID, nil, s.Now())
}

// GroupsAndAccessOf returns what GroupsOf and AccessibleMailboxes return, for a
// person's Mail tab, which shows both: the recipient's nested groups are followed
// once, and their list is handed to the grants query.
//
// What a recipient holds is kept for the recipients opened last while the report
// generation stays (which every change to a grant, a membership, a name, an address
// or a mailbox raises: reports_kept.go), until the first of its grants takes effect
// or stops holding by time alone.
func (s *Store) GroupsAndAccessOf(ctx context.Context, recipientID uint) ([]Membership, []Access, error) {
	gen, ok := s.reportGeneration(ctx)
	if !ok {
		if ctx.Err() != nil {
			return nil, nil, ctx.Err()
		}
		return s.readGroupsAndAccess(ctx, recipientID)
	}
	gens := searchGenerations{report: gen}
	now := s.Now()
	if k, ok := s.keptAccess.get(recipientID, gens, now); ok {
		return slices.Clone(k.groups), cloneAccess(k.access), nil
	}
	groups, access, err := s.readGroupsAndAccess(ctx, recipientID)
	if err != nil {
		return nil, nil, err
	}
	change := firstChange{now: now}
	for _, a := range access {
		change.grant(a.EffectiveAt, a.RevokeEffectiveAt)
	}
	if len(groups)+len(access) <= keptHoldingsRows {
		s.keptAccess.put(recipientID, gens, change.at, keptHoldings{groups: slices.Clone(groups), access: cloneAccess(access)})
	}
	return groups, access, nil
}

// keptAccessLimit bounds the recipients whose groups and access are kept, and
// keptHoldingsRows the groups and rights of one (about 200 bytes each): a member
// of a group granted on thousands of mailboxes is read each time, so what is kept
// stays under about 50 MB.
const (
	keptAccessLimit  = 512
	keptHoldingsRows = 500
)

// keptHoldings are a recipient's groups and access, as kept.
type keptHoldings struct {
	groups []Membership
	access []Access
}

// cloneAccess copies rows with their removal times, so no caller changes what is
// kept.
func cloneAccess(rows []Access) []Access {
	out := slices.Clone(rows)
	for i := range out {
		out[i].RevokeEffectiveAt = cloneTime(out[i].RevokeEffectiveAt)
	}
	return out
}

// readGroupsAndAccess reads what GroupsAndAccessOf returns.
func (s *Store) readGroupsAndAccess(ctx context.Context, recipientID uint) ([]Membership, []Access, error) {
	db := s.db.WithContext(ctx)
	if db.Dialector.Name() == "postgres" {
		return groupsAndAccessInOne(db, recipientID, s.Now())
	}
	groups, err := expandGroups(db, recipientID)
	if err != nil {
		return nil, nil, err
	}
	access, err := readAccess(db, recipientID, groups, s.Now())
	if err != nil {
		return nil, nil, err
	}
	memberships, err := groups.memberships(db)
	if err != nil {
		return nil, nil, err
	}
	return memberships, access, nil
}

// accessColumns and accessOrder are the grants query, around its list of trustees.
const (
	accessColumns = `SELECT p.id AS permission_id, p.access_right AS "right", mb.id AS mailbox_id, r.display_name AS mailbox_name, mb.type AS mailbox_type,
	(SELECT e.address FROM email_addresses e WHERE e.recipient_id = r.id AND e.is_primary) AS mailbox_address,
	COALESCE((SELECT u.id FROM users u WHERE u.recipient_id = r.id AND u.deleted_at IS NULL), 0) AS mailbox_user_id,
	CASE WHEN p.trustee_id = ? THEN 0 ELSE p.trustee_id END AS via_id,
	CASE WHEN p.trustee_id = ? THEN '' ELSE t.display_name END AS via_name,
	p.auto_mapping, p.effective_at, p.revoke_effective_at
FROM mailbox_permissions p
JOIN mailboxes mb ON mb.id = p.mailbox_id
JOIN recipients r ON r.id = mb.recipient_id
JOIN recipients t ON t.id = p.trustee_id
WHERE p.trustee_id IN `
	accessOrder = ` AND ` + live + `
ORDER BY r.sort_name, mb.id, p.access_right, via_id`
)

// sqliteAccessColumns reads each mailbox's primary address and live account from
// the indexes that hold them (idx_email_addresses_primary, idx_users_live_recipient),
// two b-tree descents a right fewer. SQLite's planner would not choose them: it
// takes the unique index on users.recipient_id without weighing others, and has no
// statistics for an index made after the last ANALYZE.
var sqliteAccessColumns = strings.NewReplacer(
	"FROM email_addresses e WHERE", "FROM email_addresses e INDEXED BY idx_email_addresses_primary WHERE",
	"FROM users u WHERE", "FROM users u INDEXED BY idx_users_live_recipient WHERE").Replace(accessColumns)

// accessColumnsFor returns accessColumns as written for db's database.
func accessColumnsFor(db *gorm.DB) string {
	if db.Dialector.Name() == "sqlite" {
		return sqliteAccessColumns
	}
	return accessColumns
}

// readAccess reads the live grants to a recipient and the groups it is in. With
// no expansion of its groups, or one the depth limit cut short, the groups are
// followed in the same statement, to any depth.
func readAccess(db *gorm.DB, recipientID uint, groups *groupExpansion, now time.Time) ([]Access, error) {
	return readAccessWith(db, accessColumnsFor(db), recipientID, groups, now)
}

// readAccessWith is readAccess with the grants query's columns as given.
func readAccessWith(db *gorm.DB, columns string, recipientID uint, groups *groupExpansion, now time.Time) ([]Access, error) {
	var rows *sql.Rows
	var err error
	if groups != nil && groups.whole {
		trustees := []uint{recipientID}
		for rid := range groups.via {
			trustees = append(trustees, rid)
		}
		rows, err = db.Raw(columns+`?`+accessOrder, recipientID, recipientID, sortedSet(trustees), now).Rows()
	} else {
		rows, err = db.Raw(`
WITH RECURSIVE m(recipient_id) AS (
	SELECT CAST(? AS BIGINT)
	UNION
	SELECT g.recipient_id FROM m JOIN group_members gm ON gm.member_id = m.recipient_id JOIN groups g ON g.id = gm.group_id
)
`+columns+`(SELECT recipient_id FROM m)`+accessOrder, recipientID, recipientID, recipientID, now).Rows()
	}
	if err != nil {
		return nil, fmt.Errorf("list accessible mailboxes: %w", err)
	}
	defer rows.Close()
	// Every Mail tab shows them: scanned without reflection.
	var out []Access
	for rows.Next() {
		var a Access
		var address sql.NullString
		if err := rows.Scan(asUint(&a.PermissionID), &a.Right, asUint(&a.MailboxID), &a.MailboxName, &a.MailboxType, &address,
			asUint(&a.MailboxUserID), asUint(&a.ViaID), &a.ViaName, &a.AutoMapping, &a.EffectiveAt, &a.RevokeEffectiveAt); err != nil {
			return nil, fmt.Errorf("list accessible mailboxes: %w", err)
		}
		a.MailboxAddress = address.String
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list accessible mailboxes: %w", err)
	}
	return out, nil
}
