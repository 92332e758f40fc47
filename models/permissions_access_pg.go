package models

import (
	"database/sql"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// groupsAndAccessSQL is the Mail tab's three statements (expandGroups, the grants
// query and memberships) in one, for PostgreSQL, where each statement is a round
// trip: two system calls and a wake-up on both sides, which cost more than the
// statements' own work at a million people. Each row is one of three kinds, in
// the order and with the values the three statements give:
//   - 0: a group the recipient is in (id: its recipient, via_id: the group it is in
//     it through), in depth order, as expandGroups;
//   - 1: each of those groups' details (id: the group, ref: its recipient), in
//     name order, as memberships;
//   - 2: a live grant to the recipient or to one of those groups (id: the
//     mailbox, ref: the grant, user_id: the mailbox's live account), in the
//     grants query's order. The group's name is kind 1's.
//
// The column sort_name is only for the order; its collation is the recipients'
// ("C"), as in the statements apart.
const groupsAndAccessSQL = memberGroupsCTE + `SELECT 0 AS kind, m.depth, '' AS sort_name, m.group_rid AS id, '' AS "right", m.via_rid AS via_id, CAST(0 AS BIGINT) AS ref,
	CAST(0 AS BIGINT) AS user_id, '' AS name, '' AS type, CAST(NULL AS TEXT) AS address, false AS auto_mapping,
	CAST(NULL AS TIMESTAMPTZ) AS effective_at, CAST(NULL AS TIMESTAMPTZ) AS revoke_effective_at
FROM m
UNION ALL
SELECT 1, 0, r.sort_name, g.id, '', 0, g.recipient_id, 0, r.display_name, g.type,
	COALESCE((SELECT e.address FROM email_addresses e WHERE e.recipient_id = g.recipient_id AND e.is_primary), ''), false, NULL, NULL
FROM groups g JOIN recipients r ON r.id = g.recipient_id
WHERE g.recipient_id = ANY(ARRAY(SELECT group_rid FROM m))
UNION ALL
SELECT 2, 0, r.sort_name, mb.id, p.access_right, CASE WHEN p.trustee_id = ? THEN 0 ELSE p.trustee_id END, p.id,
	COALESCE((SELECT u.id FROM users u WHERE u.recipient_id = r.id AND u.deleted_at IS NULL), 0), r.display_name, mb.type,
	(SELECT e.address FROM email_addresses e WHERE e.recipient_id = r.id AND e.is_primary), p.auto_mapping, p.effective_at, p.revoke_effective_at
FROM mailbox_permissions p
JOIN mailboxes mb ON mb.id = p.mailbox_id
JOIN recipients r ON r.id = mb.recipient_id
WHERE p.trustee_id = ANY(ARRAY(SELECT group_rid FROM m UNION SELECT CAST(? AS BIGINT))) AND ` + live + `
ORDER BY kind, depth, sort_name, id, "right", via_id`

// groupsAndAccessInOne is GroupsAndAccessOf in one statement (groupsAndAccessSQL).
// When the depth limit cut the expansion short, its grants are read again the
// way readAccess reads them then, following the groups to any depth.
func groupsAndAccessInOne(db *gorm.DB, recipientID uint, now time.Time) ([]Membership, []Access, error) {
	rows, err := db.Raw(groupsAndAccessSQL, recipientID, recipientID, recipientID, now).Rows()
	if err != nil {
		return nil, nil, fmt.Errorf("list groups and accessible mailboxes: %w", err)
	}
	e := &groupExpansion{via: map[uint]uint{}, whole: true}
	var refs []GroupRef
	var access []Access
	err = scanEach(rows, func() error {
		var kind, depth int64
		var sortName sql.RawBytes
		var id, viaID, ref, userID uint
		var name, typ, right string
		var address sql.NullString
		var autoMapping bool
		var effective sql.NullTime
		var revoke *time.Time
		if err := rows.Scan(&kind, &depth, &sortName, asUint(&id), &right, asUint(&viaID), asUint(&ref), asUint(&userID),
			&name, &typ, &address, &autoMapping, &effective, &revoke); err != nil {
			return err
		}
		switch kind {
		case 0:
			if depth >= maxNesting {
				e.whole = false
			}
			if _, seen := e.via[id]; !seen {
				e.via[id] = viaID
				e.rids = append(e.rids, id, viaID)
			}
		case 1:
			refs = append(refs, GroupRef{ID: id, RecipientID: ref, DisplayName: name, Type: GroupType(typ), Address: address.String})
		case 2:
			access = append(access, Access{PermissionID: ref, Right: Right(right), MailboxID: id, MailboxName: name,
				MailboxAddress: address.String, MailboxType: MailboxType(typ), MailboxUserID: userID, ViaID: viaID,
				AutoMapping: autoMapping, EffectiveAt: effective.Time, RevokeEffectiveAt: revoke})
		}
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("list groups and accessible mailboxes: %w", err)
	}
	if !e.whole {
		// Grants to groups beyond the limit, with the names of their groups.
		if access, err = readAccess(db, recipientID, e, now); err != nil {
			return nil, nil, err
		}
		return e.membershipsOf(refs), access, nil
	}
	names := make(map[uint]string, len(refs))
	for _, r := range refs {
		names[r.RecipientID] = r.DisplayName
	}
	for i := range access {
		if access[i].ViaID != 0 {
			access[i].ViaName = names[access[i].ViaID]
		}
	}
	return e.membershipsOf(refs), access, nil
}
